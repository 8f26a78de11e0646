package nclab.linalg;

/**
 * The full-batch gradient step of the ridge-regularised cross-entropy UFM (seed 000 eq. 1, seed 001 eq. 4) for
 * K = 4 classes, over N rows h_t of H stored one after the other (length d each) and the four rows w_c of W:
 * <ol>
 *   <li>{@link #logits}: z_t = W h_t and Σ_t ‖h_t‖² (one read of H);</li>
 *   <li>{@link #softmax}: g_t = s·(softmax(z_t + b) − e_{y_t}) and Σ_t CE_t; with s = −η/N these are the step's
 *       coefficients c_t = −η∇_{z_t}f;</li>
 *   <li>{@link #step}: W ← (1 − ηλ_W) W + Σ_t c_t h_tᵀ and h_t ← Π((1 − ηλ_H) h_t + Wᵀ c_t) with the old W (the
 *       second read of H, written in place; Π clamps at 0 for the non-negative UFM, seed 001).</li>
 * </ol>
 * Four classes (seed 000 Fig. 5, the benchmark's small step) are exactly one 256-bit vector of doubles: a row's
 * logits, probabilities and gradient coefficients are one vector, and the step runs column by column, four features
 * at a time, with those four columns of W and of ∇W in registers over all rows, instead of one call per row
 * (README Performance: the full-batch step at (d, K, N) = (64, 4, 400)).
 *
 * <p>Operation order: each implementation computes exactly what the {@link RowKernels} of its kind give when
 * composed row by row, bit for bit: logits by {@link RowKernels#dots2x4} (and {@link RowKernels#dots1x4} for an odd
 * last row), the softmax's exponential by {@link RowKernels#expNonPositive}, the new W by {@link RowKernels#axpy}
 * over the rows in order starting from keepW·W, and a row's step by {@link RowKernels#combine4} with beta = keepH.
 * Only Σ‖h_t‖² (taken along with the logits) is summed in the kernels' own order.
 */
public interface FourClassKernels {
    /** The kernels this JVM uses: vector when {@link RowKernels#best()} is. */
    static FourClassKernels best() {
        return RowKernelChoice.FOUR_CLASS;
    }

    /** The plain-Java kernels (fallback, test reference). */
    static FourClassKernels scalar() {
        return ScalarFourClassKernels.INSTANCE;
    }

    /** {@code "vector"} or {@code "scalar"}. */
    String name();

    /**
     * z[zo + 4t + c] = Σ_{j&lt;d} x[w + c·d + j]·x[h + t·d + j] for t &lt; rows, c &lt; 4; returns Σ_t ‖h_t‖².
     */
    double logits(double[] x, int w, int h, int rows, int d, double[] z, int zo);

    /**
     * {@link #logits} for rows anywhere in x: row t at x[rowsAt[t] .. + d) for t &lt; rows (a minibatch where it lies);
     * the same numbers as {@link #logits} on the same rows laid out one after the other.
     */
    double logitsAt(double[] x, int w, int[] rowsAt, int rows, int d, double[] z, int zo);

    /**
     * In place on z[zo .. zo + 4·rows): row t (logits z_t) becomes g_t = scale·(softmax(z_t + b) − e_{y_t}), with
     * y_t = labels[lo + t] ∈ {0, 1, 2, 3} and b = b[bo .. bo + 4) (no bias when b is null). Returns Σ_t CE_t =
     * Σ_t log Σ_c e^{z_tc + b_c − m_t} − (z_{t,y_t} + b_{y_t} − m_t) with m_t the row maximum (the logarithm taken
     * once per 16 rows, of the product of their sums ∈ [1, 4]).
     */
    double softmax(double[] z, int zo, int rows, double[] b, int bo, int[] labels, int lo, double scale);

    /**
     * A gradient step in place on x, given the step's coefficients c_t = −η·g_t (rows × 4 at c[co..], from {@link
     * #softmax} with scale −η/N): W = x[w .. w + 4d) (four rows) ← keepW·W + Σ_t c_t h_tᵀ, and, from the old W,
     * h_t = x[h + t·d ..] ← Π(keepH·h_t + Σ_k c_tk w_k), with keepW = 1 − ηλ_W, keepH = 1 − ηλ_H: that is
     * x − η∇f for f = (1/N) Σ CE + (λ_W/2)‖W‖² + (λ_H/2)‖H‖². Π(v) = max(v, 0) entrywise when nonNegative (v &lt; 0
     * ↦ 0), else v. wNext (at least 4d long) holds the new W as it is summed: keepW·W, then {@link #stepRows}, then
     * copied to x. W and H must not overlap.
     */
    default void step(double[] x, int w, int h, int rows, int d, double[] c, int co, double keepW, double keepH,
                      boolean nonNegative, double[] wNext) {
        ArrayRanges.checkFourClassStep(x, w, h, rows, d, c, co, wNext);
        for (int i = 0; i < 4 * d; i++) {
            wNext[i] = keepW * x[w + i];
        }
        stepRows(x, w, h, rows, d, c, co, keepH, nonNegative, wNext);
        System.arraycopy(wNext, 0, x, w, 4 * d);
    }

    /**
     * The rows' part of {@link #step}: adds Σ_t c_t h_tᵀ (the old rows) to wNext[0 .. 4d) and steps each row in
     * place from the W in x, which is only read. Rows split in parts with one wNext each (the first set to keepW·W,
     * the others to 0) can so be stepped at the same time; the new W is then their sum. The rows go in blocks of
     * {@link #blockRows} (a block stays in cache while its columns are stepped).
     */
    void stepRows(double[] x, int w, int h, int rows, int d, double[] c, int co, double keepH, boolean nonNegative,
                  double[] wNext);

    /**
     * {@link #stepRows} for rows anywhere in x: row t at x[rowsAt[t] .. + d) for t &lt; rows, with coefficients
     * c[co + 4t ..]; the rows must be distinct (a minibatch without repeats). Two rows at a time over the features,
     * W's share summed in wNext in the order of the rows: the same numbers as {@link #stepRows} on the same rows laid
     * out one after the other.
     */
    void stepRowsAt(double[] x, int w, int[] rowsAt, int rows, int d, double[] c, int co, double keepH,
                    boolean nonNegative, double[] wNext);

    /**
     * Rows per block of {@link #step}: about 128 KiB of H (a quarter of the second-level cache here), at least four
     * rows. Measured at (d, N) = (64, 400), blocks of 16, 32, 128 KiB and all of H: 13.2, 12.6, 12.0, 11.8 µs.
     */
    static int blockRows(int d) {
        return Math.max(4, (128 * 1024 / 8) / Math.max(1, d));
    }
}
