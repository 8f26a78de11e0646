package nclab.metrics;

/** Pass 1 accumulator of one chunk: counts and class sums. */
final class ClassSumsChunk implements ChunkedScan.Accumulator {
    final int[] labels;
    final int d;
    final int[] counts;
    final double[] sums;

    ClassSumsChunk(int[] labels, int k, int d) {
        this.labels = labels;
        this.d = d;
        this.counts = new int[k];
        this.sums = new double[k * d];
    }

    @Override
    public void visit(int first, int count, double[] block) {
        for (int b = 0; b < count; b++) {
            int y = labels[first + b];
            counts[y]++;
            addRow(block, b * d, sums, y * d, d);
        }
    }

    @Override
    public void visit(int first, int count, float[] block) {
        for (int b = 0; b < count; b++) {
            int y = labels[first + b];
            counts[y]++;
            addRow(block, b * d, sums, y * d, d);
        }
    }

    /** As {@link #addRow(double[], int, double[], int, int)}, widening each float to double. */
    private static void addRow(float[] src, int from, double[] dst, int to, int d) {
        int j = 0;
        for (; j + 4 <= d; j += 4) {
            dst[to + j] += src[from + j];
            dst[to + j + 1] += src[from + j + 1];
            dst[to + j + 2] += src[from + j + 2];
            dst[to + j + 3] += src[from + j + 3];
        }
        for (; j < d; j++) {
            dst[to + j] += src[from + j];
        }
    }

    /** dst[to + j] += src[from + j] for j &lt; d, unrolled by four (see {@link SpreadChunk#centre}). */
    private static void addRow(double[] src, int from, double[] dst, int to, int d) {
        int j = 0;
        for (; j + 4 <= d; j += 4) {
            dst[to + j] += src[from + j];
            dst[to + j + 1] += src[from + j + 1];
            dst[to + j + 2] += src[from + j + 2];
            dst[to + j + 3] += src[from + j + 3];
        }
        for (; j < d; j++) {
            dst[to + j] += src[from + j];
        }
    }
}
