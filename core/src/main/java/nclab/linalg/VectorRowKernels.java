package nclab.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowKernels} on the JDK's Vector API (incubator module {@code jdk.incubator.vector}; loaded only through
 * {@link RowKernels#best()} when that module is present): 256-bit vectors of four doubles and fused multiply-adds.
 * Dot products keep one vector accumulator per output and add its four lanes at the end in a fixed order; the tail
 * beyond a multiple of four is done in scalar code.
 *
 * <p><b>Determinism.</b> Only operations whose Java fallback (interpreter, C1) and C2 intrinsic give bit-identical
 * results are used: lanewise add, multiply, fma, abs, max, loads and stores. Not {@code reduceLanes(ADD)} (its
 * intrinsic adds the lanes in another order than its fallback) and not the vector {@code EXP} (an SVML stub in C2,
 * {@link Math#exp} per lane in the fallback): a run resumed in a fresh JVM, still interpreting, must give the numbers
 * of the uninterrupted run. The exponential is therefore written out from those operations ({@link
 * #expNonPositive}).
 */
final class VectorRowKernels implements RowKernels {
    static final VectorRowKernels INSTANCE = new VectorRowKernels();
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int L = 4;

    private VectorRowKernels() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public double dot(double[] a, int ao, double[] b, int bo, int len) {
        ArrayRanges.check(a, ao, len);
        ArrayRanges.check(b, bo, len);
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int j = 0;
        for (; j + 4 * L <= len; j += 4 * L) { // four independent chains: not bound by the fma latency
            s0 = DoubleVector.fromArray(S, a, ao + j).fma(DoubleVector.fromArray(S, b, bo + j), s0);
            s1 = DoubleVector.fromArray(S, a, ao + j + L).fma(DoubleVector.fromArray(S, b, bo + j + L), s1);
            s2 = DoubleVector.fromArray(S, a, ao + j + 2 * L).fma(DoubleVector.fromArray(S, b, bo + j + 2 * L), s2);
            s3 = DoubleVector.fromArray(S, a, ao + j + 3 * L).fma(DoubleVector.fromArray(S, b, bo + j + 3 * L), s3);
        }
        for (; j + L <= len; j += L) {
            s0 = DoubleVector.fromArray(S, a, ao + j).fma(DoubleVector.fromArray(S, b, bo + j), s0);
        }
        double s = sum(s0.add(s1).add(s2.add(s3)));
        for (; j < len; j++) {
            s = Math.fma(a[ao + j], b[bo + j], s);
        }
        return s;
    }

    @Override
    public void dots1x4(double[] x, int h, int w0, int stride, int len, double[] out, int o) {
        ArrayRanges.check(x, h, len);
        ArrayRanges.checkRows4(x, w0, stride, len);
        int w1 = w0 + stride;
        int w2 = w1 + stride;
        int w3 = w2 + stride;
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int j = 0;
        for (; j + L <= len; j += L) {
            DoubleVector a = DoubleVector.fromArray(S, x, h + j);
            s0 = a.fma(DoubleVector.fromArray(S, x, w0 + j), s0);
            s1 = a.fma(DoubleVector.fromArray(S, x, w1 + j), s1);
            s2 = a.fma(DoubleVector.fromArray(S, x, w2 + j), s2);
            s3 = a.fma(DoubleVector.fromArray(S, x, w3 + j), s3);
        }
        double r0 = sum(s0);
        double r1 = sum(s1);
        double r2 = sum(s2);
        double r3 = sum(s3);
        for (; j < len; j++) {
            double a = x[h + j];
            r0 = Math.fma(a, x[w0 + j], r0);
            r1 = Math.fma(a, x[w1 + j], r1);
            r2 = Math.fma(a, x[w2 + j], r2);
            r3 = Math.fma(a, x[w3 + j], r3);
        }
        out[o] = r0;
        out[o + 1] = r1;
        out[o + 2] = r2;
        out[o + 3] = r3;
    }

    @Override
    public void dots2x4(double[] x, int h0, int h1, int w0, int stride, int len, double[] out, int o0, int o1) {
        ArrayRanges.check(x, h0, len);
        ArrayRanges.check(x, h1, len);
        ArrayRanges.checkRows4(x, w0, stride, len);
        int w1 = w0 + stride;
        int w2 = w1 + stride;
        int w3 = w2 + stride;
        DoubleVector s00 = DoubleVector.zero(S);
        DoubleVector s01 = s00;
        DoubleVector s02 = s00;
        DoubleVector s03 = s00;
        DoubleVector s10 = s00;
        DoubleVector s11 = s00;
        DoubleVector s12 = s00;
        DoubleVector s13 = s00;
        int j = 0;
        for (; j + L <= len; j += L) {
            DoubleVector a = DoubleVector.fromArray(S, x, h0 + j);
            DoubleVector b = DoubleVector.fromArray(S, x, h1 + j);
            DoubleVector u = DoubleVector.fromArray(S, x, w0 + j);
            s00 = a.fma(u, s00);
            s10 = b.fma(u, s10);
            u = DoubleVector.fromArray(S, x, w1 + j);
            s01 = a.fma(u, s01);
            s11 = b.fma(u, s11);
            u = DoubleVector.fromArray(S, x, w2 + j);
            s02 = a.fma(u, s02);
            s12 = b.fma(u, s12);
            u = DoubleVector.fromArray(S, x, w3 + j);
            s03 = a.fma(u, s03);
            s13 = b.fma(u, s13);
        }
        out[o0] = sum(s00);
        out[o0 + 1] = sum(s01);
        out[o0 + 2] = sum(s02);
        out[o0 + 3] = sum(s03);
        out[o1] = sum(s10);
        out[o1 + 1] = sum(s11);
        out[o1 + 2] = sum(s12);
        out[o1 + 3] = sum(s13);
        for (; j < len; j++) {
            double a = x[h0 + j];
            double b = x[h1 + j];
            out[o0] = Math.fma(a, x[w0 + j], out[o0]);
            out[o0 + 1] = Math.fma(a, x[w1 + j], out[o0 + 1]);
            out[o0 + 2] = Math.fma(a, x[w2 + j], out[o0 + 2]);
            out[o0 + 3] = Math.fma(a, x[w3 + j], out[o0 + 3]);
            out[o1] = Math.fma(b, x[w0 + j], out[o1]);
            out[o1 + 1] = Math.fma(b, x[w1 + j], out[o1 + 1]);
            out[o1 + 2] = Math.fma(b, x[w2 + j], out[o1 + 2]);
            out[o1 + 3] = Math.fma(b, x[w3 + j], out[o1 + 3]);
        }
    }

    @Override
    public void combine4(double[] s, int s0, int s1, int s2, int s3, double g0, double g1, double g2, double g3,
                         double beta, double[] b, int bo, double[] dst, int r, int len) {
        checkFour(s, s0, s1, s2, s3, len);
        ArrayRanges.check(b, bo, len);
        ArrayRanges.check(dst, r, len);
        DoubleVector v0 = DoubleVector.broadcast(S, g0);
        DoubleVector v1 = DoubleVector.broadcast(S, g1);
        DoubleVector v2 = DoubleVector.broadcast(S, g2);
        DoubleVector v3 = DoubleVector.broadcast(S, g3);
        int j = 0;
        for (; j + L <= len; j += L) {
            DoubleVector a = DoubleVector.fromArray(S, b, bo + j).mul(beta);
            a = DoubleVector.fromArray(S, s, s0 + j).fma(v0, a);
            a = DoubleVector.fromArray(S, s, s1 + j).fma(v1, a);
            a = DoubleVector.fromArray(S, s, s2 + j).fma(v2, a);
            DoubleVector.fromArray(S, s, s3 + j).fma(v3, a).intoArray(dst, r + j);
        }
        for (; j < len; j++) {
            double a = Math.fma(g0, s[s0 + j], beta * b[bo + j]);
            a = Math.fma(g1, s[s1 + j], a);
            a = Math.fma(g2, s[s2 + j], a);
            dst[r + j] = Math.fma(g3, s[s3 + j], a);
        }
    }

    @Override
    public void accumulate4(double[] s, int s0, int s1, int s2, int s3, double g0, double g1, double g2, double g3,
                            double[] dst, int r, int len) {
        checkFour(s, s0, s1, s2, s3, len);
        ArrayRanges.check(dst, r, len);
        DoubleVector v0 = DoubleVector.broadcast(S, g0);
        DoubleVector v1 = DoubleVector.broadcast(S, g1);
        DoubleVector v2 = DoubleVector.broadcast(S, g2);
        DoubleVector v3 = DoubleVector.broadcast(S, g3);
        int j = 0;
        for (; j + L <= len; j += L) {
            DoubleVector a = DoubleVector.fromArray(S, s, s0 + j).fma(v0, DoubleVector.fromArray(S, dst, r + j));
            a = DoubleVector.fromArray(S, s, s1 + j).fma(v1, a);
            a = DoubleVector.fromArray(S, s, s2 + j).fma(v2, a);
            DoubleVector.fromArray(S, s, s3 + j).fma(v3, a).intoArray(dst, r + j);
        }
        for (; j < len; j++) {
            double a = Math.fma(g0, s[s0 + j], dst[r + j]);
            a = Math.fma(g1, s[s1 + j], a);
            a = Math.fma(g2, s[s2 + j], a);
            dst[r + j] = Math.fma(g3, s[s3 + j], a);
        }
    }

    @Override
    public double step4(double[] s, int s0, int s1, int s2, int s3, double g0, double g1, double g2, double g3,
                        double beta, double[] b, int bo, double eta, double[] dst, int r, int len) {
        checkFour(s, s0, s1, s2, s3, len);
        ArrayRanges.check(b, bo, len);
        ArrayRanges.check(dst, r, len);
        DoubleVector v0 = DoubleVector.broadcast(S, g0);
        DoubleVector v1 = DoubleVector.broadcast(S, g1);
        DoubleVector v2 = DoubleVector.broadcast(S, g2);
        DoubleVector v3 = DoubleVector.broadcast(S, g3);
        DoubleVector vb = DoubleVector.broadcast(S, beta);
        DoubleVector ve = DoubleVector.broadcast(S, -eta);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector probe = zero;
        int j = 0;
        for (; j + L <= len; j += L) {
            DoubleVector xb = DoubleVector.fromArray(S, b, bo + j);
            DoubleVector a = xb.mul(vb);
            a = DoubleVector.fromArray(S, s, s0 + j).fma(v0, a);
            a = DoubleVector.fromArray(S, s, s1 + j).fma(v1, a);
            a = DoubleVector.fromArray(S, s, s2 + j).fma(v2, a);
            a = DoubleVector.fromArray(S, s, s3 + j).fma(v3, a);
            DoubleVector nx = a.fma(ve, xb);
            nx.intoArray(dst, r + j);
            probe = nx.fma(zero, probe);
        }
        double p = sum(probe);
        return j < len ? step4Tail(s, s0, s1, s2, s3, g0, g1, g2, g3, beta, b, bo, eta, dst, r, len, j, p) : p;
    }

    /**
     * The entries from j on of {@link #step4} in scalar code, adding their probe to p. A method of its own so that
     * step4 stays small enough for C2 to inline (25 % faster in the SGD step).
     */
    private static double step4Tail(double[] s, int s0, int s1, int s2, int s3, double g0, double g1, double g2,
                                    double g3, double beta, double[] b, int bo, double eta, double[] dst, int r, int len,
                                    int j, double p) {
        for (; j < len; j++) {
            double xb = b[bo + j];
            double a = Math.fma(g0, s[s0 + j], beta * xb);
            a = Math.fma(g1, s[s1 + j], a);
            a = Math.fma(g2, s[s2 + j], a);
            a = Math.fma(g3, s[s3 + j], a);
            double nx = Math.fma(a, -eta, xb);
            dst[r + j] = nx;
            p += nx * 0.0;
        }
        return p;
    }

    @Override
    public void axpy(double g, double[] s, int s0, double[] dst, int r, int len) {
        ArrayRanges.check(s, s0, len);
        ArrayRanges.check(dst, r, len);
        DoubleVector vg = DoubleVector.broadcast(S, g);
        int j = 0;
        for (; j + L <= len; j += L) {
            DoubleVector.fromArray(S, s, s0 + j).fma(vg, DoubleVector.fromArray(S, dst, r + j)).intoArray(dst, r + j);
        }
        for (; j < len; j++) {
            dst[r + j] = Math.fma(g, s[s0 + j], dst[r + j]);
        }
    }

    /**
     * exp(x) = 2ⁿ·e^r with n = rint(x·log₂e) (by adding and subtracting 1.5·2⁵²), r = x − n·ln2 in two fused steps
     * (Cody–Waite: ln2 = LN2_HI + LN2_LO), e^r by its Taylor polynomial of degree 13 (|r| ≤ ln2/2: truncation error
     * below 2⁻⁵⁸ relative) in Horner form with fused multiply-adds, and 2ⁿ added to the exponent bits. Only exact
     * IEEE operations: the same bits in C2 and in the fallback, and in the scalar tail ({@link #exp1}).
     */
    @Override
    public void expNonPositive(double[] a, int from, int to) {
        ArrayRanges.check(a, from, to - (long) from);
        int j = from;
        DoubleVector magic = DoubleVector.broadcast(S, EXP_MAGIC);
        DoubleVector floor = DoubleVector.broadcast(S, EXP_FLOOR);
        DoubleVector zero = DoubleVector.zero(S);
        for (; j + L <= to; j += L) { // written out here: as a method of its own C2 would not inline it (too large)
            DoubleVector x = DoubleVector.fromArray(S, a, j);
            DoubleVector xc = x.max(floor);
            DoubleVector t = xc.fma(DoubleVector.broadcast(S, LOG2E), magic);
            DoubleVector n = t.sub(magic);
            DoubleVector r = n.fma(DoubleVector.broadcast(S, -LN2_HI), xc);
            r = n.fma(DoubleVector.broadcast(S, -LN2_LO), r);
            DoubleVector p = DoubleVector.broadcast(S, E13).fma(r, DoubleVector.broadcast(S, E12));
            p = p.fma(r, DoubleVector.broadcast(S, E11));
            p = p.fma(r, DoubleVector.broadcast(S, E10));
            p = p.fma(r, DoubleVector.broadcast(S, E9));
            p = p.fma(r, DoubleVector.broadcast(S, E8));
            p = p.fma(r, DoubleVector.broadcast(S, E7));
            p = p.fma(r, DoubleVector.broadcast(S, E6));
            p = p.fma(r, DoubleVector.broadcast(S, E5));
            p = p.fma(r, DoubleVector.broadcast(S, E4));
            p = p.fma(r, DoubleVector.broadcast(S, E3));
            p = p.fma(r, DoubleVector.broadcast(S, E2));
            p = p.fma(r, DoubleVector.broadcast(S, E1));
            p = p.fma(r, DoubleVector.broadcast(S, E0));
            LongVector scale = ((LongVector) t.viewAsIntegralLanes()).sub(EXP_MAGIC_BITS).lanewise(VectorOperators.LSHL, 52);
            DoubleVector e = (DoubleVector) ((LongVector) p.viewAsIntegralLanes()).add(scale).viewAsFloatingLanes();
            e = e.blend(zero, x.compare(VectorOperators.LT, floor));
            e.blend(x, x.test(VectorOperators.IS_NAN)).intoArray(a, j);
        }
        for (; j < to; j++) {
            a[j] = exp1(a[j]);
        }
    }

    /** One lane of {@link #expNonPositive}, in the same operations. */
    static double exp1(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < EXP_FLOOR) {
            return 0.0;
        }
        double t = Math.fma(x, LOG2E, EXP_MAGIC);
        double n = t - EXP_MAGIC;
        double r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        double p = Math.fma(E13, r, E12);
        p = Math.fma(p, r, E11);
        p = Math.fma(p, r, E10);
        p = Math.fma(p, r, E9);
        p = Math.fma(p, r, E8);
        p = Math.fma(p, r, E7);
        p = Math.fma(p, r, E6);
        p = Math.fma(p, r, E5);
        p = Math.fma(p, r, E4);
        p = Math.fma(p, r, E3);
        p = Math.fma(p, r, E2);
        p = Math.fma(p, r, E1);
        p = Math.fma(p, r, E0);
        long scale = (Double.doubleToRawLongBits(t) - EXP_MAGIC_BITS) << 52;
        return Double.longBitsToDouble(Double.doubleToRawLongBits(p) + scale);
    }

    private static final double LOG2E = 1.4426950408889634;
    /** 1.5·2⁵²: adding it rounds to an integer held in the low mantissa bits. */
    private static final double EXP_MAGIC = 6755399441055744.0;
    private static final long EXP_MAGIC_BITS = Double.doubleToRawLongBits(EXP_MAGIC);
    /** Below this argument the result would leave the normal range: 0. */
    private static final double EXP_FLOOR = -708.0;
    /** fdlibm's split of ln 2: LN2_HI has 32 trailing zero bits. */
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    /** E_q = 1/q! (rounded), the Taylor coefficients of e^r; compile-time constants, so the JIT hoists them. */
    private static final double E0 = 1.0;
    private static final double E1 = 1.0;
    private static final double E2 = 1.0 / 2;
    private static final double E3 = 1.0 / 6;
    private static final double E4 = 1.0 / 24;
    private static final double E5 = 1.0 / 120;
    private static final double E6 = 1.0 / 720;
    private static final double E7 = 1.0 / 5040;
    private static final double E8 = 1.0 / 40320;
    private static final double E9 = 1.0 / 362880;
    private static final double E10 = 1.0 / 3628800;
    private static final double E11 = 1.0 / 39916800;
    private static final double E12 = 1.0 / 479001600;
    private static final double E13 = 1.0 / 6227020800.0;

    @Override
    public double finiteProbe(double[] a, int off, int len) {
        ArrayRanges.check(a, off, len);
        DoubleVector p = DoubleVector.zero(S);
        int j = 0;
        for (; j + L <= len; j += L) {
            p = p.add(DoubleVector.fromArray(S, a, off + j).mul(0.0));
        }
        double s = sum(p);
        for (; j < len; j++) {
            s += a[off + j] * 0.0;
        }
        return s;
    }

    @Override
    public double maxAbs(double[] a, int off, int len) {
        ArrayRanges.check(a, off, len);
        DoubleVector m0 = DoubleVector.zero(S);
        DoubleVector m1 = m0;
        DoubleVector m2 = m0;
        DoubleVector m3 = m0;
        int j = 0;
        for (; j + 4 * L <= len; j += 4 * L) {
            m0 = m0.max(DoubleVector.fromArray(S, a, off + j).abs());
            m1 = m1.max(DoubleVector.fromArray(S, a, off + j + L).abs());
            m2 = m2.max(DoubleVector.fromArray(S, a, off + j + 2 * L).abs());
            m3 = m3.max(DoubleVector.fromArray(S, a, off + j + 3 * L).abs());
        }
        for (; j + L <= len; j += L) {
            m0 = m0.max(DoubleVector.fromArray(S, a, off + j).abs());
        }
        double s = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX); // max: exact in any order
        for (; j < len; j++) {
            s = Math.max(s, Math.abs(a[off + j]));
        }
        return s;
    }

    /** The four source rows of a four-term combination. */
    private static void checkFour(double[] s, int s0, int s1, int s2, int s3, int len) {
        ArrayRanges.check(s, s0, len);
        ArrayRanges.check(s, s1, len);
        ArrayRanges.check(s, s2, len);
        ArrayRanges.check(s, s3, len);
    }

    /** (v₀ + v₁) + (v₂ + v₃): the lanes added in a fixed order, identical in C2 and in the fallback. */
    private static double sum(DoubleVector v) {
        return (v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3));
    }
}
