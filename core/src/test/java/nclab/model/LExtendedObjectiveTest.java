package nclab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.theory.TheoryParameters;
import nclab.linalg.Linalg;
import nclab.theory.LExtendedGeometry;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LExtendedObjectiveTest {
    private static final ClassSizes TINY = ClassSizes.of(3, 2, 2);

    /** The spec §2.10 toy divided by 5 with every λ scaled by 5^{1/(L+1)} (same a_k, x_k): κ_3 collapses. */
    private static final ClassSizes SMALL = ClassSizes.of(40, 20, 10, 4);

    private static double[] toyLambdaW(int layers) {
        return switch (layers) {
            case 1 -> new double[] {0.02};
            case 2 -> new double[] {0.01, 0.02};
            default -> new double[] {0.01, 0.015, 0.012};
        };
    }

    private static double toyLambdaH(int layers) {
        return layers == 1 ? 0.015 : layers == 2 ? 0.0125 : 0.01;
    }

    private static double[] random(SplittableRandom r, int len, double std) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = std * r.nextGaussian();
        }
        return x;
    }

    /** f by the textbook formula with EJML products, Y built explicitly. */
    private static double referenceValue(LExtendedObjective f, double[] x) {
        ParameterLayout layout = f.layout();
        int layers = f.layers();
        DMatrixRMaj a = Linalg.matrix(layout.get(x, "W1"));
        for (int j = 2; j <= layers; j++) {
            a = Linalg.multiply(Linalg.matrix(layout.get(x, "W" + j)), a);
        }
        double[][] h = layout.get(x, "H");
        double[][] z = Linalg.array(Linalg.multiplyTransB(a, Linalg.matrix(h))); // K×N
        int k = f.sizes().k();
        double fit = 0;
        int col = 0;
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < f.sizes().count(c); i++, col++) {
                for (int r = 0; r < k; r++) {
                    double v = z[r][col] + (f.bias() ? x[layout.block("b").index(r, 0)] : 0) - (r == c ? 1 : 0);
                    fit += v * v;
                }
            }
        }
        double value = fit / (2 * col);
        double[] lw = f.lambdaW();
        for (int j = 1; j <= layers; j++) {
            value += lw[j - 1] / 2 * Math.pow(Linalg.frobenius(Linalg.matrix(layout.get(x, "W" + j))), 2);
        }
        return value + f.lambdaH() / 2 * Math.pow(Linalg.frobenius(Linalg.matrix(h)), 2);
    }

    @ParameterizedTest
    @CsvSource({"1, true", "2, true", "3, true", "1, false", "2, false", "3, false"})
    void valueIsEquation43AndGradientMatchesCentralDifferences(int layers, boolean bias) {
        double[] lw = Arrays.copyOf(new double[] {0.03, 0.05, 0.02}, layers);
        LExtendedObjective f = new LExtendedObjective(TINY, 4, lw, 0.04, bias);
        SplittableRandom r = new SplittableRandom(layers * 2L + (bias ? 1 : 0));
        for (int trial = 0; trial < 3; trial++) {
            double[] x = random(r, f.layout().size(), 0.8);
            assertEquals(referenceValue(f, x), f.value(x), 1e-13 * Math.max(1, referenceValue(f, x)));
            ModelGradientCheck.assertGradient(f, x, 1e-6);
        }
    }

    @Test
    void layoutHasOneBlockPerLayerThenFeaturesThenBias() {
        LExtendedObjective f = new LExtendedObjective(TINY, 5, 3, 0.01, 0.02, true);
        assertEquals("lext", f.model());
        assertEquals(List.of("W1", "W2", "W3", "H", "b"), f.layout().names());
        assertEquals(5, f.layout().block("W1").rows());
        assertEquals(3, f.layout().block("W3").rows());
        assertEquals(7, f.layout().block("H").rows());
        assertEquals(List.of("W1", "H"), new LExtendedObjective(TINY, 3, 1, 0.01, 0.02, false).layout().names());
    }

    @Test
    void initialPointHasTheRecommendedScaleAndIsReproducible() {
        LExtendedObjective f = new LExtendedObjective(SMALL, 64, 2, 0.01, 0.01, true);
        double[] x = f.initialPoint(new SplittableRandom(5));
        assertArrayEquals(x, f.initialPoint(new SplittableRandom(5)));
        int hEnd = f.layout().block("H").offset() + f.layout().block("H").size();
        double var = 0;
        for (int i = 0; i < hEnd; i++) {
            var += x[i] * x[i];
        }
        var /= hEnd;
        double expected = Math.pow(LExtendedObjective.DEFAULT_INIT_STD_TIMES_SQRT_D, 2) / 64;
        assertEquals(expected, var, 0.03 * expected);
        for (int i = hEnd; i < x.length; i++) {
            assertEquals(0.0, x[i], "b starts at 0");
        }
    }

    @Test
    void valueAndGradientAllocatesNothing() {
        LExtendedObjective f = new LExtendedObjective(SMALL, 16, 3, 0.01, 0.01, true);
        double[] x = f.initialPoint(new SplittableRandom(1));
        double perCall = ModelGradientCheck.allocatedBytesPerCall(f, x);
        assertTrue(perCall < 16, "bytes allocated per call: " + perCall);
    }

    private static void assertDescentReaches(LExtendedGeometry g, long seed) {
        int d = 32;
        LExtendedObjective f = new LExtendedObjective(g.sizes(), d, g.lambdaW(), g.lambdaH(), g.bias());
        double lr = g.layers() == 1 ? 1.0 : 0.5;
        ModelDescent run = ModelDescent.run(f, f.initialPoint(new SplittableRandom(seed)), lr, false, 10_000, 1e-11);
        double fStar = g.objective();
        assertTrue(run.value >= fStar - 1e-12, "below the global minimum: " + run.value + " < " + fStar);
        assertEquals(fStar, run.value, 1e-12, () -> "f after " + run.steps + " steps, |grad| " + run.stationarity);
        double[] sv = Linalg.singularValues(Linalg.matrix(f.product(run.x)));
        double[] predicted = g.productSingularValues();
        Arrays.sort(predicted);
        for (int i = 0; i < sv.length; i++) {
            assertEquals(predicted[predicted.length - 1 - i], sv[i], 1e-8, "sv_" + (i + 1) + "(W_L..W_1)");
        }
        if (g.bias()) {
            assertArrayEquals(g.optimalBias(), Arrays.stream(f.layout().get(run.x, "b")).mapToDouble(b -> b[0]).toArray(),
                    1e-8, "b* = n/N");
        }
    }

    /**
     * Theorem 4.3 (with bias) and its bias-free form: from the recommended start (std·√d = 1.6, d = 32) plain GD
     * reaches f* to 1e−12 (measured ≤ 1.2e−15) and the singular values of W_L⋯W_1 to
     * 1e−8 (measured ≤ 8e−10; L = 1 converges slowest), for L = 1, 2, 3 with per-layer λ's
     * (c ≠ 1) at a point where one direction collapses.
     */
    @ParameterizedTest
    @CsvSource({"1, true", "2, true", "3, true", "1, false", "2, false", "3, false"})
    void gradientDescentReachesTheorem43(int layers, boolean bias) {
        double s = Math.pow(5, 1.0 / (layers + 1));
        double[] lw = Arrays.stream(toyLambdaW(layers)).map(v -> v * s).toArray();
        LExtendedGeometry g = LExtendedGeometry.of(SMALL, lw, toyLambdaH(layers) * s, bias);
        assertTrue(g.collapsedDirections().length >= 1 && g.activeDirections().length >= 2, "a meaningful test point");
        assertDescentReaches(g, 11 + layers);
    }

    /** One shared λ_W (c = 1), the CLI route; κ_2 collapses besides the structural κ_3 = 0. */
    @Test
    void gradientDescentWithOneLambdaForAllLayers() {
        LExtendedGeometry g = LExtendedGeometry.of(ClassSizes.of(30, 20, 10), 2, 0.05, 0.05, true);
        assertArrayEquals(new int[] {1, 2}, g.collapsedDirections());
        assertDescentReaches(g, 3);
    }

    @Test
    void theoryParametersGiveOneLambdaPerLayer() {
        LExtendedObjective f = LExtendedObjective.of(
                new TheoryParameters(TINY, 0.02, 0.03, null, null, null, null, 3, true), 4);
        assertArrayEquals(new double[] {0.02, 0.02, 0.02}, f.lambdaW());
        assertEquals(0.03, f.lambdaH());
        assertTrue(f.bias());
        assertEquals(1, LExtendedObjective.of(new TheoryParameters(TINY, 0.02, 0.03, null, null, null, null, null, false), 4)
                .layers());
        assertMessage("this model needs --lambda-h", () -> LExtendedObjective.of(
                new TheoryParameters(TINY, 0.02, null, null, null, null, null, null, false), 4));
    }

    /** Minibatch contract: φ_i = ½‖A h_i + b − y_i‖² + (Nλ_H/2)‖h_i‖² is unbiased, touches only its rows, FD-exact. */
    @ParameterizedTest
    @CsvSource({"1, true", "3, true", "2, false"})
    void minibatchObjectiveIsUnbiasedAndTouchesOnlyItsRows(int layers, boolean bias) {
        double[] lw = Arrays.copyOf(new double[] {0.03, 0.05, 0.02}, layers);
        LExtendedObjective f = new LExtendedObjective(TINY, 4, lw, 0.04, bias);
        double[] x = random(new SplittableRandom(layers), f.layout().size(), 0.8);
        int hOffset = f.layout().block("H").offset();
        assertEquals(7, f.samples());
        assertEquals(hOffset + 8, f.sampleOffset(2));
        assertEquals(bias ? 2 : 1, f.sharedRanges().length);
        MinibatchCheck.assertContract(f, f::batchValueAndGradient, 7, hOffset, 4, x);
        double perCall = MinibatchCheck.allocatedBytesPerCall(f::batchValueAndGradient, x, new int[] {3, 1, 3, 6});
        assertTrue(perCall < 16, "bytes allocated per batch call: " + perCall);
    }

    private static void assertMessage(String expected, Runnable r) {
        InvalidInputException e = assertThrows(InvalidInputException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void rejectsBadInputNamingIt() {
        assertMessage("number of layers L must be >= 1, got L = 0", () -> new LExtendedObjective(TINY, 4, 0, 0.1, 0.1, true));
        assertMessage("lambda_W must be a finite number > 0, got -0.1",
                () -> new LExtendedObjective(TINY, 4, 1, -0.1, 0.1, true));
        assertMessage("lambda_W2 must be a finite number > 0, got NaN",
                () -> new LExtendedObjective(TINY, 4, new double[] {0.1, Double.NaN}, 0.1, true));
        assertMessage("lambda_H must be a finite number > 0, got 0.0", () -> new LExtendedObjective(TINY, 4, 2, 0.1, 0, true));
        assertMessage("feature dimension d must be >= K-1 = 2 for the lext model, got d = 1",
                () -> new LExtendedObjective(TINY, 1, 2, 0.1, 0.1, true));
        assertMessage("feature dimension d must be >= K = 3 for the lext model without bias, got d = 2",
                () -> new LExtendedObjective(TINY, 2, 2, 0.1, 0.1, false));
        assertMessage("init std must be a finite number > 0, got 0.0",
                () -> new LExtendedObjective(TINY, 4, 2, 0.1, 0.1, false).initialPoint(new SplittableRandom(1), 0));
    }
}
