package nclab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import nclab.InvalidInputException;
import nclab.linalg.Linalg;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class CollapseMetricsTest {
    private static double num(Map<String, Object> m, String key) {
        assertTrue(m.containsKey(key), "missing " + key);
        return ((Number) m.get(key)).doubleValue();
    }

    @Test
    void exactEtfWithoutNoiseHasZeroCollapseMetrics() {
        // μ_k = 2(e_k − 1/K) (rotated into d = 9 by a fixed orthogonal map), w_k = μ_k/2, h_i = μ_{y_i};
        // built directly (SyntheticCollapse factors a rank-deficient Gram, whose √round-off is ~1e-8 in W − M).
        int k = 4;
        int d = 9;
        int[] sizes = {7, 3, 5, 2};
        double[][] rot = Linalg.array(Linalg.svd(Linalg.matrix(ClassStatisticsTest.randomFeatures(d, d, new Random(2)))).u());
        double[][] mu = new double[k][d];
        double[][] w = new double[k][d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                for (int t = 0; t < k; t++) {
                    mu[c][j] += rot[j][t] * 2 * ((c == t ? 1.0 : 0.0) - 1.0 / k);
                }
                w[c][j] = mu[c][j] / 2;
            }
        }
        int n = 17;
        double[][] h = new double[n][];
        int[] y = new int[n];
        for (int c = 0, row = 0; c < k; c++) {
            for (int i = 0; i < sizes[c]; i++, row++) {
                h[row] = mu[c].clone();
                y[row] = c;
            }
        }
        Map<String, Object> m = CollapseMetrics.compute(FeatureRows.of(h), y, w, null);
        for (String key : new String[] {"nc1_pinv", "nc1_pinv_balanced", "nc1_quot", "norm_M_CoV", "norm_W_CoV", "cos_M",
                "cos_W", "cos_M_std", "cos_W_std", "nc2_etf_err", "nc2_etf_err_W", "W_M_dist"}) {
            assertEquals(0, num(m, key), 1e-10, key);
        }
        assertEquals(1, num(m, "nc4_agree"), 0);
        assertEquals(0, num(m, "NCC_mismatch"), 0);
        assertEquals(1, num(m, "accuracy"), 0);
        assertEquals(1, num(m, "norm_ratio_W"), 1e-10);
        assertEquals(3, num(m, "rank_W"));
        assertEquals(3, num(m, "rank_M"));
        assertEquals(3, num(m, "rank_WM"));
        double[] sv = (double[]) m.get("sv_M");
        // M̃M̃ᵀ = 4S has eigenvalues 4 (×3) and 0, so σ(M̃) = 2, 2, 2, 0
        assertArrayEquals(new double[] {2, 2, 2, 0}, sv, 1e-10);
        assertEquals(4, num(m, "k"));
        assertEquals(17, num(m, "n"));
        assertEquals(9, num(m, "d"));
        // Under imbalance the sample-weighted mean is not the centre of the ETF: Σ_B changes rank.
        assertTrue(num(m, "nc1_pinv_weighted") < 1e-10, "still no within-class spread");
    }

    @Test
    void nc1MatchesDensePseudoInverseOnRandomData() {
        Random rnd = new Random(3);
        int n = 300;
        int d = 6;
        int k = 4;
        double[][] h = ClassStatisticsTest.randomFeatures(n, d, rnd);
        int[] y = ClassStatisticsTest.randomLabels(n, k, rnd);
        double[][] w = ClassStatisticsTest.randomFeatures(k, d, rnd);
        Map<String, Object> m = CollapseMetrics.compute(FeatureRows.of(h), y, w, null);
        double[][] means = new double[k][d];
        double[][] sw = ClassStatisticsTest.denseWithin(h, y, k, means);
        int[] cnt = new int[k];
        for (int label : y) {
            cnt[label]++;
        }
        double[] balanced = new double[d];
        double[] weighted = new double[d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                balanced[j] += means[c][j] / k;
                weighted[j] += means[c][j] * cnt[c] / n;
            }
        }
        double[] dense = denseNc1(sw, means, balanced);
        assertEquals(dense[0], num(m, "nc1_pinv"), 1e-9 * dense[0]);
        assertEquals(dense[0], num(m, "nc1_pinv_balanced"), 1e-9 * dense[0]);
        assertEquals(dense[1], num(m, "nc1_quot"), 1e-12 * dense[1]);
        double[] denseW = denseNc1(sw, means, weighted);
        assertEquals(denseW[0], num(m, "nc1_pinv_weighted"), 1e-9 * denseW[0]);
        assertTrue(Math.abs(dense[0] - denseW[0]) > 1e-3 * dense[0], "centrings differ under imbalance");
        assertTrue(dense[0] > 1, "random features are far from collapse: " + dense[0]);
    }

    /** {tr(Σ_W Σ_B⁺)/K with a d×d pinv, tr Σ_W / tr Σ_B}, Σ_B built by explicit outer products. */
    private static double[] denseNc1(double[][] sw, double[][] means, double[] centre) {
        int k = means.length;
        int d = centre.length;
        double[][] sb = new double[d][d];
        for (double[] mu : means) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    sb[a][b] += (mu[a] - centre[a]) * (mu[b] - centre[b]) / k;
                }
            }
        }
        DMatrixRMaj prod = Linalg.multiply(Linalg.matrix(sw), Linalg.pinv(Linalg.matrix(sb), Linalg.DEFAULT_REL_TOL));
        double tr = 0;
        double trW = 0;
        double trB = 0;
        for (int i = 0; i < d; i++) {
            tr += prod.get(i, i);
            trW += sw[i][i];
            trB += sb[i][i];
        }
        return new double[] {tr / k, trW / trB};
    }

    @Test
    void nc4AndAccuracyOnHandMadeCase() {
        // class 0 (4 samples, minority): mean (1,0); class 1 (5 samples, majority): mean (6,0)
        double[][] h = {{0, 0}, {3, 0}, {0, 1}, {1, -1}, {5, 0}, {7, 0}, {6, 2}, {6, -2}, {6, 0}};
        int[] y = {0, 0, 0, 0, 1, 1, 1, 1, 1};
        double[][] w = {{-1, 0}, {1, 0}};
        // with bias (0, −4): class 1 iff x > 2; nearest centre: class 1 iff x > 3.5 ⇒ only (3,0) disagrees
        Map<String, Object> m = CollapseMetrics.compute(FeatureRows.of(h), y, w, new double[] {0, -4});
        assertEquals(8.0 / 9, num(m, "nc4_agree"), 1e-15);
        assertEquals(1.0 / 9, num(m, "NCC_mismatch"), 1e-15);
        assertEquals(8.0 / 9, num(m, "accuracy"), 1e-15);
        assertEquals(3.0 / 4, num(m, "accuracy_minority"), 1e-15);
        assertEquals(1.0, num(m, "accuracy_majority"), 1e-15);
        // no bias: class 1 iff x > 0 (ties to class 0) ⇒ (3,0) and (1,−1) disagree with the nearest centre
        Map<String, Object> nb = CollapseMetrics.compute(FeatureRows.of(h), y, w, null);
        assertEquals(7.0 / 9, num(nb, "nc4_agree"), 1e-15);
        assertEquals(7.0 / 9, num(nb, "accuracy"), 1e-15);
    }

    @Test
    void minorityCosinesNormVariationAndNormRatioOnHandMadeClassifier() {
        int[] y = {0, 0, 0, 0, 1, 1, 1, 1, 2, 3, 4};
        double[][] h = ClassStatisticsTest.randomFeatures(y.length, 4, new Random(1));
        double s3 = Math.sqrt(3);
        double[][] w = {{2, 0, 0, 0}, {0, 4, 0, 0}, {1, 0, 0, 0}, {1, s3, 0, 0}, {0, 0, 3, 0}};
        Map<String, Object> m = CollapseMetrics.compute(FeatureRows.of(h), y, w, null);
        // minority = classes 2, 3, 4: cosines 1/2, 0, 0; norms 1, 2, 3
        assertEquals(1.0 / 6, num(m, "minority_cos_W_avg"), 1e-14);
        assertEquals(0.5, num(m, "minority_cos_W_spread"), 1e-14);
        assertEquals(Math.sqrt(2.0 / 3) / 2, num(m, "norm_variation_W"), 1e-14);
        // majority norms 2, 4 over minority norms 1, 2, 3: mean of ratios = 3 · (1 + 1/2 + 1/3)/3
        assertEquals(11.0 / 6, num(m, "norm_ratio_W"), 1e-14);
        assertEquals(0.0, num(m, "majority_cos_W_avg"), 1e-14);
        assertEquals(Math.sqrt(13.0 / 34), num(m, "minority_W_collapse"), 1e-14);
        assertEquals(0, num(m, "minority_W_zero"));
        assertEquals(3, num(m, "rank_W"));

        double[][] collapsed = {{2, 0, 0, 0}, {0, 4, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
        Map<String, Object> c = CollapseMetrics.compute(FeatureRows.of(h), y, collapsed, null);
        assertEquals(3, num(c, "minority_W_zero"));
        assertTrue(Double.isNaN(num(c, "minority_cos_W_avg")), "0/0 cosines are undefined");
        assertEquals(0, num(c, "minority_W_collapse"), 0);
    }

    @Test
    void reluUfmMetricsOnHandMadeCase() {
        // class 0: one sample at (1,0); class 1: four samples at (0,1)
        double[][] h = {{1, 0}, {0, 1}, {0, 1}, {0, 1}, {0, 1}};
        int[] y = {0, 1, 1, 1, 1};
        // eq. 20 target: row k = K√n_k μ_k − Σ √n_m μ_m = (1,−2) and (−1,2)
        double[][] dual = {{1, -2}, {-1, 2}};
        Map<String, Object> exact = CollapseMetrics.compute(FeatureRows.of(h), y, dual, null, Centring.NONE, null);
        assertEquals(0, num(exact, "relu_nc2"), 1e-15);
        assertTrue(Double.isNaN(num(exact, "relu_nc3")), "no M_k given");

        double[][] eye = {{1, 0}, {0, 1}};
        Map<String, Object> m = CollapseMetrics.compute(FeatureRows.of(h), y, eye, null, Centring.NONE, new double[] {1, 1});
        double r2 = 1 / Math.sqrt(2);
        double r10 = 1 / Math.sqrt(10);
        double nc2 = Math.sqrt(Math.pow(r2 - r10, 2) + 4 * r10 * r10 + r10 * r10 + Math.pow(r2 - 2 * r10, 2));
        assertEquals(nc2, num(m, "relu_nc2"), 1e-15);
        // Z = W H̄ = I; target M_k(δ − 1/2) = [[.5, −.5], [−.5, .5]] with ‖·‖_F = 1
        double nc3 = Math.sqrt(2 * Math.pow(r2 - 0.5, 2) + 2 * 0.25);
        assertEquals(nc3, num(m, "relu_nc3"), 1e-15);
        Map<String, Object> aligned = CollapseMetrics.compute(FeatureRows.of(h), y, new double[][] {{1, -1}, {-1, 1}},
                null, Centring.NONE, new double[] {3, 3});
        assertEquals(0, num(aligned, "relu_nc3"), 1e-15);
    }

    @Test
    void badInputMessages() {
        FeatureRows h = FeatureRows.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        double[][] w = {{1, 0, 0}, {0, 1, 0}};
        InvalidInputException width = assertThrows(InvalidInputException.class,
                () -> CollapseMetrics.compute(h, new int[] {0, 1}, new double[][] {{1, 0}, {0, 1}}, null));
        assertEquals("classifier W row 0 has width 2 but the features have d = 3", width.getMessage());
        InvalidInputException bias = assertThrows(InvalidInputException.class,
                () -> CollapseMetrics.compute(h, new int[] {0, 1}, w, new double[] {1, 2, 3}));
        assertEquals("bias has 3 entries but W has K = 2 rows", bias.getMessage());
        InvalidInputException label = assertThrows(InvalidInputException.class,
                () -> CollapseMetrics.compute(h, new int[] {0, 2}, w, null));
        assertEquals("label 2 at row 1 is outside [0, 2)", label.getMessage());
        InvalidInputException length = assertThrows(InvalidInputException.class,
                () -> CollapseMetrics.compute(h, new int[] {0, 1, 1}, w, null));
        assertEquals("features have 2 rows but there are 3 labels", length.getMessage());
        InvalidInputException empty = assertThrows(InvalidInputException.class,
                () -> CollapseMetrics.compute(h, new int[] {0, 0}, w, null));
        assertEquals("class 1 has no samples (every class in [0, 2) needs at least one)", empty.getMessage());
        InvalidInputException one = assertThrows(InvalidInputException.class,
                () -> CollapseMetrics.compute(h, new int[] {0, 0}, new double[][] {{1, 0, 0}}, null));
        assertEquals("classifier W needs at least 2 rows (classes), got 1", one.getMessage());
        InvalidInputException scales = assertThrows(InvalidInputException.class,
                () -> CollapseMetrics.compute(h, new int[] {0, 1}, w, null, Centring.NONE, new double[] {1}));
        assertEquals("ReLU-UFM logit scales M_k: got 1 values for K = 2 classes", scales.getMessage());
    }
}
