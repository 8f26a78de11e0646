package nclab.metrics;

/**
 * A read-only N×d feature matrix (one row per sample) that can be scanned in row order several times
 * without being held in memory as a whole: an in-memory array, or a memory-mapped {@code .npy} file.
 * Streaming metrics make two passes (class means, then spreads around them).
 */
public interface FeatureRows {
    /** Number of samples N. */
    int rows();

    /** Feature dimension d. */
    int cols();

    /**
     * Visits every row in order. The array passed to the visitor is reused between calls and must not
     * be kept; its length is {@link #cols()}.
     */
    void scan(RowVisitor visitor);

    /** Receives one row of features. */
    @FunctionalInterface
    interface RowVisitor {
        void visit(int row, double[] features);
    }

    /** Wraps an in-memory N×d array (not copied). */
    static FeatureRows of(double[][] h) {
        int d = h.length == 0 ? 0 : h[0].length;
        return new FeatureRows() {
            @Override
            public int rows() {
                return h.length;
            }

            @Override
            public int cols() {
                return d;
            }

            @Override
            public void scan(RowVisitor visitor) {
                for (int i = 0; i < h.length; i++) {
                    visitor.visit(i, h[i]);
                }
            }
        };
    }
}
