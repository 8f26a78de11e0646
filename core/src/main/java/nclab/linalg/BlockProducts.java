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
 */
public final class BlockProducts {
    /** OpenBLAS runs a dgemm of at most this many multiply-adds (65536 × 4) on the calling thread. */
    static final int SINGLE_THREAD_WORK = 1 << 18;

    private static final BlockProducts JAVA = new BlockProducts(null);

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
            FmaKernel.multiplyTransB(a, n, b, m, d, out);
            return;
        }
        int step = (int) (SINGLE_THREAD_WORK / Math.max(1, perRow));
        for (int i = 0; i < n; i += step) {
            int rows = Math.min(step, n - i);
            // column-major view: out (m × rows, ld m) = bᵀ (b is d × m, ld d) · a (d × rows, ld d)
            blas.dgemm("T", "N", m, rows, d, 1.0, b, 0, d, a, i * d, d, 0.0, out, i * m, m);
        }
    }
}
