package nclab.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks the seed-004 closed forms against independent computations: a test-side full-batch gradient
 * descent on the sample-level model (4.3), a brute-force scalar minimisation of the equivalent Schatten
 * problem, direct SVDs, numbers computed with numpy by the spec author (spec 004 §2.1, §2.8, §2.10) and the
 * balanced simplex-ETF / orthogonal-frame structure.
 */
class LExtendedGeometryTest {
    /** Toy problem of spec 004 §2.10. */
    private static final ClassSizes TOY = ClassSizes.of(200, 100, 50, 20);
    /** The toy divided by 5: GD is 5× cheaper; with all λ scaled by 5^{1/(L+1)} the a_k and x_k are unchanged. */
    private static final ClassSizes SMALL = ClassSizes.of(40, 20, 10, 4);

    private static double[] toyLambdaW(int layers) {
        return switch (layers) {
            case 1 -> new double[] {0.02};
            case 2 -> new double[] {0.01, 0.02};
            case 3 -> new double[] {0.01, 0.015, 0.012};
            default -> throw new IllegalArgumentException();
        };
    }

    private static double toyLambdaH(int layers) {
        return switch (layers) {
            case 1 -> 0.015;
            case 2 -> 0.0125;
            default -> 0.01;
        };
    }

    private static double smallScale(int layers) {
        return Math.pow(5, 1.0 / (layers + 1));
    }

    private static LExtendedGeometry small(int layers, boolean bias, double extraScale) {
        double s = smallScale(layers) * extraScale;
        double[] lw = Arrays.stream(toyLambdaW(layers)).map(v -> v * s).toArray();
        return LExtendedGeometry.of(SMALL, lw, toyLambdaH(layers) * s, bias);
    }

    private static LExtendedGeometry toy(int layers, boolean bias) {
        return LExtendedGeometry.of(TOY, toyLambdaW(layers), toyLambdaH(layers), bias);
    }

    // ---------------------------------------------------------------- target Ŷ

    @Test
    void centredTargetIsTheSvdOfTheCentredLabelMatrix() {
        LExtendedTarget t = LExtendedTarget.centred(TOY);
        assertArrayEquals(new double[] {11.7949226, 7.9617083, 4.9515683, 0}, t.kappa(), 1e-7);
        double[][] y = LExtendedTarget.centredMatrix(TOY);
        int k = TOY.k();
        double[] sqrtN = Arrays.stream(TOY.counts()).mapToDouble(Math::sqrt).toArray();
        for (int i = 0; i < k; i++) {
            double colSum = 0;
            double times = 0;
            for (int j = 0; j < k; j++) {
                colSum += y[j][i];
                times += y[i][j] * sqrtN[j];
                // Ŷ Ŷᵀ = diag(n) − n nᵀ/N, computed independently
                double yyT = 0;
                for (int m = 0; m < k; m++) {
                    yyT += y[i][m] * y[j][m];
                }
                double expected = (i == j ? TOY.count(i) : 0) - (double) TOY.count(i) * TOY.count(j) / TOY.total();
                assertEquals(expected, yyT, 1e-10);
            }
            assertEquals(0, colSum, 1e-12);
            assertEquals(0, times, 1e-12);
        }
        double[][] recon = t.compose(t.kappa());
        for (int i = 0; i < k; i++) {
            assertArrayEquals(y[i], recon[i], 1e-12);
            assertEquals(0.5, Math.abs(t.u()[i][k - 1]), 1e-12);
        }
        assertEquals(0.0, t.kappa()[k - 1]);
    }

    // ---------------------------------------------------------------- Theorem 4.4

