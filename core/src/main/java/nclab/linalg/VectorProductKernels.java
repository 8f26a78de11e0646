package nclab.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ProductKernels} on the Vector API (loaded only through {@link ProductKernels#best()}), in register tiles
 * of up to twelve 256-bit accumulators:
 * <ul>
 *   <li>A Bᵀ: two rows of A against five rows of B (two loads of A and five of B per ten multiply-adds), the
 *       entries' lanes added at the end; then four rows of B if four are left, and the rest one at a time;</li>
 *   <li>β·out + α·A B: six output rows × eight columns over j (two loads of B and six broadcasts per twelve
 *       multiply-adds), then two rows, then one;</li>
 *   <li>out += Aᵀ B: five output rows × eight columns over the n rows (two loads of B, five broadcasts), then four
 *       if four are left, and the rest one at a time.</li>
 * </ul>
 * Columns beyond the last whole group of eight (of four for A Bᵀ) take scalar fused multiply-adds in the same
 * order as the lanes, so the bits do not depend on the tiling. Only lanewise arithmetic, loads, stores and lane
 * reads: the interpreter and C2 give the same bits. Measured on one thread over n = 5000 rows in blocks of 51, m = 10,
 * d = 512 (docs/linalg.md): A Bᵀ as fast as single-threaded OpenBLAS (≈ 4.3 ms), the other two 1.2–1.6× slower, and
 * 2.7–8× faster than the plain loops.
 */
final class VectorProductKernels implements ProductKernels {
    static final VectorProductKernels INSTANCE = new VectorProductKernels();
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int L = 4;

    private VectorProductKernels() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void multiplyTransB(double[] a, int aOff, int n, double[] b, int bOff, int m, int d, double[] out,
                               int outOff) {
        ArrayRanges.check(a, aOff, (long) n * d);
        ArrayRanges.check(b, bOff, (long) m * d);
        ArrayRanges.check(out, outOff, (long) n * m);
        for (int i = 0; i < n; i += 2) {
            boolean odd = i + 1 == n; // the odd last row as a pair with itself: its entries written twice
            int a0 = aOff + i * d;
            int a1 = odd ? a0 : a0 + d;
            int o0 = outOff + i * m;
            int o1 = odd ? o0 : o0 + m;
            for (int j = 0, width; j < m; j += width) {
                width = classTile(m - j);
                int bj = bOff + j * d;
                switch (width) {
                    case 5 -> dots2x5(a, a0, a1, b, bj, d, out, o0 + j, o1 + j);
                    case 4 -> dots2x4(a, a0, a1, b, bj, d, out, o0 + j, o1 + j);
                    default -> dots2x1(a, a0, a1, b, bj, d, out, o0 + j, o1 + j);
                }
            }
        }
    }

    /** Rows a0, a1 of A against the five rows of B from b0: entries at out[o0..o0+4] and out[o1..o1+4]. */
    private static void dots2x5(double[] a, int a0, int a1, double[] b, int b0, int d, double[] out, int o0, int o1) {
        int b1 = b0 + d;
        int b2 = b1 + d;
        int b3 = b2 + d;
        int b4 = b3 + d;
        int full = d & -L;
        DoubleVector s00 = DoubleVector.zero(S);
        DoubleVector s01 = s00;
        DoubleVector s02 = s00;
        DoubleVector s03 = s00;
        DoubleVector s04 = s00;
        DoubleVector s10 = s00;
        DoubleVector s11 = s00;
        DoubleVector s12 = s00;
        DoubleVector s13 = s00;
        DoubleVector s14 = s00;
        for (int t = 0; t < full; t += L) {
            DoubleVector p = DoubleVector.fromArray(S, a, a0 + t);
            DoubleVector q = DoubleVector.fromArray(S, a, a1 + t);
            DoubleVector u = DoubleVector.fromArray(S, b, b0 + t);
            s00 = p.fma(u, s00);
            s10 = q.fma(u, s10);
            u = DoubleVector.fromArray(S, b, b1 + t);
            s01 = p.fma(u, s01);
            s11 = q.fma(u, s11);
            u = DoubleVector.fromArray(S, b, b2 + t);
            s02 = p.fma(u, s02);
            s12 = q.fma(u, s12);
            u = DoubleVector.fromArray(S, b, b3 + t);
            s03 = p.fma(u, s03);
            s13 = q.fma(u, s13);
            u = DoubleVector.fromArray(S, b, b4 + t);
            s04 = p.fma(u, s04);
            s14 = q.fma(u, s14);
        }
        // lanes added written out, not a method taking vectors: C2 boxes vectors passed to a method it does not inline
        out[o0] = tail(a, a0, b, b0, full, d, (s00.lane(0) + s00.lane(1)) + (s00.lane(2) + s00.lane(3)));
        out[o0 + 1] = tail(a, a0, b, b1, full, d, (s01.lane(0) + s01.lane(1)) + (s01.lane(2) + s01.lane(3)));
        out[o0 + 2] = tail(a, a0, b, b2, full, d, (s02.lane(0) + s02.lane(1)) + (s02.lane(2) + s02.lane(3)));
        out[o0 + 3] = tail(a, a0, b, b3, full, d, (s03.lane(0) + s03.lane(1)) + (s03.lane(2) + s03.lane(3)));
        out[o0 + 4] = tail(a, a0, b, b4, full, d, (s04.lane(0) + s04.lane(1)) + (s04.lane(2) + s04.lane(3)));
        out[o1] = tail(a, a1, b, b0, full, d, (s10.lane(0) + s10.lane(1)) + (s10.lane(2) + s10.lane(3)));
        out[o1 + 1] = tail(a, a1, b, b1, full, d, (s11.lane(0) + s11.lane(1)) + (s11.lane(2) + s11.lane(3)));
        out[o1 + 2] = tail(a, a1, b, b2, full, d, (s12.lane(0) + s12.lane(1)) + (s12.lane(2) + s12.lane(3)));
        out[o1 + 3] = tail(a, a1, b, b3, full, d, (s13.lane(0) + s13.lane(1)) + (s13.lane(2) + s13.lane(3)));
        out[o1 + 4] = tail(a, a1, b, b4, full, d, (s14.lane(0) + s14.lane(1)) + (s14.lane(2) + s14.lane(3)));
    }

    /** Rows a0, a1 of A against the four rows of B from b0: entries at out[o0..o0+3] and out[o1..o1+3]. */
    private static void dots2x4(double[] a, int a0, int a1, double[] b, int b0, int d, double[] out, int o0, int o1) {
        int b1 = b0 + d;
        int b2 = b1 + d;
        int b3 = b2 + d;
        int full = d & -L;
        DoubleVector s00 = DoubleVector.zero(S);
        DoubleVector s01 = s00;
        DoubleVector s02 = s00;
        DoubleVector s03 = s00;
        DoubleVector s10 = s00;
        DoubleVector s11 = s00;
        DoubleVector s12 = s00;
        DoubleVector s13 = s00;
        for (int t = 0; t < full; t += L) {
            DoubleVector p = DoubleVector.fromArray(S, a, a0 + t);
            DoubleVector q = DoubleVector.fromArray(S, a, a1 + t);
            DoubleVector u = DoubleVector.fromArray(S, b, b0 + t);
            s00 = p.fma(u, s00);
            s10 = q.fma(u, s10);
            u = DoubleVector.fromArray(S, b, b1 + t);
            s01 = p.fma(u, s01);
            s11 = q.fma(u, s11);
            u = DoubleVector.fromArray(S, b, b2 + t);
            s02 = p.fma(u, s02);
            s12 = q.fma(u, s12);
            u = DoubleVector.fromArray(S, b, b3 + t);
            s03 = p.fma(u, s03);
            s13 = q.fma(u, s13);
        }
        out[o0] = tail(a, a0, b, b0, full, d, (s00.lane(0) + s00.lane(1)) + (s00.lane(2) + s00.lane(3)));
        out[o0 + 1] = tail(a, a0, b, b1, full, d, (s01.lane(0) + s01.lane(1)) + (s01.lane(2) + s01.lane(3)));
        out[o0 + 2] = tail(a, a0, b, b2, full, d, (s02.lane(0) + s02.lane(1)) + (s02.lane(2) + s02.lane(3)));
        out[o0 + 3] = tail(a, a0, b, b3, full, d, (s03.lane(0) + s03.lane(1)) + (s03.lane(2) + s03.lane(3)));
        out[o1] = tail(a, a1, b, b0, full, d, (s10.lane(0) + s10.lane(1)) + (s10.lane(2) + s10.lane(3)));
        out[o1 + 1] = tail(a, a1, b, b1, full, d, (s11.lane(0) + s11.lane(1)) + (s11.lane(2) + s11.lane(3)));
        out[o1 + 2] = tail(a, a1, b, b2, full, d, (s12.lane(0) + s12.lane(1)) + (s12.lane(2) + s12.lane(3)));
        out[o1 + 3] = tail(a, a1, b, b3, full, d, (s13.lane(0) + s13.lane(1)) + (s13.lane(2) + s13.lane(3)));
    }

    /** Rows a0, a1 of A against the row b0 of B: entries at out[o0] and out[o1]. */
    private static void dots2x1(double[] a, int a0, int a1, double[] b, int b0, int d, double[] out, int o0, int o1) {
        int full = d & -L;
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        for (int t = 0; t < full; t += L) {
            DoubleVector u = DoubleVector.fromArray(S, b, b0 + t);
            s0 = DoubleVector.fromArray(S, a, a0 + t).fma(u, s0);
            s1 = DoubleVector.fromArray(S, a, a1 + t).fma(u, s1);
        }
        out[o0] = tail(a, a0, b, b0, full, d, (s0.lane(0) + s0.lane(1)) + (s0.lane(2) + s0.lane(3)));
        out[o1] = tail(a, a1, b, b0, full, d, (s1.lane(0) + s1.lane(1)) + (s1.lane(2) + s1.lane(3)));
    }

    /** Classes per tile when {@code left} are left: five while there are five, four when four are left, else one. */
    private static int classTile(int left) {
        return left >= 5 ? 5 : left == 4 ? 4 : 1;
    }

    /** s completed by fused multiply-adds of a[ai + t]·b[bi + t] for from ≤ t &lt; d in order. */
    private static double tail(double[] a, int ai, double[] b, int bi, int from, int d, double s) {
        for (int t = from; t < d; t++) {
            s = Math.fma(a[ai + t], b[bi + t], s);
        }
        return s;
    }

    @Override
    public void multiplyScaleAdd(double[] a, int aOff, int n, int m, double[] b, int bOff, int d, double alpha,
                                 double beta, double[] out, int outOff) {
        ArrayRanges.check(a, aOff, (long) n * m);
        ArrayRanges.check(b, bOff, (long) m * d);
        ArrayRanges.check(out, outOff, (long) n * d);
        int full = d & -(2 * L);
        for (int i = 0, height; i < n; i += height) {
            height = n - i >= 6 ? 6 : n - i >= 2 ? 2 : 1;
            int o = outOff + i * d;
            int ai = aOff + i * m;
            for (int t = 0; t < full; t += 2 * L) {
                switch (height) {
                    case 6 -> rows6x8(a, ai, m, b, bOff + t, d, alpha, beta, out, o + t);
                    case 2 -> rows2x8(a, ai, m, b, bOff + t, d, alpha, beta, out, o + t);
                    default -> row1x8(a, ai, m, b, bOff + t, d, alpha, beta, out, o + t);
                }
            }
            for (int r = 0; r < height; r++) {
                scaleAddTail(a, ai + r * m, m, b, bOff, d, alpha, beta, out, o + r * d, full);
            }
        }
    }

    /** Eight columns of six output rows (from o, stride d) over the coefficients of rows ai.. (stride m) of A. */
    private static void rows6x8(double[] a, int ai, int m, double[] b, int bt, int d, double alpha, double beta,
                                double[] out, int o) {
        int o1 = o + d;
        int o2 = o1 + d;
        int o3 = o2 + d;
        int o4 = o3 + d;
        int o5 = o4 + d;
        DoubleVector r0 = DoubleVector.fromArray(S, out, o);
        DoubleVector e0 = DoubleVector.fromArray(S, out, o + L);
        DoubleVector r1 = DoubleVector.fromArray(S, out, o1);
        DoubleVector e1 = DoubleVector.fromArray(S, out, o1 + L);
        DoubleVector r2 = DoubleVector.fromArray(S, out, o2);
        DoubleVector e2 = DoubleVector.fromArray(S, out, o2 + L);
        DoubleVector r3 = DoubleVector.fromArray(S, out, o3);
        DoubleVector e3 = DoubleVector.fromArray(S, out, o3 + L);
        DoubleVector r4 = DoubleVector.fromArray(S, out, o4);
        DoubleVector e4 = DoubleVector.fromArray(S, out, o4 + L);
        DoubleVector r5 = DoubleVector.fromArray(S, out, o5);
        DoubleVector e5 = DoubleVector.fromArray(S, out, o5 + L);
        if (beta != 1.0) {
            r0 = r0.mul(beta);
            e0 = e0.mul(beta);
            r1 = r1.mul(beta);
            e1 = e1.mul(beta);
            r2 = r2.mul(beta);
            e2 = e2.mul(beta);
            r3 = r3.mul(beta);
            e3 = e3.mul(beta);
            r4 = r4.mul(beta);
            e4 = e4.mul(beta);
            r5 = r5.mul(beta);
            e5 = e5.mul(beta);
        }
        int a1 = ai + m;
        int a2 = a1 + m;
        int a3 = a2 + m;
        int a4 = a3 + m;
        int a5 = a4 + m;
        for (int j = 0, bj = bt; j < m; j++, bj += d) {
            DoubleVector p = DoubleVector.fromArray(S, b, bj);
            DoubleVector q = DoubleVector.fromArray(S, b, bj + L);
            DoubleVector c = DoubleVector.broadcast(S, alpha * a[ai + j]);
            r0 = p.fma(c, r0);
            e0 = q.fma(c, e0);
            c = DoubleVector.broadcast(S, alpha * a[a1 + j]);
            r1 = p.fma(c, r1);
            e1 = q.fma(c, e1);
            c = DoubleVector.broadcast(S, alpha * a[a2 + j]);
            r2 = p.fma(c, r2);
            e2 = q.fma(c, e2);
            c = DoubleVector.broadcast(S, alpha * a[a3 + j]);
            r3 = p.fma(c, r3);
            e3 = q.fma(c, e3);
            c = DoubleVector.broadcast(S, alpha * a[a4 + j]);
            r4 = p.fma(c, r4);
            e4 = q.fma(c, e4);
            c = DoubleVector.broadcast(S, alpha * a[a5 + j]);
            r5 = p.fma(c, r5);
            e5 = q.fma(c, e5);
        }
        r0.intoArray(out, o);
        e0.intoArray(out, o + L);
        r1.intoArray(out, o1);
        e1.intoArray(out, o1 + L);
        r2.intoArray(out, o2);
        e2.intoArray(out, o2 + L);
        r3.intoArray(out, o3);
        e3.intoArray(out, o3 + L);
        r4.intoArray(out, o4);
        e4.intoArray(out, o4 + L);
        r5.intoArray(out, o5);
        e5.intoArray(out, o5 + L);
    }

    /** Eight columns of two output rows (from o, stride d) over the coefficients of rows ai.. (stride m) of A. */
    private static void rows2x8(double[] a, int ai, int m, double[] b, int bt, int d, double alpha, double beta,
                                double[] out, int o) {
        int o1 = o + d;
        DoubleVector r0 = DoubleVector.fromArray(S, out, o);
        DoubleVector e0 = DoubleVector.fromArray(S, out, o + L);
        DoubleVector r1 = DoubleVector.fromArray(S, out, o1);
        DoubleVector e1 = DoubleVector.fromArray(S, out, o1 + L);
        if (beta != 1.0) {
            r0 = r0.mul(beta);
            e0 = e0.mul(beta);
            r1 = r1.mul(beta);
            e1 = e1.mul(beta);
        }
        int a1 = ai + m;
        for (int j = 0, bj = bt; j < m; j++, bj += d) {
            DoubleVector p = DoubleVector.fromArray(S, b, bj);
            DoubleVector q = DoubleVector.fromArray(S, b, bj + L);
            DoubleVector c = DoubleVector.broadcast(S, alpha * a[ai + j]);
            r0 = p.fma(c, r0);
            e0 = q.fma(c, e0);
            c = DoubleVector.broadcast(S, alpha * a[a1 + j]);
            r1 = p.fma(c, r1);
            e1 = q.fma(c, e1);
        }
        r0.intoArray(out, o);
        e0.intoArray(out, o + L);
        r1.intoArray(out, o1);
        e1.intoArray(out, o1 + L);
    }

    /** Eight columns of one output row o over the coefficients of row ai of A. */
    private static void row1x8(double[] a, int ai, int m, double[] b, int bt, int d, double alpha, double beta,
                               double[] out, int o) {
        DoubleVector r = DoubleVector.fromArray(S, out, o);
        DoubleVector e = DoubleVector.fromArray(S, out, o + L);
        if (beta != 1.0) {
            r = r.mul(beta);
            e = e.mul(beta);
        }
        for (int j = 0, bj = bt; j < m; j++, bj += d) {
            DoubleVector c = DoubleVector.broadcast(S, alpha * a[ai + j]);
            r = DoubleVector.fromArray(S, b, bj).fma(c, r);
            e = DoubleVector.fromArray(S, b, bj + L).fma(c, e);
        }
        r.intoArray(out, o);
        e.intoArray(out, o + L);
    }

    /** Columns from ≤ t &lt; d of output row o, entry by entry in the lanes' order. */
    private static void scaleAddTail(double[] a, int ai, int m, double[] b, int bOff, int d, double alpha,
                                     double beta, double[] out, int o, int from) {
        for (int t = from; t < d; t++) {
            double s = beta != 1.0 ? out[o + t] * beta : out[o + t];
            for (int j = 0; j < m; j++) {
                s = Math.fma(alpha * a[ai + j], b[bOff + j * d + t], s);
            }
            out[o + t] = s;
        }
    }

    @Override
    public void multiplyTransAAdd(double[] a, int aOff, int n, int m, double[] b, int bOff, int d, double[] out,
                                  int outOff) {
        ArrayRanges.check(a, aOff, (long) n * m);
        ArrayRanges.check(b, bOff, (long) n * d);
        ArrayRanges.check(out, outOff, (long) m * d);
        int full = d & -(2 * L);
        for (int j = 0, width; j < m; j += width) {
            width = classTile(m - j);
            int o = outOff + j * d;
            for (int t = 0; t < full; t += 2 * L) {
                switch (width) {
                    case 5 -> columns5x8(a, aOff + j, n, m, b, bOff + t, d, out, o + t);
                    case 4 -> columns4x8(a, aOff + j, n, m, b, bOff + t, d, out, o + t);
                    default -> column1x8(a, aOff + j, n, m, b, bOff + t, d, out, o + t);
                }
            }
            for (int c = 0; c < width; c++) {
                transAAddTail(a, aOff + j + c, n, m, b, bOff, d, out, o + c * d, full);
            }
        }
    }

    /** Eight columns of five output rows (from o, stride d): the coefficients a[aj + i·m ..] of each row i of B. */
    private static void columns5x8(double[] a, int aj, int n, int m, double[] b, int bt, int d, double[] out, int o) {
        int o1 = o + d;
        int o2 = o1 + d;
        int o3 = o2 + d;
        int o4 = o3 + d;
        DoubleVector r0 = DoubleVector.fromArray(S, out, o);
        DoubleVector e0 = DoubleVector.fromArray(S, out, o + L);
        DoubleVector r1 = DoubleVector.fromArray(S, out, o1);
        DoubleVector e1 = DoubleVector.fromArray(S, out, o1 + L);
        DoubleVector r2 = DoubleVector.fromArray(S, out, o2);
        DoubleVector e2 = DoubleVector.fromArray(S, out, o2 + L);
        DoubleVector r3 = DoubleVector.fromArray(S, out, o3);
        DoubleVector e3 = DoubleVector.fromArray(S, out, o3 + L);
        DoubleVector r4 = DoubleVector.fromArray(S, out, o4);
        DoubleVector e4 = DoubleVector.fromArray(S, out, o4 + L);
        for (int i = 0, ai = aj, bi = bt; i < n; i++, ai += m, bi += d) {
            DoubleVector p = DoubleVector.fromArray(S, b, bi);
            DoubleVector q = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector c = DoubleVector.broadcast(S, a[ai]);
            r0 = p.fma(c, r0);
            e0 = q.fma(c, e0);
            c = DoubleVector.broadcast(S, a[ai + 1]);
            r1 = p.fma(c, r1);
            e1 = q.fma(c, e1);
            c = DoubleVector.broadcast(S, a[ai + 2]);
            r2 = p.fma(c, r2);
            e2 = q.fma(c, e2);
            c = DoubleVector.broadcast(S, a[ai + 3]);
            r3 = p.fma(c, r3);
            e3 = q.fma(c, e3);
            c = DoubleVector.broadcast(S, a[ai + 4]);
            r4 = p.fma(c, r4);
            e4 = q.fma(c, e4);
        }
        r0.intoArray(out, o);
        e0.intoArray(out, o + L);
        r1.intoArray(out, o1);
        e1.intoArray(out, o1 + L);
        r2.intoArray(out, o2);
        e2.intoArray(out, o2 + L);
        r3.intoArray(out, o3);
        e3.intoArray(out, o3 + L);
        r4.intoArray(out, o4);
        e4.intoArray(out, o4 + L);
    }

    /** Eight columns of four output rows (from o, stride d): the coefficients a[aj + i·m ..] of each row i of B. */
    private static void columns4x8(double[] a, int aj, int n, int m, double[] b, int bt, int d, double[] out, int o) {
        int o1 = o + d;
        int o2 = o1 + d;
        int o3 = o2 + d;
        DoubleVector r0 = DoubleVector.fromArray(S, out, o);
        DoubleVector e0 = DoubleVector.fromArray(S, out, o + L);
        DoubleVector r1 = DoubleVector.fromArray(S, out, o1);
        DoubleVector e1 = DoubleVector.fromArray(S, out, o1 + L);
        DoubleVector r2 = DoubleVector.fromArray(S, out, o2);
        DoubleVector e2 = DoubleVector.fromArray(S, out, o2 + L);
        DoubleVector r3 = DoubleVector.fromArray(S, out, o3);
        DoubleVector e3 = DoubleVector.fromArray(S, out, o3 + L);
        for (int i = 0, ai = aj, bi = bt; i < n; i++, ai += m, bi += d) {
            DoubleVector p = DoubleVector.fromArray(S, b, bi);
            DoubleVector q = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector c = DoubleVector.broadcast(S, a[ai]);
            r0 = p.fma(c, r0);
            e0 = q.fma(c, e0);
            c = DoubleVector.broadcast(S, a[ai + 1]);
            r1 = p.fma(c, r1);
            e1 = q.fma(c, e1);
            c = DoubleVector.broadcast(S, a[ai + 2]);
            r2 = p.fma(c, r2);
            e2 = q.fma(c, e2);
            c = DoubleVector.broadcast(S, a[ai + 3]);
            r3 = p.fma(c, r3);
            e3 = q.fma(c, e3);
        }
        r0.intoArray(out, o);
        e0.intoArray(out, o + L);
        r1.intoArray(out, o1);
        e1.intoArray(out, o1 + L);
        r2.intoArray(out, o2);
        e2.intoArray(out, o2 + L);
        r3.intoArray(out, o3);
        e3.intoArray(out, o3 + L);
    }

    /** Eight columns of one output row o: the coefficients a[aj + i·m] of each row i of B. */
    private static void column1x8(double[] a, int aj, int n, int m, double[] b, int bt, int d, double[] out, int o) {
        DoubleVector r = DoubleVector.fromArray(S, out, o);
        DoubleVector e = DoubleVector.fromArray(S, out, o + L);
        for (int i = 0, ai = aj, bi = bt; i < n; i++, ai += m, bi += d) {
            DoubleVector c = DoubleVector.broadcast(S, a[ai]);
            r = DoubleVector.fromArray(S, b, bi).fma(c, r);
            e = DoubleVector.fromArray(S, b, bi + L).fma(c, e);
        }
        r.intoArray(out, o);
        e.intoArray(out, o + L);
    }

    /** Columns from ≤ t &lt; d of output row o, entry by entry in the rows' order. */
    private static void transAAddTail(double[] a, int aj, int n, int m, double[] b, int bOff, int d, double[] out,
                                      int o, int from) {
        for (int t = from; t < d; t++) {
            double s = out[o + t];
            for (int i = 0; i < n; i++) {
                s = Math.fma(a[aj + i * m], b[bOff + i * d + t], s);
            }
            out[o + t] = s;
        }
    }
}
