package nclab.linalg;

/**
 * {@link RowKernels} in plain Java: chains of {@link Math#fma} in the documented order, dot products with four
 * (eight for the tiles) independent accumulators so that the loops are not latency bound.
 */
final class ScalarRowKernels implements RowKernels {
    static final ScalarRowKernels INSTANCE = new ScalarRowKernels();

    private ScalarRowKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public double dot(double[] a, int ao, double[] b, int bo, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 = Math.fma(a[ao + j], b[bo + j], s0);
            s1 = Math.fma(a[ao + j + 1], b[bo + j + 1], s1);
            s2 = Math.fma(a[ao + j + 2], b[bo + j + 2], s2);
            s3 = Math.fma(a[ao + j + 3], b[bo + j + 3], s3);
        }
        for (; j < len; j++) {
            s0 = Math.fma(a[ao + j], b[bo + j], s0);
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void dots1x4(double[] x, int h, int w0, int stride, int len, double[] out, int o) {
        int w1 = w0 + stride;
        int w2 = w1 + stride;
        int w3 = w2 + stride;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int j = 0; j < len; j++) {
            double a = x[h + j];
            s0 = Math.fma(a, x[w0 + j], s0);
            s1 = Math.fma(a, x[w1 + j], s1);
            s2 = Math.fma(a, x[w2 + j], s2);
            s3 = Math.fma(a, x[w3 + j], s3);
        }
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
    }

    @Override
    public void dots2x4(double[] x, int h0, int h1, int w0, int stride, int len, double[] out, int o0, int o1) {
        int w1 = w0 + stride;
        int w2 = w1 + stride;
        int w3 = w2 + stride;
        double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        for (int j = 0; j < len; j++) {
            double a = x[h0 + j];
            double b = x[h1 + j];
            double u = x[w0 + j];
            s00 = Math.fma(a, u, s00);
            s10 = Math.fma(b, u, s10);
            u = x[w1 + j];
            s01 = Math.fma(a, u, s01);
            s11 = Math.fma(b, u, s11);
            u = x[w2 + j];
            s02 = Math.fma(a, u, s02);
            s12 = Math.fma(b, u, s12);
            u = x[w3 + j];
            s03 = Math.fma(a, u, s03);
            s13 = Math.fma(b, u, s13);
        }
        out[o0] = s00;
        out[o0 + 1] = s01;
        out[o0 + 2] = s02;
        out[o0 + 3] = s03;
        out[o1] = s10;
        out[o1 + 1] = s11;
        out[o1 + 2] = s12;
        out[o1 + 3] = s13;
    }

    @Override
    public void combine4(double[] s, int s0, int s1, int s2, int s3, double g0, double g1, double g2, double g3,
                         double beta, double[] b, int bo, double[] dst, int r, int len) {
        for (int j = 0; j < len; j++) {
            double a = Math.fma(g0, s[s0 + j], beta * b[bo + j]);
            a = Math.fma(g1, s[s1 + j], a);
            a = Math.fma(g2, s[s2 + j], a);
            dst[r + j] = Math.fma(g3, s[s3 + j], a);
        }
    }

    @Override
    public void accumulate4(double[] s, int s0, int s1, int s2, int s3, double g0, double g1, double g2, double g3,
                            double[] dst, int r, int len) {
        for (int j = 0; j < len; j++) {
            double a = Math.fma(g0, s[s0 + j], dst[r + j]);
            a = Math.fma(g1, s[s1 + j], a);
            a = Math.fma(g2, s[s2 + j], a);
            dst[r + j] = Math.fma(g3, s[s3 + j], a);
        }
    }

    @Override
    public double step4(double[] s, int s0, int s1, int s2, int s3, double g0, double g1, double g2, double g3,
                        double beta, double[] b, int bo, double eta, double[] dst, int r, int len) {
        double p = 0;
        for (int j = 0; j < len; j++) {
            double xb = b[bo + j];
            double a = Math.fma(g0, s[s0 + j], beta * xb);
            a = Math.fma(g1, s[s1 + j], a);
            a = Math.fma(g2, s[s2 + j], a);
            double v = xb - eta * Math.fma(g3, s[s3 + j], a);
            dst[r + j] = v;
            p += v * 0.0;
        }
        return p;
    }

    @Override
    public void axpy(double g, double[] s, int s0, double[] dst, int r, int len) {
        for (int j = 0; j < len; j++) {
            dst[r + j] = Math.fma(g, s[s0 + j], dst[r + j]);
        }
    }

    @Override
    public void expNonPositive(double[] a, int from, int to) {
        for (int j = from; j < to; j++) {
            a[j] = a[j] < -708.0 ? 0.0 : Math.exp(a[j]);
        }
    }

    @Override
    public double finiteProbe(double[] a, int off, int len) {
        double p0 = 0, p1 = 0, p2 = 0, p3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            p0 += a[off + j] * 0.0;
            p1 += a[off + j + 1] * 0.0;
            p2 += a[off + j + 2] * 0.0;
            p3 += a[off + j + 3] * 0.0;
        }
        for (; j < len; j++) {
            p0 += a[off + j] * 0.0;
        }
        return (p0 + p1) + (p2 + p3);
    }

    @Override
    public double maxAbs(double[] a, int off, int len) {
        double m0 = 0, m1 = 0;
        int j = 0;
        for (; j + 1 < len; j += 2) {
            m0 = Math.max(m0, Math.abs(a[off + j]));
            m1 = Math.max(m1, Math.abs(a[off + j + 1]));
        }
        for (; j < len; j++) {
            m0 = Math.max(m0, Math.abs(a[off + j]));
        }
        return Math.max(m0, m1);
    }
}
