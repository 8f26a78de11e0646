package nclab.metrics;

/** Pass 2 accumulator of one chunk: C, tr Σ_W (both times N) and the agreement counts. */
final class SpreadChunk implements ChunkedScan.Accumulator {
    final SpreadInputs s;
    final double[] centred;
    double[] wide; // the float32 block widened, for the logits
    final double[] projected;
    final double[] logits;
    final double[] c;
    double trace;
    int agreeing;
    int correct;
    final int[] perClass;

    SpreadChunk(SpreadInputs s) {
        this.s = s;
        this.centred = new double[CollapseScan.BLOCK_ROWS * s.d];
        this.projected = new double[CollapseScan.BLOCK_ROWS * s.r];
        this.logits = s.w == null ? null : new double[CollapseScan.BLOCK_ROWS * s.k];
        this.c = new double[s.r * s.r];
        this.perClass = new int[s.k];
    }

    @Override
    public void visit(int first, int count, float[] block) {
        int d = s.d;
        if (wide == null) {
            wide = new double[CollapseScan.BLOCK_ROWS * d];
        }
        for (int b = 0; b < count; b++) {
            trace += centre(block, wide, centred, b * d, s.means, s.labels[first + b] * d, d);
        }
        products(first, count, wide);
    }

    @Override
    public void visit(int first, int count, double[] block) {
        int d = s.d;
        for (int b = 0; b < count; b++) {
            trace += centre(block, centred, b * d, s.means, s.labels[first + b] * d, d);
        }
        products(first, count, block);
    }

    /** Pass 2 after centring: z = Pᵀe and C, then logits and their comparisons with the labels. */
    private void products(int first, int count, double[] block) {
        int d = s.d;
        int r = s.r;
        s.products.multiplyTransB(centred, count, s.basisT, r, d, projected);
        for (int b = 0; b < count; b++) {
            int o = b * r;
            for (int a = 0; a < r; a++) {
                double za = projected[o + a];
                int row = a * r;
                for (int e = 0; e < r; e++) {
                    c[row + e] += za * projected[o + e];
                }
            }
        }
        if (logits != null) {
            s.products.multiplyTransB(block, count, s.w, s.k, d, logits);
            for (int b = 0; b < count; b++) {
                classify(s.labels[first + b], b);
            }
        }
    }

    /**
     * As {@link #centre(double[], double[], int, double[], int, int)} for a float32 row, also storing the
     * row widened to double in {@code wide}: the same values, so the same results.
     */
    private static double centre(float[] src, double[] wide, double[] dst, int off, double[] means, int mu, int d) {
        double sq = 0;
        int j = 0;
        for (; j + 4 <= d; j += 4) {
            double x0 = src[off + j];
            double x1 = src[off + j + 1];
            double x2 = src[off + j + 2];
            double x3 = src[off + j + 3];
            wide[off + j] = x0;
            wide[off + j + 1] = x1;
            wide[off + j + 2] = x2;
            wide[off + j + 3] = x3;
            double e0 = x0 - means[mu + j];
            double e1 = x1 - means[mu + j + 1];
            double e2 = x2 - means[mu + j + 2];
            double e3 = x3 - means[mu + j + 3];
            dst[off + j] = e0;
            dst[off + j + 1] = e1;
            dst[off + j + 2] = e2;
            dst[off + j + 3] = e3;
            sq = Math.fma(e0, e0, sq);
            sq = Math.fma(e1, e1, sq);
            sq = Math.fma(e2, e2, sq);
            sq = Math.fma(e3, e3, sq);
        }
        for (; j < d; j++) {
            double x = src[off + j];
            wide[off + j] = x;
            double e = x - means[mu + j];
            dst[off + j] = e;
            sq = Math.fma(e, e, sq);
        }
        return sq;
    }

    /**
     * dst = src − μ over one row; returns ‖src − μ‖² (summed in index order). Unrolled by four by hand: the
     * launcher runs the JVM with the C1 compiler only, which does not unroll loops.
     */
    private static double centre(double[] src, double[] dst, int off, double[] means, int mu, int d) {
        double sq = 0;
        int j = 0;
        for (; j + 4 <= d; j += 4) {
            double e0 = src[off + j] - means[mu + j];
            double e1 = src[off + j + 1] - means[mu + j + 1];
            double e2 = src[off + j + 2] - means[mu + j + 2];
            double e3 = src[off + j + 3] - means[mu + j + 3];
            dst[off + j] = e0;
            dst[off + j + 1] = e1;
            dst[off + j + 2] = e2;
            dst[off + j + 3] = e3;
            sq = Math.fma(e0, e0, sq);
            sq = Math.fma(e1, e1, sq);
            sq = Math.fma(e2, e2, sq);
            sq = Math.fma(e3, e3, sq);
        }
        for (; j < d; j++) {
            double e = src[off + j] - means[mu + j];
            dst[off + j] = e;
            sq = Math.fma(e, e, sq);
        }
        return sq;
    }

    private void classify(int y, int b) {
        int k = s.k;
        int r = s.r;
        int pred = 0;
        double best = Double.NEGATIVE_INFINITY;
        int ncc = 0;
        double nearest = Double.POSITIVE_INFINITY;
        for (int cl = 0; cl < k; cl++) {
            double z = logits[b * k + cl] + (s.bias == null ? 0 : s.bias[cl]);
            if (z > best) {
                best = z;
                pred = cl;
            }
            int pair = y * k + cl;
            double dist = s.nearestBase[pair];
            int slope = pair * r;
            for (int a = 0; a < r; a++) {
                dist += s.nearestSlope[slope + a] * projected[b * r + a];
            }
            if (dist < nearest) {
                nearest = dist;
                ncc = cl;
            }
        }
        if (pred == ncc) {
            agreeing++;
        }
        if (pred == y) {
            correct++;
            perClass[pred]++;
        }
    }
}