    @Test
    void theorem44MatchesDirectSvdAndSpecVectors() {
        ClassSizes cifar = ClassSizes.of(500, 500, 400, 400, 300, 300, 200, 200, 100, 100);
        assertArrayEquals(new double[] {22.3606798, 21.2803479, 20, 18.4028188, 17.3205081, 15.0611095, 14.1421356,
            10.7228432, 10, 0}, GroupedTargetSpectrum.of(cifar).singularValues(), 1e-7);
        int[] emnist = new int[26];
        Arrays.fill(emnist, 0, 1, 1500);
        Arrays.fill(emnist, 1, 6, 600);
        Arrays.fill(emnist, 6, 26, 50);
        GroupedTargetSpectrum e = GroupedTargetSpectrum.of(ClassSizes.of(emnist));
        double[] k = e.singularValues();
        assertEquals(35.0978233, k[0], 1e-7);
        assertEquals(Math.sqrt(600), k[1], 1e-12);
        assertEquals(13.1410904, k[5], 1e-7);
        assertEquals(Math.sqrt(50), k[6], 1e-12);
        assertEquals(0, k[25], 1e-12);
        assertArrayEquals(e.groupSingularValues(), e.explicitGroupSingularValues(), 1e-9);

        int[] twoGroups = new int[10];
        Arrays.fill(twoGroups, 0, 3, 500);
        Arrays.fill(twoGroups, 3, 10, 50);
        GroupedTargetSpectrum two = GroupedTargetSpectrum.of(ClassSizes.of(twoGroups));
        assertEquals(11.6247639, two.groupSingularValues()[0], 1e-7);
        assertArrayEquals(two.groupSingularValues(), two.explicitGroupSingularValues(), 1e-10);

        Random rng = new Random(4);
        for (int trial = 0; trial < 40; trial++) {
            int m = 1 + rng.nextInt(5);
            int total = 0;
            int[] sizesPerGroup = new int[m];
            int[] ell = new int[m];
            for (int g = 0; g < m; g++) {
                sizesPerGroup[g] = (g == 0 ? 1000 : sizesPerGroup[g - 1]) - 1 - rng.nextInt(150);
                ell[g] = 1 + rng.nextInt(3);
                total += ell[g];
            }
            if (total < 2) {
                continue;
            }
            int[] counts = new int[total];
            int pos = 0;
            for (int g = 0; g < m; g++) {
                for (int c = 0; c < ell[g]; c++) {
                    counts[pos++] = sizesPerGroup[g];
                }
            }
            ClassSizes sizes = ClassSizes.of(shuffle(counts, rng));
            GroupedTargetSpectrum s = GroupedTargetSpectrum.of(sizes);
            double[] direct = Linalg.singularValues(Linalg.matrix(LExtendedTarget.centredMatrix(sizes)));
            assertArrayEquals(direct, s.singularValues(), 1e-10 * direct[0], () -> Arrays.toString(counts));
            double[] sHat = s.groupSingularValues();
            double[] lo = s.lowerBounds();
            double[] hi = s.upperBounds();
            for (int j = 0; j < m - 1; j++) {
                assertTrue(lo[j] < sHat[j] && sHat[j] < hi[j], "interlacing " + j + " " + Arrays.toString(counts));
            }
            assertEquals(0, sHat[m - 1], 1e-12);
            if (m <= 3) {
                assertArrayEquals(sHat, s.explicitGroupSingularValues(), 1e-9 * Math.max(1, sHat[0]));
            } else {
                assertNull(s.explicitGroupSingularValues());
            }
        }
    }

    private static int[] shuffle(int[] a, Random rng) {
        int[] c = a.clone();
        for (int i = c.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = c[i];
            c[i] = c[j];
            c[j] = t;
        }
        return c;
    }

