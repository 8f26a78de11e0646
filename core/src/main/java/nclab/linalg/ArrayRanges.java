package nclab.linalg;

/**
 * Argument checks at the entry of the SIMD kernels (ranges, labels). The launcher, the tests and the benchmarks run
 * the Vector API without its per-access bounds checks ({@code -Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0}:
 * JDK 17's C2 does not hoist them out of the kernels' short loops, and they cost up to 40 % of a kernel's time), so
 * every vector kernel checks the whole ranges it will touch once, before its first access: a bad offset is an
 * exception, never a read or write outside the array.
 */
final class ArrayRanges {
    private ArrayRanges() {
    }

    /** Throws IndexOutOfBoundsException unless 0 ≤ off and off + len ≤ a.length (len ≥ 0; long: no overflow). */
    static void check(double[] a, long off, long len) {
        if (off < 0 || len < 0 || off + len > a.length) {
            throw new IndexOutOfBoundsException("range [" + off + ", " + (off + len) + ") of an array of length "
                    + a.length);
        }
    }

    /** {@link #check} for the four rows first, first + stride, first + 2·stride, first + 3·stride of length len. */
    static void checkRows4(double[] a, int first, int stride, int len) {
        for (int q = 0; q < 4; q++) {
            check(a, first + (long) q * stride, len);
        }
    }

    /** The argument checks of {@link FourClassKernels#step}: every range inside its array, W and H disjoint. */
    static void checkFourClassStep(double[] x, int w, int h, int rows, int d, double[] g, int go, double[] wGrad) {
        check(x, w, 4L * d);
        check(x, h, (long) rows * d);
        check(g, go, 4L * rows);
        check(wGrad, 0, 4L * d);
        checkDisjoint(w, 4L * d, h, (long) rows * d);
    }

    /** Throws IllegalArgumentException when the nonempty ranges W [w, w + wLen) and H [h, h + hLen) overlap. */
    static void checkDisjoint(long w, long wLen, long h, long hLen) {
        if (wLen > 0 && hLen > 0 && w < h + hLen && h < w + wLen) {
            throw new IllegalArgumentException("W [" + w + ", " + (w + wLen) + ") and H [" + h + ", " + (h + hLen)
                    + ") overlap");
        }
    }

    /** The argument checks of {@link FourClassKernels#stepRowsAt} (that the rows are distinct is the caller's). */
    static void checkFourClassStepAt(double[] x, int w, int[] rowsAt, int rows, int d, double[] g, int go,
                                     double[] wGrad) {
        checkFourClassLogitsAt(x, w, rowsAt, rows, d, g, go); // W, the coefficients and every row in range
        check(wGrad, 0, 4L * d);
        for (int t = 0; t < rows; t++) {
            int h = rowsAt[t];
            if (d > 0 && w < h + (long) d && h < w + 4L * d) {
                throw new IllegalArgumentException("W [" + w + ", " + (w + 4L * d) + ") and row " + t + " [" + h + ", "
                        + (h + (long) d) + ") overlap");
            }
        }
    }

    /** The argument checks of {@link FourClassKernels#logitsAt}. */
    static void checkFourClassLogitsAt(double[] x, int w, int[] rowsAt, int rows, int d, double[] z, int zo) {
        check(x, w, 4L * d);
        check(z, zo, 4L * rows);
        if (rows > rowsAt.length) {
            throw new IndexOutOfBoundsException(rows + " rows but " + rowsAt.length + " row offsets");
        }
        for (int t = 0; t < rows; t++) {
            check(x, rowsAt[t], d);
        }
    }

    /** The argument checks of {@link FourClassKernels#logits}. */
    static void checkFourClassLogits(double[] x, int w, int h, int rows, int d, double[] z, int zo) {
        check(x, w, 4L * d);
        check(x, h, (long) rows * d);
        check(z, zo, 4L * rows);
    }

    /** The argument checks of {@link FourClassKernels#softmax} (b may be null: no bias). */
    static void checkFourClassSoftmax(double[] z, int zo, int rows, double[] b, int bo) {
        check(z, zo, 4L * rows);
        if (b != null) {
            check(b, bo, 4);
        }
    }

    /** labels[lo + t], checked to be one of the four classes of {@link FourClassKernels#softmax}. */
    static int fourClassLabel(int[] labels, int lo, int t) {
        int y = labels[lo + t];
        if ((y & ~3) != 0) {
            throw new IllegalArgumentException("label " + y + " of row " + t + " is not one of four classes");
        }
        return y;
    }
}
