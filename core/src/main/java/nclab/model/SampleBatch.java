package nclab.model;

/**
 * Gather/scatter workspace for minibatches of a per-sample model: copies the feature rows h_i and labels of a batch
 * (duplicates allowed) into contiguous buffers, and adds the per-visit feature gradients back into the flat
 * gradient (the batch rows are zeroed first, duplicates accumulate). Buffers hold at most N rows; allocated once.
 */
final class SampleBatch {
    private final int n;
    private final int d;
    final double[] rows;
    final double[] gradRows;
    final int[] labels;

    SampleBatch(int n, int d) {
        this.n = n;
        this.d = d;
        this.rows = new double[n * d];
        this.gradRows = new double[n * d];
        this.labels = new int[n];
    }

    /** Copies rows batch[from..to) of the N×d block at {@code hOffset} and their labels; returns the batch size. */
    int gather(double[] x, int hOffset, int[] label, int[] batch, int from, int to) {
        int m = to - from;
        if (from < 0 || to > batch.length || m <= 0 || m > n) { // no message built on the hot path
            throw new IllegalArgumentException("batch [" + from + ", " + to + ") of " + batch.length + " must hold 1.." + n + " samples");
        }
        for (int t = 0; t < m; t++) {
            int i = batch[from + t];
            System.arraycopy(x, hOffset + i * d, rows, t * d, d);
            labels[t] = label[i];
        }
        return m;
    }

    /**
     * Ridge on the m gathered rows: adds rowRidge·h to {@code gradRows} and returns Σ‖h‖² over them (the caller
     * scales the value).
     */
    double addRowRidge(int m, double rowRidge) {
        double h2 = 0;
        for (int t = 0; t < m * d; t++) {
            h2 += rows[t] * rows[t];
            gradRows[t] += rowRidge * rows[t];
        }
        return h2;
    }

    /** grad rows of the batch samples := Σ over their visits of gradRows. */
    void scatter(double[] grad, int hOffset, int[] batch, int from, int to) {
        for (int t = from; t < to; t++) {
            int o = hOffset + batch[t] * d;
            for (int j = 0; j < d; j++) {
                grad[o + j] = 0;
            }
        }
        for (int t = 0; t < to - from; t++) {
            int o = hOffset + batch[from + t] * d;
            int r = t * d;
            for (int j = 0; j < d; j++) {
                grad[o + j] += gradRows[r + j];
            }
        }
    }
}
