package nclab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UfmObjectiveTest {
    private static final ClassSizes SIZES = ClassSizes.of(3, 2, 4);

    private static UfmObjective ufm(boolean regularised, boolean bias, boolean nonNegative) {
        double lw = regularised ? 0.03 : 0;
        double lh = regularised ? 0.02 : 0;
        double lb = regularised && bias ? 0.05 : 0;
        return new UfmObjective(SIZES, 4, lw, lh, lb, bias, nonNegative, 0.7);
    }

    /** Central-difference gradient of {@code f} at x. */
    private static double[] numericalGradient(ToDoubleFunction<double[]> f, double[] x) {
        double[] g = new double[x.length];
        double[] y = x.clone();
        for (int i = 0; i < x.length; i++) {
            double h = 1e-5 * Math.max(1, Math.abs(x[i]));
            y[i] = x[i] + h;
            double fp = f.applyAsDouble(y);
            y[i] = x[i] - h;
            double fm = f.applyAsDouble(y);
            y[i] = x[i];
            g[i] = (fp - fm) / (2 * h);
        }
        return g;
    }

    private static double relativeError(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    @ParameterizedTest
    @CsvSource({"false,false,false", "false,false,true", "false,true,false", "false,true,true",
            "true,false,false", "true,false,true", "true,true,false", "true,true,true"})
    void analyticGradientMatchesCentralDifferences(boolean regularised, boolean bias, boolean nonNegative) {
        UfmObjective f = ufm(regularised, bias, nonNegative);
        for (long seed = 1; seed <= 3; seed++) {
            double[] x = f.initialPoint(new SplittableRandom(seed));
            if (bias) {
                SplittableRandom r = new SplittableRandom(seed + 100);
                int ob = f.layout().block("b").offset();
                for (int c = 0; c < 3; c++) {
                    x[ob + c] = r.nextDouble(-1, 1);
                }
            }
            double[] grad = new double[x.length];
            double value = f.valueAndGradient(x, grad);
            assertEquals(f.value(x), value, 1e-13 * Math.abs(value));
            double err = relativeError(numericalGradient(f::value, x), grad);
            assertTrue(err < 1e-6, "relative gradient error " + err);
        }
    }

    @ParameterizedTest
    @CsvSource({"false,false", "true,false", "true,true"})
    void minibatchGradientMatchesCentralDifferencesAndTouchesOnlyItsRows(boolean regularised, boolean bias) {
        UfmObjective f = ufm(regularised, bias, false);
        double[] x = f.initialPoint(new SplittableRandom(7));
        int[] batch = {99, 4, 0, 4, 8, 99}; // [1, 5): samples 4, 0, 4 (duplicate), 8
        double[] grad = new double[x.length];
        java.util.Arrays.fill(grad, 7.0);
        double value = f.batchValueAndGradient(x, batch, 1, 5, grad);
        double[] probe = new double[x.length];
        double[] numeric = numericalGradient(y -> f.batchValueAndGradient(y, batch, 1, 5, probe), x);
        boolean[] touched = new boolean[x.length];
        for (int[] r : f.sharedRanges()) {
            for (int i = r[0]; i < r[0] + r[1]; i++) {
                touched[i] = true;
            }
        }
        for (int s : new int[] {4, 0, 8}) {
            for (int j = 0; j < 4; j++) {
                touched[f.sampleOffset(s) + j] = true;
            }
        }
        double[] analytic = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            if (touched[i]) {
                analytic[i] = grad[i];
            } else {
                assertEquals(7.0, grad[i], "untouched entry " + i + " was written");
                assertEquals(0.0, numeric[i], 1e-9, "entry " + i + " is outside the batch");
            }
        }
        assertTrue(relativeError(numeric, analytic) < 1e-6);
        // manual value: (1/B) Σ [CE_i + (N λ_H / 2) ‖h_i‖²] + λ_W/2 ‖W‖² + λ_b/2 ‖b‖²
        double expected = 0;
        for (int s : new int[] {4, 0, 4, 8}) {
            expected += crossEntropy(f, x, s) + 0.5 * 9 * f.lambdaH() * sq(x, f.sampleOffset(s), 4);
        }
        expected = expected / 4 + 0.5 * f.lambdaW() * sq(x, 0, 12)
                + (bias ? 0.5 * f.lambdaB() * sq(x, f.layout().block("b").offset(), 3) : 0);
        assertEquals(expected, value, 1e-12);
    }

    @Test
    void minibatchObjectiveIsUnbiasedOverAllBatches() {
        UfmObjective f = new UfmObjective(ClassSizes.of(2, 3), 3, 0.1, 0.2, 0.3, true, false, 1.0);
        double[] x = f.initialPoint(new SplittableRandom(3));
        double[] full = new double[x.length];
        double fx = f.valueAndGradient(x, full);
        double mean = 0;
        double[] meanGrad = new double[x.length];
        double[] g = new double[x.length];
        int count = 0;
        for (int a = 0; a < 5; a++) {
            for (int b = a + 1; b < 5; b++) {
                java.util.Arrays.fill(g, 0);
                mean += f.batchValueAndGradient(x, new int[] {a, b}, 0, 2, g);
                for (int i = 0; i < g.length; i++) {
                    meanGrad[i] += g[i];
                }
                count++;
            }
        }
        assertEquals(fx, mean / count, 1e-13);
        for (int i = 0; i < g.length; i++) {
            assertEquals(full[i], meanGrad[i] / count, 1e-13, "gradient entry " + i);
        }
    }

    @Test
    void valueAtZeroClassifierIsLogKPlusFeatureRidge() {
        UfmObjective f = new UfmObjective(ClassSizes.of(5, 1, 2), 3, 0.4, 0.25, false, false);
        double[] x = f.initialPoint(new SplittableRandom(11));
        java.util.Arrays.fill(x, 0, 9, 0.0);
        double h2 = sq(x, 9, 8 * 3);
        assertEquals(Math.log(3) + 0.125 * h2, f.value(x), 1e-14);
    }

    @Test
    void labelsAreClassMajorAndLayoutHasTheNamedBlocks() {
        UfmObjective f = new UfmObjective(SIZES, 4, 0, 0, true, false);
        int[] expected = {0, 0, 0, 1, 1, 2, 2, 2, 2};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], f.label(i));
        }
        assertEquals(java.util.List.of("W", "H", "b"), f.layout().names());
        assertEquals(3 * 4 + 9 * 4 + 3, f.layout().size());
        assertEquals(12 + 5 * 4, f.sampleOffset(5));
        assertEquals("ufm", f.model());
    }

    @Test
    void initialPointIsGaussianOfTheGivenScaleAndNonNegativeWhenRequired() {
        UfmObjective f = new UfmObjective(ClassSizes.balanced(4, 500), 8, 1e-3, 1e-3, 0, true, true, 0.5);
        double[] x = f.initialPoint(new SplittableRandom(5));
        assertArrayEquals(x, f.initialPoint(new SplittableRandom(5)));
        int off = f.sampleOffset(0);
        double s2 = 0;
        for (int i = off; i < off + 2000 * 8; i++) {
            assertTrue(x[i] >= 0);
            s2 += x[i] * x[i];
        }
        assertEquals(0.25, s2 / 16000, 0.01); // E|g|² = σ²
        double w2 = sq(x, 0, 32) / 32;
        assertTrue(w2 > 0.05 && w2 < 0.7, "W variance " + w2);
        assertEquals(0.0, x[x.length - 1]); // bias starts at 0
    }

    @Test
    void projectionClampsOnlyTheFeaturesOfTheNonNegativeModel() {
        UfmObjective f = new UfmObjective(SIZES, 4, 0.1, 0.1, false, true);
        double[] x = new double[f.layout().size()];
        java.util.Arrays.fill(x, -1.0);
        double[] y = x.clone();
        f.project(x);
        f.projectBatch(y, new int[] {2}, 0, 1);
        for (int i = 0; i < x.length; i++) {
            assertEquals(i < 12 ? -1.0 : 0.0, x[i]);
            boolean row2 = i >= f.sampleOffset(2) && i < f.sampleOffset(3);
            assertEquals(i < 12 || !row2 ? -1.0 : 0.0, y[i]);
        }
        UfmObjective plain = new UfmObjective(SIZES, 4, 0.1, 0.1, false, false);
        double[] z = new double[plain.layout().size()];
        java.util.Arrays.fill(z, -1.0);
        plain.project(z);
        assertTrue(java.util.Arrays.stream(z).allMatch(v -> v == -1.0));
    }

    @Test
    void rejectsBadInputsNamingTheValue() {
        ClassSizes four = ClassSizes.of(3, 3, 3, 3);
        assertEquals("the UFM (seed 000 Theorems 1-2) needs feature dimension d >= K-1 = 3, got d = 2",
                assertThrows(InvalidInputException.class, () -> new UfmObjective(four, 2, 0, 0, false, false)).getMessage());
        new UfmObjective(four, 3, 0, 0, false, false);
        assertEquals("the non-negative UFM (seed 001 Theorem 1) needs feature dimension d >= K = 4, got d = 3",
                assertThrows(InvalidInputException.class, () -> new UfmObjective(four, 3, 0.1, 0.1, false, true)).getMessage());
        assertEquals("lambdaW must be a finite number >= 0, got -0.001",
                assertThrows(InvalidInputException.class, () -> new UfmObjective(four, 4, -1e-3, 0, false, false)).getMessage());
        assertEquals("lambdaH must be a finite number >= 0, got NaN",
                assertThrows(InvalidInputException.class, () -> new UfmObjective(four, 4, 0, Double.NaN, false, false)).getMessage());
        assertEquals("lambdaB = 0.1 needs a bias (bias = false)",
                assertThrows(InvalidInputException.class, () -> new UfmObjective(four, 4, 0, 0, 0.1, false, false, 1)).getMessage());
        assertEquals("initScale must be a finite number > 0, got 0.0",
                assertThrows(InvalidInputException.class, () -> new UfmObjective(four, 4, 0, 0, 0, false, false, 0)).getMessage());
    }

    private static double crossEntropy(UfmObjective f, double[] x, int sample) {
        int k = f.sizes().k();
        int d = f.dimension();
        double[] z = new double[k];
        int ob = f.hasBias() ? f.layout().block("b").offset() : -1;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                z[c] += x[c * d + j] * x[f.sampleOffset(sample) + j];
            }
            z[c] += ob >= 0 ? x[ob + c] : 0;
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v);
        }
        return Math.log(sum) - z[f.label(sample)];
    }

    private static double sq(double[] x, int from, int len) {
        double s = 0;
        for (int i = from; i < from + len; i++) {
            s += x[i] * x[i];
        }
        return s;
    }
}
