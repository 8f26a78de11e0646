package nclab.optim;

import static nclab.optim.NuclearNormCrossEntropyTest.maxAbsDiff;
import static nclab.optim.NuclearNormCrossEntropyTest.nuclearNormalisedDistance;
import static nclab.optim.NuclearNormCrossEntropyTest.selMatrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.metrics.GeometryDistance;
import nclab.theory.ClassGeometry;
import nclab.theory.Etf;
import nclab.theory.SeliGeometry;
import org.junit.jupiter.api.Test;

class NuclearNormSvmTest {

    /** A random start (column form), so the solver's first projection does not land on the SEL matrix. */
    private static double[][] randomStart(ClassSizes sizes, ConvexForm form, long seed) {
        int m = form == ConvexForm.FULL ? (int) sizes.total() : sizes.k();
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] x = new double[sizes.k()][m];
        for (double[] row : x) {
            for (int j = 0; j < m; j++) {
                row[j] = 6 * (rnd.nextDouble() - 0.5);
            }
        }
        return x;
    }

    private static NuclearNormSvmSolution solve(ClassSizes sizes, ConvexForm form, long seed) {
        NuclearNormSvmSolution s = NuclearNormSvm.solve(sizes, NuclearNormSvm.Options.defaults().withForm(form),
                randomStart(sizes, form, seed));
        assertTrue(s.converged(), () -> sizes + " " + form + " not converged, gap " + s.dualityGap());
        assertTrue(Math.abs(s.dualityGap()) <= 1e-11 * s.nuclearNorm(), () -> "gap " + s.dualityGap());
        assertTrue(s.dualBound() <= s.nuclearNorm() + 1e-12 * s.nuclearNorm());
        assertEquals(1, s.minMargin(), 1e-12);
        return s;
    }

    /**
     * Theorem 1 / Lemma A.4: the solution of (5) is the SEL matrix, and its eq. (8) geometry is SELI with α = 1:
     * class-level logits I − 11ᵀ/K, classifier Gram VΛVᵀ, mean Gram VΛ⁻¹Vᵀ, optimum ‖Ẑ‖_*. Checked against the
     * basis-free {@link SeliGeometry} (a K×K eigenproblem), from random starts.
     */
    @Test
    void classLevelSolutionIsTheSelMatrixWithSeliGeometry() {
        ClassSizes[] cases = {
            ClassSizes.of(10, 10, 1, 1), ClassSizes.of(50, 50, 5, 5), ClassSizes.step(10, 10, 0.5, 1),
            ClassSizes.step(6, 5, 1.0 / 3, 2), ClassSizes.longTail(10, 100, 50), ClassSizes.of(100, 1),
            ClassSizes.of(5, 3, 2),
        };
        long seed = 11;
        for (ClassSizes sizes : cases) {
            NuclearNormSvmSolution s = solve(sizes, ConvexForm.CLASS_LEVEL, seed++);
            SeliGeometry seli = SeliGeometry.of(sizes);
            String at = sizes.toString();
            assertEquals(seli.nuclearNorm(), s.nuclearNorm(), 1e-9 * seli.nuclearNorm(), at);
            ClassGeometry g = s.geometry();
            ClassGeometry ref = seli.geometry();
            assertTrue(maxAbsDiff(s.classLogits(), ref.logits()) < 1e-9, at);
            assertTrue(maxAbsDiff(g.logits(), ref.logits()) < 1e-9, at);
            assertTrue(maxAbsDiff(g.classifierGram(), ref.classifierGram()) < 1e-8, at);
            assertTrue(maxAbsDiff(g.meanGram(), ref.meanGram()) < 1e-8, at);
            double[] sv = s.singularValues();
            double[] refSv = seli.singularValues();
            assertEquals(refSv.length, sv.length, at);
            for (int i = 0; i < sv.length; i++) {
                assertEquals(refSv[i], sv[i], 1e-9 * refSv[0], at);
            }
        }
    }

    /** The spec §9.2 example: k = 4, R = 10 at n_min = 1 and the Fig. 1 instance (n_min = 5). */
    @Test
    void singularValuesMatchTheSpecExamples() {
        double[] r10 = solve(ClassSizes.of(10, 10, 1, 1), ConvexForm.CLASS_LEVEL, 1).singularValues();
        assertEquals(3.162278, r10[0], 1e-6);
        assertEquals(2.345208, r10[1], 1e-6);
        assertEquals(1, r10[2], 1e-6);
        double[] fig1 = solve(ClassSizes.of(50, 50, 5, 5), ConvexForm.CLASS_LEVEL, 2).singularValues();
        assertEquals(7.071068, fig1[0], 1e-6);
        assertEquals(5.244044, fig1[1], 1e-6);
        assertEquals(2.236068, fig1[2], 1e-6);
    }

    /** The full K×N solve (no symmetry reduction) gives the SEL matrix Y − 11ᵀ/K entrywise. */
    @Test
    void fullKxNSolveIsTheSelMatrixEntrywise() {
        long seed = 5;
        for (ClassSizes sizes : new ClassSizes[] {ClassSizes.of(10, 10, 1, 1), ClassSizes.of(5, 3, 2), ClassSizes.of(4, 4, 4)}) {
            NuclearNormSvmSolution s = solve(sizes, ConvexForm.FULL, seed++);
            assertEquals(ConvexForm.FULL, s.form());
            assertTrue(maxAbsDiff(s.logits(), selMatrix(sizes)) < 1e-8, sizes.toString());
            assertEquals(SeliGeometry.of(sizes).nuclearNorm(), s.nuclearNorm(), 1e-9);
            UfmFactors f = s.factors(sizes.k());
            // Theorem 1: ‖W‖² = ‖H‖² = p* and WHᵀ = Ẑ
            assertEquals(s.nuclearNorm(), f.classifierNormSquared(), 1e-9);
            assertEquals(s.nuclearNorm(), f.featureNormSquared(), 1e-9);
            assertTrue(maxAbsDiff(f.logits(), selMatrix(sizes)) < 1e-8);
        }
    }

    /** Balanced sizes (Cor 1.3): the classifier and mean Grams are the simplex ETF, exactly up to scale. */
    @Test
    void balancedSizesGiveTheSimplexEtf() {
        for (ClassSizes sizes : new ClassSizes[] {ClassSizes.balanced(4, 7), ClassSizes.balanced(5, 1), ClassSizes.balanced(2, 3)}) {
            NuclearNormSvmSolution s = solve(sizes, ConvexForm.CLASS_LEVEL, 9);
            double[][] etf = Etf.gram(sizes.k());
            ClassGeometry g = s.geometry();
            assertEquals(0, GeometryDistance.normalisedFrobenius(g.classifierGram(), etf), 1e-9);
            assertEquals(0, GeometryDistance.normalisedFrobenius(g.meanGram(), etf), 1e-9);
            double[][] cos = g.classifierCosines();
            assertEquals(-1.0 / (sizes.k() - 1), cos[0][1], 1e-9);
        }
    }

    /**
     * The two convex problems are linked (Prop. 3): the λ → 0 direction of eq. (7) approaches the direction of
     * the solution of eq. (5), and eq. (7)'s solution is never exactly that direction for imbalanced sizes.
     */
    @Test
    void smallLambdaNuclearCrossEntropyPointsTowardsTheSvmSolution() {
        ClassSizes sizes = ClassSizes.of(10, 10, 1, 1);
        double[][] svm = solve(sizes, ConvexForm.CLASS_LEVEL, 4).logits();
        double previous = Double.POSITIVE_INFINITY;
        for (double lambda : new double[] {0.3, 0.03, 0.003}) {
            double d = nuclearNormalisedDistance(NuclearNormCrossEntropy.solve(sizes, lambda).logits(), svm);
            assertTrue(d < previous && d > 0.01, "λ=" + lambda + " distance " + d);
            previous = d;
        }
    }

    /** The certificate is a real bound: feasible non-optimal points have nuclear norms above the dual bound. */
    @Test
    void dualBoundIsAValidLowerBound() {
        ClassSizes sizes = ClassSizes.of(10, 10, 1, 1);
        NuclearNormSvmSolution s = solve(sizes, ConvexForm.CLASS_LEVEL, 3);
        // any feasible Z has ‖Z‖_* ≥ dual bound; 2·SEL and SEL + e_1 shift (margins unchanged) are feasible
        double[][] doubled = selMatrix(sizes);
        double[][] shifted = selMatrix(sizes);
        for (int i = 0; i < doubled[0].length; i++) {
            for (double[] row : doubled) {
                row[i] *= 2;
            }
            for (double[] row : shifted) {
                row[i] += 0.3;
            }
        }
        assertTrue(NuclearNormCrossEntropyTest.nuclear(doubled) >= s.dualBound());
        assertTrue(NuclearNormCrossEntropyTest.nuclear(shifted) >= s.dualBound());
        assertTrue(NuclearNormCrossEntropyTest.nuclear(shifted) > s.nuclearNorm() + 1e-3);
        // a too-small iteration budget is reported as not converged
        NuclearNormSvmSolution early = NuclearNormSvm.solve(sizes,
                new NuclearNormSvm.Options(ConvexForm.CLASS_LEVEL, 1e-15, 3), randomStart(sizes, ConvexForm.CLASS_LEVEL, 3));
        assertTrue(!early.converged());
    }

    @Test
    void rejectsBadInputsWithMessages() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NuclearNormSvm.solve(null));
        assertEquals("class sizes are required", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> NuclearNormSvm.solve(ClassSizes.of(3, 2),
                NuclearNormSvm.Options.defaults(), new double[3][3]));
        assertEquals("start must be a 2x2 matrix, got 3x3", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new NuclearNormSvm.Options(ConvexForm.FULL, -1, 10));
        assertEquals("gap tolerance must be a finite number > 0, got -1.0", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new NuclearNormSvm.Options(null, 1e-9, 10));
        assertEquals("the convex form is required", e.getMessage());
    }
}
