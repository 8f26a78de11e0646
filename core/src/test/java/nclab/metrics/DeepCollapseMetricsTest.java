package nclab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Test;

class DeepCollapseMetricsTest {
    private static final int K = 10;
    private static final int PER_CLASS = 3;

    private static int[] labels() {
        int[] y = new int[K * PER_CLASS];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % K;
        }
        return y;
    }

    /** Every sample of class k sits exactly at means[k]. */
    private static FeatureRows collapsed(double[][] means) {
        int[] y = labels();
        double[][] h = new double[y.length][];
        for (int i = 0; i < y.length; i++) {
            h[i] = means[y[i]].clone();
        }
        return FeatureRows.of(h);
    }

    /** One-hot class means e_k in R^K (a ReLU layer in orthogonal-frame collapse). */
    private static double[][] oneHot() {
        double[][] m = new double[K][K];
        for (int c = 0; c < K; c++) {
            m[c][c] = 1;
        }
        return m;
    }

    /** Low-rank "pairs" means μ_{2i} = e_i, μ_{2i+1} = −e_i in R^{K/2} (spec 002 §3.2). */
    private static double[][] pairs() {
        double[][] m = new double[K][K / 2];
        for (int i = 0; i < K / 2; i++) {
            m[2 * i][i] = 1;
            m[2 * i + 1][i] = -1;
        }
        return m;
    }

    @Test
    void collapsedLayersAndThePairsStructure() {
        Random rnd = new Random(4);
        FeatureRows noisy = FeatureRows.of(ClassStatisticsTest.randomFeatures(K * PER_CLASS, 6, rnd));
        List<Map<String, Double>> out = DeepCollapseMetrics.perLayer(List.of(noisy, collapsed(oneHot()), collapsed(pairs())), labels());
        assertEquals(3, out.size());

        Map<String, Double> first = out.get(0);
        assertEquals(0.0, first.get("layer"));
        assertTrue(first.get("dnc1") > 0.1, "random layer is not collapsed: " + first.get("dnc1"));
        assertTrue(Double.isNaN(first.get("dnc3")), "no weights given");

        Map<String, Double> relu = out.get(1);
        assertEquals(0, relu.get("dnc1"), 1e-10);
        assertEquals(0, relu.get("dnc1_quot"), 1e-10);
        // centred one-hot means have Gram I − 11ᵀ/K: a simplex ETF; uncentred they are an orthogonal frame
        assertEquals(0, relu.get("dnc2_etf"), 1e-12);
        assertEquals(0, relu.get("dnc2_of"), 1e-12);
        assertEquals(K - 1, relu.get("rank_M"));
        // r_l = √K‖μ_G‖ / ‖M̃‖_F = 1/√(K−1)
        assertEquals(1 / Math.sqrt(K - 1), relu.get("global_mean_ratio"), 1e-12);

        Map<String, Double> low = out.get(2);
        assertEquals(0, low.get("dnc1"), 1e-10);
        // ⟨G, S⟩ = tr G = K, ‖G‖_F = √(2K), ‖S‖_F = √(K−1): distance² = 2 − 2K/(√(2K)√(K−1)) (0.714 at K = 10)
        double expected = Math.sqrt(2 - 2.0 * K / (Math.sqrt(2.0 * K) * Math.sqrt(K - 1)));
        assertEquals(expected, low.get("dnc2_etf"), 1e-12);
        assertEquals(0.714, low.get("dnc2_etf"), 5e-4);
        assertEquals(K / 2, low.get("rank_M"));
        assertEquals(Math.sqrt(2), low.get("sigma_max"), 1e-12);
    }

    @Test
    void dnc3MeasuresTheWeightOutsideTheSpanOfTheCentredMeans() {
        double[][] inSpan = new double[3][K];
        Random rnd = new Random(8);
        for (double[] row : inSpan) {
            double mean = 0;
            for (int j = 0; j < K; j++) {
                row[j] = rnd.nextGaussian();
                mean += row[j] / K;
            }
            for (int j = 0; j < K; j++) {
                row[j] -= mean; // centred one-hot means span 1⊥
            }
        }
        double[][] mixed = new double[2][K];
        Arrays.fill(mixed[0], 1); // orthogonal to 1⊥
        mixed[1][0] = 1;
        mixed[1][1] = -1;
        FeatureRows layer = collapsed(oneHot());
        List<Map<String, Double>> out = DeepCollapseMetrics.perLayer(List.of(layer, layer), labels(), Arrays.asList(inSpan, mixed));
        assertEquals(0, out.get(0).get("dnc3"), 1e-12);
        assertEquals(Math.sqrt(10.0 / 12), out.get(1).get("dnc3"), 1e-12);
    }

    @Test
    void badInputsNameTheLayer() {
        FeatureRows good = collapsed(oneHot());
        FeatureRows shortLayer = FeatureRows.of(new double[][] {{1, 2}});
        InvalidInputException rows = assertThrows(InvalidInputException.class,
                () -> DeepCollapseMetrics.perLayer(List.of(good, shortLayer), labels()));
        assertEquals("layer 1: features have 1 rows but there are 30 labels", rows.getMessage());
        InvalidInputException count = assertThrows(InvalidInputException.class,
                () -> DeepCollapseMetrics.perLayer(List.of(good), labels(), Arrays.asList(null, null)));
        assertEquals("got 2 weight matrices for 1 layers", count.getMessage());
        InvalidInputException width = assertThrows(InvalidInputException.class,
                () -> DeepCollapseMetrics.perLayer(List.of(good), labels(), List.<double[][]>of(new double[][] {{1, 2}})));
        assertEquals("layer 0: weight row 0 has width 2 but the features have d = 10", width.getMessage());
    }
}
