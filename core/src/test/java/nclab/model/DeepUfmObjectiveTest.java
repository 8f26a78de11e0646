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
import nclab.linalg.Linalg;
import nclab.model.DeepUfmObjective.Activation;
import nclab.theory.DeepUfmGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeepUfmObjectiveTest {
    private static final ClassSizes TINY = ClassSizes.of(3, 2, 2);

    private static double[] random(SplittableRandom r, int len, double std) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = std * r.nextGaussian();
        }
        return x;
    }

    private static double[][] times(double[][] w, double[][] h, boolean relu) {
        double[][] out = Linalg.array(Linalg.multiply(Linalg.matrix(w), Linalg.matrix(h)));
        if (relu) {
            for (double[] row : out) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = Math.max(0, row[j]);
                }
            }
        }
        return out;
    }

    /** Eq. (1)–(2) computed column-wise as the paper writes it: H_1 = Hᵀ (d×N), H_{l+1} = W_l σ(H_l), σ skipped on H_1. */
    private static double referenceValue(DeepUfmObjective f, double[] x) {
        ParameterLayout layout = f.layout();
        boolean relu = f.activation() == Activation.RELU;
        double[][] h = Linalg.array(Linalg.transpose(Linalg.matrix(layout.get(x, "H"))));
        double reg = Math.pow(Linalg.frobenius(Linalg.matrix(h)), 2);
        for (int l = 1; l <= f.layers(); l++) {
            double[][] w = layout.get(x, "W" + l);
            reg += Math.pow(Linalg.frobenius(Linalg.matrix(w)), 2);
            h = times(w, h, relu && l < f.layers());
        }
        int k = f.sizes().k();
        double ce = 0;
        int col = 0;
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < f.sizes().count(c); i++, col++) {
                double sum = 0;
                for (int r = 0; r < k; r++) {
                    sum += Math.exp(h[r][col]);
                }
                ce += Math.log(sum) - h[c][col];
            }
        }
        return ce / col + f.lambda() / 2 * reg;
    }

    @ParameterizedTest
    @CsvSource({"1, LINEAR", "2, LINEAR", "3, LINEAR", "1, RELU", "2, RELU", "3, RELU", "4, RELU"})
    void valueIsEquation1AndGradientMatchesCentralDifferences(int layers, Activation activation) {
        DeepUfmObjective f = new DeepUfmObjective(TINY, 4, layers, 0.03, activation);
        SplittableRandom r = new SplittableRandom(10L * layers + activation.ordinal());
        for (int trial = 0; trial < 3; trial++) {
            double[] x = random(r, f.layout().size(), 0.9);
            double ref = referenceValue(f, x);
            assertEquals(ref, f.value(x), 1e-13 * Math.max(1, ref));
            ModelGradientCheck.assertGradient(f, x, 1e-6);
        }
    }

    /** The K×d chain pass of the linear model and the layer-by-layer pass agree (value and gradient). */
    @ParameterizedTest
    @CsvSource({"1", "2", "3"})
    void linearChainAndLayeredPassesAgree(int layers) {
        DeepUfmObjective chain = new DeepUfmObjective(TINY, 5, layers, 0.02, Activation.LINEAR, true);
        DeepUfmObjective layered = new DeepUfmObjective(TINY, 5, layers, 0.02, Activation.LINEAR, false);
        double[] x = random(new SplittableRandom(layers), chain.layout().size(), 1);
        double[] g1 = new double[x.length];
        double[] g2 = new double[x.length];
        assertEquals(layered.valueAndGradient(x, g2), chain.valueAndGradient(x, g1), 1e-13);
        assertArrayEquals(g2, g1, 1e-13);
    }

    @Test
    void layoutAndInitialisation() {
        DeepUfmObjective f = new DeepUfmObjective(ClassSizes.balanced(4, 50), 40, 3, 0.01, Activation.RELU);
        assertEquals("deep-ufm", f.model());
        assertEquals(List.of("W1", "W2", "W3", "H"), f.layout().names());
        assertEquals(4, f.layout().block("W3").rows());
        assertEquals(40, f.layout().block("W1").rows());
        assertEquals(200, f.layout().block("H").rows());
        double[] x = f.initialPoint(new SplittableRandom(3));
        assertArrayEquals(x, f.initialPoint(new SplittableRandom(3)));
        int hOff = f.layout().block("H").offset();
        double bound = 1 / Math.sqrt(40);
        double var = 0;
        for (int i = 0; i < hOff; i++) {
            assertTrue(Math.abs(x[i]) <= bound, "torch-like uniform bound");
            var += x[i] * x[i];
        }
        assertEquals(bound * bound / 3, var / hOff, 0.05 * bound * bound / 3, "variance of U(-b, b)");
        double hVar = 0;
        for (int i = hOff; i < x.length; i++) {
            hVar += x[i] * x[i];
        }
        assertEquals(1, hVar / (x.length - hOff), 0.05, "H ~ N(0, 1)");
    }

    @ParameterizedTest
    @CsvSource({"LINEAR", "RELU"})
    void valueAndGradientAllocatesNothing(Activation activation) {
        DeepUfmObjective f = new DeepUfmObjective(ClassSizes.balanced(4, 5), 16, 3, 0.01, activation);
        double perCall = ModelGradientCheck.allocatedBytesPerCall(f, f.initialPoint(new SplittableRandom(1)));
        assertTrue(perCall < 16, "bytes allocated per call: " + perCall);
    }

    /** Numerical rank of the K×K class-mean logit matrix (relative threshold 1e−3, spec §5). */
    private static int meanLogitRank(DeepUfmObjective f, double[] x) {
        int k = f.sizes().k();
        int n = f.sizes().count(0);
        double[][] w = f.layout().get(x, "W1");
        double[][] h = Linalg.array(Linalg.transpose(Linalg.matrix(f.layout().get(x, "H"))));
        for (int l = 1; l <= f.layers(); l++) {
            h = times(f.layout().get(x, "W" + l), h, false);
        }
        double[][] mean = new double[k][k];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < k; r++) {
                    mean[r][c] += h[r][c * n + i] / n;
                }
            }
        }
        return Linalg.numericalRank(Linalg.singularValues(Linalg.matrix(mean)), 1e-3);
    }

    /**
     * Deep linear UFM, n = 5, d = 32, λ = 2^-8, lr 0.5, torch-like start: GD reaches a critical point (gradient norm
     * &lt; 1e−9) whose loss is one of the closed forms of {@link DeepUfmGeometry}, DNC or low rank ("pairs"), to 1e−10,
     * with the matching rank of the mean logits (K − 1 or ⌈K/2⌉). Which one is reached follows the spec's GD runs
     * (§7.3, K×L grid): K = 4, L = 2 gives DNC, the better structure there; K = 6, L = 3 gives pairs, the better
     * one; K = 4, L = 3 gives DNC although pairs is lower (DNC is a local minimum, Theorem 4).
     */
    @ParameterizedTest
    @CsvSource({"4, 2, 1, dnc", "4, 2, 2, dnc", "6, 3, 1, lowRank", "4, 3, 1, dnc"})
    void gradientDescentOnTheDeepLinearModelReachesAClosedFormCriticalPoint(int k, int layers, long seed, String expected) {
        ClassSizes sizes = ClassSizes.balanced(k, 5);
        double lambda = Math.pow(2, -8);
        DeepUfmGeometry theory = DeepUfmGeometry.of(sizes, layers, lambda);
        DeepUfmObjective f = new DeepUfmObjective(sizes, 32, layers, lambda, Activation.LINEAR);
        ModelDescent run = ModelDescent.run(f, f.initialPoint(new SplittableRandom(seed)), 0.5, false, 100_000, 1e-9);
        assertTrue(run.stationarity < 1e-9, "not converged: |grad| = " + run.stationarity + " after " + run.steps);
        double dnc = theory.dnc().loss();
        double lowRank = theory.lowRank().loss();
        assertTrue(Math.abs(dnc - lowRank) > 1e-4, "the two structures are distinguishable here");
        boolean isDnc = Math.abs(run.value - dnc) < Math.abs(run.value - lowRank);
        assertEquals(isDnc ? dnc : lowRank, run.value, 1e-10, "loss after " + run.steps + " steps");
        assertEquals(isDnc ? k - 1 : (k + 1) / 2, meanLogitRank(f, run.x), "rank of the mean logits");
        assertEquals(expected, isDnc ? "dnc" : "lowRank", "structure reached; losses: DNC " + dnc + ", low rank " + lowRank);
    }

    @Test
    void theoryParametersGiveLayersAndLambda() {
        DeepUfmObjective f = DeepUfmObjective.of(
                new TheoryParameters(TINY, null, null, 0.01, null, null, null, null, false), 4, Activation.LINEAR);
        assertEquals(DeepUfmGeometry.DEFAULT_LAYERS, f.layers());
        assertEquals(0.01, f.lambda());
        assertEquals(3, DeepUfmObjective.of(
                new TheoryParameters(TINY, null, null, 0.01, null, null, null, 3, false), 4, Activation.RELU).layers());
        assertMessage("this model needs --lambda", () -> DeepUfmObjective.of(TheoryParameters.of(TINY), 4, Activation.LINEAR));
    }

    /** Minibatch contract: f_𝔅 with φ_i = CE_i + (Nλ/2)‖h_i‖² is unbiased, touches only its rows, FD-exact. */
    @ParameterizedTest
    @CsvSource({"1, LINEAR", "3, LINEAR", "1, RELU", "3, RELU"})
    void minibatchObjectiveIsUnbiasedAndTouchesOnlyItsRows(int layers, Activation activation) {
        DeepUfmObjective f = new DeepUfmObjective(TINY, 4, layers, 0.03, activation);
        double[] x = random(new SplittableRandom(layers), f.layout().size(), 0.9);
        assertEquals(7, f.samples());
        assertEquals(4, f.sampleWidth());
        assertEquals(f.layout().block("H").index(2, 0), f.sampleOffset(2));
        assertArrayEquals(new int[] {0, f.layout().block("H").offset()}, f.sharedRanges()[0]);
        MinibatchCheck.assertContract(f, f::batchValueAndGradient, 7, f.layout().block("H").offset(), 4, x);
        double perCall = MinibatchCheck.allocatedBytesPerCall(f::batchValueAndGradient, x, new int[] {3, 1, 3, 6});
        assertTrue(perCall < 16, "bytes allocated per batch call: " + perCall);
    }

    private static void assertMessage(String expected, Runnable r) {
        InvalidInputException e = assertThrows(InvalidInputException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void rejectsBadInputNamingIt() {
        assertMessage("number of layers L must be >= 1, got L = 0", () -> new DeepUfmObjective(TINY, 4, 0, 0.1, Activation.LINEAR));
        assertMessage("lambda must be a finite number > 0, got -1.0", () -> new DeepUfmObjective(TINY, 4, 2, -1, Activation.RELU));
        assertMessage("feature dimension d must be >= 1, got d = 0", () -> new DeepUfmObjective(TINY, 0, 2, 0.1, Activation.RELU));
        assertMessage("activation is required (linear or relu)", () -> new DeepUfmObjective(TINY, 4, 2, 0.1, null));
        assertMessage("activation must be linear or relu, got 'tanh'", () -> Activation.parse("tanh"));
        assertEquals(Activation.RELU, Activation.parse(" ReLU "));
    }
}
