package nclab.linalg;

/**
 * The inner loops of the UFM solvers over rows of length d stored at offsets of flat {@code double[]} arrays:
 * dot products of one or two rows with four rows (logits), four-term row combinations (gradients and gradient
 * steps), the exponential, and the finiteness probe. Two implementations with the same contract:
 * <ul>
 *   <li>{@code vector}: SIMD through the JDK's Vector API ({@code jdk.incubator.vector}, 256-bit lanes: four
 *       doubles, AVX2 here), chosen when that module is in the boot layer ({@code --add-modules
 *       jdk.incubator.vector}, which the launcher, the tests, the benchmarks and the sweep's child JVMs pass) and
 *       {@code -Dnclab.simd} is not {@code false};</li>
 *   <li>{@code scalar}: plain Java loops of fused multiply-adds (C2 does not vectorise them: x holds W and H at
 *       different offsets of one array), the fallback.</li>
 * </ul>
 * Both are deterministic (fixed operation order), but they sum in different orders, so their results differ in the
 * last bits: a run's {@code provenance.json} records which one it used ({@link #name()}). Measured at (d, K, N) =
 * (64, 4, 400), README Performance: logits 40 → 11 µs, each gradient pass ≈ 35 → 10–15 µs; 1600 softmax
 * exponentials ({@link #expNonPositive}) 9–16 → 3.3–4.9 µs.
 *
 * <p>Arrays are never aliased between an output and an input except where a method says so.
 */
public interface RowKernels {
    /** The kernels this JVM uses (chosen once). */
    static RowKernels best() {
        return RowKernelChoice.BEST;
    }

    /** The plain-Java kernels (reference for tests, fallback). */
    static RowKernels scalar() {
        return ScalarRowKernels.INSTANCE;
    }

    /** Whether the Vector API module is resolved in this JVM (so {@link #best()} can be the vector kernels). */
    static boolean vectorModuleLoaded() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * The JVM options a child JVM needs to use the same kernels as this one, at the same speed (so that a run resumed
     * or launched in a child gives the same numbers): when this JVM uses the vector kernels, the Vector API module
     * and the flag that turns off its per-access bounds checks (the kernels check their ranges on entry:
     * {@code ArrayRanges}), else none. System properties such as {@code -Dnclab.simd=false} are the caller's to
     * forward.
     */
    static java.util.List<String> childJvmOptions() {
        return "vector".equals(best().name()) ? java.util.List.of("--add-modules", "jdk.incubator.vector",
                "-D" + UNCHECKED_VECTOR_ACCESS + "=0") : java.util.List.of();
    }

    /** The Vector API's switch of its per-access bounds checks (read once, when the API is first used). */
    String UNCHECKED_VECTOR_ACCESS = "jdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK";

    /** {@code "vector"} or {@code "scalar"}. */
    String name();

    /** Σ_{j&lt;len} a[ao+j]·b[bo+j]. */
    double dot(double[] a, int ao, double[] b, int bo, int len);

    /**
     * Dot products of row h with the four rows w0, w0+stride, w0+2·stride, w0+3·stride of x (each of length len):
     * out[o+q] = Σ_j x[h+j]·x[w0+q·stride+j] for q &lt; 4.
     */
    void dots1x4(double[] x, int h, int w0, int stride, int len, double[] out, int o);

    /** {@link #dots1x4} for two rows h0, h1 at once: results at out[o0+q] and out[o1+q]. */
    void dots2x4(double[] x, int h0, int h1, int w0, int stride, int len, double[] out, int o0, int o1);

    /**
     * dst[r+j] = beta·b[bo+j] + g0·s[s0+j] + g1·s[s1+j] + g2·s[s2+j] + g3·s[s3+j] for j &lt; len (fused multiply-adds
     * in this order). dst may be b only with r = bo.
     */
    void combine4(double[] s, int s0, int s1, int s2, int s3, double g0, double g1, double g2, double g3,
                  double beta, double[] b, int bo, double[] dst, int r, int len);

    /** dst[r+j] += g0·s[s0+j] + g1·s[s1+j] + g2·s[s2+j] + g3·s[s3+j] for j &lt; len (fused, in this order). */
    void accumulate4(double[] s, int s0, int s1, int s2, int s3, double g0, double g1, double g2, double g3,
                     double[] dst, int r, int len);

    /**
     * The gradient step of {@link #combine4} without accumulation: dst[r+j] = b[bo+j] − eta·(beta·b[bo+j] + Σ_q
     * g_q·s[s_q+j]). dst may be b only with r = bo (an in-place step). Returns the {@link #finiteProbe} of the
     * written entries (0 when all are finite, else NaN), computed on the way.
     */
    double step4(double[] s, int s0, int s1, int s2, int s3, double g0, double g1, double g2, double g3,
               double beta, double[] b, int bo, double eta, double[] dst, int r, int len);

    /** dst[r+j] += g·s[s0+j] for j &lt; len. */
    void axpy(double g, double[] s, int s0, double[] dst, int r, int len);

    /**
     * a[j] = exp(a[j]) for from ≤ j &lt; to, for the arguments of a softmax after its row maximum is subtracted:
     * a[j] ≤ 0. Within 2 ulp of {@link Math#exp} where exp(a[j]) ≥ 2⁻¹⁰²¹ (a[j] ≥ −708), 0 below that; NaN stays NaN.
     */
    void expNonPositive(double[] a, int from, int to);

    /** Σ_j a[off+j]·0 over j &lt; len: 0 when every entry is finite, NaN otherwise. */
    double finiteProbe(double[] a, int off, int len);

    /** Largest |a[off+j]| over j &lt; len (NaN if some entry is NaN). */
    double maxAbs(double[] a, int off, int len);
}
