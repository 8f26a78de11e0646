package nclab.linalg;

/**
 * The Java side of {@link BlockProducts}: the three products of a block of rows with a few fixed rows that the
 * full-batch UFM step needs when they do not go to the native BLAS (no native library, or m·d above the
 * single-threaded dgemm bound). All arrays are row-major at offsets of flat {@code double[]}s:
 * <ul>
 *   <li>{@link #multiplyTransB}: out (n×m) = A Bᵀ, A n×d, B m×d (the logits Z = H Wᵀ);</li>
 *   <li>{@link #multiplyScaleAdd}: out (n×d) ← β·out + α·A B, A n×m, B m×d (the row step H ← (1 − ηλ)H − η G W);</li>
 *   <li>{@link #multiplyTransAAdd}: out (m×d) += Aᵀ B, A n×m, B n×d (∇W's share G_blkᵀ H_blk).</li>
 * </ul>
 * Two implementations, chosen once per JVM with the {@link RowKernels} of the same kind ({@link #best()}):
 * {@code vector} (Vector API, register tiles) and {@code scalar} (plain loops, the fallback and the tests'
 * reference).
 *
 * <p>Operation order. {@link #multiplyScaleAdd} and {@link #multiplyTransAAdd} compute every entry as one chain
 * of fused multiply-adds in a fixed order (over j = 0..m−1, respectively over the rows i = 0..n−1, starting from
 * β·out, respectively out, with the coefficient α·a_ij rounded first), so both implementations give the same bits,
 * whatever their tiling. {@link #multiplyTransB} sums in each implementation's own order, stated on its method,
 * which does not depend on the tiling either.
 */
public interface ProductKernels {
    /** The kernels this JVM uses: vector when {@link RowKernels#best()} is. */
    static ProductKernels best() {
        return RowKernelChoice.PRODUCTS;
    }

    /** The plain-Java kernels (fallback, test reference). */
    static ProductKernels scalar() {
        return ScalarProductKernels.INSTANCE;
    }

    /** {@code "vector"} or {@code "scalar"}. */
    String name();

    /**
     * out[outOff + i·m + j] = Σ_{t&lt;d} a[aOff + i·d + t]·b[bOff + j·d + t] for i &lt; n, j &lt; m. Scalar: one chain
     * of fused multiply-adds over t in increasing order. Vector: four chains s_l over t ≡ l (mod 4), t &lt; d − d mod
     * 4, added as (s_0 + s_1) + (s_2 + s_3), then the last d mod 4 terms by fused multiply-adds in order.
     */
    void multiplyTransB(double[] a, int aOff, int n, double[] b, int bOff, int m, int d, double[] out, int outOff);

    /**
     * out[outOff + i·d + t] ← β·out[outOff + i·d + t] + Σ_{j&lt;m} α·a[aOff + i·m + j]·b[bOff + j·d + t] for i &lt; n,
     * t &lt; d: starting from β·out (out itself when β = 1), one fused multiply-add per j in increasing order with
     * the coefficient α·a_ij. The output may lie in the same array as b, in a range of its own.
     */
    void multiplyScaleAdd(double[] a, int aOff, int n, int m, double[] b, int bOff, int d, double alpha, double beta,
                          double[] out, int outOff);

    /**
     * out[outOff + j·d + t] += Σ_{i&lt;n} a[aOff + i·m + j]·b[bOff + i·d + t] for j &lt; m, t &lt; d: one fused
     * multiply-add per row i in increasing order, starting from out.
     */
    void multiplyTransAAdd(double[] a, int aOff, int n, int m, double[] b, int bOff, int d, double[] out, int outOff);
}
