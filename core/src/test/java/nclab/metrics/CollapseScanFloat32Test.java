package nclab.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;

import nclab.io.Npy;
import nclab.io.NpyFeatureRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan of a float32 {@code .npy} file, which reads float blocks and widens them inside its own loops,
 * gives bit for bit the results of the same values held in memory as doubles and scanned in one sequential
 * pass over double blocks.
 */
class CollapseScanFloat32Test {
    @TempDir
    Path dir;

    @Test
    void float32FileScanIsBitIdenticalToTheSameValuesInMemory() {
        Random rnd = new Random(21);
        int n = 2 * CollapseScan.CHUNK_ROWS + 301; // three chunks, the last partial
        int d = 9;
        int k = 4;
        double[][] h = ClassStatisticsTest.randomFeatures(n, d, rnd);
        for (double[] row : h) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) row[j]; // the values a float32 file holds
            }
        }
        int[] y = ClassStatisticsTest.randomLabels(n, k, rnd);
        double[][] w = ClassStatisticsTest.randomFeatures(k, d, rnd);
        double[] bias = {0.1, -0.2, 0.3, 0};
        Path file = dir.resolve("h.npy");
        Npy.writeFloat32(file, h);
        FeatureRows base = FeatureRows.of(h);
        FeatureRows sequential = new FeatureRows() { // no range scans: one sequential scan of double blocks
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
        CollapseScan expected = CollapseScan.run(sequential, y, k, w, bias);
        try (NpyFeatureRows rows = NpyFeatureRows.open(file)) {
            assertTrue(rows.storedAsFloat32());
            CollapseScan actual = CollapseScan.run(rows, y, k, w, bias);
            assertEquals(expected.statistics(), actual.statistics());
            assertEquals(expected.statistics().withinTrace(), actual.statistics().withinTrace(), 0.0);
            for (int a = 0; a < expected.statistics().projectedWithin().length; a++) {
                assertArrayEquals(expected.statistics().projectedWithin()[a], actual.statistics().projectedWithin()[a], 0.0);
            }
            assertEquals(expected.agreement().agreeing(), actual.agreement().agreeing());
            assertEquals(expected.agreement().correct(), actual.agreement().correct());
            assertArrayEquals(expected.agreement().correctPerClass(), actual.agreement().correctPerClass());
        }
    }
}
