package nclab.metrics;

/**
 * A read-only N×d feature matrix (one row per sample) that can be scanned in row order several times
 * without being held in memory as a whole: an in-memory array, or a memory-mapped {@code .npy} file.
 * Streaming metrics make two passes (class means, then spreads around them).
 *
 * <p>Besides whole scans, rows can be read by range ({@link #scan(int, int, RowVisitor)}) and in blocks of
 * consecutive rows copied into one row-major {@code double[]} ({@link #scanBlocks}). Implementations whose
 * range scans cost only the rows read say so with {@link #supportsRangeScan()}; such sources may be scanned
 * by several threads at once, each over its own range.
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

    /**
     * Visits rows {@code from} (inclusive) to {@code to} (exclusive) in order, with the same reuse rule as
     * {@link #scan(RowVisitor)}. The default scans all rows and skips those outside the range, so it costs a
     * whole scan unless {@link #supportsRangeScan()} says it is overridden.
     */
    default void scan(int from, int to, RowVisitor visitor) {
        checkRange(from, to, rows());
        if (from == 0 && to == rows()) {
            scan(visitor);
        } else {
            scan((row, x) -> {
                if (row >= from && row < to) {
                    visitor.visit(row, x);
                }
            });
        }
    }

    /**
     * Visits rows {@code from}..{@code to−1} in blocks of consecutive rows: the first block starts at
     * {@code from}, every block but the last has {@code blockRows} rows. The block array holds the rows one
     * after another (row-major, row b of the block at offset b·d); it is reused between calls and at least
     * {@code count·d} long.
     */
    default void scanBlocks(int from, int to, int blockRows, BlockVisitor visitor) {
        checkRange(from, to, rows());
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be >= 1, got " + blockRows);
        }
        int d = cols();
        double[] block = new double[Math.max(1, Math.min(blockRows, to - from)) * d];
        int[] state = {from, 0}; // first row of the block, rows filled
        scan(from, to, (row, x) -> {
            System.arraycopy(x, 0, block, state[1] * d, d);
            if (++state[1] == blockRows) {
                visitor.visit(state[0], blockRows, block);
                state[0] += blockRows;
                state[1] = 0;
            }
        });
        if (state[1] > 0) {
            visitor.visit(state[0], state[1], block);
        }
    }

    /**
     * Whether {@link #scan(int, int, RowVisitor)} reads only the rows asked for and may be called from
     * several threads at once (default false: ranges are then served by whole scans, one thread at a time).
     */
    default boolean supportsRangeScan() {
        return false;
    }

    /** Receives one row of features. */
    @FunctionalInterface
    interface RowVisitor {
        void visit(int row, double[] features);
    }

    /** Receives {@code count} consecutive rows starting at row {@code first}, row-major in {@code block}. */
    @FunctionalInterface
    interface BlockVisitor {
        void visit(int first, int count, double[] block);
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
                scan(0, h.length, visitor);
            }

            @Override
            public void scan(int from, int to, RowVisitor visitor) {
                checkRange(from, to, h.length);
                for (int i = from; i < to; i++) {
                    visitor.visit(i, h[i]);
                }
            }

            @Override
            public boolean supportsRangeScan() {
                return true;
            }
        };
    }

    /** Checks 0 ≤ from ≤ to ≤ rows. */
    private static void checkRange(int from, int to, int rows) {
        if (from < 0 || to < from || to > rows) {
            throw new IndexOutOfBoundsException("row range [" + from + ", " + to + ") outside [0, " + rows + ")");
        }
    }
}
