package nclab.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import nclab.linalg.Svd;
import nclab.linalg.SymmetricEigen;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Checks {@link DeepUfmGeometry} against computations that do not share its code: the balanced closed forms
 * of the spec (§3.1, §3.2) minimised by a dense grid plus golden section, the deep-UFM objective Eq. (1)
 * evaluated on explicitly built factors (W_1..W_L, H_1), Eq. (19) by substitution, the spec's reference
 * numbers (002-deep-ufm-lowrank.md §7, §9), and both sides of every threshold.
 */
class DeepUfmGeometryTest {
    private static final double LAMBDA_10 = Math.pow(2, -10);

    // ---------------------------------------------------------------- independent reference computations

    /** Spec §3.1, balanced DNC reduced loss. */
    private static double dncLoss(int k, int layers, double lambda, int n, double a) {
        return Math.log(1 + (k - 1) * Math.exp(-a))
                + (layers + 1) * lambda / 2 * (k - 1) * Math.pow(a * Math.sqrt(n), 2.0 / (layers + 1));
    }

    /** Spec §3.2, balanced pairs reduced loss (even and odd K). */
    private static double pairsLoss(int k, int layers, double lambda, int n, double b) {
        int m = k / 2;
        double pairFit = Math.log(1 + (k - 2) * Math.exp(-b) + Math.exp(-2 * b));
        double p = 2.0 / (layers + 1);
        double c = (layers + 1) * lambda / 2;
        if (k % 2 == 0) {
            return pairFit + c * m * Math.pow(2 * b * Math.sqrt(n), p);
        }
        double fit = (k - 1.0) / k * pairFit + 1.0 / k * Math.log(1 + (k - 1) * Math.exp(-b));
        return fit + c * (m * Math.pow(2 * b * Math.sqrt(n), p) + Math.pow(b * Math.sqrt(n), p));
    }

    /** {scale, loss}: min over [0, tMax] by a 20 001-point grid, then golden section around the best point. */
    private static double[] minimise(DoubleUnaryOperator f, double tMax) {
        return minimise(f, tMax, 8_000);
    }

    private static double[] minimise(DoubleUnaryOperator f, double tMax, int points) {
        int best = 0;
        double bestValue = f.applyAsDouble(0);
        for (int i = 1; i <= points; i++) {
            double v = f.applyAsDouble(tMax * i / points);
            if (v < bestValue) {
                bestValue = v;
                best = i;
            }
        }
        if (best == 0) {
            return new double[] {0, bestValue};
        }
        double a = tMax * Math.max(0, best - 1) / points;
        double b = tMax * Math.min(points, best + 1) / points;
        double g = (Math.sqrt(5) - 1) / 2;
        double x1 = b - g * (b - a);
        double x2 = a + g * (b - a);
        double f1 = f.applyAsDouble(x1);
        double f2 = f.applyAsDouble(x2);
        for (int it = 0; it < 200 && b - a > 1e-13 * Math.max(1, b); it++) {
            if (f1 < f2) {
                b = x2;
                x2 = x1;
                f2 = f1;
                x1 = b - g * (b - a);
                f1 = f.applyAsDouble(x1);
            } else {
                a = x1;
                x1 = x2;
                f1 = f2;
                x2 = a + g * (b - a);
                f2 = f.applyAsDouble(x2);
            }
        }
        double t = (a + b) / 2;
        return new double[] {t, f.applyAsDouble(t)};
    }

    /** Explicit factors of the deep linear UFM: ws[0..L−1] = W_1..W_L, and H_1. */
    private record Factors(DMatrixRMaj[] ws, DMatrixRMaj h1, int[] labels) {
        DMatrixRMaj logits() {
            DMatrixRMaj z = h1;
            for (DMatrixRMaj w : ws) {
                z = Linalg.multiply(w, z);
            }
            return z;
        }

