package nclab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

/** Checks of the minibatch contract (unbiased value/gradient, untouched rows, FD gradient, no allocation). */
final class MinibatchCheck {
    /** batchValueAndGradient of an objective. */
    interface BatchFunction {
        double apply(double[] x, int[] batch, int from, int to, double[] grad);
    }

    private MinibatchCheck() {
    }

    static void assertContract(Objective f, BatchFunction batch, int n, int hOffset, int d, double[] x) {
        double[] full = new double[x.length];
        double value = f.valueAndGradient(x, full);
        // the whole data set as one batch is the full objective
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        double[] g = new double[x.length];
        assertEquals(value, batch.apply(x, all, 0, n, g), 1e-13 * Math.max(1, Math.abs(value)), "full batch value");
        assertArrayEquals(full, g, 1e-13, "full batch gradient");
        // unbiased: the mean over all single-sample batches is f and ∇f
        double mean = 0;
        double[] meanGrad = new double[x.length];
        for (int i = 0; i < n; i++) {
            Arrays.fill(g, 0);
            mean += batch.apply(x, all, i, i + 1, g) / n;
            for (int j = 0; j < x.length; j++) {
                meanGrad[j] += g[j] / n;
            }
        }
        assertEquals(value, mean, 1e-12 * Math.max(1, Math.abs(value)), "mean of single-sample values");
        assertArrayEquals(full, meanGrad, 1e-12, "mean of single-sample gradients");
        // a batch with a duplicate: rows outside the batch untouched, gradient = central differences
        int[] b = {n - 1, 0, n - 1};
        Arrays.fill(g, Double.NaN);
        double v = batch.apply(x, b, 0, b.length, g);
        for (int i = 1; i < n - 1; i++) {
            for (int t = 0; t < d; t++) {
                assertTrue(Double.isNaN(g[hOffset + i * d + t]), "row " + i + " is not in the batch but was written");
            }
        }
        double[] work = x.clone();
        double[] scratch = new double[x.length];
        double diff = 0;
        double norm = 0;
        for (int j = 0; j < x.length; j++) {
            boolean inBatch = j < hOffset || j >= hOffset + n * d
                    || (j - hOffset) / d == 0 || (j - hOffset) / d == n - 1;
            if (!inBatch) {
                continue;
            }
            double h = 1e-5 * Math.max(1, Math.abs(x[j]));
            work[j] = x[j] + h;
            double up = batch.apply(work, b, 0, b.length, scratch);
            work[j] = x[j] - h;
            double down = batch.apply(work, b, 0, b.length, scratch);
            work[j] = x[j];
            double fd = (up - down) / (2 * h);
            diff += (fd - g[j]) * (fd - g[j]);
            norm += g[j] * g[j];
        }
        assertTrue(Math.sqrt(diff / norm) < 1e-6, "batch gradient relative error " + Math.sqrt(diff / norm));
        assertTrue(Double.isFinite(v));
    }

    static double allocatedBytesPerCall(BatchFunction batch, double[] x, int[] b) {
        double[] g = new double[x.length];
        for (int i = 0; i < 1000; i++) {
            batch.apply(x, b, 0, b.length, g);
        }
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(id);
        for (int i = 0; i < 1000; i++) {
            batch.apply(x, b, 0, b.length, g);
        }
        return (bean.getThreadAllocatedBytes(id) - before) / 1000.0;
    }
}
