package nclab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.theory.TheoryParameters;
import nclab.theory.LayerPeeledGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayerPeeledObjectiveTest {
    private static final ClassSizes IMBALANCED = ClassSizes.of(6, 6, 2, 2);

    private static double[] random(SplittableRandom r, int len, double std) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = std * r.nextGaussian();
        }
        return x;
    }

    /** Eq. 18 written out: majority samples weight 1, minority samples weight w_r, divided by N'. */
    private static double referenceValue(LayerPeeledObjective f, double[] x) {
        double[][] w = f.layout().get(x, "W");
        double[][] h = f.layout().get(x, "H");
        ClassSizes sizes = f.sizes();
        int k = sizes.k();
        int minSize = sizes.min();
        boolean balanced = sizes.isBalanced();
        double sum = 0;
        double nPrime = 0;
        int row = 0;
        for (int c = 0; c < k; c++) {
            double weight = !balanced && sizes.count(c) == minSize ? f.oversample() : 1;
            for (int i = 0; i < sizes.count(c); i++, row++) {
                double[] z = new double[k];
                double norm = 0;
                for (int j = 0; j < k; j++) {
                    for (int t = 0; t < h[row].length; t++) {
                        z[j] += w[j][t] * h[row][t];
                    }
                    norm += Math.exp(z[j]);
                }
                sum += weight * (Math.log(norm) - z[c]);
                nPrime += weight;
            }
        }
        return sum / nPrime;
    }

    @ParameterizedTest
    @CsvSource({"1", "3", "2.5"})
    void valueIsEquation18AndGradientMatchesCentralDifferences(double oversample) {
        LayerPeeledObjective f = new LayerPeeledObjective(IMBALANCED, 5, 1, 5, oversample);
        SplittableRandom r = new SplittableRandom(Double.doubleToLongBits(oversample));
        for (int trial = 0; trial < 3; trial++) {
            double[] x = random(r, f.layout().size(), 0.8);
            assertEquals(referenceValue(f, x), f.value(x), 1e-14 * Math.max(1, f.value(x)));
            ModelGradientCheck.assertGradient(f, x, 1e-6);
        }
    }

    @Test
    void balancedSizesHaveNoMinorityWeighting() {
        LayerPeeledObjective plain = new LayerPeeledObjective(ClassSizes.balanced(3, 4), 3, 1, 2, 1);
        LayerPeeledObjective oversampled = new LayerPeeledObjective(ClassSizes.balanced(3, 4), 3, 1, 2, 7);
        double[] x = random(new SplittableRandom(4), plain.layout().size(), 1);
        assertEquals(plain.value(x), oversampled.value(x), 0.0);
        assertEquals(referenceValue(plain, x), plain.value(x), 1e-14);
    }

    /**
     * The projection is the Euclidean projection onto the feasible set: feasible points stay, the image is
     * feasible with the violated constraints active, it is idempotent, and the variational inequality
     * ⟨x − P(x), y − P(x)⟩ ≤ 0 holds for random feasible y (which also makes P(x) the closest feasible point).
     */
    @ParameterizedTest
    @CsvSource({"6, 6, 2, 2", "5, 1, 3, 3", "4, 4, 4, 4"})
    void projectionIsTheEuclideanProjection(int n1, int n2, int n3, int n4) {
        LayerPeeledObjective f = new LayerPeeledObjective(ClassSizes.of(n1, n2, n3, n4), 4, 1.5, 2, 1);
        SplittableRandom r = new SplittableRandom(n1 * 31L + n2);
        for (int trial = 0; trial < 20; trial++) {
            double[] x = random(r, f.layout().size(), trial % 2 == 0 ? 3 : 0.2);
            double[] before = f.constraintValues(x);
            double[] p = x.clone();
            f.project(p);
            double[] after = f.constraintValues(p);
            assertTrue(after[0] <= 1.5 * (1 + 1e-14) && after[1] <= 2 * (1 + 1e-14), "feasible");
            if (before[0] > 1.5) {
                assertEquals(1.5, after[0], 1e-13, "W constraint active");
            }
            if (before[1] > 2) {
                assertEquals(2, after[1], 1e-12, "H constraint active");
            }
            if (before[0] <= 1.5 && before[1] <= 2) {
                assertArrayEquals(x, p, 0.0, "feasible point unchanged");
            }
            double[] again = p.clone();
            f.project(again);
            assertArrayEquals(p, again, 1e-14, "idempotent");
            double dist = distance(x, p);
            for (int probe = 0; probe < 100; probe++) {
                // half the probes are global, half are feasible points next to P(x) (they see a wrong normal)
                double[] y = random(r, x.length, probe % 2 == 0 ? 1 : 1e-3);
                if (probe % 2 == 1) {
                    for (int i = 0; i < x.length; i++) {
                        y[i] += p[i];
                    }
                }
                f.project(y);
                double vi = 0;
                for (int i = 0; i < x.length; i++) {
                    vi += (x[i] - p[i]) * (y[i] - p[i]);
                }
                assertTrue(vi <= 1e-13 * Math.max(1, dist), "variational inequality " + vi);
                assertTrue(distance(x, y) >= dist - 1e-12, "a feasible point closer than P(x)");
            }
        }
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @Test
    void layoutAndInitialPointOnTheConstraintBoundary() {
        LayerPeeledObjective f = new LayerPeeledObjective(IMBALANCED, 8, 1, 5, 1);
        assertEquals("lpm", f.model());
        assertEquals(List.of("W", "H"), f.layout().names());
        assertEquals(4, f.layout().block("W").rows());
        assertEquals(16, f.layout().block("H").rows());
        double[] x = f.initialPoint(new SplittableRandom(9));
        assertArrayEquals(x, f.initialPoint(new SplittableRandom(9)));
        assertArrayEquals(new double[] {1, 5}, f.constraintValues(x), 1e-13);
    }

    @Test
    void valueAndGradientAllocatesNothing() {
        LayerPeeledObjective f = new LayerPeeledObjective(IMBALANCED, 8, 1, 5, 2);
        double perCall = ModelGradientCheck.allocatedBytesPerCall(f, f.initialPoint(new SplittableRandom(1)));
        assertTrue(perCall < 16, "bytes allocated per call: " + perCall);
    }

    private static ModelDescent descend(LayerPeeledObjective f, long seed) {
        ModelDescent run = ModelDescent.run(f, f.initialPoint(new SplittableRandom(seed)), 1, true, 100_000, 1e-10);
        assertTrue(run.stationarity < 1e-10, "not converged: " + run.stationarity + " after " + run.steps);
        return run;
    }

    private static double[][] classifierGram(LayerPeeledObjective f, double[] x) {
        double[][] w = f.layout().get(x, "W");
        double[][] g = new double[w.length][w.length];
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w.length; j++) {
                for (int t = 0; t < w[i].length; t++) {
                    g[i][j] += w[i][t] * w[j][t];
                }
            }
        }
        return g;
    }

    /**
     * Balanced K = 4 (Theorem 1): projected gradient on the per-sample model reaches the closed form
     * log(1 + (K−1)e^{−K√(E_H E_W)/(K−1)}) and the simplex ETF (cosines −1/(K−1), ‖w_k‖² = E_W).
     */
    @Test
    void balancedProjectedGradientReachesTheorem1() {
        int k = 4;
        LayerPeeledObjective f = new LayerPeeledObjective(ClassSizes.balanced(k, 3), 2 * k, 1, 5, 1);
        ModelDescent run = descend(f, 1);
        double optimum = Math.log(1 + (k - 1) * Math.exp(-k * Math.sqrt(5.0) / (k - 1)));
        assertEquals(optimum, run.value, 1e-10);
        double[][] g = classifierGram(f, run.x);
        for (int i = 0; i < k; i++) {
            assertEquals(1, g[i][i], 1e-6, "‖w_k‖² = E_W");
            for (int j = 0; j < k; j++) {
                if (i != j) {
                    assertEquals(-1.0 / (k - 1), g[i][j] / Math.sqrt(g[i][i] * g[j][j]), 1e-6);
                }
            }
        }
    }

    /**
     * K_A = K_B = 2 at R = 3, without oversampling and with w_r = 3 on R = 9 (effective ratio 3, Proposition 1):
     * projected gradient on the non-convex per-sample model (d = 2K) from two random starts reaches the optimum of
     * the convex program of {@link LayerPeeledGeometry} to 1e−12 (relative; measured ≤ 1e−15) and its minority
     * cosine (−0.19495) to 1e−7.
     */
    @ParameterizedTest
    @CsvSource({"6, 2, 1", "9, 1, 3"})
    void projectedGradientReachesTheConvexOptimum(int nA, int nB, double oversample) {
        ClassSizes sizes = ClassSizes.of(nA, nA, nB, nB);
        LayerPeeledGeometry lpm = LayerPeeledGeometry.solve(sizes, 1, 5, oversample);
        assertTrue(lpm.certificate().converged());
        double cos = lpm.minorityCosine();
        assertTrue(cos > -1.0 / 3 + 0.05 && cos < 0.99, "a point between the ETF and minority collapse: " + cos);
        LayerPeeledObjective f = new LayerPeeledObjective(sizes, 8, 1, 5, oversample);
        for (long seed = 1; seed <= 2; seed++) {
            ModelDescent run = descend(f, seed);
            assertEquals(lpm.objective(), run.value, 1e-12 * lpm.objective(), "seed " + seed);
            double measured = LayerPeeledGeometry.meanPairwiseCosine(classifierGram(f, run.x), sizes.minorityClasses());
            assertEquals(cos, measured, 1e-7, "minority cosine, seed " + seed);
            assertArrayEquals(new double[] {1, 5}, f.constraintValues(run.x), 1e-10, "both constraints active");
        }
    }

    @Test
    void theoryParametersGiveTheSameDefaultsAsTheTheory() {
        LayerPeeledObjective f = LayerPeeledObjective.of(TheoryParameters.of(IMBALANCED), 8);
        assertEquals(List.of(1.0, 5.0, 1.0), List.of(f.eW(), f.eH(), f.oversample()));
        LayerPeeledObjective g = LayerPeeledObjective.of(
                new TheoryParameters(IMBALANCED, null, null, null, 2.0, 3.0, 4.0, null, false), 8);
        assertEquals(List.of(2.0, 3.0, 4.0), List.of(g.eW(), g.eH(), g.oversample()));
    }

    /** Minibatch contract: φ_i = (N ω_i/N') CE_i is unbiased (with oversampling), touches only its rows, FD-exact. */
    @ParameterizedTest
    @CsvSource({"1", "3"})
    void minibatchObjectiveIsUnbiasedAndTouchesOnlyItsRows(double oversample) {
        LayerPeeledObjective f = new LayerPeeledObjective(IMBALANCED, 5, 1, 5, oversample);
        double[] x = random(new SplittableRandom(3), f.layout().size(), 0.8);
        int hOffset = f.layout().block("H").offset();
        assertEquals(16, f.samples());
        assertEquals(hOffset + 10, f.sampleOffset(2));
        assertArrayEquals(new int[] {0, 20}, f.sharedRanges()[0]);
        MinibatchCheck.assertContract(f, f::batchValueAndGradient, 16, hOffset, 5, x);
        double perCall = MinibatchCheck.allocatedBytesPerCall(f::batchValueAndGradient, x, new int[] {3, 1, 3, 15});
        assertTrue(perCall < 16, "bytes allocated per batch call: " + perCall);
        double[] p = x.clone();
        f.projectBatch(p, new int[] {0}, 0, 1);
        double[] q = x.clone();
        f.project(q);
        assertArrayEquals(q, p, 0.0);
    }

    private static void assertMessage(String expected, Runnable r) {
        InvalidInputException e = assertThrows(InvalidInputException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void rejectsBadInputNamingIt() {
        assertMessage("E_W must be a finite number > 0, got 0.0", () -> new LayerPeeledObjective(IMBALANCED, 4, 0, 5, 1));
        assertMessage("E_H must be a finite number > 0, got -5.0", () -> new LayerPeeledObjective(IMBALANCED, 4, 1, -5, 1));
        assertMessage("oversampling rate w_r must be a finite number >= 1, got 0.5",
                () -> new LayerPeeledObjective(IMBALANCED, 4, 1, 5, 0.5));
        assertMessage("feature dimension d must be >= K-1 = 3 for the lpm model, got d = 2",
                () -> new LayerPeeledObjective(IMBALANCED, 2, 1, 5, 1));
    }
}
