package nclab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Test;

class ClassStatisticsTest {
    static double[][] randomFeatures(int n, int d, Random rnd) {
        double[][] h = new double[n][d];
        for (double[] row : h) {
            for (int j = 0; j < d; j++) {
                row[j] = rnd.nextGaussian() + 0.3 * j;
            }
        }
        return h;
    }

    static int[] randomLabels(int n, int k, Random rnd) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i < k ? i : rnd.nextInt(k) == 0 ? 0 : rnd.nextInt(k);
        }
        return y;
    }

    /** Dense reference: class means and Σ_W = (1/N) Σ_i (h_i − μ)(h_i − μ)ᵀ by per-sample outer products. */
    static double[][] denseWithin(double[][] h, int[] y, int k, double[][] meansOut) {
        int n = h.length;
        int d = h[0].length;
        int[] cnt = new int[k];
        for (int i = 0; i < n; i++) {
            cnt[y[i]]++;
            for (int j = 0; j < d; j++) {
                meansOut[y[i]][j] += h[i][j];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                meansOut[c][j] /= cnt[c];
            }
        }
        double[][] sw = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    sw[a][b] += (h[i][a] - meansOut[y[i]][a]) * (h[i][b] - meansOut[y[i]][b]) / n;
                }
            }
        }
        return sw;
    }

    /** Orthogonal projector onto the row span of m (K×d), Π = M⁺M with EJML's dense pseudo-inverse. */
    static double[][] projector(double[][] m) {
        return nclab.linalg.Linalg.array(nclab.linalg.Linalg.multiply(
                nclab.linalg.Linalg.pinv(nclab.linalg.Linalg.matrix(m), 1e-12), nclab.linalg.Linalg.matrix(m)));
    }

    static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int t = 0; t < b.length; t++) {
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += a[i][t] * b[t][j];
                }
            }
        }
        return c;
    }

    @Test
    void streamingEqualsDenseComputation() {
        Random rnd = new Random(11);
        int n = 613; // not a multiple of the block size
        int d = 7;
        int k = 4;
        double[][] h = randomFeatures(n, d, rnd);
        int[] y = randomLabels(n, k, rnd);
        int[] scans = {0};
        FeatureRows base = FeatureRows.of(h);
        FeatureRows counting = new FeatureRows() {
            public int rows() {
                return n;
            }

            public int cols() {
                return d;
            }

            public void scan(RowVisitor v) {
                scans[0]++;
                base.scan(v);
            }
        };
        ClassStatistics s = ClassStatistics.compute(counting, y, k);
        assertEquals(2, scans[0], "two passes over the rows");
        double[][] means = new double[k][d];
        double[][] sw = denseWithin(h, y, k, means);
        for (int c = 0; c < k; c++) {
            assertArrayEquals(means[c], s.means()[c], 1e-12);
        }
        // Σ_W is kept only on the span of the means (Π = M⁺M, built here by a dense pseudo-inverse)
        double[][] pi = projector(means);
        double[][] compressed = multiply(multiply(pi, sw), pi);
        for (int a = 0; a < d; a++) {
            assertArrayEquals(compressed[a], s.withinCovarianceOnMeanSpan()[a], 1e-12);
        }
        double trace = 0;
        for (int a = 0; a < d; a++) {
            trace += sw[a][a];
        }
        assertEquals(trace, s.withinTrace(), 1e-12);
        double[][] p = s.meanBasis();
        assertEquals(k, p.length);
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                assertEquals(a == b ? 1 : 0, CollapseMetrics.dot(p[a], p[b]), 1e-12, "orthonormal basis");
            }
        }
        double[] global = new double[d];
        for (double[] row : h) {
            for (int j = 0; j < d; j++) {
                global[j] += row[j] / n;
            }
        }
        assertArrayEquals(global, s.globalMean(), 1e-12);
        assertEquals(n, s.total());
    }

    @Test
    void centringsAndBetweenCovariance() {
        // class 0: two samples at (1,0) and (3,0); class 1: one sample at (0,3)
        double[][] h = {{1, 0}, {3, 0}, {0, 3}};
        int[] y = {0, 0, 1};
        ClassStatistics s = ClassStatistics.compute(FeatureRows.of(h), y, 2);
        assertArrayEquals(new int[] {2, 1}, s.counts());
        assertArrayEquals(new double[] {2, 0}, s.means()[0], 1e-15);
        assertArrayEquals(new double[] {4.0 / 3, 1}, s.centre(Centring.SAMPLE_WEIGHTED), 1e-15);
        assertArrayEquals(new double[] {1, 1.5}, s.centre(Centring.CLASS_BALANCED), 1e-15);
        assertArrayEquals(new double[] {0, 0}, s.centre(Centring.NONE), 1e-15);
        assertArrayEquals(new double[] {1, -1.5}, s.means(Centring.CLASS_BALANCED)[0], 1e-15);
        // Σ_B = (1/2)[(1,-1.5)(1,-1.5)ᵀ + (-1,1.5)(-1,1.5)ᵀ] = [[1,-1.5],[-1.5,2.25]]
        double[][] sb = s.betweenCovariance(Centring.CLASS_BALANCED);
        assertArrayEquals(new double[] {1, -1.5}, sb[0], 1e-15);
        assertArrayEquals(new double[] {-1.5, 2.25}, sb[1], 1e-15);
        // Σ_W = (1/3)[(−1,0)(−1,0)ᵀ + (1,0)(1,0)ᵀ] = diag(2/3, 0)
        // the means span R², so Σ_W on their span is all of Σ_W
        assertArrayEquals(new double[] {2.0 / 3, 0}, s.withinCovarianceOnMeanSpan()[0], 1e-15);
        assertEquals(2.0 / 3, s.withinTrace(), 1e-15);
    }

    @Test
    void badInputsAreNamed() {
        FeatureRows h = FeatureRows.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        InvalidInputException range = assertThrows(InvalidInputException.class,
                () -> ClassStatistics.compute(h, new int[] {0, 2, 1}, 2));
        assertEquals("label 2 at row 1 is outside [0, 2)", range.getMessage());
        InvalidInputException negative = assertThrows(InvalidInputException.class,
                () -> ClassStatistics.compute(h, new int[] {0, -1, 1}, 2));
        assertEquals("label -1 at row 1 is outside [0, 2)", negative.getMessage());
        InvalidInputException length = assertThrows(InvalidInputException.class,
                () -> ClassStatistics.compute(h, new int[] {0, 1}, 2));
        assertEquals("features have 3 rows but there are 2 labels", length.getMessage());
        InvalidInputException empty = assertThrows(InvalidInputException.class,
                () -> ClassStatistics.compute(h, new int[] {0, 2, 0}, 3));
        assertEquals("class 1 has no samples (every class in [0, 3) needs at least one)", empty.getMessage());
        InvalidInputException oneClass = assertThrows(InvalidInputException.class,
                () -> ClassStatistics.compute(h, new int[] {0, 0, 0}, 1));
        assertTrue(oneClass.getMessage().contains("K must be >= 2, got 1"));
    }
}
