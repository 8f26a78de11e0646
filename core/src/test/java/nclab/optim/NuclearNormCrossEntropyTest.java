package nclab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import nclab.metrics.GeometryDistance;
import nclab.theory.ClassGeometry;
import nclab.theory.Etf;
import nclab.theory.SeliGeometry;
import org.junit.jupiter.api.Test;

class NuclearNormCrossEntropyTest {
    private static final ClassSizes R10 = ClassSizes.of(10, 10, 1, 1);
    private static final ClassSizes R100 = ClassSizes.of(100, 100, 1, 1);

    static double maxAbsDiff(double[][] a, double[][] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i].length, b[i].length);
            for (int j = 0; j < a[i].length; j++) {
                m = Math.max(m, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return m;
    }

    /** The SEL matrix Y − 11ᵀ/K (K×N), written from Def. 2. */
    static double[][] selMatrix(ClassSizes sizes) {
        int k = sizes.k();
        double[][] z = new double[k][(int) sizes.total()];
        for (int c = 0, i = 0; c < k; c++) {
            for (int r = 0; r < sizes.count(c); r++, i++) {
                for (int a = 0; a < k; a++) {
                    z[a][i] = (a == c ? 1.0 : 0.0) - 1.0 / k;
                }
            }
        }
        return z;
    }

    static double nuclear(double[][] a) {
        double s = 0;
        for (double v : Linalg.singularValues(Linalg.matrix(a))) {
            s += v;
        }
        return s;
    }

    /** ‖A/‖A‖_* − B/‖B‖_*‖_F (Prop. 3). */
    static double nuclearNormalisedDistance(double[][] a, double[][] b) {
        double na = nuclear(a);
        double nb = nuclear(b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double e = a[i][j] / na - b[i][j] / nb;
                s += e * e;
            }
        }
        return Math.sqrt(s);
    }

    private static void assertCertified(NuclearNormCeSolution s) {
        NuclearNormCeCertificate c = s.certificate();
        assertTrue(s.converged(), () -> "not converged: " + c);
        assertTrue(c.dualityGap() <= 1e-10 * Math.max(1, c.primalObjective()) && c.dualityGap() >= -1e-12, c::toString);
        assertTrue(c.dualObjective() <= c.primalObjective() + 1e-12, c::toString);
        assertTrue(c.spectralViolation() <= 1e-8, c::toString);
        assertTrue(c.complementarityViolation() <= 1e-8, c::toString);
        assertTrue(c.proxGradientNorm() <= 1e-8, c::toString);
    }

    @Test
    void certificateIsTightAtConvergenceAndDetectsSuboptimalPoints() {
        for (double lambda : new double[] {2, 0.5, 0.1}) {
            NuclearNormCeSolution s = NuclearNormCrossEntropy.solve(R10, lambda);
            assertCertified(s);
            // a non-zero minimiser has ‖∇L‖_op = λ exactly (Lemma D.1)
            assertEquals(lambda, s.certificate().gradientSpectralNorm(), 1e-8);
            // the certificate is not blind: perturbing the solution opens the gap and the KKT residuals
            double[][] x = s.columns();
            x[0][1] += 0.05;
            NuclearNormCeCertificate off = NuclearNormCrossEntropy.certify(R10, ConvexForm.CLASS_LEVEL, lambda, x);
            assertTrue(off.dualityGap() > 1e-5, off::toString);
            assertTrue(off.proxGradientNorm() > 1e-3, off::toString);
            assertTrue(off.dualityGap() >= off.primalObjective() - s.objective() - 1e-12, off::toString);
        }
    }

    /**
     * Spec 000 §7.2 table (the spec author's numpy FISTA, unnormalised λ, k = 4, ρ = 1/2, n_min = 1) and the
     * Theorem 2 check of spec §9.11 (2‖Ẑ_λ‖_* = 35.347378 at R = 10, λ = 0.5).
     */
    @Test
    void reproducesTheSpecRegularisationPathTable() {
        double[][] r10 = {
            // λ, ‖Ẑ‖_*, dSELI W, M, logits, min margin, nuclear-normalised distance to Z
            {2, 5.0360, 0.61033, 1.16143, 0.86326, 0, 0.56561},
            {0.49, 17.8326, 0.21642, 0.43452, 0.34421, 1.3667, 0.16179},
            {0.1, 29.1247, 0.13473, 0.23395, 0.20123, 3.2496, 0.09842},
            {1e-2, 44.2879, 0.09220, 0.15310, 0.13622, 5.5907, 0.06686},
            {1e-3, 59.2798, 0.07064, 0.11515, 0.10430, 7.8864, 0.05107},
        };
        checkTable(R10, r10);
        double[][] r100 = {
            {0.49, 72.7054, 0.18715, 0.50600, 0.45659, 1.2100, 0.14715},
            {1e-2, 144.1830, 0.09898, 0.14190, 0.22441, 5.3950, 0.07469},
        };
        checkTable(R100, r100);
        assertEquals(35.347378, 2 * NuclearNormCrossEntropy.solve(R10, 0.5).nuclearNorm(), 1e-6);
    }

    private static void checkTable(ClassSizes sizes, double[][] rows) {
        SeliGeometry seli = SeliGeometry.of(sizes);
        double[][] sel = selMatrix(sizes);
        for (double[] row : rows) {
            NuclearNormCeSolution s = NuclearNormCrossEntropy.solve(sizes, row[0]);
            assertCertified(s);
            String at = sizes + " λ=" + row[0];
            assertEquals(row[1], s.nuclearNorm(), 1e-4, at);
            GeometryDistance.Distances d = GeometryDistance.Distances.between(s.geometry(), seli.geometry());
            assertEquals(row[2], d.classifier(), 1e-4, at);
            assertEquals(row[3], d.embedding(), 1e-4, at);
            assertEquals(row[4], d.logits(), 1e-4, at);
            assertEquals(row[5], Math.max(0, s.minMargin()), 1e-3, at);
            assertEquals(row[6], nuclearNormalisedDistance(s.logits(), sel), 1e-4, at);
        }
    }

    @Test
    void classLevelReductionEqualsTheFullKxNSolve() {
        for (ClassSizes sizes : new ClassSizes[] {R10, ClassSizes.of(3, 2, 1)}) {
            for (double lambda : new double[] {0.3, 0.05}) {
                NuclearNormCeSolution reduced = NuclearNormCrossEntropy.solve(sizes, lambda);
                NuclearNormCeSolution full = NuclearNormCrossEntropy.solve(sizes, lambda,
                        NuclearNormCrossEntropy.Options.defaults().withForm(ConvexForm.FULL));
                assertCertified(full);
                assertEquals(ConvexForm.FULL, full.form());
                assertEquals((int) sizes.total(), full.columns()[0].length);
                assertTrue(maxAbsDiff(reduced.logits(), full.logits()) < 1e-6, sizes + " λ=" + lambda);
                assertEquals(reduced.objective(), full.objective(), 1e-9);
                assertTrue(maxAbsDiff(reduced.geometry().classifierGram(), full.geometry().classifierGram()) < 1e-6);
                assertTrue(maxAbsDiff(reduced.geometry().meanGram(), full.geometry().meanGram()) < 1e-6);
            }
        }
    }

    /**
     * Theorem 2: gradient descent on the non-convex ridge UFM (1) from a random start lands on Ẑ_λ, with
     * ‖W‖² + ‖H‖² = 2‖Ẑ_λ‖_* and the eq. (8) classifier Gram.
     */
    @Test
    void ridgeUfmGradientDescentLandsOnTheConvexSolution() {
        double lambda = 0.5;
        NuclearNormCeSolution s = NuclearNormCrossEntropy.solve(R10, lambda);
        for (long seed : new long[] {1, 2}) {
            RidgeUfmDescent gd = RidgeUfmDescent.run(R10, 5, lambda, lambda, false, 0.1, 10_000, seed);
            assertTrue(gd.gradientNorm < 1e-9, "GD did not converge: |grad| = " + gd.gradientNorm);
            assertTrue(maxAbsDiff(gd.logits(), s.logits()) < 1e-7);
            double norms = RidgeUfmDescent.squaredNorm(gd.w) + RidgeUfmDescent.squaredNorm(gd.h);
            assertEquals(2 * s.nuclearNorm(), norms, 1e-7);
            assertTrue(maxAbsDiff(gd.classifierGram(), s.geometry().classifierGram()) < 1e-7);
        }
    }

    /**
     * The documented correspondence for the experiments' mean loss with two ridge parameters:
     * (1/N)L + (λ_W/2)‖W‖² + (λ_H/2)‖H‖² ↔ eq. (7) at λ = N·√(λ_Wλ_H), factors rebalanced by (λ_W/λ_H)^{1/4}.
     */
    @Test
    void meanLossWithTwoRidgeParametersMatchesTheEquivalentLambda() {
        ClassSizes sizes = ClassSizes.of(6, 6, 2, 2);
        double lambdaW = 0.02;
        double lambdaH = 0.005;
        double lambda = NuclearNormCrossEntropy.equivalentLambda(sizes.total(), lambdaW, lambdaH, true);
        assertEquals(16 * 0.01, lambda, 1e-15);
        NuclearNormCeSolution s = NuclearNormCrossEntropy.solve(sizes, lambda);
        RidgeUfmDescent gd = RidgeUfmDescent.run(sizes, 5, lambdaW, lambdaH, true, 1, 10_000, 3);
        assertTrue(gd.gradientNorm < 1e-9, "GD did not converge: |grad| = " + gd.gradientNorm);
        assertTrue(maxAbsDiff(gd.logits(), s.logits()) < 1e-6);
        UfmFactors f = s.factors(5, lambdaW, lambdaH);
        assertEquals(RidgeUfmDescent.squaredNorm(gd.w), f.classifierNormSquared(), 1e-6);
        assertEquals(RidgeUfmDescent.squaredNorm(gd.h), f.featureNormSquared(), 1e-6);
        assertTrue(maxAbsDiff(gd.classifierGram(), gramOf(f.w())) < 1e-6);
        // the mean-loss entry point gives the same minimiser in eq. (7) units
        NuclearNormCeSolution mean = NuclearNormCrossEntropy.solveMeanLoss(sizes, Math.sqrt(lambdaW * lambdaH),
                NuclearNormCrossEntropy.Options.defaults());
        assertEquals(lambda, mean.lambda(), 1e-15);
        assertTrue(maxAbsDiff(mean.logits(), s.logits()) < 1e-8);
        assertEquals(Math.sqrt(lambdaW * lambdaH),
                NuclearNormCrossEntropy.equivalentLambda(sizes.total(), lambdaW, lambdaH, false), 1e-15);
    }

    private static double[][] gramOf(double[][] w) {
        double[][] g = new double[w.length][w.length];
        for (int a = 0; a < w.length; a++) {
            for (int b = 0; b < w.length; b++) {
                for (int q = 0; q < w[a].length; q++) {
                    g[a][b] += w[a][q] * w[b][q];
                }
            }
        }
        return g;
    }

    @Test
    void eq8FactorsReproduceTheLogitsAndBalanceTheNorms() {
        NuclearNormCeSolution s = NuclearNormCrossEntropy.solve(R10, 0.1);
        assertEquals(3, s.rank());
        UfmFactors f = s.factors(6);
        assertEquals(6, f.dimension());
        assertEquals(4, f.w().length);
        assertEquals(22, f.h().length);
        assertTrue(maxAbsDiff(f.logits(), s.logits()) < 1e-12);
        assertEquals(s.nuclearNorm(), f.classifierNormSquared(), 1e-10);
        assertEquals(s.nuclearNorm(), f.featureNormSquared(), 1e-10);
        // W1 = 0 at stationary points (Remark 4.1) and 1ᵀẐ = 0 (Lemma D.1)
        double[][] w = f.w();
        for (int q = 0; q < 6; q++) {
            double sum = 0;
            for (double[] row : w) {
                sum += row[q];
            }
            assertEquals(0, sum, 1e-9);
        }
        double[][] z = s.logits();
        for (int i = 0; i < z[0].length; i++) {
            double sum = 0;
            for (double[] row : z) {
                sum += row[i];
            }
            assertEquals(0, sum, 1e-9);
        }
    }

    /** Lemma D.3: Ẑ_λ = 0 iff λ ≥ ‖Z‖_2, which is √R for STEP sizes with two majority classes. */
    @Test
    void solutionVanishesExactlyAboveTheSpectralNormOfTheSelMatrix() {
        for (ClassSizes sizes : new ClassSizes[] {R10, R100}) {
            double threshold = Math.sqrt(sizes.imbalanceRatio());
            NuclearNormCeSolution above = NuclearNormCrossEntropy.solve(sizes, threshold * 1.001);
            assertCertified(above);
            assertEquals(0, above.rank());
            assertEquals(0, above.nuclearNorm(), 0);
            NuclearNormCeSolution below = NuclearNormCrossEntropy.solve(sizes, threshold * 0.999);
            assertCertified(below);
            assertTrue(below.nuclearNorm() > 1e-4, () -> "nuclear norm " + below.nuclearNorm());
        }
    }

    /** Balanced sizes (Cor 1.3): the normalised Grams equal the simplex ETF for every λ below the threshold. */
    @Test
    void balancedSizesGiveTheEtfForEveryLambda() {
        for (ClassSizes sizes : new ClassSizes[] {ClassSizes.balanced(4, 5), ClassSizes.balanced(3, 2)}) {
            double[][] etf = Etf.gram(sizes.k());
            for (double lambda : new double[] {1.2, 0.3, 0.02}) {
                NuclearNormCeSolution s = NuclearNormCrossEntropy.solve(sizes, lambda);
                assertCertified(s);
                ClassGeometry g = s.geometry();
                assertEquals(0, GeometryDistance.normalisedFrobenius(g.classifierGram(), etf), 1e-9);
                assertEquals(0, GeometryDistance.normalisedFrobenius(g.meanGram(), etf), 1e-9);
                assertEquals(0, GeometryDistance.normalisedFrobenius(g.logits(), etf), 1e-9);
            }
        }
    }

    /**
     * Prop. 1–3 and Fig. 4: for imbalanced sizes the normalised solution is never exactly SEL/SELI but approaches it
     * monotonically as λ → 0; the minimum margin is positive for λ &lt; 1/2 (Lemma D.4) and grows; larger R
     * converges more slowly.
     */
    @Test
    void regularisationPathApproachesTheSelMatrixMonotonically() {
        double[] lambdas = {0.49, 0.1, 1e-2, 1e-3};
        NuclearNormCrossEntropy.Options options = NuclearNormCrossEntropy.Options.defaults();
        List<NuclearNormCeSolution> path = NuclearNormCrossEntropy.path(R10, lambdas, options);
        double[][] sel = selMatrix(R10);
        SeliGeometry seli = SeliGeometry.of(R10);
        double previousLogit = Double.POSITIVE_INFINITY;
        double previousW = Double.POSITIVE_INFINITY;
        double previousMargin = 0;
        for (NuclearNormCeSolution s : path) {
            assertCertified(s);
            double dz = nuclearNormalisedDistance(s.logits(), sel);
            double dw = GeometryDistance.normalisedFrobenius(s.geometry().classifierGram(), seli.geometry().classifierGram());
            assertTrue(dz > 1e-3 && dz < previousLogit, "λ=" + s.lambda() + " distance " + dz);
            assertTrue(dw > 1e-3 && dw < previousW, "λ=" + s.lambda() + " distance " + dw);
            assertTrue(s.minMargin() > previousMargin, "λ=" + s.lambda() + " margin " + s.minMargin());
            previousLogit = dz;
            previousW = dw;
            previousMargin = s.minMargin();
        }
        assertEquals(0.05107, previousLogit, 1e-4); // spec §7.2, λ = 1e-3
        // the path with warm starts equals cold solves
        NuclearNormCeSolution cold = NuclearNormCrossEntropy.solve(R10, 1e-2);
        assertTrue(maxAbsDiff(cold.logits(), path.get(2).logits()) < 1e-6);
        // larger R: farther from SEL at the same λ
        NuclearNormCeSolution r100 = NuclearNormCrossEntropy.solve(R100, 1e-2);
        assertTrue(nuclearNormalisedDistance(r100.logits(), selMatrix(R100)) > nuclearNormalisedDistance(cold.logits(), sel));
    }

    @Test
    void rejectsBadInputsWithMessages() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NuclearNormCrossEntropy.solve(R10, 0));
        assertEquals("lambda must be a finite number > 0, got 0.0", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> NuclearNormCrossEntropy.solve(R10, -0.5));
        assertEquals("lambda must be a finite number > 0, got -0.5", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> NuclearNormCrossEntropy.solve(R10, Double.NaN));
        assertEquals("lambda must be a finite number > 0, got NaN", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> NuclearNormCrossEntropy.solve(null, 0.1));
        assertEquals("class sizes are required", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> NuclearNormCrossEntropy.solveMeanLoss(R10, -1,
                NuclearNormCrossEntropy.Options.defaults()));
        assertEquals("lambda must be a finite number > 0, got -1.0", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> NuclearNormCrossEntropy.equivalentLambda(22, -1, 1, true));
        assertEquals("lambda-w must be a finite number > 0, got -1.0", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> NuclearNormCrossEntropy.Options.defaults().withGapTolerance(0));
        assertEquals("gap tolerance must be a finite number > 0, got 0.0", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> NuclearNormCrossEntropy.Options.defaults().withKktTolerance(-1));
        assertEquals("KKT tolerance must be a finite number > 0, got -1.0", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> NuclearNormCrossEntropy.Options.defaults().withMaxIterations(0));
        assertEquals("iteration budget must be >= 1, got 0", e.getMessage());
        NuclearNormCeSolution s = NuclearNormCrossEntropy.solve(R10, 0.5);
        e = assertThrows(InvalidInputException.class, () -> s.factors(2));
        assertEquals("feature dimension d = 2 is smaller than rank(Z) = 3", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> NuclearNormCrossEntropy.solve(R100, 0.5,
                NuclearNormCrossEntropy.Options.defaults(), s));
        assertEquals("warm start was solved for [10, 10, 1, 1] (CLASS_LEVEL), not for [100, 100, 1, 1] (CLASS_LEVEL)",
                e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> NuclearNormCrossEntropy.path(R10, new double[] {0.1, -2},
                NuclearNormCrossEntropy.Options.defaults()));
        assertEquals("lambda must be a finite number > 0, got -2.0", e.getMessage());
    }

    /** Not converging within the budget is reported, not hidden. */
    @Test
    void reportsNonConvergence() {
        NuclearNormCeSolution s = NuclearNormCrossEntropy.solve(R10, 1e-3,
                NuclearNormCrossEntropy.Options.defaults().withMaxIterations(20));
        assertEquals(20, s.iterations());
        assertTrue(!s.converged());
        NuclearNormCeCertificate c = s.certificate();
        assertTrue(c.dualityGap() > NuclearNormCrossEntropy.DEFAULT_GAP_TOLERANCE
                || c.proxGradientNorm() > NuclearNormCrossEntropy.DEFAULT_KKT_TOLERANCE, c::toString);
        // the gap still bounds the suboptimality
        double optimum = NuclearNormCrossEntropy.solve(R10, 1e-3).objective();
        assertTrue(c.primalObjective() - optimum <= c.dualityGap() + 1e-12, c::toString);
        assertTrue(c.primalObjective() - optimum > 1e-9, c::toString);
    }
}
