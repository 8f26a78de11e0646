package nclab.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FourClassKernels} on the Vector API (loaded only through {@link FourClassKernels#best()}): a row's four
 * classes are one 256-bit vector. Logits: two rows against the four rows of W per loop over d (eight accumulators),
 * whose lanes are added by exact lane moves into one vector of four logits per row. Step: columns
 * of four features, the rows of a block two at a time, with the column's old and new W in eight registers. Only the
 * operations {@link VectorRowKernels} uses for determinism (lanewise arithmetic, loads, stores, lane moves), so
 * the interpreter and C2 give the same bits.
 */
final class VectorFourClassKernels implements FourClassKernels {
    static final VectorFourClassKernels INSTANCE = new VectorFourClassKernels();
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int L = 4;
    private static final VectorShuffle<Double> SWAP_PAIRS = VectorShuffle.fromValues(S, 1, 0, 3, 2);
    private static final VectorShuffle<Double> SWAP_HALVES = VectorShuffle.fromValues(S, 2, 3, 0, 1);
    private static final VectorMask<Double> ODD_LANES = VectorMask.fromValues(S, false, true, false, true);
    private static final VectorMask<Double> HIGH_HALF = VectorMask.fromValues(S, false, false, true, true);
    private static final double[] NO_BIAS = {-0.0, -0.0, -0.0, -0.0};

    private VectorFourClassKernels() {
    }

    @Override
    public String name() {
        return "vector";
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

    /** The logits of rows at h + t·d, or at rowsAt[t] when rowsAt is not null (one vector loop for both). */
    private static double logitsOf(double[] x, int w, int h, int[] rowsAt, int rows, int d, double[] z, int zo) {
        int w1 = w + d;
        int w2 = w1 + d;
        int w3 = w2 + d;
        int full = d & -L;
        double squares = 0;
        for (int t = 0; t < rows; t += 2) {
            boolean odd = t + 1 == rows; // the odd last row as a pair with itself: its logits twice, its ‖h‖² twice
            int h0 = rowsAt == null ? h + t * d : rowsAt[t];
            int h1 = odd ? h0 : rowsAt == null ? h0 + d : rowsAt[t + 1];
            int o0 = zo + 4 * t;
            int o1 = odd ? o0 : o0 + 4;
            DoubleVector s00 = DoubleVector.zero(S);
            DoubleVector s01 = s00;
            DoubleVector s02 = s00;
            DoubleVector s03 = s00;
            DoubleVector s10 = s00;
            DoubleVector s11 = s00;
            DoubleVector s12 = s00;
            DoubleVector s13 = s00;
            DoubleVector q0 = s00;
            DoubleVector q1 = s00;
            for (int j = 0; j < full; j += L) {
                DoubleVector a = DoubleVector.fromArray(S, x, h0 + j);
                DoubleVector b = DoubleVector.fromArray(S, x, h1 + j);
                q0 = a.fma(a, q0);
                q1 = b.fma(b, q1);
                DoubleVector u = DoubleVector.fromArray(S, x, w + j);
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
            // [Σs00, Σs01, Σs02, Σs03] with each Σv = (v₀ + v₁) + (v₂ + v₃) (VectorRowKernels' lane order), by exact
            // lane moves; written out, not a method: C2 inlines a method that takes vectors only when its call is
            // hot in the profile, and boxes them (4× slower steps) in a compilation where it is not
            DoubleVector p0 = s00.add(s00.rearrange(SWAP_PAIRS)); // a01 a01 a23 a23
            DoubleVector p1 = s01.add(s01.rearrange(SWAP_PAIRS));
            DoubleVector p2 = s02.add(s02.rearrange(SWAP_PAIRS));
            DoubleVector p3 = s03.add(s03.rearrange(SWAP_PAIRS));
            DoubleVector q01 = p0.blend(p1, ODD_LANES); // a01 b01 a23 b23
            DoubleVector q23 = p2.blend(p3, ODD_LANES); // c01 d01 c23 d23
            q01.blend(q23.rearrange(SWAP_HALVES), HIGH_HALF) // a01 b01 c01 d01
                    .add(q01.rearrange(SWAP_HALVES).blend(q23, HIGH_HALF)) // + a23 b23 c23 d23
                    .intoArray(z, o0);
            p0 = s10.add(s10.rearrange(SWAP_PAIRS));
            p1 = s11.add(s11.rearrange(SWAP_PAIRS));
            p2 = s12.add(s12.rearrange(SWAP_PAIRS));
            p3 = s13.add(s13.rearrange(SWAP_PAIRS));
            q01 = p0.blend(p1, ODD_LANES);
            q23 = p2.blend(p3, ODD_LANES);
            q01.blend(q23.rearrange(SWAP_HALVES), HIGH_HALF).add(q01.rearrange(SWAP_HALVES).blend(q23, HIGH_HALF))
                    .intoArray(z, o1);
            double squares0 = (q0.lane(0) + q0.lane(1)) + (q0.lane(2) + q0.lane(3));
            double squares1 = (q1.lane(0) + q1.lane(1)) + (q1.lane(2) + q1.lane(3));
            double pair = full < d ? pairTail(x, w, h0, h1, d, full, z, o0, o1, squares0, squares1)
                    : squares0 + squares1;
            squares += odd ? 0.5 * pair : pair;
        }
        return squares;
    }

    /**
     * The features from full on of rows h0, h1 (logits at z[o0..], z[o1..]): one fused multiply-add per logit, as
     * RowKernels.dots2x4; returns the rows' ‖h‖² completed from squares0, squares1.
     */
    private static double pairTail(double[] x, int w, int h0, int h1, int d, int full, double[] z, int o0, int o1,
                                   double squares0, double squares1) {
        int w1 = w + d;
        int w2 = w1 + d;
        int w3 = w2 + d;
        for (int j = full; j < d; j++) {
            double a = x[h0 + j];
            double b = x[h1 + j];
            z[o0] = Math.fma(a, x[w + j], z[o0]);
            z[o0 + 1] = Math.fma(a, x[w1 + j], z[o0 + 1]);
            z[o0 + 2] = Math.fma(a, x[w2 + j], z[o0 + 2]);
            z[o0 + 3] = Math.fma(a, x[w3 + j], z[o0 + 3]);
            if (o1 != o0) { // a row paired with itself has its logits once
                z[o1] = Math.fma(b, x[w + j], z[o1]);
                z[o1 + 1] = Math.fma(b, x[w1 + j], z[o1 + 1]);
                z[o1 + 2] = Math.fma(b, x[w2 + j], z[o1 + 2]);
                z[o1 + 3] = Math.fma(b, x[w3 + j], z[o1 + 3]);
            }
            squares0 = Math.fma(a, a, squares0);
            squares1 = Math.fma(b, b, squares1);
        }
        return squares0 + squares1;
    }

    @Override
    public double softmax(double[] z, int zo, int rows, double[] b, int bo, int[] labels, int lo, double scale) {
        ArrayRanges.checkFourClassSoftmax(z, zo, rows, b, bo);
        boolean bias = b != null;
        // no bias: add −0.0, which leaves every double as it is (x + (−0.0) = x); no vector chosen by a branch, as
        // C2 (JDK 17) boxes vectors that merge at a branch
        DoubleVector bv = DoubleVector.fromArray(S, bias ? b : NO_BIAS, bias ? bo : 0);
        double ce = 0;
        for (int t = 0; t < rows; t++) { // shift each row by its maximum (found as UfmSgdKernel's scalar loop does)
            int o = zo + 4 * t;
            int y = ArrayRanges.fourClassLabel(labels, lo, t);
            DoubleVector s = DoubleVector.fromArray(S, z, o).add(bv);
            double max = Double.NEGATIVE_INFINITY;
            double l = s.lane(0);
            if (l > max) {
                max = l;
            }
            l = s.lane(1);
            if (l > max) {
                max = l;
            }
            l = s.lane(2);
            if (l > max) {
                max = l;
            }
            l = s.lane(3);
            if (l > max) {
                max = l;
            }
            ce -= (bias ? z[o + y] + b[bo + y] : z[o + y]) - max;
            s.sub(max).intoArray(z, o);
        }
        VectorRowKernels.INSTANCE.expNonPositive(z, zo, zo + 4 * rows);
        double product = 1;
        for (int t = 0; t < rows; t++) {
            int o = zo + 4 * t;
            DoubleVector e = DoubleVector.fromArray(S, z, o);
            double sum = ((e.lane(0) + e.lane(1)) + e.lane(2)) + e.lane(3);
            product *= sum;
            if ((t & 15) == 15 || t == rows - 1) {
                ce += Math.log(product);
                product = 1;
            }
            e.mul(scale / sum).intoArray(z, o);
            z[o + labels[lo + t]] -= scale;
        }
        return ce;
    }

    @Override
    public void stepRows(double[] x, int w, int h, int rows, int d, double[] c, int co, double keepH,
                         boolean nonNegative, double[] wNext) {
        ArrayRanges.checkFourClassStep(x, w, h, rows, d, c, co, wNext);
        int full = d & -L;
        int block = FourClassKernels.blockRows(d);
        for (int t0 = 0; t0 < rows; t0 += block) {
            int m = Math.min(block, rows - t0);
            int r = h + t0 * d;
            int o = co + 4 * t0;
            for (int j = 0; j < full; j += L) {
                column(x, w + j, r + j, m, d, c, o, keepH, wNext, j);
            }
            for (int j = full; j < d; j++) {
                ScalarFourClassKernels.column(x, w + j, r + j, m, d, c, o, keepH, wNext, j);
            }
            if (nonNegative) { // Π after the block's steps (their share of the new W used the old rows already)
                clamp(x, r, m * d);
            }
        }
    }

    /**
     * Four features (at offsets w, r of the first W row and of the first row; at j in wNext) of m rows: each row's
     * step from the old W (without Π), two rows at a time, and its share of the new W, held in four registers.
     */
    private static void column(double[] x, int w, int r, int m, int d, double[] c, int o, double keepH, double[] wNext,
                               int j) {
        DoubleVector w0 = DoubleVector.fromArray(S, x, w);
        DoubleVector w1 = DoubleVector.fromArray(S, x, w + d);
        DoubleVector w2 = DoubleVector.fromArray(S, x, w + 2 * d);
        DoubleVector w3 = DoubleVector.fromArray(S, x, w + 3 * d);
        DoubleVector a0 = DoubleVector.fromArray(S, wNext, j);
        DoubleVector a1 = DoubleVector.fromArray(S, wNext, d + j);
        DoubleVector a2 = DoubleVector.fromArray(S, wNext, 2 * d + j);
        DoubleVector a3 = DoubleVector.fromArray(S, wNext, 3 * d + j);
        DoubleVector keep = DoubleVector.broadcast(S, keepH);
        int t = 0;
        for (; t + 1 < m; t += 2, r += 2 * d, o += 8) { // two rows per pass: four are 20 % faster, but C2 (JDK 17)
            // then sometimes runs out of its node budget before the last stores and boxes vectors (4x slower)
            DoubleVector u0 = DoubleVector.fromArray(S, x, r);
            DoubleVector c00 = DoubleVector.broadcast(S, c[o]);
            DoubleVector c01 = DoubleVector.broadcast(S, c[o + 1]);
            DoubleVector c02 = DoubleVector.broadcast(S, c[o + 2]);
            DoubleVector c03 = DoubleVector.broadcast(S, c[o + 3]);
            a0 = u0.fma(c00, a0);
            a1 = u0.fma(c01, a1);
            a2 = u0.fma(c02, a2);
            a3 = u0.fma(c03, a3);
            DoubleVector n0 = u0.mul(keep);
            n0 = w0.fma(c00, n0);
            n0 = w1.fma(c01, n0);
            n0 = w2.fma(c02, n0);
            w3.fma(c03, n0).intoArray(x, r);
            DoubleVector u1 = DoubleVector.fromArray(S, x, r + d);
            DoubleVector c10 = DoubleVector.broadcast(S, c[o + 4]);
            DoubleVector c11 = DoubleVector.broadcast(S, c[o + 5]);
            DoubleVector c12 = DoubleVector.broadcast(S, c[o + 6]);
            DoubleVector c13 = DoubleVector.broadcast(S, c[o + 7]);
            a0 = u1.fma(c10, a0);
            a1 = u1.fma(c11, a1);
            a2 = u1.fma(c12, a2);
            a3 = u1.fma(c13, a3);
            DoubleVector n1 = u1.mul(keep);
            n1 = w0.fma(c10, n1);
            n1 = w1.fma(c11, n1);
            n1 = w2.fma(c12, n1);
            w3.fma(c13, n1).intoArray(x, r + d);
        }
        a0.intoArray(wNext, j);
        a1.intoArray(wNext, d + j);
        a2.intoArray(wNext, 2 * d + j);
        a3.intoArray(wNext, 3 * d + j);
        // the last m mod 2 rows feature by feature, in the same operations per lane; not a second vector loop: a
        // vector carried from one loop into another is sometimes left boxed by C2 (JDK 17), a 4x slower step
        for (int q = 0; q < 4 && t < m; q++) {
            ScalarFourClassKernels.column(x, w + q, r + q, m - t, d, c, o, keepH, wNext, j + q);
        }
    }

    @Override
    public void stepRowsAt(double[] x, int w, int[] rowsAt, int rows, int d, double[] c, int co, double keepH,
                           boolean nonNegative, double[] wNext) {
        ArrayRanges.checkFourClassStepAt(x, w, rowsAt, rows, d, c, co, wNext);
        int t = 0;
        for (; t + 1 < rows; t += 2) {
            pair(x, w, rowsAt[t], rowsAt[t + 1], d, c, co + 4 * t, keepH, wNext);
        }
        if (t < rows) { // the odd last row by the scalar lanes (the same operations)
            for (int j = 0; j < d; j++) {
                ScalarFourClassKernels.column(x, w + j, rowsAt[t] + j, 1, d, c, co + 4 * t, keepH, wNext, j);
            }
        }
        for (t = 0; t < rows && nonNegative; t++) {
            clamp(x, rowsAt[t], d);
        }
    }

    /**
     * Two rows (at r0, r1; coefficients at c[o ..], c[o + 4 ..]) over all features: each row's step from the old W
     * and their shares of the new W added to wNext, the first row's before the second's (as {@link #column}).
     */
    private static void pair(double[] x, int w, int r0, int r1, int d, double[] c, int o, double keepH,
                             double[] wNext) {
        DoubleVector c00 = DoubleVector.broadcast(S, c[o]);
        DoubleVector c01 = DoubleVector.broadcast(S, c[o + 1]);
        DoubleVector c02 = DoubleVector.broadcast(S, c[o + 2]);
        DoubleVector c03 = DoubleVector.broadcast(S, c[o + 3]);
        DoubleVector c10 = DoubleVector.broadcast(S, c[o + 4]);
        DoubleVector c11 = DoubleVector.broadcast(S, c[o + 5]);
        DoubleVector c12 = DoubleVector.broadcast(S, c[o + 6]);
        DoubleVector c13 = DoubleVector.broadcast(S, c[o + 7]);
        DoubleVector keep = DoubleVector.broadcast(S, keepH);
        int full = d & -L;
        for (int j = 0; j < full; j += L) {
            DoubleVector u0 = DoubleVector.fromArray(S, x, r0 + j);
            DoubleVector u1 = DoubleVector.fromArray(S, x, r1 + j);
            u1.fma(c10, u0.fma(c00, DoubleVector.fromArray(S, wNext, j))).intoArray(wNext, j);
            u1.fma(c11, u0.fma(c01, DoubleVector.fromArray(S, wNext, d + j))).intoArray(wNext, d + j);
            u1.fma(c12, u0.fma(c02, DoubleVector.fromArray(S, wNext, 2 * d + j))).intoArray(wNext, 2 * d + j);
            u1.fma(c13, u0.fma(c03, DoubleVector.fromArray(S, wNext, 3 * d + j))).intoArray(wNext, 3 * d + j);
            DoubleVector w0 = DoubleVector.fromArray(S, x, w + j);
            DoubleVector w1 = DoubleVector.fromArray(S, x, w + d + j);
            DoubleVector w2 = DoubleVector.fromArray(S, x, w + 2 * d + j);
            DoubleVector w3 = DoubleVector.fromArray(S, x, w + 3 * d + j);
            w3.fma(c03, w2.fma(c02, w1.fma(c01, w0.fma(c00, u0.mul(keep))))).intoArray(x, r0 + j);
            w3.fma(c13, w2.fma(c12, w1.fma(c11, w0.fma(c10, u1.mul(keep))))).intoArray(x, r1 + j);
        }
        for (int j = full; j < d; j++) {
            ScalarFourClassKernels.column(x, w + j, r0 + j, 1, d, c, o, keepH, wNext, j);
            ScalarFourClassKernels.column(x, w + j, r1 + j, 1, d, c, o + 4, keepH, wNext, j);
        }
    }

    /** x[from + i] ← 0 where x[from + i] &lt; 0, for i &lt; len (the projection onto H ≥ 0; −0.0 and NaN stay). */
    private static void clamp(double[] x, int from, int len) {
        DoubleVector zero = DoubleVector.zero(S);
        int i = 0;
        for (; i + L <= len; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, from + i);
            v.blend(zero, v.compare(VectorOperators.LT, zero)).intoArray(x, from + i);
        }
        for (; i < len; i++) {
            if (x[from + i] < 0) {
                x[from + i] = 0;
            }
        }
    }
}
