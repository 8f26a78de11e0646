package nclab.linalg;

/**
 * {@link FourClassKernels} in plain Java, in the operation order of {@link ScalarRowKernels} (one fused
 * multiply-add chain per logit, {@link Math#exp}). Its {@link #column} also serves the vector kernels' features
 * beyond a multiple of four.
 */
final class ScalarFourClassKernels implements FourClassKernels {
    static final ScalarFourClassKernels INSTANCE = new ScalarFourClassKernels();

    private ScalarFourClassKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public double logits(double[] x, int w, int h, int rows, int d, double[] z, int zo) {
        ArrayRanges.checkFourClassLogits(x, w, h, rows, d, z, zo);
        return logitsOf(x, w, h, null, rows, d, z, zo);
    }

    @Override
    public double logitsAt(double[] x, int w, int[] rowsAt, int rows, int d, double[] z, int zo) {
        ArrayRanges.checkFourClassLogitsAt(x, w, rowsAt, rows, d, z, zo);
        return logitsOf(x, w, 0, rowsAt, rows, d, z, zo);
    }

    /** The logits of rows at h + t·d, or at rowsAt[t] when rowsAt is not null. */
    private static double logitsOf(double[] x, int w, int h, int[] rowsAt, int rows, int d, double[] z, int zo) {
        double squares = 0;
        for (int t = 0; t < rows; t++) {
            int r = rowsAt == null ? h + t * d : rowsAt[t];
            int o = zo + 4 * t;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int j = 0; j < d; j++) {
                double a = x[r + j];
                s0 = Math.fma(a, x[w + j], s0);
                s1 = Math.fma(a, x[w + d + j], s1);
                s2 = Math.fma(a, x[w + 2 * d + j], s2);
                s3 = Math.fma(a, x[w + 3 * d + j], s3);
                squares = Math.fma(a, a, squares);
            }
            z[o] = s0;
            z[o + 1] = s1;
            z[o + 2] = s2;
            z[o + 3] = s3;
        }
        return squares;
    }

    @Override
    public double softmax(double[] z, int zo, int rows, double[] b, int bo, int[] labels, int lo, double scale) {
        ArrayRanges.checkFourClassSoftmax(z, zo, rows, b, bo);
        double ce = 0;
        for (int t = 0; t < rows; t++) { // as UfmSgdKernel's softmax: shift by the maximum, all rows first
            int o = zo + 4 * t;
            int y = ArrayRanges.fourClassLabel(labels, lo, t);
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 4; c++) {
                double s = b != null ? z[o + c] + b[bo + c] : z[o + c];
                z[o + c] = s;
                if (s > max) {
                    max = s;
                }
            }
            for (int c = 0; c < 4; c++) {
                z[o + c] -= max;
            }
            ce -= z[o + y];
        }
        ScalarRowKernels.INSTANCE.expNonPositive(z, zo, zo + 4 * rows);
        double product = 1;
        for (int t = 0; t < rows; t++) {
            int o = zo + 4 * t;
            double sum = 0;
            for (int c = 0; c < 4; c++) {
                sum += z[o + c];
            }
            product *= sum;
            if ((t & 15) == 15 || t == rows - 1) {
                ce += Math.log(product);
                product = 1;
            }
            double inv = scale / sum;
            for (int c = 0; c < 4; c++) {
                z[o + c] *= inv;
            }
            z[o + labels[lo + t]] -= scale;
        }
        return ce;
    }

    @Override
    public void stepRows(double[] x, int w, int h, int rows, int d, double[] c, int co, double keepH,
                         boolean nonNegative, double[] wNext) {
        ArrayRanges.checkFourClassStep(x, w, h, rows, d, c, co, wNext);
        int block = FourClassKernels.blockRows(d);
        for (int t0 = 0; t0 < rows; t0 += block) {
            int m = Math.min(block, rows - t0);
            int r = h + t0 * d;
            for (int j = 0; j < d; j++) {
                column(x, w + j, r + j, m, d, c, co + 4 * t0, keepH, wNext, j);
            }
            for (int i = r; nonNegative && i < r + m * d; i++) {
                if (x[i] < 0) {
                    x[i] = 0;
                }
            }
        }
    }

    @Override
    public void stepRowsAt(double[] x, int w, int[] rowsAt, int rows, int d, double[] c, int co, double keepH,
                           boolean nonNegative, double[] wNext) {
        ArrayRanges.checkFourClassStepAt(x, w, rowsAt, rows, d, c, co, wNext);
        for (int t = 0; t < rows; t++) {
            int r = rowsAt[t];
            for (int j = 0; j < d; j++) {
                column(x, w + j, r + j, 1, d, c, co + 4 * t, keepH, wNext, j);
            }
        }
        for (int t = 0; t < rows && nonNegative; t++) {
            for (int i = rowsAt[t]; i < rowsAt[t] + d; i++) {
                if (x[i] < 0) {
                    x[i] = 0;
                }
            }
        }
    }

    /**
     * One feature (offsets w, r of the first W row and of the first row; j in wNext) of m rows: each row's step from
     * the old W (as {@link RowKernels#combine4}) and its share of the new W (as {@link RowKernels#axpy}); without Π.
     * Also the vector kernels' features beyond a multiple of four (their combine4 and axpy tails are these
     * operations).
     */
    static void column(double[] x, int w, int r, int m, int d, double[] c, int o, double keepH, double[] wNext, int j) {
        double u0 = x[w];
        double u1 = x[w + d];
        double u2 = x[w + 2 * d];
        double u3 = x[w + 3 * d];
        double a0 = wNext[j];
        double a1 = wNext[d + j];
        double a2 = wNext[2 * d + j];
        double a3 = wNext[3 * d + j];
        for (int t = 0; t < m; t++, r += d, o += 4) {
            double hv = x[r];
            double c0 = c[o];
            double c1 = c[o + 1];
            double c2 = c[o + 2];
            double c3 = c[o + 3];
            a0 = Math.fma(c0, hv, a0);
            a1 = Math.fma(c1, hv, a1);
            a2 = Math.fma(c2, hv, a2);
            a3 = Math.fma(c3, hv, a3);
            double a = Math.fma(c0, u0, keepH * hv);
            a = Math.fma(c1, u1, a);
            a = Math.fma(c2, u2, a);
            x[r] = Math.fma(c3, u3, a);
        }
        wNext[j] = a0;
        wNext[d + j] = a1;
        wNext[2 * d + j] = a2;
        wNext[3 * d + j] = a3;
    }
}