        /** Class means (columns) of H_L = W_{L−1}⋯W_1 H_1. */
        double[][] penultimateMeans(int k) {
            DMatrixRMaj h = h1;
            for (int l = 0; l < ws.length - 1; l++) {
                h = Linalg.multiply(ws[l], h);
            }
            double[][] means = new double[k][h.numRows];
            int[] count = new int[k];
            for (int j = 0; j < h.numCols; j++) {
                count[labels[j]]++;
                for (int i = 0; i < h.numRows; i++) {
                    means[labels[j]][i] += h.get(i, j);
                }
            }
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < h.numRows; i++) {
                    means[c][i] /= count[c];
                }
            }
            return means;
        }

        /** Eq. (1) with the mean cross-entropy of Eq. (2). */
        double objective(double lambda) {
            DMatrixRMaj z = logits();
            double ce = 0;
            for (int j = 0; j < z.numCols; j++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < z.numRows; i++) {
                    max = Math.max(max, z.get(i, j));
                }
                double sum = 0;
                for (int i = 0; i < z.numRows; i++) {
                    sum += Math.exp(z.get(i, j) - max);
                }
                ce += max + Math.log(sum) - z.get(labels[j], j);
            }
            double reg = Math.pow(Linalg.frobenius(h1), 2);
            for (DMatrixRMaj w : ws) {
                reg += Math.pow(Linalg.frobenius(w), 2);
            }
            return ce / z.numCols + lambda / 2 * reg;
        }
    }

    private static int[] labels(int[] counts) {
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        int[] labels = new int[total];
        int j = 0;
        for (int c = 0; c < counts.length; c++) {
            for (int i = 0; i < counts[c]; i++) {
                labels[j++] = c;
            }
        }
        return labels;
    }

    private static DMatrixRMaj randomOrthogonal(int d, Random rng) {
        double[][] q = new double[d][d];
        for (int j = 0; j < d; j++) {
            double[] v = new double[d];
            for (int i = 0; i < d; i++) {
                v[i] = rng.nextGaussian();
            }
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += v[i] * q[i][p];
                }
                for (int i = 0; i < d; i++) {
                    v[i] -= dot * q[i][p];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                q[i][j] = v[i] / norm;
            }
        }
        return Linalg.matrix(q);
    }

    /**
     * Balanced classes, symmetric PSD pattern M: G = M^{1/(L+1)} by eigen-decomposition, c = (t√n)^{1/(L+1)},
     * H_1 = O_0·(c/√n)·G⊗1ᵀ, W_l = O_l·c·G·O_{l−1}ᵀ, W_L = c·G·O_{L−1}ᵀ (d = K+1, zero-padded, random O_l).
     * Then Z = t·M⊗1ᵀ and every factor has the same Frobenius norm.
     */
    private static Factors symmetricFactors(double[][] pattern, int n, int layers, double t, long seed) {
        int k = pattern.length;
        int d = k + 1;
        Random rng = new Random(seed);
        SymmetricEigen eig = Linalg.symmetricEigen(Linalg.matrix(pattern));
        double[] ev = eig.values();
        double[][] g = new double[d][d];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                for (int e = 0; e < k; e++) {
                    double lam = ev[e] < 1e-9 * ev[0] ? 0 : ev[e]; // a float zero must stay 0 under the root
                    g[i][j] += eig.vectors().get(i, e) * Math.pow(lam, 1.0 / (layers + 1)) * eig.vectors().get(j, e);
                }
            }
        }
        double c = Math.pow(t * Math.sqrt(n), 1.0 / (layers + 1));
        DMatrixRMaj gm = Linalg.matrix(g);
        DMatrixRMaj[] o = new DMatrixRMaj[layers];
        for (int l = 0; l < layers; l++) {
            o[l] = randomOrthogonal(d, rng);
        }
        double[][] h = new double[d][k * n];
        for (int cl = 0; cl < k; cl++) {
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < d; i++) {
                    h[i][cl * n + s] = c / Math.sqrt(n) * g[i][cl];
                }
            }
        }
        DMatrixRMaj h1 = Linalg.multiply(o[0], Linalg.matrix(h));
        DMatrixRMaj[] ws = new DMatrixRMaj[layers];
        for (int l = 1; l < layers; l++) {
            ws[l - 1] = scale(Linalg.multiply(o[l], Linalg.multiplyTransB(gm, o[l - 1])), c);
        }
        DMatrixRMaj last = scale(Linalg.multiplyTransB(gm, o[layers - 1]), c);
        DMatrixRMaj lastK = new DMatrixRMaj(k, d);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < d; j++) {
                lastK.set(i, j, last.get(i, j));
            }
        }
        ws[layers - 1] = lastK;
        int[] counts = new int[k];
        java.util.Arrays.fill(counts, n);
        return new Factors(ws, h1, labels(counts));
    }

    /**
     * Any sizes: Z = t·M·E (K×N) built column by column, SVD Z = U·diag(σ)·Vᵀ, s = σ^{1/(L+1)} (zero below
     * 1e-9·σ_1), W_L = U·diag(s)·O_{L−1}ᵀ, W_l = O_l·diag(s)·O_{l−1}ᵀ, H_1 = O_0·diag(s)·Vᵀ (d = K).
     */
    private static Factors svdFactors(double[][] pattern, int[] counts, int layers, double t, long seed) {
        int k = pattern.length;
        int[] labels = labels(counts);
        double[][] z = new double[k][labels.length];
        for (int j = 0; j < labels.length; j++) {
            for (int i = 0; i < k; i++) {
                z[i][j] = t * pattern[i][labels[j]];
            }
        }
        Svd svd = Linalg.svd(Linalg.matrix(z));
        double[] sv = svd.s();
        DMatrixRMaj s = new DMatrixRMaj(k, k);
        for (int i = 0; i < k; i++) {
            s.set(i, i, sv[i] < 1e-9 * sv[0] ? 0 : Math.pow(sv[i], 1.0 / (layers + 1)));
        }
        Random rng = new Random(seed);
        DMatrixRMaj[] o = new DMatrixRMaj[layers];
        for (int l = 0; l < layers; l++) {
            o[l] = randomOrthogonal(k, rng);
        }
        DMatrixRMaj h1 = Linalg.multiply(o[0], Linalg.multiplyTransB(s, svd.v()));
        DMatrixRMaj[] ws = new DMatrixRMaj[layers];
        for (int l = 1; l < layers; l++) {
            ws[l - 1] = Linalg.multiply(o[l], Linalg.multiplyTransB(s, o[l - 1]));
        }
        ws[layers - 1] = Linalg.multiply(svd.u(), Linalg.multiplyTransB(s, o[layers - 1]));
        return new Factors(ws, h1, labels);
    }

    private static DMatrixRMaj scale(DMatrixRMaj m, double c) {
        DMatrixRMaj r = m.copy();
        for (int i = 0; i < r.getNumElements(); i++) {
            r.set(i, r.get(i) * c);
        }
        return r;
    }

    private static double[][] simplex(int k) {
        double[][] s = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                s[i][j] = (i == j ? 1 : 0) - 1.0 / k;
            }
        }
        return s;
    }

    private static double[][] pairsPattern(int k) {
        double[][] m = new double[k][k];
        for (int p = 0; p + 1 < k; p += 2) {
            m[p][p] = 1;
            m[p + 1][p + 1] = 1;
            m[p][p + 1] = -1;
            m[p + 1][p] = -1;
        }
        if (k % 2 == 1) {
            m[k - 1][k - 1] = 1;
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static double detail(DeepUfmGeometry g, String map, String key) {
        return ((Number) ((Map<String, Object>) g.details().get(map)).get(key)).doubleValue();
    }

    // ---------------------------------------------------------------- optimal-scale losses

    @Test
    void optimalLossesMatchGoldenSectionOnTheClosedForms() {
        int[][] cases = {{10, 2, 5}, {10, 1, 5}, {10, 3, 5}, {4, 2, 5}, {4, 3, 5}, {7, 2, 3}, {5, 4, 2}, {3, 2, 4}};
        double[] lambdas = {LAMBDA_10, Math.pow(2, -6), 1e-3};
        for (int[] c : cases) {
            int k = c[0];
            int layers = c[1];
            int n = c[2];
            for (double lambda : lambdas) {
                DeepUfmGeometry g = DeepUfmGeometry.of(ClassSizes.balanced(k, n), layers, lambda);
                double[] dnc = minimise(a -> dncLoss(k, layers, lambda, n, a), 40);
                double[] lr = minimise(b -> pairsLoss(k, layers, lambda, n, b), 40);
                String at = "K=" + k + " L=" + layers + " n=" + n + " lambda=" + lambda;
                assertEquals(dnc[1], g.dnc().loss(), 1e-11, at);
                assertEquals(lr[1], g.lowRank().loss(), 1e-11, at);
                assertEquals(dnc[0], g.dnc().scale(), 1e-5 * Math.max(1, dnc[0]), at);
                assertEquals(lr[0], g.lowRank().scale(), 1e-5 * Math.max(1, lr[0]), at);
                assertEquals(g.dnc().loss(), g.dnc().fit() + g.dnc().regularizer(), 1e-14, at);
                String expected = Math.abs(dnc[1] - lr[1]) < 1e-12 ? "tie" : lr[1] < dnc[1] ? "lowRank" : "dnc";
                assertEquals(expected, g.winner(), at);
            }
        }
    }

    @Test
    void referenceNumbersFromTheSpec() {
        DeepUfmGeometry g = DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 2, LAMBDA_10);
        assertEquals(0.090662, g.dnc().loss(), 1e-6);
        assertEquals(7.0375, g.dnc().scale(), 1e-4);
        assertEquals(0.080013, g.lowRank().loss(), 1e-6);
        assertEquals(7.0470, g.lowRank().scale(), 1e-4);
        assertEquals("lowRank", g.winner());
        DeepUfmGeometry l1 = DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 1, LAMBDA_10);
        assertEquals(0.139867, l1.dnc().loss(), 1e-6);
        assertEquals(6.1069, l1.dnc().scale(), 1e-4);
        assertEquals(0.150519, l1.lowRank().loss(), 1e-6);
        assertEquals(5.8822, l1.lowRank().scale(), 1e-4);
        assertEquals("dnc", l1.winner());
        assertEquals(0.147061, DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 3, Math.pow(2, -9)).dnc().loss(), 1e-6);
        DeepUfmGeometry k4 = DeepUfmGeometry.of(ClassSizes.balanced(4, 5), 2, LAMBDA_10);
        assertEquals(0.030228, k4.dnc().loss(), 1e-6);
        assertEquals(0.030697, k4.lowRank().loss(), 1e-6);
        assertEquals("dnc", k4.winner());
        DeepUfmGeometry k4l3 = DeepUfmGeometry.of(ClassSizes.balanced(4, 5), 3, LAMBDA_10);
        assertEquals(0.025652, k4l3.dnc().loss(), 1e-6);
        assertEquals(0.023658, k4l3.lowRank().loss(), 1e-6);
        assertEquals("lowRank", k4l3.winner());
    }

    @Test
    void lossesEqualTheDeepUfmObjectiveOnExplicitFactors() {
        int[][] cases = {{10, 2, 5}, {4, 3, 2}, {5, 2, 3}, {6, 1, 2}};
        for (int[] c : cases) {
            int k = c[0];
            int layers = c[1];
            int n = c[2];
            double lambda = Math.pow(2, -8);
            DeepUfmGeometry g = DeepUfmGeometry.of(ClassSizes.balanced(k, n), layers, lambda);
            Factors dnc = symmetricFactors(simplex(k), n, layers, g.dnc().scale(), 11);
            Factors lr = symmetricFactors(pairsPattern(k), n, layers, g.lowRank().scale(), 12);
            String at = "K=" + k + " L=" + layers;
            assertEquals(g.dnc().loss(), dnc.objective(lambda), 1e-12, at);
            assertEquals(g.lowRank().loss(), lr.objective(lambda), 1e-12, at);
            // equal-norm layers in the DNC configuration
            double h = Linalg.frobenius(dnc.h1());
            for (DMatrixRMaj w : dnc.ws()) {
                assertEquals(h, Linalg.frobenius(w), 1e-10 * h, at);
            }
            // the class-level geometry is the Gram data of these factors (basis-free)
            assertGeometry(dnc, k, g.dncGeometry(), at);
            assertGeometry(lr, k, g.lowRankGeometry(), at);
        }
    }

    private static void assertGeometry(Factors f, int k, ClassGeometry expectedFromCode, String at) {
        DMatrixRMaj wl = f.ws()[f.ws().length - 1];
        double[][] w = Linalg.array(wl);
        ClassGeometry explicit = ClassGeometry.fromVectors(w, f.penultimateMeans(k));
        double[][][] a = {explicit.classifierGram(), explicit.meanGram(), explicit.logits()};
        double[][][] b = {expectedFromCode.classifierGram(), expectedFromCode.meanGram(), expectedFromCode.logits()};
        for (int m = 0; m < 3; m++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    assertEquals(a[m][i][j], b[m][i][j], 1e-9 * Math.max(1, Math.abs(a[m][i][j])), at + " matrix " + m);
                }
            }
        }
    }

    @Test
    void imbalancedSizesUseTheExactReducedLoss() {
        int[] counts = {6, 4, 3, 2, 2};
        int layers = 2;
        double lambda = Math.pow(2, -7);
        DeepUfmGeometry g = DeepUfmGeometry.of(ClassSizes.of(counts), layers, lambda);
        // explicit objective at the predicted scales
        assertEquals(g.dnc().loss(), svdFactors(simplex(5), counts, layers, g.dnc().scale(), 3).objective(lambda), 1e-11);
        assertEquals(g.lowRank().loss(),
                svdFactors(pairsPattern(5), counts, layers, g.lowRank().scale(), 4).objective(lambda), 1e-11);
        // and the predicted scales minimise the explicit objective
        double[] dnc = minimise(t -> svdFactors(simplex(5), counts, layers, t, 3).objective(lambda), 30, 600);
        double[] lr = minimise(t -> svdFactors(pairsPattern(5), counts, layers, t, 4).objective(lambda), 30, 600);
        assertEquals(dnc[1], g.dnc().loss(), 1e-10);
        assertEquals(lr[1], g.lowRank().loss(), 1e-10);
        assertEquals(dnc[0], g.dnc().scale(), 1e-4);
        assertEquals(lr[0], g.lowRank().scale(), 1e-4);
        // generalised Eq. (19): its large root is the optimal DNC scale
        assertEquals(g.dnc().scale(), g.criticalScale().largeRoot(), 1e-8);
        assertEquals(false, g.details().get("balanced"));
        assertTrue(((String) g.details().get("note")).contains("balanced"));
        // geometry of the winner reproduces the explicit factors' Gram data
        String winner = g.winner();
        double[][] pattern = "lowRank".equals(winner) ? pairsPattern(5) : simplex(5);
        double scale = "lowRank".equals(winner) ? g.lowRank().scale() : g.dnc().scale();
        assertGeometry(svdFactors(pattern, counts, layers, scale, 5), 5, g.geometry(), "imbalanced");
    }

    @Test
    void dncGeometryIsTheSimplexEtfWithPropositionOneScales() {
        int k = 6;
        int n = 4;
        int layers = 3;
        DeepUfmGeometry g = DeepUfmGeometry.of(ClassSizes.balanced(k, n), layers, 1e-3);
        double alpha = g.dnc().scale();
        ClassGeometry geo = g.dncGeometry();
        double[][] logits = geo.logits();
        double[][] meanCos = geo.meanCosines();
        double[][] wCos = geo.classifierCosines();
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                assertEquals(alpha * ((i == j ? 1 : 0) - 1.0 / k), logits[i][j], 1e-10);
                assertEquals(i == j ? 1 : -1.0 / (k - 1), meanCos[i][j], 1e-10);
                assertEquals(i == j ? 1 : -1.0 / (k - 1), wCos[i][j], 1e-10);
            }
        }
        // Proposition 1: nonzero singular values of the penultimate means are n^{-1/2}(α√n)^{L/(L+1)}
        double expected = Math.pow(alpha * Math.sqrt(n), (double) layers / (layers + 1)) / Math.sqrt(n);
        double[] sv = Linalg.singularValues(Linalg.matrix(geo.meanGram()));
        for (int i = 0; i < k - 1; i++) {
            assertEquals(expected * expected, sv[i], 1e-10 * expected * expected);
        }
        assertEquals(0, sv[k - 1], 1e-10);
    }

    // ---------------------------------------------------------------- Eq. (19)

    @Test
    void criticalScaleRootsSolveEquation19() {
        int[][] cases = {{10, 2, 5}, {10, 3, 5}, {4, 2, 1}, {10, 1, 5}};
        double[] lambdas = {LAMBDA_10, Math.pow(2, -6), Math.pow(2, -7)};
        for (int[] c : cases) {
            int k = c[0];
            int layers = c[1];
            int n = c[2];
            for (double lambda : lambdas) {
                DeepUfmGeometry g = DeepUfmGeometry.of(ClassSizes.balanced(k, n), layers, lambda);
                double lhs = lambda * Math.pow(n, 1.0 / (layers + 1));
                double[] roots = g.criticalScale().roots();
                assertTrue(roots.length >= 1, "K=" + k + " L=" + layers);
                for (double a : roots) {
                    double f = Math.pow(a, (layers - 1.0) / (layers + 1)) / (Math.exp(a) + k - 1);
                    assertEquals(lhs, f, 1e-12 * lhs, "root " + a);
                    if (a < 0.1) {
                        continue; // the small root: a central difference of the explicit objective is too noisy there
                    }
                    // a critical point along the scale of the explicit objective: central difference ≈ 0
                    double h = 1e-4 * a;
                    double dE = (symmetricFactors(simplex(k), n, layers, a + h, 7).objective(lambda)
                            - symmetricFactors(simplex(k), n, layers, a - h, 7).objective(lambda)) / (2 * h);
                    assertEquals(0, dE, 1e-7, "dE/dalpha at root " + a);
                }
                assertEquals(layers == 1 ? 1 : 2, roots.length);
                // the large root is the optimal DNC scale (found here by golden section)
                assertEquals(minimise(a -> dncLoss(k, layers, lambda, n, a), 40)[0], g.criticalScale().largeRoot(), 1e-5);
            }
        }
        DeepUfmGeometry a = DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 2, LAMBDA_10);
        assertEquals(7.03754, a.criticalScale().largeRoot(), 1e-5);
        assertEquals(0.086261, a.criticalScale().maxF(), 1e-6);
        assertEquals(1.2195, a.criticalScale().argmaxF(), 1e-4);
        double[] r6 = DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 2, Math.pow(2, -6)).criticalScale().roots();
        assertArrayEquals(new double[] {0.01918, 3.91143}, r6, 1e-5);
        DncCriticalScale k4 = DeepUfmGeometry.of(ClassSizes.balanced(4, 1), 2, Math.pow(2, -7)).criticalScale();
        assertEquals(5.4008, k4.largeRoot(), 1e-4);
        assertEquals(0.17766, k4.maxF(), 1e-5);
    }

    @Test
    void noCriticalScaleAboveTheMaximumOfF() {
        DncCriticalScale c = DncCriticalScale.solve(10, 2, 0.1, 1);
        assertEquals(0, c.roots().length);
        assertTrue(Double.isNaN(c.largeRoot()));
        // and the grid confirms max f
        double max = 0;
        for (int i = 0; i <= 200_000; i++) {
            max = Math.max(max, DncCriticalScale.f(i * 1e-4, 10, 2));
        }
        assertEquals(max, c.maxF(), 1e-9);
    }

    // ---------------------------------------------------------------- thresholds

    @Test
    void theoremOneBothSides() {
        // Theorem 1 predicate (spec §7.1): L = 2 from K = 6, L >= 3 from K = 4, never for L = 1
        assertFalse(DeepUfmThresholds.theorem1(5, 2));
        assertTrue(DeepUfmThresholds.theorem1(6, 2));
        assertFalse(DeepUfmThresholds.theorem1(3, 3));
        assertTrue(DeepUfmThresholds.theorem1(4, 3));
        assertTrue(DeepUfmThresholds.theorem1(5, 3));
        for (int k = 2; k <= 40; k++) {
            assertFalse(DeepUfmThresholds.theorem1(k, 1));
        }
        assertEquals(6, DeepUfmGeometry.of(ClassSizes.balanced(4, 5), 2, 1e-3).thresholds().theorem1MinK());
        assertEquals(4, DeepUfmGeometry.of(ClassSizes.balanced(4, 5), 5, 1e-3).thresholds().theorem1MinK());
        assertEquals(-1, DeepUfmGeometry.of(ClassSizes.balanced(4, 5), 1, 1e-3).thresholds().theorem1MinK());
        // just outside the region (K = 5, L = 2 and K = 3, L = 3) DNC wins at small λ
        for (int[] c : new int[][] {{5, 2}, {3, 3}}) {
            int k = c[0];
            int layers = c[1];
            for (double lambda : new double[] {1e-6, 1e-4}) {
                double[] dnc = minimise(a -> dncLoss(k, layers, lambda, 5, a), 60);
                double[] lr = minimise(b -> pairsLoss(k, layers, lambda, 5, b), 60);
                assertTrue(dnc[1] < lr[1], "K=" + k + " L=" + layers);
                assertEquals("dnc", DeepUfmGeometry.of(ClassSizes.balanced(k, 5), layers, lambda).winner());
            }
        }
        // inside the region the pairs solution wins at every λ (checked by golden section on the closed forms);
        // the proof's inequality: at the same scale the pairs loss is lower
        int[][] inside = {{6, 2}, {4, 3}, {8, 2}, {5, 4}};
        for (int[] c : inside) {
            for (double lambda : new double[] {1e-6, 1e-4, LAMBDA_10, 1e-2}) {
                int k = c[0];
                int layers = c[1];
                assertTrue(DeepUfmThresholds.theorem1(k, layers));
                double[] dnc = minimise(a -> dncLoss(k, layers, lambda, 5, a), 60);
                double[] lr = minimise(b -> pairsLoss(k, layers, lambda, 5, b), 60);
                assertTrue(lr[1] < dnc[1]);
                assertTrue(pairsLoss(k, layers, lambda, 5, dnc[0]) < dnc[1]);
                assertEquals("lowRank", DeepUfmGeometry.of(ClassSizes.balanced(k, 5), layers, lambda).winner());
            }
        }
    }

    @Test
    void lambdaCrossoverOutsideTheoremOne() {
        // K = 4, L = 2, n = 5: pairs win iff λ > 0.0068776 (spec §7.1); K = 5: λ > 0.0243
        double[][] cases = {{4, 0.0068776, 1e-6}, {5, 0.0243, 1e-4}};
        for (double[] c : cases) {
            int k = (int) c[0];
            DeepUfmGeometry g = DeepUfmGeometry.of(ClassSizes.balanced(k, 5), 2, LAMBDA_10);
            double[] crossings = g.thresholds().lambdaCrossovers();
            assertEquals(1, crossings.length, "K=" + k);
            double star = crossings[0];
            assertEquals(c[1], star, c[2]);
            for (double factor : new double[] {0.98, 1.02}) {
                double lambda = star * factor;
                double[] dnc = minimise(a -> dncLoss(k, 2, lambda, 5, a), 40);
                double[] lr = minimise(b -> pairsLoss(k, 2, lambda, 5, b), 40);
                String expected = factor < 1 ? "dnc" : "lowRank";
                assertEquals(expected, lr[1] < dnc[1] ? "lowRank" : "dnc", "golden section, factor " + factor);
                assertEquals(expected, DeepUfmGeometry.of(ClassSizes.balanced(k, 5), 2, lambda).winner());
            }
            // at the crossover both optimal losses agree
            DeepUfmGeometry at = DeepUfmGeometry.of(ClassSizes.balanced(k, 5), 2, star);
            assertEquals(at.dnc().loss(), at.lowRank().loss(), 1e-10);
        }
        // inside Theorem 1 and for L = 1 there is no crossover
        assertEquals(0, DeepUfmGeometry.of(ClassSizes.balanced(6, 5), 2, LAMBDA_10).thresholds().lambdaCrossovers().length);
        assertEquals(0, DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 1, LAMBDA_10).thresholds().lambdaCrossovers().length);
    }

    @Test
    void oneLayerDncWinsAtEveryLambda() {
        for (int k : new int[] {3, 4, 10}) {
            for (double lambda : new double[] {1e-8, 1e-5, LAMBDA_10, 1e-2}) {
                DeepUfmGeometry g = DeepUfmGeometry.of(ClassSizes.balanced(k, 5), 1, lambda);
                double[] dnc = minimise(a -> dncLoss(k, 1, lambda, 5, a), 60);
                double[] lr = minimise(b -> pairsLoss(k, 1, lambda, 5, b), 60);
                assertTrue(dnc[1] < lr[1], "K=" + k + " lambda=" + lambda);
                assertEquals("dnc", g.winner(), "K=" + k + " lambda=" + lambda);
                assertFalse(g.thresholds().theorem1LowRankBeatsDnc());
            }
        }
    }

    @Test
    void theoremSevenTable() {
        // minimum even / odd K per L (spec §7.1); L <= 3: none
        int[][] table = {{4, 14, 17}, {5, 10, 11}, {6, 8, 11}, {7, 8, 9}, {8, 6, 9}, {9, 6, 9}, {10, 6, 7}};
        for (int[] row : table) {
            DeepUfmThresholds t = DeepUfmGeometry.of(ClassSizes.balanced(4, 2), row[0], 1e-3).thresholds();
            assertEquals(row[1], t.theorem7MinEvenK(), "L=" + row[0]);
            assertEquals(row[2], t.theorem7MinOddK(), "L=" + row[0]);
            assertFalse(DeepUfmThresholds.theorem7(row[1] - 2, row[0]));
            assertTrue(DeepUfmThresholds.theorem7(row[1], row[0]));
            assertFalse(DeepUfmThresholds.theorem7(row[2] - 2, row[0]));
            assertTrue(DeepUfmThresholds.theorem7(row[2], row[0]));
        }
        for (int layers = 1; layers <= 3; layers++) {
            DeepUfmThresholds t = DeepUfmGeometry.of(ClassSizes.balanced(4, 2), layers, 1e-3).thresholds();
            assertEquals(-1, t.theorem7MinEvenK());
            assertEquals(-1, t.theorem7MinOddK());
        }
        assertTrue(DeepUfmThresholds.theorem7Paper(16, 4));
        assertFalse(DeepUfmThresholds.theorem7Paper(15, 4));
        assertTrue(DeepUfmThresholds.theorem7Paper(10, 5));
        assertFalse(DeepUfmThresholds.theorem7Paper(9, 5));
        // the paper's statement is implied by the per-parity predicate
        for (int layers = 4; layers <= 8; layers++) {
            for (int k = 2; k <= 40; k++) {
                assertTrue(!DeepUfmThresholds.theorem7Paper(k, layers) || DeepUfmThresholds.theorem7(k, layers));
            }
        }
    }

    // ---------------------------------------------------------------- edge cases and bad input

    @Test
    void twoClassesTieBecauseBothPatternsAreTheSameMatrix() {
        DeepUfmGeometry g = DeepUfmGeometry.of(ClassSizes.balanced(2, 5), 3, 1e-3);
        assertEquals("tie", g.winner());
        assertEquals(g.dnc().loss(), g.lowRank().loss(), 1e-12);
        assertEquals(2 * g.lowRank().scale(), g.dnc().scale(), 1e-8);
    }

    @Test
    void largeLambdaCollapsesToZero() {
        DeepUfmGeometry g = DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 2, 1.0);
        assertEquals(0, g.dnc().scale());
        assertEquals(0, g.lowRank().scale());
        assertEquals(Math.log(10), g.dnc().loss(), 1e-14);
        assertEquals("tie", g.winner());
        assertEquals(0, g.geometry().classifierGram()[0][0]);
        // spec §7.1: K = 10, L = 2 collapse at λ ≥ 0.041261 (DNC) and 0.048291 (pairs)
        assertTrue(DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 2, 0.0412).dnc().scale() > 0);
        assertEquals(0, DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 2, 0.0413).dnc().scale());
        assertTrue(DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 2, 0.0482).lowRank().scale() > 0);
        assertEquals(0, DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 2, 0.0484).lowRank().scale());
    }

    @Test
    void detailsCarryTheDocumentedKeys() {
        DeepUfmGeometry g = DeepUfmGeometry.predict(new TheoryParameters(ClassSizes.balanced(10, 5), null, null,
                LAMBDA_10, null, null, null, null, false));
        assertEquals(2, g.layers());
        assertEquals("deep-ufm", g.model());
        Map<String, Object> d = g.details();
        for (String key : new String[] {"losses", "optimalScales", "thresholds", "winner", "criticalScale"}) {
            assertTrue(d.containsKey(key), key);
        }
        assertEquals(0.080013, detail(g, "losses", "lowRank"), 1e-6);
        assertEquals(7.0375, detail(g, "optimalScales", "dnc"), 1e-4);
        assertEquals(7.03754, detail(g, "criticalScale", "largeRoot"), 1e-5);
        assertEquals("lowRank", d.get("winner"));
        assertEquals(true, d.get("balanced"));
        // winner's geometry: rank-5 pairs → classifier Gram of rank 5
        double[] sv = Linalg.singularValues(Linalg.matrix(g.geometry().classifierGram()));
        assertEquals(5, Linalg.numericalRank(sv, 1e-9));
    }

    @Test
    void badInputIsRejectedWithAMessage() {
        ClassSizes s = ClassSizes.balanced(4, 5);
        assertEquals("lambda must be a finite number > 0, got 0.0",
                assertThrows(InvalidInputException.class, () -> DeepUfmGeometry.of(s, 2, 0)).getMessage());
        assertEquals("lambda must be a finite number > 0, got -1.0",
                assertThrows(InvalidInputException.class, () -> DeepUfmGeometry.of(s, 2, -1)).getMessage());
        assertEquals("lambda must be a finite number > 0, got NaN",
                assertThrows(InvalidInputException.class, () -> DeepUfmGeometry.of(s, 2, Double.NaN)).getMessage());
        assertEquals("number of layers L must be >= 1, got L = 0",
                assertThrows(InvalidInputException.class, () -> DeepUfmGeometry.of(s, 0, 1e-3)).getMessage());
        assertEquals("this model needs --lambda", assertThrows(InvalidInputException.class,
                () -> DeepUfmGeometry.predict(TheoryParameters.of(s))).getMessage());
        assertEquals("--layers must be >= 1, got 0", assertThrows(InvalidInputException.class,
                () -> DeepUfmGeometry.predict(new TheoryParameters(s, null, null, 1e-3, null, null, null, 0, false)))
                .getMessage());
        assertEquals("--lambda must be a finite number > 0, got -0.5", assertThrows(InvalidInputException.class,
                () -> DeepUfmGeometry.predict(new TheoryParameters(s, null, null, -0.5, null, null, null, 2, false)))
                .getMessage());
    }
}
