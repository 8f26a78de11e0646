package nclab.linalg;

/**
 * {@link ProductKernels} in plain Java fused multiply-adds (the fallback and the tests' reference); A Bᵀ by
 * {@link FmaKernel}.
 */
final class ScalarProductKernels implements ProductKernels {
    static final ScalarProductKernels INSTANCE = new ScalarProductKernels();

    private ScalarProductKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    /** {@link FmaKernel}'s register tiles: each entry one chain of fused multiply-adds over t in increasing order. */
    @Override
    public void multiplyTransB(double[] a, int aOff, int n, double[] b, int bOff, int m, int d, double[] out,
                               int outOff) {
        FmaKernel.multiplyTransB(a, aOff, n, b, bOff, m, d, out, outOff);
    }

    @Override
    public void multiplyScaleAdd(double[] a, int aOff, int n, int m, double[] b, int bOff, int d, double alpha,
                                 double beta, double[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            int o = outOff + i * d;
            if (beta != 1.0) {
                for (int t = 0; t < d; t++) {
                    out[o + t] *= beta;
                }
            }
            for (int j = 0; j < m; j++) {
                double aij = alpha * a[aOff + i * m + j];
                int r = bOff + j * d;
                for (int t = 0; t < d; t++) {
                    out[o + t] = Math.fma(aij, b[r + t], out[o + t]);
                }
            }
        }
    }

    @Override
    public void multiplyTransAAdd(double[] a, int aOff, int n, int m, double[] b, int bOff, int d, double[] out,
                                  int outOff) {
        for (int i = 0; i < n; i++) {
            int r = bOff + i * d;
            for (int j = 0; j < m; j++) {
                double aij = a[aOff + i * m + j];
                int o = outOff + j * d;
                for (int t = 0; t < d; t++) {
                    out[o + t] = Math.fma(aij, b[r + t], out[o + t]);
                }
            }
        }
    }
}
