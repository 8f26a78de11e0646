package nclab.linalg;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The products of a block of rows with a few fixed rows, out = A Bᵀ (A n×d, B m×d, out n×m, all row-major):
 * out[i·m + j] = Σ_t a[i·d + t]·b[j·d + t]. {@code analyze} needs them for every block of its second pass
 * (projections z = Pᵀe with m = r ≤ K, logits W h with m = K).
 *
 * <p>Two implementations behind one call: native dgemm (OpenBLAS through netlib's JNI, see {@link NativeBlas})
 * when it loaded, else {@link FmaKernel}, a register-blocked Java kernel of fused multiply-adds. Measured on
 * 60000×512 features with K = 10 (docs/linalg.md): the pass-2 products take about 0.09 s of CPU by OpenBLAS
 * against 0.3–0.4 s by the Java kernel before it used fused multiply-adds (which made it about twice as fast).
 *
 * <p>Determinism: with the native BLAS, a block is cut into dgemm calls of {@code step} = ⌊{@value
 * #SINGLE_THREAD_WORK} / (m·d)⌋ rows each (the last one shorter), a split that depends only on the shapes
 * (n, m, d) and never on the number of threads. Each call does at most {@value #SINGLE_THREAD_WORK}
 * multiply-adds, few enough for OpenBLAS to run it on the calling thread alone, so its summation order is fixed:
 * the same shapes give the same split, hence the same bits, run to run and whatever the number of threads.
 * Products with m·d above that bound use the Java kernel, whose entries are fixed chains of fused multiply-adds.
 * The two implementations differ from each other in the last bits (another summation order); one JVM uses one
 * of them for all its products.
 *
 * <p>The products that take offsets (the full-batch UFM step's logits, row step and ∇W share) fall back to
 * {@link ProductKernels} instead: register tiles on the Vector API when the JVM's {@link RowKernels} are the
 * vector ones, plain loops otherwise. Measured at n = 5000, m = 10, d = 512 (docs/linalg.md), the vector tiles
 * run 1–1.6× the time of single-threaded OpenBLAS and 2.7–8× faster than the plain loops.
 */
public final class BlockProducts {
    /** OpenBLAS runs a dgemm of at most this many multiply-adds (65536 × 4) on the calling thread. */
    static final int SINGLE_THREAD_WORK = 1 << 18;

    private static final BlockProducts JAVA = new BlockProducts(null);
    /** The Java side of the products that take offsets (vector or scalar, as the JVM's {@link RowKernels}). */
    private static final ProductKernels KERNELS = ProductKernels.best();

    private final BLAS blas; // null: the Java kernel

    private BlockProducts(BLAS blas) {
        this.blas = blas;
    }

    /**
     * The native products when {@link NativeBlas} loaded (waiting for its loader if it is still running), else
     * the Java kernel. Call {@link NativeBlas#startLoading()} earlier to overlap the loading with other work;
     * without it this answers the Java kernel.
     */
    public static BlockProducts best() {
        BLAS loaded = NativeBlas.get();
        return loaded == null ? JAVA : new BlockProducts(loaded);
    }

    /** Always the Java kernel. */
    public static BlockProducts javaKernel() {
        return JAVA;
    }

    /**
     * Rows per native dgemm call for products with m·d multiply-adds per row: max(1, ⌊{@value
     * #SINGLE_THREAD_WORK}/(m·d)⌋). A caller that cuts its rows into blocks of this size makes one call per block.
     */
    public static int rowsPerCall(int m, int d) {
        return (int) Math.max(1, SINGLE_THREAD_WORK / Math.max(1L, (long) m * d));
    }

    /** Whether the products go to the native BLAS. */
    public boolean isNative() {
        return blas != null;
    }

    /**
     * out[i·m + j] = Σ_t a[i·d + t]·b[j·d + t] for i &lt; n, j &lt; m (A n×d, B m×d, both row-major; out n×m,
     * row-major, overwritten).
     */
    public void multiplyTransB(double[] a, int n, double[] b, int m, int d, double[] out) {
        long perRow = (long) m * d;
        if (blas == null || perRow > SINGLE_THREAD_WORK) {
            FmaKernel.multiplyTransB(a, 0, n, b, 0, m, d, out, 0);
            return;
        }
        int step = (int) (SINGLE_THREAD_WORK / Math.max(1, perRow));
        for (int i = 0; i < n; i += step) {
            int rows = Math.min(step, n - i);
            // column-major view: out (m × rows, ld m) = bᵀ (b is d × m, ld d) · a (d × rows, ld d)
            blas.dgemm("T", "N", m, rows, d, 1.0, b, 0, d, a, i * d, d, 0.0, out, i * m, m);
        }
    }

    /**
     * out[outOff + i·m + j] = Σ_t a[aOff + i·d + t]·b[bOff + j·d + t] for i &lt; n, j &lt; m: {@link
     * #multiplyTransB(double[], int, double[], int, int, double[])} on blocks that start at offsets (for example
     * the feature rows H inside a solver's flat parameter vector).
     */
    public void multiplyTransB(double[] a, int aOff, int n, double[] b, int bOff, int m, int d, double[] out,
                               int outOff) {
        long perRow = (long) m * d;
        if (blas == null || perRow > SINGLE_THREAD_WORK) {
            KERNELS.multiplyTransB(a, aOff, n, b, bOff, m, d, out, outOff);
            return;
        }
        int step = (int) (SINGLE_THREAD_WORK / Math.max(1, perRow));
        for (int i = 0; i < n; i += step) {
            int rows = Math.min(step, n - i);
            blas.dgemm("T", "N", m, rows, d, 1.0, b, bOff, d, a, aOff + i * d, d, 0.0, out, outOff + i * m, m);
        }
    }

    /**
     * out[outOff + i·d + t] += Σ_j a[aOff + i·m + j]·b[bOff + j·d + t] for i &lt; n, t &lt; d, that is out (n×d)
     * += A B with A n×m and B m×d, all row-major; out is added to, not overwritten (set it first, e.g. to a ridge
     * term). With the native BLAS the n rows are cut into dgemm calls of ⌊{@value #SINGLE_THREAD_WORK}/(m·d)⌋
     * rows (single-threaded, shape-determined split: bit-reproducible); each output row is touched by one call.
     * The Java fallback ({@link ProductKernels}) adds the m terms to each entry in order j = 0..m−1 with fused
     * multiply-adds.
     */
    public void multiplyAdd(double[] a, int aOff, int n, int m, double[] b, int bOff, int d, double[] out,
                            int outOff) {
        multiplyScaleAdd(a, aOff, n, m, b, bOff, d, 1.0, 1.0, out, outOff);
    }

    /**
     * out (n×d) = beta·out + alpha·A B, A n×m and B m×d, all row-major, as {@link #multiplyAdd} (same row split
     * into single-threaded dgemm calls, one call per output row block) with dgemm's own alpha and beta: for
     * example an in-place gradient step H ← (1 − ηλ)H − η G W in one product. The Java fallback sets each
     * entry to beta·out, then adds the m terms alpha·a_ij·b_jt in order j = 0..m−1 with fused multiply-adds.
     */
    public void multiplyScaleAdd(double[] a, int aOff, int n, int m, double[] b, int bOff, int d, double alpha,
                                 double beta, double[] out, int outOff) {
        long perRow = (long) m * d;
        if (blas == null || perRow > SINGLE_THREAD_WORK) {
            KERNELS.multiplyScaleAdd(a, aOff, n, m, b, bOff, d, alpha, beta, out, outOff);
            return;
        }
        int step = (int) (SINGLE_THREAD_WORK / Math.max(1, perRow));
        for (int i = 0; i < n; i += step) {
            int rows = Math.min(step, n - i);
            // column-major view: outᵀ (d × rows, ld d) = beta·outᵀ + alpha·Bᵀ (d × m, ld d) · Aᵀ (m × rows, ld m)
            blas.dgemm("N", "N", d, rows, m, alpha, b, bOff, d, a, aOff + i * m, m, beta, out, outOff + i * d, d);
        }
    }

    /**
     * out[outOff + j·d + t] += Σ_i a[aOff + i·m + j]·b[bOff + i·d + t] for j &lt; m, t &lt; d, that is out (m×d)
     * += Aᵀ B with A n×m and B n×d, all row-major; out is added to, not overwritten. The sum over the n rows runs
     * over blocks of ⌊{@value #SINGLE_THREAD_WORK}/(m·d)⌋ rows in increasing order, one single-threaded dgemm
     * call per block added to out (with the native BLAS): a fixed order set by the shapes alone, so the result is
     * bit-identical run to run. The Java fallback ({@link ProductKernels}) adds the rows in order i = 0..n−1 with fused
     * multiply-adds.
     */
    public void multiplyTransAAdd(double[] a, int aOff, int n, int m, double[] b, int bOff, int d, double[] out,
                                  int outOff) {
        long perRow = (long) m * d;
        if (blas == null || perRow > SINGLE_THREAD_WORK) {
            KERNELS.multiplyTransAAdd(a, aOff, n, m, b, bOff, d, out, outOff);
            return;
        }
        int step = (int) (SINGLE_THREAD_WORK / Math.max(1, perRow));
        for (int i = 0; i < n; i += step) {
            int rows = Math.min(step, n - i);
            // column-major view: outᵀ (d × m, ld d) += Bᵀ (d × rows, ld d) · A (rows × m: Aᵀ block is m × rows, ld m)
            blas.dgemm("N", "T", d, m, rows, 1.0, b, bOff + i * d, d, a, aOff + i * m, m, 1.0, out, outOff, d);
        }
    }
}
