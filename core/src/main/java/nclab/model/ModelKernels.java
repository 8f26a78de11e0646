package nclab.model;

import java.util.SplittableRandom;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

/**
 * Allocation-free dense kernels on row-major matrices stored at an offset of a flat {@code double[]}, shared by
 * the model objectives of this package. Every output is overwritten (never accumulated into) and must not alias
 * an input.
 */
final class ModelKernels {
    private ModelKernels() {
    }

    /** out (r×c) = a (r×m) · b (m×c). */
    static void multiply(double[] a, int aOff, int r, int m, double[] b, int bOff, int c, double[] out, int outOff) {
        for (int i = 0; i < r; i++) {
            int oo = outOff + i * c;
            for (int j = 0; j < c; j++) {
                out[oo + j] = 0;
            }
            int ao = aOff + i * m;
            for (int t = 0; t < m; t++) {
                double av = a[ao + t];
                if (av == 0) {
                    continue;
                }
                int bo = bOff + t * c;
                for (int j = 0; j < c; j++) {
                    out[oo + j] += av * b[bo + j];
                }
            }
        }
    }

    /** out (r×c) = a (r×m) · bᵀ, b stored c×m. */
    static void multiplyTransB(double[] a, int aOff, int r, int m, double[] b, int bOff, int c, double[] out, int outOff) {
        for (int i = 0; i < r; i++) {
            int ao = aOff + i * m;
            int oo = outOff + i * c;
            for (int j = 0; j < c; j++) {
                int bo = bOff + j * m;
                double s = 0;
                for (int t = 0; t < m; t++) {
                    s += a[ao + t] * b[bo + t];
                }
                out[oo + j] = s;
            }
        }
    }

    /** out (m×c) = aᵀ · b, a stored r×m, b stored r×c. */
    static void multiplyTransA(double[] a, int aOff, int r, int m, double[] b, int bOff, int c, double[] out, int outOff) {
        for (int t = 0; t < m * c; t++) {
            out[outOff + t] = 0;
        }
        for (int i = 0; i < r; i++) {
            int ao = aOff + i * m;
            int bo = bOff + i * c;
            for (int t = 0; t < m; t++) {
                double av = a[ao + t];
                if (av == 0) {
                    continue;
                }
                int oo = outOff + t * c;
                for (int j = 0; j < c; j++) {
                    out[oo + j] += av * b[bo + j];
                }
            }
        }
    }

    /** Σ x[off..off+len)². */
    static double squaredNorm(double[] x, int off, int len) {
        double s = 0;
        for (int i = off; i < off + len; i++) {
            s += x[i] * x[i];
        }
        return s;
    }

    /** grad[off..) += lambda·x[off..); returns (lambda/2)·‖x[off..)‖². */
    static double addRidge(double[] x, double[] grad, int off, int len, double lambda) {
        double s = 0;
        for (int i = off; i < off + len; i++) {
            s += x[i] * x[i];
            grad[i] += lambda * x[i];
        }
        return 0.5 * lambda * s;
    }

    /**
     * Weighted cross-entropy over the N logit rows of {@code z} (N×K), overwritten in place by its gradient:
     * returns Σ_i weight_i·CE(z_i, label_i) and leaves row i = scale·weight_i·(softmax(z_i) − e_{label_i}).
     * {@code weight == null} means all weights 1. Log-sum-exp is shifted by the row maximum.
     */
    static double crossEntropyInPlace(double[] z, int n, int k, int[] label, double[] weight, double scale) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            int o = i * k;
            double max = z[o];
            for (int j = 1; j < k; j++) {
                max = Math.max(max, z[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double e = Math.exp(z[o + j] - max);
                z[o + j] = e;
                sum += e;
            }
            int y = label[i];
            double w = weight == null ? 1 : weight[i];
            // CE = log Σ exp(z) − z_y = log(sum) − log(e_y)
            total += w * (Math.log(sum) - Math.log(z[o + y]));
            double g = scale * w / sum;
            for (int j = 0; j < k; j++) {
                z[o + j] *= g;
            }
            z[o + y] -= scale * w;
        }
        return total;
    }

    /** Class label of every sample, samples ordered class by class (class 0's n_0 samples first). */
    static int[] labels(ClassSizes sizes) {
        long total = sizes.total();
        InvalidInputException.require(total <= Integer.MAX_VALUE / 2, "too many samples N = " + total);
        int[] label = new int[(int) total];
        int pos = 0;
        for (int c = 0; c < sizes.k(); c++) {
            for (int i = 0; i < sizes.count(c); i++) {
                label[pos++] = c;
            }
        }
        return label;
    }

    /** Fills x[off..off+len) with N(0, std²) draws. */
    static void gaussian(SplittableRandom random, double[] x, int off, int len, double std) {
        for (int i = off; i < off + len; i++) {
            x[i] = std * random.nextGaussian();
        }
    }

    /** Fills x[off..off+len) with U(−bound, bound) draws. */
    static void uniform(SplittableRandom random, double[] x, int off, int len, double bound) {
        for (int i = off; i < off + len; i++) {
            x[i] = bound * (2 * random.nextDouble() - 1);
        }
    }

    static void requireLength(double[] x, int size, String what) {
        if (x == null || x.length != size) {
            throw new IllegalArgumentException(what + " must have length " + size + ", got "
                    + (x == null ? "null" : String.valueOf(x.length)));
        }
    }
}
