package nclab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class CollapseScanTest {

    /** The same rows without range scans: served by one sequential scan. */
    private static FeatureRows sequential(double[][] h) {
        FeatureRows base = FeatureRows.of(h);
        return new FeatureRows() {
            public int rows() {
                return base.rows();
            }

            public int cols() {
                return base.cols();
            }

            public void scan(RowVisitor v) {
                base.scan(v);
            }
        };
    }

    @Test
    void parallelChunksGiveBitIdenticalResultsToOneSequentialScan() {
        Random rnd = new Random(8);
        int n = 2 * CollapseScan.CHUNK_ROWS + 301; // three chunks, the last partial
        int d = 6;
        int k = 4;
        double[][] h = ClassStatisticsTest.randomFeatures(n, d, rnd);
        int[] y = ClassStatisticsTest.randomLabels(n, k, rnd);
        double[][] w = ClassStatisticsTest.randomFeatures(k, d, rnd);
        CollapseScan parallel = CollapseScan.run(FeatureRows.of(h), y, k, w, null);
        CollapseScan serial = CollapseScan.run(sequential(h), y, k, w, null);
        assertEquals(serial.statistics(), parallel.statistics());
        assertEquals(serial.agreement().agreeing(), parallel.agreement().agreeing());
        assertArrayEquals(serial.agreement().correctPerClass(), parallel.agreement().correctPerClass());
        Map<String, Object> a = CollapseMetrics.compute(FeatureRows.of(h), y, w, null);
        Map<String, Object> b = CollapseMetrics.compute(sequential(h), y, w, null);
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) {
            if (a.get(key) instanceof double[] v) {
                assertArrayEquals(v, (double[]) b.get(key), 0.0, key);
            } else {
                assertEquals(a.get(key), b.get(key), key);
            }
        }
    }

    @Test
    void predictionsAndNearestCentresMatchBruteForceOverSeveralChunks() {
        Random rnd = new Random(9);
        int n = CollapseScan.CHUNK_ROWS + 777;
        int d = 7;
        int k = 5;
        double[][] h = new double[n][d];
        int[] y = new int[n];
        double[][] centres = ClassStatisticsTest.randomFeatures(k, d, rnd);
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            for (int j = 0; j < d; j++) {
                h[i][j] = centres[y[i]][j] + 1.5 * rnd.nextGaussian(); // noisy: many NCC and argmax errors
            }
        }
        double[][] w = ClassStatisticsTest.randomFeatures(k, d, rnd);
        double[] bias = {0.3, -0.2, 0.1, 0, -0.4};
        CollapseScan scan = CollapseScan.run(FeatureRows.of(h), y, k, w, bias);
        double[][] means = scan.statistics().means();
        int agree = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int pred = 0;
            int ncc = 0;
            double best = Double.NEGATIVE_INFINITY;
            double nearest = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double z = CollapseMetrics.dot(w[c], h[i]) + bias[c];
                if (z > best) {
                    best = z;
                    pred = c;
                }
                double dist = 0;
                for (int j = 0; j < d; j++) {
                    dist += (h[i][j] - means[c][j]) * (h[i][j] - means[c][j]);
                }
                if (dist < nearest) {
                    nearest = dist;
                    ncc = c;
                }
            }
            agree += pred == ncc ? 1 : 0;
            correct += pred == y[i] ? 1 : 0;
        }
        assertTrue(agree < n - 100 && correct < n - 100, "the case must have disagreements: " + agree + ", " + correct);
        assertEquals(agree, scan.agreement().agreeing());
        assertEquals(correct, scan.agreement().correct());
        assertEquals(n, scan.agreement().rows());
    }

    @Test
    void exactlyCollapsedFeaturesHaveZeroWithinSpread() {
        // h_i = μ_{y_i} with dyadic entries, so the means are exact and every h_i − μ_{y_i} is exactly 0
        int k = 3;
        double[][] mu = {{1, 0.5, 0, 2}, {0, -1, 0.25, 0}, {-2, 0, 0, 1}};
        int n = CollapseScan.CHUNK_ROWS + 5;
        double[][] h = new double[n][];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            h[i] = mu[y[i]].clone();
        }
        ClassStatistics s = ClassStatistics.compute(FeatureRows.of(h), y, k);
        assertEquals(0, s.withinTrace(), 0);
        for (double[] row : s.projectedWithin()) {
            assertArrayEquals(new double[k], row, 0);
        }
        assertEquals(0, CollapseMetrics.nc1Pinv(s, Centring.CLASS_BALANCED, 1e-10), 0);
    }
}