    // ---------------------------------------------------------------- spec 004 numpy vectors

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1 | .295212,.647906,1.675094 | .8404870,.2423498,0 | 2.1597923,1.1597593 | 2.4939133,1.3391747 | 5.3863346,1.5531203 | 0.264327356333",
        "2 | .161775,.355050,.917946  | 1.9899787,1.3102364,0 | 4.2796111,2.8177700 | 2.2004152,1.7854811 | 9.4169214,5.0310751 | 0.202938633158",
        "3 | .150115,.329459,.851783  | 1.9920938,1.5387336,0 | 5.4083593,3.6715212 | 1.9359788,1.7014823 | 10.4704689,6.2470282 | 0.172337243755"})
    void biasCaseMatchesSpecTable(int layers, String a, String x, String svA, String svE, String svAE, double f) {
        LExtendedGeometry g = toy(layers, true);
        assertArrayEquals(parse(a), Arrays.copyOf(g.a(), 3), 1e-6);
        assertEquals(Double.POSITIVE_INFINITY, g.a()[3]);
        assertArrayEquals(parse(x), Arrays.copyOf(g.x(), 3), 1e-7);
        assertArrayEquals(pad(parse(svA)), g.productSingularValues(), 1e-7);
        assertArrayEquals(pad(parse(svE)), g.featureSingularValues(), 1e-7);
        assertArrayEquals(pad(parse(svAE)), g.outputSingularValues(), 1e-7);
        assertEquals(f, g.objective(), 1e-11);
        assertArrayEquals(new int[] {2, 3}, g.collapsedDirections());
        assertArrayEquals(new double[] {200 / 370.0, 100 / 370.0, 50 / 370.0, 20 / 370.0}, g.optimalBias(), 1e-15);
        // the scaled-down problem used by the GD checks keeps a_k and x_k
        assertArrayEquals(g.x(), small(layers, true, 1).x(), 1e-9);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1 | 2.5879430,1.7635912,0.7574459 | 2.9882991,2.0364197,0.8746232 | 0.401155569201",
        "2 | 5.0149313,3.6529022,2.3670377 | 2.3819629,2.0329258,1.6364588 | 0.290402349492",
        "3 | 6.3434444,4.6388653,3.1948901 | 2.0416774,1.8394275,1.6244165 | 0.240448148069"})
    void biasFreeCaseMatchesSpecTable(int layers, String svA, String svE, double f) {
        LExtendedGeometry g = toy(layers, false);
        assertArrayEquals(Arrays.copyOf(parse(svA), 4), g.productSingularValues(), 1e-7);
        assertArrayEquals(Arrays.copyOf(parse(svE), 4), g.featureSingularValues(), 1e-7);
        assertEquals(f, g.objective(), 1e-11);
        assertArrayEquals(new int[] {3}, g.collapsedDirections());
        assertArrayEquals(new double[4], g.optimalBias());
    }

    private static double[] parse(String csv) {
        return Arrays.stream(csv.trim().split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static double[] pad(double[] v) {
        return Arrays.copyOf(v, 4);
    }

    // ---------------------------------------------------------------- L = 1: Theorems 4.1 and 4.2

    @Test
    void singleLayerReducesToTheExplicitFormsOfTheorems41And42() {
        double lw = 0.02;
        double lh = 0.015;
        double tau = TOY.total() * Math.sqrt(lw * lh);
        // Theorem 4.1 (bias-free): W H̄ = diag((1 − τ/√n_k)_+), W Wᵀ = √(λ_H/λ_W)(D − τI)_+,
        // H̄ᵀH̄ = √(λ_W/λ_H)(D − τI)_+ D⁻²
        ClassGeometry free = LExtendedGeometry.of(TOY, 1, lw, lh, false).geometry();
        double[] expectedLogits = {0.5468444, 0.3591412, 0.0936888, 0};
        for (int i = 0; i < 4; i++) {
            double root = Math.sqrt(TOY.count(i));
            double plus = Math.max(0, root - tau);
            for (int j = 0; j < 4; j++) {
                double diag = i == j ? 1 : 0;
                assertEquals(diag * Math.max(0, 1 - tau / root), free.logits()[i][j], 1e-12);
                assertEquals(diag * Math.sqrt(lh / lw) * plus, free.classifierGram()[i][j], 1e-12);
                assertEquals(diag * Math.sqrt(lw / lh) * plus / TOY.count(i), free.meanGram()[i][j], 1e-12);
            }
            assertEquals(expectedLogits[i], free.logits()[i][i], 1e-7);
        }
        // Theorem 4.2 (bias): W H̄ D = SVT_τ(Ŷ), computed here from a fresh SVD of Ŷ
        LExtendedGeometry withBias = LExtendedGeometry.of(TOY, 1, lw, lh, true);
        DMatrixRMaj y = Linalg.matrix(LExtendedTarget.centredMatrix(TOY));
        nclab.linalg.Svd svd = Linalg.svd(y);
        double[] s = svd.s();
        double[][] svt = new double[4][4];
        double[][] wwt = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                for (int m = 0; m < 4; m++) {
                    double shrunk = Math.max(0, s[m] - tau);
                    svt[i][j] += svd.u().get(i, m) * shrunk * svd.v().get(j, m);
                    wwt[i][j] += svd.u().get(i, m) * Math.sqrt(lh / lw) * shrunk * svd.u().get(j, m);
                }
            }
        }
        ClassGeometry g = withBias.geometry();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(svt[i][j], g.logits()[i][j] * Math.sqrt(TOY.count(j)), 1e-12);
                assertEquals(wwt[i][j], g.classifierGram()[i][j], 1e-12);
            }
        }
        assertEquals(tau, withBias.thresholdSingularValue(), 1e-12);
        // rows of the classifier sum to zero (κ_K = 0, u_K ∝ 1)
        double[][] gram = g.classifierGram();
        double total = 0;
        for (double[] row : gram) {
            for (double v : row) {
                total += v;
            }
        }
        assertEquals(0, total, 1e-12);
        // spec §2.4: classes 3 and 4 are predicted as class 1 at this optimum
        assertArrayEquals(new int[] {0, 1, 0, 0}, withBias.predictedLabels());
        assertEquals(300 / 370.0, withBias.trainingAccuracy(), 1e-15);
    }

    // ---------------------------------------------------------------- independent scalar problem

    /**
     * min over z ≥ 0 of (z − κ)²/(2N) + ((L+1)/2)·(Πλ)^{1/(L+1)}·z^{2/(L+1)} (spec §2.2 item 5: the
     * factor norms reduce to a Schatten quasi-norm), by a dense grid and golden-section refinement.
     * Returns {argmin, min}.
     */
    private static double[] schattenScalar(double kappa, double n, int layers, double lambdaProduct) {
        double coef = (layers + 1) / 2.0 * Math.pow(lambdaProduct, 1.0 / (layers + 1));
        java.util.function.DoubleUnaryOperator f =
                z -> (z - kappa) * (z - kappa) / (2 * n) + coef * Math.pow(z, 2.0 / (layers + 1));
        int grid = 20000;
        double best = 0;
        double bestF = f.applyAsDouble(0);
        for (int i = 1; i <= grid; i++) {
            double z = kappa * i / grid;
            double v = f.applyAsDouble(z);
            if (v < bestF) {
                bestF = v;
                best = z;
            }
        }
        if (best == 0) {
            return new double[] {0, bestF};
        }
        double lo = Math.max(0, best - kappa / grid);
        double hi = Math.min(kappa, best + kappa / grid);
        double phi = (Math.sqrt(5) - 1) / 2;
        for (int it = 0; it < 200; it++) {
            double c1 = hi - phi * (hi - lo);
            double c2 = lo + phi * (hi - lo);
            if (f.applyAsDouble(c1) < f.applyAsDouble(c2)) {
                hi = c2;
            } else {
                lo = c1;
            }
        }
        double z = 0.5 * (lo + hi);
        return f.applyAsDouble(z) < f.applyAsDouble(0) ? new double[] {z, f.applyAsDouble(z)} : new double[] {0, f.applyAsDouble(0)};
    }

    private static void assertMatchesSchatten(LExtendedGeometry g) {
        double product = g.lambdaH();
        for (double l : g.lambdaW()) {
            product *= l;
        }
        double[] kappa = g.singularValues();
        double[] out = g.outputSingularValues();
        double f = 0;
        for (int k = 0; k < kappa.length; k++) {
            double[] zf = schattenScalar(kappa[k], g.sizes().total(), g.layers(), product);
            assertEquals(zf[0], out[k], 1e-6 * Math.max(1, kappa[k]), "direction " + k + " of " + g);
            f += zf[1];
        }
        assertEquals(f, g.objective(), 1e-10);
    }

    @Test
    void closedFormsAgreeWithTheScalarSchattenProblem() {
        for (int layers = 1; layers <= 3; layers++) {
            for (boolean bias : new boolean[] {true, false}) {
                assertMatchesSchatten(toy(layers, bias));
                assertMatchesSchatten(small(layers, bias, 1));
            }
        }
        assertMatchesSchatten(LExtendedGeometry.of(ClassSizes.of(500, 300, 300, 60, 7), 4, 0.004, 0.002, true));
        assertMatchesSchatten(LExtendedGeometry.of(ClassSizes.of(500, 300, 300, 60, 7), 6, 0.002, 0.003, false));
    }

    @ParameterizedTest
    @CsvSource({"1, 1.242350", "2, 1.256377", "3, 1.426667"})
    void thresholdSeparatesSurvivalFromCollapseOnBothSides(int layers, double specCriticalScale) {
        LExtendedGeometry base = toy(layers, true);
        double sc = base.criticalScales()[1];
        assertEquals(specCriticalScale, sc, 1e-6);
        for (double factor : new double[] {0.995, 1.005}) {
            double s = sc * factor;
            double[] lw = Arrays.stream(toyLambdaW(layers)).map(v -> v * s).toArray();
            LExtendedGeometry g = LExtendedGeometry.of(TOY, lw, toyLambdaH(layers) * s, true);
            boolean survives = factor < 1;
            assertEquals(survives, g.outputSingularValues()[1] > 0, "factor " + factor);
            assertEquals(survives ? 2 : 1, g.activeDirections().length);
            assertEquals(survives, g.singularValues()[1] > g.thresholdSingularValue());
            // the brute-force scalar problem agrees on survival and value
            assertMatchesSchatten(g);
            if (layers >= 2 && survives) {
                // first-order transition: the surviving x stays above (L−1)^{1/L}
                assertTrue(g.x()[1] >= Math.pow(layers - 1, 1.0 / layers));
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1 | 0.031878,0.021518,0.013383",
        "2 | 0.028797,0.017052,0.009052",
        "3 | 0.029797,0.016525,0.008105",
        "6 | 0.027182,0.013857,0.006139"})
    void criticalEqualLambdaFromTheSpec(int layers, String crit) {
        double[] c = parse(crit);
        for (int k = 0; k < 3; k++) {
            LExtendedGeometry below = LExtendedGeometry.of(TOY, layers, c[k] * 0.999, c[k] * 0.999, true);
            LExtendedGeometry above = LExtendedGeometry.of(TOY, layers, c[k] * 1.001, c[k] * 1.001, true);
            assertTrue(below.x()[k] > 0, "L=" + layers + " k=" + k);
            assertEquals(0.0, above.x()[k], "L=" + layers + " k=" + k);
        }
    }

    @Test
    void lemmaA2Thresholds() {
        assertEquals(1.0, LemmaA2.threshold(1));
        assertEquals(0.5, LemmaA2.threshold(2), 1e-15);
        assertEquals(0.529134, LemmaA2.threshold(3), 1e-6);
        assertEquals(0.569877, LemmaA2.threshold(4), 1e-6);
        assertEquals(0.637270, LemmaA2.threshold(6), 1e-6);
        for (int layers = 2; layers <= 6; layers++) {
            double aStar = LemmaA2.threshold(layers);
            double x0 = Math.pow(layers - 1, 1.0 / layers);
            assertEquals(1.0, LemmaA2.value(x0, aStar, layers), 1e-12);
            for (double a : new double[] {0.01, 0.2, aStar * 0.999}) {
                double x = LemmaA2.minimizer(a, layers);
                assertEquals(a, LemmaA2.phi(x, layers), 1e-12);
                assertTrue(x >= x0 && LemmaA2.value(x, a, layers) < 1);
            }
            for (double xi = 0.01; xi < 10; xi += 0.01) {
                assertTrue(LemmaA2.value(xi, aStar * 1.001, layers) > 1);
            }
            assertEquals(0.0, LemmaA2.minimizer(aStar, layers), "tie collapses");
        }
        assertEquals(1 / Math.sqrt(0.25) - 1, LemmaA2.minimizer(0.25, 1), 1e-15);
    }

    // ---------------------------------------------------------------- gradient descent on the full model

    /**
     * Width 32, std 0.3: std·√d = 1.7 (pitfalls.md / spec §2.10: ≥ 1.5 is needed to reach the global
     * minimum for L ≥ 2; smaller initialisations stop at the all-zero or a lost-direction local minimum).
     * Every run here converges (‖∇f‖ &lt; 1e−11) in under 5 000 steps.
     */
    private static final int WIDTH = 32;
    private static final double INIT_STD = 0.3;

    private static LExtendedGradientDescent descend(LExtendedGeometry g, long seed) {
        double lr = g.layers() == 1 ? 1.0 : 0.5;
        return new LExtendedGradientDescent(g.sizes(), g.lambdaW(), g.lambdaH(), g.bias(), WIDTH, INIT_STD, seed)
                .run(8000, lr, 1e-11);
    }

    private static double[] sortedDesc(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    private static double[][] gram(double[][] x, double[][] y) {
        double[][] g = new double[x.length][y.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                double s = 0;
                for (int t = 0; t < x[i].length; t++) {
                    s += x[i][t] * y[j][t];
                }
                g[i][j] = s;
            }
        }
        return g;
    }

    private static void assertMatrixEquals(double[][] expected, double[][] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], tol, what + " row " + i);
        }
    }

    private static void assertGradientDescentReachesPrediction(LExtendedGeometry g) {
        LExtendedGradientDescent gd = descend(g, 17 + g.layers());
        double fStar = g.objective();
        double f = gd.objective();
        assertTrue(f >= fStar - 1e-12, "GD went below the predicted global minimum: " + f + " < " + fStar);
        assertEquals(fStar, f, 1e-10, () -> "objective after " + gd.steps + " steps");
        double[][] a = gd.product();
        double[][] means = gd.classMeans();
        int k = g.sizes().k();
        double[][] e = new double[k][];
        for (int c = 0; c < k; c++) {
            double root = Math.sqrt(g.sizes().count(c));
            e[c] = Arrays.stream(means[c]).map(v -> v * root).toArray();
        }
        assertArrayEquals(sortedDesc(g.productSingularValues()), Linalg.singularValues(Linalg.matrix(a)), 1e-6, "sv(A)");
        assertArrayEquals(sortedDesc(g.featureSingularValues()), Linalg.singularValues(Linalg.matrix(e)), 1e-6, "sv(H̄D)");
        assertArrayEquals(g.optimalBias(), gd.b, 1e-8, "bias");
        assertTrue(gd.withinClassDeviation() < 1e-7, "within-class deviation " + gd.withinClassDeviation());
        if (g.bias()) {
            double hg = Math.sqrt(Arrays.stream(gd.globalMean()).map(v -> v * v).sum());
            assertTrue(hg < 1e-7, "h_G = " + hg);
        }
        ClassGeometry geo = g.geometry();
        assertMatrixEquals(geo.classifierGram(), gram(a, a), 1e-6, "classifierGram");
        assertMatrixEquals(geo.meanGram(), gram(means, means), 1e-6, "meanGram");
        assertMatrixEquals(geo.logits(), gram(a, means), 1e-6, "logits");
    }

    @ParameterizedTest
    @CsvSource({"1, true", "2, true", "3, true", "1, false", "2, false", "3, false"})
    void gradientDescentOnTheFullModelReachesThePrediction(int layers, boolean bias) {
        LExtendedGeometry g = small(layers, bias, 1);
        assertTrue(g.collapsedDirections().length >= 1 && g.activeDirections().length >= 2, "a meaningful test point");
        assertGradientDescentReachesPrediction(g);
    }

    @Test
    void gradientDescentWithEqualLambdasThroughTheCliRoute() {
        TheoryParameters p = new TheoryParameters(ClassSizes.of(30, 20, 10), 0.05, 0.05, null, null, null, null, 2, true);
        LExtendedGeometry g = LExtendedGeometry.predict(p);
        assertEquals(1.0, g.c());
        assertArrayEquals(new int[] {1, 2}, g.collapsedDirections()); // κ_2 collapses besides the structural κ_3 = 0
        assertGradientDescentReachesPrediction(g);
    }

    /**
     * All λ's scaled so that direction 2 sits at 0.75 or 1.3 times its critical scale. For L = 2 the point
     * above the threshold is chosen past the metastable region (a_2 &gt; max φ, spec §2.5: just past the
     * threshold a nonzero local minimum still exists and GD may stop there).
     */
    @ParameterizedTest
    @CsvSource({"1, 0.75", "1, 1.3", "2, 0.75", "2, 1.3"})
    void gradientDescentAgreesOnEachSideOfTheThreshold(int layers, double factor) {
        double sc = small(layers, true, 1).criticalScales()[1];
        LExtendedGeometry g = small(layers, true, sc * factor);
        boolean survives = factor < 1;
        assertEquals(survives ? 2 : 1, g.activeDirections().length);
        assertEquals(survives, g.outputSingularValues()[1] > 0);
        if (!survives && layers >= 2) {
            double argmaxPhi = Math.pow((layers - 1.0) / (layers + 1.0), 1.0 / layers);
            assertTrue(g.a()[1] > LemmaA2.phi(argmaxPhi, layers), "no metastable minimum left");
        }
        assertGradientDescentReachesPrediction(g);
    }

    // ---------------------------------------------------------------- balanced case

    @Test
    void balancedCaseGivesSimplexEtfWithBiasAndOrthogonalFrameWithout() {
        int k = 5;
        ClassSizes balanced = ClassSizes.balanced(k, 30);
        for (int layers = 1; layers <= 3; layers++) {
            ClassGeometry etf = LExtendedGeometry.of(balanced, layers, 1e-3, 2e-3, true).geometry();
            ClassGeometry orth = LExtendedGeometry.of(balanced, layers, 1e-3, 2e-3, false).geometry();
            double[][] cw = etf.classifierCosines();
            double[][] cm = etf.meanCosines();
            double[][] ow = orth.classifierCosines();
            double[][] om = orth.meanCosines();
            double[][] z = etf.logits();
            for (int i = 0; i < k; i++) {
                assertEquals(etf.classifierNorms()[0], etf.classifierNorms()[i], 1e-12);
                assertEquals(etf.meanNorms()[0], etf.meanNorms()[i], 1e-12);
                for (int j = 0; j < k; j++) {
                    assertEquals(i == j ? 1 : -1.0 / (k - 1), cw[i][j], 1e-12);
                    assertEquals(i == j ? 1 : -1.0 / (k - 1), cm[i][j], 1e-12);
                    assertEquals(i == j ? 1 : 0, ow[i][j], 1e-12);
                    assertEquals(i == j ? 1 : 0, om[i][j], 1e-12);
                    // self-duality: logits ∝ I − 11ᵀ/K
                    assertEquals(z[0][0] * (i == j ? 1 : -1.0 / (k - 1)), z[i][j], 1e-12);
                }
            }
            assertTrue(etf.classifierNorms()[0] > 0);
        }
    }

    // ---------------------------------------------------------------- API and bad input

    @Test
    void predictReadsTheoryParametersAndFillsDetails() {
        TheoryParameters p = new TheoryParameters(TOY, 0.01, 0.0125, null, null, null, null, 2, true);
        LExtendedGeometry g = LExtendedGeometry.predict(p);
        assertEquals(LExtendedGeometry.of(TOY, 2, 0.01, 0.0125, true), g);
        assertEquals("lext", g.model());
        Map<String, Object> d = g.details();
        for (String key : new String[] {"singularValues", "thresholds", "collapsedDirections", "bias",
            "productSingularValues", "objective", "theorem44"}) {
            assertTrue(d.containsKey(key), key);
        }
        assertArrayEquals(g.singularValues(), (double[]) d.get("singularValues"));
        assertEquals(g.objective(), (double) d.get("objective"));
        assertArrayEquals(g.optimalBias(), (double[]) d.get("bias"));
        assertArrayEquals(new int[] {2, 3}, (int[]) d.get("collapsedDirections"));
        assertNoInfinity(d);
        LExtendedGeometry one = LExtendedGeometry.predict(new TheoryParameters(TOY, 0.02, 0.015, null, null, null, null, null, false));
        assertEquals(1, one.layers());
    }

    /** JSON cannot carry ±∞: every number in the details must be finite or NaN (written as null). */
    private static void assertNoInfinity(Object value) {
        if (value instanceof Map<?, ?> m) {
            m.values().forEach(LExtendedGeometryTest::assertNoInfinity);
        } else if (value instanceof double[] a) {
            assertTrue(Arrays.stream(a).noneMatch(Double::isInfinite), Arrays.toString(a));
        } else if (value instanceof double[][] a) {
            Arrays.stream(a).forEach(LExtendedGeometryTest::assertNoInfinity);
        } else if (value instanceof Double x) {
            assertTrue(!x.isInfinite());
        }
    }

    @Test
    void badInputIsRejectedWithAMessage() {
        assertMessage("number of layers L must be >= 1, got L = 0", () -> LExtendedGeometry.of(TOY, 0, 0.01, 0.01, true));
        assertMessage("lambda_W must be a finite number > 0, got 0.0", () -> LExtendedGeometry.of(TOY, 1, 0, 0.01, true));
        assertMessage("lambda_H must be a finite number > 0, got -1.0", () -> LExtendedGeometry.of(TOY, 2, 0.01, -1, true));
        assertMessage("lambda_W2 must be a finite number > 0, got NaN",
                () -> LExtendedGeometry.of(TOY, new double[] {0.01, Double.NaN}, 0.01, false));
        assertMessage("need one lambda_W per layer, got none", () -> LExtendedGeometry.of(TOY, new double[0], 0.01, false));
        assertMessage("--layers must be >= 1, got 0", () -> LExtendedGeometry.predict(
                new TheoryParameters(TOY, 0.01, 0.01, null, null, null, null, 0, true)));
        assertMessage("this model needs --lambda-h", () -> LExtendedGeometry.predict(
                new TheoryParameters(TOY, 0.01, null, null, null, null, null, 2, true)));
        assertMessage("--lambda-w must be a finite number > 0, got -0.5", () -> LExtendedGeometry.predict(
                new TheoryParameters(TOY, -0.5, 0.01, null, null, null, null, 2, true)));
        assertMessage("layer index must be in 1..2, got 3", () -> toy(2, true).layerSingularValues(3));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        InvalidInputException e = assertThrows(InvalidInputException.class, call);
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
