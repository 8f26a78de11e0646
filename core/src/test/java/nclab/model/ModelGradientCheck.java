package nclab.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Central finite-difference check of {@link Objective#valueAndGradient} on every coordinate. */
final class ModelGradientCheck {
    private ModelGradientCheck() {
    }

    /**
     * Returns ‖g_fd − g‖ / ‖g‖ over all coordinates, with g_fd from central differences of step {@code h}·max(1, |x_i|).
     */
    static double relativeError(Objective f, double[] x, double h) {
        double[] g = new double[x.length];
        double value = f.valueAndGradient(x, g);
        double alone = f.value(x);
        if (Math.abs(value - alone) > 1e-14 * Math.max(1, Math.abs(value))) {
            throw new AssertionError("value(x) = " + alone + " but valueAndGradient(x) = " + value);
        }
        double[] work = x.clone();
        double[] scratch = new double[x.length];
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < x.length; i++) {
            double step = h * Math.max(1, Math.abs(x[i]));
            work[i] = x[i] + step;
            double up = f.valueAndGradient(work, scratch);
            work[i] = x[i] - step;
            double down = f.valueAndGradient(work, scratch);
            work[i] = x[i];
            double fd = (up - down) / (2 * step);
            diff += (fd - g[i]) * (fd - g[i]);
            norm += g[i] * g[i];
        }
        return Math.sqrt(diff / norm);
    }

    /** Bytes allocated by this thread per {@code valueAndGradient} call, measured over many calls after a warm-up. */
    static double allocatedBytesPerCall(Objective f, double[] x) {
        double[] g = new double[x.length];
        for (int i = 0; i < 1000; i++) {
            f.valueAndGradient(x, g);
        }
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = bean.getThreadAllocatedBytes(id);
        int calls = 1000;
        for (int i = 0; i < calls; i++) {
            f.valueAndGradient(x, g);
        }
        return (bean.getThreadAllocatedBytes(id) - before) / (double) calls;
    }

    static void assertGradient(Objective f, double[] x, double tol) {
        double err = relativeError(f, x, 1e-5);
        assertTrue(err < tol, "relative gradient error " + err + " >= " + tol);
    }
}
