package nclab.model;

import nclab.linalg.BlockProducts;
import nclab.linalg.FourClassKernels;
import nclab.linalg.NativeKernels;
import nclab.linalg.RowKernels;

/**
 * The fused minibatch SGD step of {@link UfmObjective} ({@link FusedSgdObjective}): logits, softmax cross-entropy,
 * gradients and the (momentum) update of W, b and the batch rows h_i in one pass over the batch rows and W, into
 * preallocated scratch (W is K×d, the batch B×d), so that nothing is written before the optimiser's divergence
 * checks. Same mathematics as {@link UfmObjective#batchValueAndGradient}: with p_t = softmax(W h_t + b) and
 * g_t = (p_t − e_{y_t})/B, ∇W = Σ_t g_t h_tᵀ + λ_W W, ∇b = Σ_t g_t + λ_b b, ∇h_i = Σ_{t: visit of i} (Wᵀg_t + (Nλ_H/B) h_i).
 * Logits use 2×4 register tiles (two rows, four classes); the gradients are axpy-shaped loops over d that the JIT
 * vectorises; all sums run in a fixed order (deterministic). For K = 4 without momentum and distinct batch rows,
 * the step runs on {@link FourClassKernels} instead ({@link #prepareFourClass}). The full-batch step ({@link
 * #fusedFullStep}) splits its rows in two halves at a point fixed by the shape and runs the second on a {@link
 * HelperThread} (the native step: in ranges that both threads take one at a time). Not thread-safe; allocates only
 * when a batch larger than every earlier one arrives.
 */
final class UfmSgdKernel {
    /** The SIMD or scalar inner loops ({@link RowKernels#best()}). */
    private static final RowKernels OPS = RowKernels.best();
    /** The full-batch step for K = 4 ({@link FourClassKernels#best()}, chosen with OPS). */
    private static final FourClassKernels FOUR = FourClassKernels.best();
    private final int k;
    private final int d;
    private final int offH;
    private final int offB;
    private final boolean bias;
    private final boolean nonNegative;
    private final double lambdaW;
    private final double lambdaB;
    private final double lambdaH;
    private final int n;
    private final int[] labels;
    /** Full-batch products (null: the blocked Java pass). */
    private final BlockProducts products;
    /** Whether the fused full-batch step's two passes run on {@link NativeKernels} (with products only). */
    private final boolean nativeStep;
    /** Whether the fused full-batch step runs on {@link FourClassKernels} (K = 4 without products). */
    private final boolean fourClassStep;
    /**
     * Rows of the first half when the four-class step runs in two halves (the second on {@link HelperThread}), n
     * when it runs whole: fixed by the shape (N·d ≥ {@value #TWO_THREAD_WORK}), so the numbers never depend on the
     * machine.
     */
    private final int fourSplit;
    /** Smallest N·d for which the four-class full-batch step runs in two halves (≈ 30 µs of work in one). */
    static final long TWO_THREAD_WORK = 1 << 14;
    /** The parameters of the step in progress, for the halves below (fields: a step allocates nothing). */
    private double[] stepX;
    private double stepEta;
    /** The two phases of the four-class full step on a half of the rows, made once. */
    private final Half fourPhase1 = this::fourLogitsOfRows;
    private final Half fourPhase2 = this::fourStepOfRows;
    /** Products path, second half of the rows: its ∇W share; per half (from index 0 and 2) Σ CE_t and Σ‖h_t‖². */
    private final double[] secondW;
    private final double[] sums = new double[4];
    /**
     * Native step: the rows in {@link #ranges} ranges of whole blocks ({@link NativeKernels#blockRows}), fixed by the
     * shape, that the caller and the helper thread take one at a time, whichever is free (a processor slowed by
     * others then does fewer of them); range r covers rows [rangeFrom[r], rangeFrom[r + 1]) and adds its ∇W share to
     * rangeAcc[r], so the numbers never depend on which thread took which range. Sizes ({@link #rangeStarts}): each
     * range a quarter of the blocks left, at least {@value #MIN_RANGE_BLOCKS}, large ones first and small ones last,
     * so that the thread that ends first finds a small range left and the two end close together.
     */
    static final int MIN_RANGE_BLOCKS = 2;
    private int ranges;
    private int[] rangeFrom;
    private double[][] rangeAcc;
    private final java.util.concurrent.atomic.AtomicInteger nextRange = new java.util.concurrent.atomic.AtomicInteger();
    private java.util.function.IntConsumer rangeWork;
    private final Runnable rangeLoop = this::takeRanges;
    /**
     * Native step: Σ CE and Σ‖h‖² of each block of rows (index: first row / rows per block), added up in index order
     * afterwards, so that the one-pass and the two-pass step give the same bits.
     */
    private double[] blockCe;
    private double[] blockH2;
    /**
     * The one-pass premise, carried from the last native step this kernel took: the array it wrote, copies of the W
     * and b it wrote, and a bound on Σ‖h_i‖² of the rows it wrote ({@link #carriedH2}, NaN when nothing is carried).
     */
    private double[] carriedX;
    private double[] carriedWb;
    private double carriedH2 = Double.NaN;
    /** Whether the last full-batch step was taken in one pass (tests). */
    private boolean lastOnePass;
    /** One row of ∇h for K ≠ 4 in the fused full step. */
    private double[] rowScratch;
    private HelperThread helper;
    /** The half the helper thread runs next, from row pendingSplit (fields, so that a step allocates nothing). */
    private Half pendingHalf;
    private int pendingSplit;
    private final Runnable secondHalf = this::runSecondHalf;
    /** Gradient, then candidate, of W (K×d) and its velocity. */
    private final double[] newW;
    private final double[] newWv;
    private final double[] newB;
    private final double[] newBv;
    /** Whether the gradient pass already turned newW / newRows into candidates (fused update). */
    private boolean wDone;
    /** The finiteness probes of the candidates the fused updates wrote (0 or NaN). */
    private double wProbe;
    private double rowsProbe;
    /** The batch 0..N−1 of the full-batch gradient (allocated on first use). */
    private int[] all;
    private boolean rowsDone;
    /** Distinct-sample bookkeeping: stamp[i] == call ⇔ sample i has slot slotOf[i] in this batch. */
    private final long[] stamp;
    private final int[] slotOf;
    private long call;
    /** Per visit: logits, then g_t (B×K); slot of the visit; per slot: flat row offset, gradient/candidate row. */
    private double[] g = new double[0];
    private int[] visitSlot = new int[0];
    private boolean[] visitFirst = new boolean[0];
    private int[] slotOffset = new int[0];
    private double[] newRows = new double[0];
    private double[] newRowsV = new double[0];
    private int slots;
    private boolean finite;
    private boolean prepared;
    /** The prepared minibatch step is the four-class one ({@link #prepareFourClass}); its numbers follow. */
    private boolean fourPrepared;
    private double fourValue;
    private double fourKeepW;
    private double fourKeepH;
    private int fourBatchRows;
    /** The labels of the batch rows, in batch order. */
    private int[] fourLabels = new int[0];

    UfmSgdKernel(int k, int d, int n, int offH, int offB, boolean bias, boolean nonNegative, double lambdaW,
                 double lambdaH, double lambdaB, int[] labels) {
        this(k, d, n, offH, offB, bias, nonNegative, lambdaW, lambdaH, lambdaB, labels, null);
    }

    /**
     * @param products the matrix products for the full-batch pass, or null for the blocked Java pass (the
     *                 minibatch step always uses the Java tiles)
     */
    UfmSgdKernel(int k, int d, int n, int offH, int offB, boolean bias, boolean nonNegative, double lambdaW,
                 double lambdaH, double lambdaB, int[] labels, BlockProducts products) {
        this(k, d, n, offH, offB, bias, nonNegative, lambdaW, lambdaH, lambdaB, labels, products, false);
    }

    /**
     * @param nativeStep whether the fused full-batch step runs its two passes on {@link NativeKernels} (needs
     *                   products: the value-and-gradient pass keeps them)
     */
    UfmSgdKernel(int k, int d, int n, int offH, int offB, boolean bias, boolean nonNegative, double lambdaW,
                 double lambdaH, double lambdaB, int[] labels, BlockProducts products, boolean nativeStep) {
        if (nativeStep && (products == null || !NativeKernels.available())) {
            throw new IllegalArgumentException("the native step needs products and loaded native kernels");
        }
        this.products = products;
        this.nativeStep = nativeStep;
        this.fourClassStep = products == null && k == 4;
        this.fourSplit = fourClassStep && n >= 8 && (long) n * d >= TWO_THREAD_WORK ? (n / 2) & -2 : n;
        this.secondW = new double[products != null || fourSplit < n ? k * d : 0];
        this.k = k;
        this.d = d;
        this.n = n;
        this.offH = offH;
        this.offB = offB;
        this.bias = bias;
        this.nonNegative = nonNegative;
        this.lambdaW = lambdaW;
        this.lambdaH = lambdaH;
        this.lambdaB = lambdaB;
        this.labels = labels;
        this.newW = new double[k * d];
        this.newWv = new double[k * d];
        this.newB = new double[k];
        this.newBv = new double[k];
        this.stamp = new long[n];
        this.slotOf = new int[n];
    }

    double prepare(double[] x, double[] v, int[] batch, int from, int to, double eta, double mu, boolean nesterov) {
        if (from < 0 || to > batch.length || from >= to) { // no message built on the hot path
            throw new IllegalArgumentException("empty or out-of-range batch [" + from + ", " + to + ") of " + batch.length);
        }
        int m = to - from;
        ensureCapacity(m);
        long c0 = ++call;
        int s = 0;
        for (int t = 0; t < m; t++) {
            int i = batch[from + t];
            visitFirst[t] = stamp[i] != c0;
            if (stamp[i] != c0) {
                stamp[i] = c0;
                slotOf[i] = s;
                slotOffset[s] = offH + i * d;
                s++;
            }
            visitSlot[t] = slotOf[i];
        }
        slots = s;
        double invB = 1.0 / m;
        double rowRidge = lambdaH * n * invB;
        fourPrepared = k == 4 && v == null && slots == m && prepareFourClass(x, batch, from, m, eta, rowRidge);
        if (fourPrepared) {
            finite = true;
            prepared = true;
            return fourValue;
        }
        double value = logits(x, batch, from, m) * invB;
        if (rowRidge != 0) {
            double h2 = 0;
            for (int t = 0; t < m; t++) {
                h2 += OPS.dot(x, offH + batch[from + t] * d, x, offH + batch[from + t] * d, d);
            }
            value += 0.5 * rowRidge * h2;
        }
        value = plusSharedRidge(x, value);
        wDone = false;
        rowsDone = false;
        weightGradients(x, v, batch, from, m, eta);
        rowGradients(x, v, m, rowRidge, eta);
        finite = candidates(x, v, eta, mu, nesterov) == 0.0;
        prepared = true;
        return value;
    }

    /** value + (λ_W/2)‖W‖² + (λ_b/2)‖b‖², added in that order. */
    private double plusSharedRidge(double[] x, double value) {
        if (lambdaW != 0) {
            value += 0.5 * lambdaW * OPS.dot(x, 0, x, 0, k * d);
        }
        if (bias && lambdaB != 0) {
            value += 0.5 * lambdaB * OPS.dot(x, offB, x, offB, k);
        }
        return value;
    }

    /**
     * The minibatch step for K = 4 without momentum when the batch rows are distinct, on {@link FourClassKernels}:
     * g gets the logits of the rows where they lie in x ({@link FourClassKernels#logitsAt}) and then the step's
     * coefficients c_t = −η g_t (softmax with scale −η/B), and the value f_B(x) is kept in fourValue. The step
     * itself ({@link #commit}) is {@link FourClassKernels#stepRowsAt} on the same rows. Instead of
     * probing every new number, the finiteness bound of {@link #fusedFullStep} (with B for N) is checked here;
     * false (nothing prepared) when it fails, and the general path takes the step.
     */
    private boolean prepareFourClass(double[] x, int[] batch, int from, int m, double eta, double rowRidge) {
        if (fourLabels.length < m) {
            fourLabels = new int[m];
        }
        for (int t = 0; t < m; t++) {
            fourLabels[t] = labels[batch[from + t]];
        }
        double h2 = FOUR.logitsAt(x, 0, slotOffset, m, d, g, 0); // the batch rows are distinct: slot t is visit t
        if (!provablyFinite(x, Math.sqrt(h2), eta, rowRidge, m)) {
            return false;
        }
        double ce = FOUR.softmax(g, 0, m, bias ? x : null, offB, fourLabels, 0, -eta / m);
        double value = ce / m;
        if (rowRidge != 0) {
            value += 0.5 * rowRidge * h2;
        }
        fourValue = plusSharedRidge(x, value);
        fourKeepW = 1 - eta * lambdaW;
        fourKeepH = 1 - eta * rowRidge;
        if (bias) { // b ← (1 − ηλ_b) b + Σ_t c_t
            biasSums(x, m, 1 - eta * lambdaB, newB, 0);
        }
        fourBatchRows = m;
        return true;
    }

    /** newW := factor·W (the start of ∇W with factor λ_W, or of the new W with factor 1 − ηλ_W). */
    private void scaleWInto(double[] x, double factor) {
        for (int i = 0; i < k * d; i++) {
            newW[i] = factor * x[i];
        }
    }

    /** The step prepared by {@link #prepareFourClass}, written into x (W, b and the batch rows, Π on the rows). */
    private void commitFourClass(double[] x) {
        int kd = 4 * d;
        scaleWInto(x, fourKeepW);
        FOUR.stepRowsAt(x, 0, slotOffset, fourBatchRows, d, g, 0, fourKeepH, nonNegative, newW);
        System.arraycopy(newW, 0, x, 0, kd);
        if (bias) {
            System.arraycopy(newB, 0, x, offB, 4);
        }
    }

    boolean usesProducts() {
        return products != null;
    }

    boolean stepsNatively() {
        return nativeStep;
    }

    boolean finite() {
        return finite;
    }

    void commit(double[] x, double[] v) {
        if (!prepared) {
            throw new IllegalStateException("commitSgdStep without a prepared step");
        }
        prepared = false;
        carriedX = null; // x changes outside the full-batch step
        if (fourPrepared) {
            commitFourClass(x);
            return;
        }
        System.arraycopy(newW, 0, x, 0, k * d);
        if (bias) {
            System.arraycopy(newB, 0, x, offB, k);
        }
        if (v != null) {
            System.arraycopy(newWv, 0, v, 0, k * d);
            if (bias) {
                System.arraycopy(newBv, 0, v, offB, k);
            }
        }
        for (int s = 0; s < slots; s++) {
            int o = slotOffset[s];
            int r = s * d;
            if (nonNegative) { // projection onto H ≥ 0, as UfmObjective.projectBatch
                for (int j = 0; j < d; j++) {
                    double c = newRows[r + j];
                    x[o + j] = c < 0 ? 0 : c;
                }
            } else {
                System.arraycopy(newRows, r, x, o, d);
            }
            if (v != null) {
                System.arraycopy(newRowsV, r, v, o, d);
            }
        }
    }

    private void ensureCapacity(int m) {
        if (g.length < m * k) {
            g = new double[m * k];
        }
        if (visitSlot.length < m) {
            visitSlot = new int[m];
            visitFirst = new boolean[m];
            slotOffset = new int[m];
            newRows = new double[m * d];
            newRowsV = new double[m * d];
        }
    }

    /** Fills g (m×K) with the logits, then turns each row into g_t = (softmax − e_y)/m; returns Σ_t CE_t. */
    private double logits(double[] x, int[] batch, int from, int m) {
        int t = 0;
        for (; t + 1 < m; t += 2) {
            int h0 = offH + batch[from + t] * d;
            int h1 = offH + batch[from + t + 1] * d;
            int c = 0;
            for (; c + 3 < k; c += 4) {
                OPS.dots2x4(x, h0, h1, c * d, d, d, g, t * k + c, (t + 1) * k + c);
            }
            for (; c < k; c++) {
                g[t * k + c] = OPS.dot(x, c * d, x, h0, d);
                g[(t + 1) * k + c] = OPS.dot(x, c * d, x, h1, d);
            }
        }
        if (t < m) {
            int h0 = offH + batch[from + t] * d;
            int c = 0;
            for (; c + 3 < k; c += 4) {
                OPS.dots1x4(x, h0, c * d, d, d, g, t * k + c);
            }
            for (; c < k; c++) {
                g[t * k + c] = OPS.dot(x, c * d, x, h0, d);
            }
        }
        return softmax(x, 0, m, batch, from, 1.0 / m);
    }

    /**
     * Turns the logits in rows t0 ≤ t &lt; t1 of g (bias not yet added) into g_t = scale·(softmax − e_{y_t}) and
     * returns Σ_t CE_t, with y_t the label of sample batch[from + t] (of sample t when batch is null). Three passes:
     * shift each row by its maximum, exponentiate the whole block ({@link RowKernels#expNonPositive}), normalise.
     */
    private double softmax(double[] x, int t0, int t1, int[] batch, int from, double scale) {
        double ce = 0;
        for (int t = t0; t < t1; t++) {
            int o = t * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = bias ? g[o + c] + x[offB + c] : g[o + c];
                g[o + c] = s;
                if (s > max) {
                    max = s;
                }
            }
            for (int c = 0; c < k; c++) {
                g[o + c] -= max;
            }
            ce -= g[o + label(batch, from, t)]; // CE_t = log Σ_c e^{z_c − max} − (z_y − max)
        }
        OPS.expNonPositive(g, t0 * k, t1 * k);
        double product = 1; // Σ_t log(sum_t) as log Π_t sum_t over up to 16 rows: each sum_t ∈ [1, K], no overflow
        for (int t = t0; t < t1; t++) {
            int o = t * k;
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += g[o + c];
            }
            product *= sum;
            if (((t - t0) & 15) == 15 || t == t1 - 1) {
                ce += Math.log(product);
                product = 1;
            }
            double inv = scale / sum;
            for (int c = 0; c < k; c++) {
                g[o + c] *= inv;
            }
            g[o + label(batch, from, t)] -= scale;
        }
        return ce;
    }

    private int label(int[] batch, int from, int t) {
        return labels[batch == null ? t : batch[from + t]];
    }

    /**
     * The full-batch value f(x) and gradient (overwriting grad), same mathematics as the minibatch step with the
     * batch of all N samples: first the logits and softmax of every sample (2×4 tiles), then one pass over H in
     * blocks of four samples that adds their share of ∇W (one read-modify-write of ∇W per block) and sets their
     * ∇h_i = Wᵀg_i + λ_H h_i while the rows are in cache.
     */
    double fullValueAndGradient(double[] x, double[] grad) {
        if (products != null) {
            return fullValueAndGradientByProducts(x, grad);
        }
        if (all == null) {
            all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
        }
        if (g.length < n * k) {
            g = new double[n * k];
        }
        double value = logits(x, all, 0, n) / n;
        int kd = k * d;
        double lw = lambdaW;
        for (int i = 0; i < kd; i++) {
            grad[i] = lw * x[i];
        }
        if (lambdaW != 0) {
            value += 0.5 * lambdaW * OPS.dot(x, 0, x, 0, kd);
        }
        if (bias) {
            biasSums(x, n, lambdaB, grad, offB);
            if (lambdaB != 0) {
                value += 0.5 * lambdaB * OPS.dot(x, offB, x, offB, k);
            }
        }
        double h2 = 0;
        int t = 0;
        for (; t + 3 < n; t += 4) {
            addWeightShare(x, t, 4, grad);
            for (int u = t; u < t + 4; u++) {
                h2 += fullRowGradient(x, grad, u);
            }
        }
        for (; t < n; t++) {
            addWeightShare(x, t, 1, grad);
            h2 += fullRowGradient(x, grad, t);
        }
        return value + 0.5 * lambdaH * h2;
    }

    /**
     * acc[c·d ..] += Σ_{t ≤ u &lt; t+rows} g_uc h_u for every class c (the ∇W share of rows t..t+rows−1, rows = 4 by
     * {@link RowKernels#accumulate4}, rows = 1 by {@link RowKernels#axpy}).
     */
    private void addWeightShare(double[] x, int t, int rows, double[] acc) {
        int h0 = offH + t * d;
        for (int c = 0; c < k; c++) {
            if (rows == 4) {
                OPS.accumulate4(x, h0, h0 + d, h0 + 2 * d, h0 + 3 * d, g[t * k + c], g[(t + 1) * k + c],
                        g[(t + 2) * k + c], g[(t + 3) * k + c], acc, c * d, d);
            } else {
                OPS.axpy(g[t * k + c], x, h0, acc, c * d, d);
            }
        }
    }

    /**
     * dst[o + c] = keep·b_c + Σ_{t&lt;rows} g_tc (rows of g in order): ∇b with keep = λ_b; with keep = 1 − ηλ_b and
     * the step's coefficients −η∇_z f in g, the stepped b (dst may then be x at offB).
     */
    private void biasSums(double[] x, int rows, double keep, double[] dst, int o) {
        for (int c = 0; c < k; c++) {
            double s = keep * x[offB + c];
            for (int t = 0; t < rows; t++) {
                s += g[t * k + c];
            }
            dst[o + c] = s;
        }
    }

    /** Bound below which every number a fused step writes is safely finite. */
    private static final double SAFE = 1e300;

    /**
     * Whether every number a step with learning rate η writes (the logits, the new rows with ridge {@code rowRidge},
     * the new W and b) is provably below {@link #SAFE}, from maxH ≥ max|h| over the rows it steps, max|W|, max|b| and
     * ‖softmax − e_y‖₁ ≤ 2 for each of its {@code rows} rows (whose gradient coefficients carry 1/rows).
     */
    private boolean provablyFinite(double[] x, double maxH, double eta, double rowRidge, int rows) {
        double maxW = OPS.maxAbs(x, 0, k * d);
        double maxB = bias ? OPS.maxAbs(x, offB, k) : 0.0;
        double rowBound = maxH + eta * (rowRidge * maxH + 2.0 / rows * maxW);
        double wBound = maxW + eta * (lambdaW * maxW + 2.0 * maxH);
        double bBound = maxB + eta * (lambdaB * maxB + 2.0);
        return rowBound < SAFE && wBound < SAFE && bBound < SAFE && d * maxH * maxW + maxB < SAFE;
    }

    /**
     * The full-batch gradient step x ← Π(x − η∇f(x)) in place ({@link FusedGradientObjective}); returns f(x), or NaN
     * (x untouched) when the finiteness bound fails. Phase 1 computes the logits, softmax, f(x) and Σ‖h_i‖² (reading
     * H once; max|h| ≤ ‖H‖_F enters the bound); after {@code valueCheck} and the bound, phase 2 reads H once more and,
     * block by block, adds the block's share of ∇W (from the old rows) and then overwrites the rows with their step
     * (from the old W); W and b are stepped last. With {@code nativeStep} the step runs on {@link NativeKernels},
     * in one pass over H when the previous step's bound allows, else in these two ({@link #nativeFullStep}). For
     * K = 4 without products, {@link FourClassKernels} do both phases, the softmax giving the step's coefficients
     * −η∇_z f directly and the step running column by column, both phases in two halves of the rows (split {@link
     * #fourSplit}) when N·d ≥ {@value #TWO_THREAD_WORK}. Same mathematics as {@link #fullValueAndGradient} plus the
     * update, in another operation order.
     */
    double fusedFullStep(double[] x, double eta, java.util.function.DoubleConsumer valueCheck, double valueLimit) {
        if (g.length < n * k) {
            g = new double[n * k];
        }
        if (nativeStep) {
            return nativeFullStep(x, eta, valueCheck, valueLimit);
        }
        int kd = k * d;
        double value;
        double h2; // Σ‖h_i‖², for the value and, by max|h| ≤ ‖H‖_F, for the bound
        if (products != null) {
            inHalves(split(), (from, to, at) -> logitBlocks(x, from, to, at));
            value = (sums[0] + sums[2]) / n;
            h2 = sums[1] + sums[3];
        } else if (fourClassStep) { // g_t = −(η/N)(softmax − e_y): the coefficients of the step, not of the gradient
            stepX = x;
            stepEta = eta;
            inHalves(fourSplit, fourPhase1);
            value = (sums[0] + sums[2]) / n;
            h2 = sums[1] + sums[3];
        } else {
            if (all == null) {
                all = new int[n];
                for (int i = 0; i < n; i++) {
                    all[i] = i;
                }
            }
            value = logits(x, all, 0, n) / n;
            h2 = OPS.dot(x, offH, x, offH, n * d);
        }
        if (lambdaH != 0) {
            value += 0.5 * lambdaH * h2;
        }
        double maxH = Math.sqrt(h2);
        if (lambdaW != 0) {
            value += 0.5 * lambdaW * OPS.dot(x, 0, x, 0, kd);
        }
        if (bias && lambdaB != 0) {
            value += 0.5 * lambdaB * OPS.dot(x, offB, x, offB, k);
        }
        valueCheck.accept(value);
        if (!provablyFinite(x, maxH, eta, lambdaH, n)) {
            return Double.NaN;
        }
        if (fourClassStep) { // g holds the step's coefficients −η∇_z f: the step is a sum of them
            if (bias) { // b ← (1 − ηλ_b) b + Σ_t c_t = b − η∇b
                biasSums(x, n, 1 - eta * lambdaB, x, offB);
            }
            if (fourSplit < n) { // new W = (keepW·W + Σ_first c hᵀ) + Σ_second c hᵀ
                scaleWInto(x, 1 - eta * lambdaW);
                java.util.Arrays.fill(secondW, 0.0);
                inHalves(fourSplit, fourPhase2);
                for (int i = 0; i < kd; i++) {
                    x[i] = newW[i] + secondW[i];
                }
            } else {
                FOUR.step(x, 0, offH, n, d, g, 0, 1 - eta * lambdaW, 1 - eta * lambdaH, nonNegative, newW);
            }
            stepX = null;
            return value;
        }
        if (bias) {
            biasSums(x, n, lambdaB, newB, 0);
        }
        if (products != null) {
            java.util.Arrays.fill(secondW, 0.0);
            java.util.Arrays.fill(newW, 0.0);
            inHalves(split(), (from, to, at) -> stepBlocks(x, at == 0 ? newW : secondW, from, to, eta));
            addWeightRidge(x);
        } else {
            scaleWInto(x, lambdaW);
            int t = 0;
            for (; t + 3 < n; t += 4) { // ∇W share of four rows (old values), then their steps
                addWeightShare(x, t, 4, newW);
                for (int u = t; u < t + 4; u++) {
                    stepRow(x, u, eta);
                }
            }
            for (; t < n; t++) {
                addWeightShare(x, t, 1, newW);
                stepRow(x, t, eta);
            }
        }
        stepWeightsAndBias(x, eta);
        return value;
    }

    /** newW ← λ_W W + (first half's ∇W share + second half's): ∇W. */
    private void addWeightRidge(double[] x) {
        for (int i = 0; i < k * d; i++) {
            newW[i] = Math.fma(lambdaW, x[i], newW[i] + secondW[i]);
        }
    }

    /** W ← W − η∇W (in newW) and b ← b − η∇b (in newB): the last writes of a full-batch step. */
    private void stepWeightsAndBias(double[] x, double eta) {
        OPS.axpy(-eta, newW, 0, x, 0, k * d);
        if (bias) {
            for (int c = 0; c < k; c++) {
                x[offB + c] -= eta * newB[c];
            }
        }
    }

    /** Slack on the one-pass bounds for rounding (relative): they hold with far more room in any run that needs them. */
    private static final double BOUND_SLACK = 1e-6;

    /**
     * The full-batch step on {@link NativeKernels}, in one pass over H when its premise holds, else in two.
     *
     * <p>Logits, softmax and the row step are native ({@link NativeKernels}): one call per range of rows in one pass
     * ({@link NativeKernels#onePassBlocks}), one per block and one per range in two. The rows are cut into ranges of
     * whole blocks ({@link #rangeStarts}) that this thread and the {@link HelperThread} take one at a time ({@link
     * #inRanges}: on a shared machine one processor is often slowed by other work for a while, and a fixed half each
     * would make the step wait for the slower one). Two passes: the logits, softmax, f(x) and Σ‖h‖² of every block
     * of rows; then {@code valueCheck} and the finiteness bound ({@link #provablyFinite}); then block by block from
     * the last, the block's ∇W share and the rows' step. One pass (H read once instead of twice):
     * block by block from the last, the block's logits, softmax, ∇W share and step while it is in cache, and f(x) is
     * handed to {@code valueCheck} after the pass. That is only done when, before anything is written, a bound proves
     * f(x) ≤ {@code valueLimit} (so the check cannot fail) and every written number finite:
     * CE_i ≤ log K + 2 max_c |z_ic| with |z_ic| ≤ ‖w_c‖‖h_i‖ + |b_c| and (1/N) Σ_i ‖h_i‖ ≤ ‖H‖_F/√N, plus the ridge
     * terms, from the exact W and b and a bound on ‖H‖_F carried from the previous step: the rows it wrote satisfy
     * ‖H'‖_F ≤ |1 − ηλ_H| ‖H‖_F + η (2/N) max_c‖w_c‖ √N (each g_i = (softmax − e_y)/N has ℓ1-norm ≤ 2/N; the
     * projection onto H ≥ 0 does not increase norms), with ‖H‖_F exact from that step's own pass. The premise is
     * kept only for the same array x whose W and b are still, bit for bit, the ones that step wrote; any other x (a
     * first step, a restored or re-initialised one, a minibatch step in between, a step handed back) takes two
     * passes. Not detected: H alone changed between two steps by someone else, to values whose f exceeds the limit;
     * the step is then still the exact gradient step, but its value is checked after it is written.
     *
     * <p>Both ways compute every number in the same order (per block: the logits, the softmax and its Σ CE, Σ‖h‖²;
     * per range the ∇W shares from its last block to its first, the ranges' shares added in range order; the block
     * sums added in index order), so they give the same bits whichever thread takes which range, and a resumed run,
     * whose first step has nothing carried, continues exactly as an uninterrupted one.
     */
    private double nativeFullStep(double[] x, double eta, java.util.function.DoubleConsumer valueCheck,
                                  double valueLimit) {
        int rowsPerBlock = NativeKernels.blockRows(d);
        int blocks = blocksOf(n, rowsPerBlock);
        if (rangeFrom == null) {
            blockCe = new double[blocks];
            blockH2 = new double[blocks];
            int[] starts = rangeStarts(blocks);
            ranges = starts.length - 1;
            rangeFrom = new int[ranges + 1];
            for (int r = 0; r <= ranges; r++) {
                rangeFrom[r] = Math.min(n, starts[r] * rowsPerBlock);
            }
            rangeAcc = new double[ranges][k * d];
        }
        double maxWRow = maxWeightRowNorm(x);
        double keep = 1.0 - eta * lambdaH;
        boolean onePass = onePassPremise(x, eta, valueLimit, maxWRow);
        carriedX = null;
        lastOnePass = onePass;
        for (double[] acc : rangeAcc) {
            java.util.Arrays.fill(acc, 0.0);
        }
        if (onePass) {
            inRanges(r -> onePassRange(x, eta, keep, r, rowsPerBlock));
        } else {
            inRanges(r -> logitsByBlocks(x, r, rowsPerBlock));
        }
        double ce = 0;
        double h2 = 0;
        for (int b = 0; b < blocks; b++) {
            ce += blockCe[b];
            h2 += blockH2[b];
        }
        double value = ce / n;
        if (lambdaH != 0) {
            value += 0.5 * lambdaH * h2;
        }
        value = plusSharedRidge(x, value);
        valueCheck.accept(value);
        if (!onePass) {
            if (!provablyFinite(x, Math.sqrt(h2), eta, lambdaH, n)) {
                return Double.NaN;
            }
            inRanges(r -> NativeKernels.stepRows(g, rangeFrom[r] * k, x, 0, offH + rangeFrom[r] * d,
                    rangeFrom[r + 1] - rangeFrom[r], k, d, -eta, keep, nonNegative, rangeAcc[r], 0));
        }
        if (bias) {
            biasSums(x, n, lambdaB, newB, 0);
        }
        System.arraycopy(rangeAcc[0], 0, newW, 0, k * d); // ∇W = Σ_r (range r's share), in range order, + λ_W W
        for (int r = 1; r < ranges; r++) {
            double[] acc = rangeAcc[r];
            for (int i = 0; i < k * d; i++) {
                newW[i] += acc[i];
            }
        }
        for (int i = 0; i < k * d; i++) {
            newW[i] = Math.fma(lambdaW, x[i], newW[i]);
        }
        stepWeightsAndBias(x, eta);
        carry(x, h2, maxWRow, eta, keep);
        return value;
    }

    /**
     * Runs work(r) for every range r, taken one at a time by this thread and the helper thread, whichever is free;
     * returns when all have ended. One range: here.
     */
    private void inRanges(java.util.function.IntConsumer work) {
        rangeWork = work;
        nextRange.set(0);
        try {
            if (ranges == 1) {
                work.accept(0);
                return;
            }
            if (helper == null) {
                helper = new HelperThread("nclab-ufm-step");
            }
            helper.offer(rangeLoop);
            try {
                takeRanges();
            } finally {
                helper.finish(); // the helper's loop: run here if it has not started (nothing left), else awaited
            }
        } finally {
            rangeWork = null;
        }
    }

    private void takeRanges() {
        java.util.function.IntConsumer work = rangeWork;
        for (int r = nextRange.getAndIncrement(); r < ranges; r = nextRange.getAndIncrement()) {
            work.accept(r);
        }
    }

    /**
     * The first block of each range and, last, {@code blocks}: each range takes a quarter of the blocks left, rounded
     * up, and at least {@value #MIN_RANGE_BLOCKS} (105 blocks: 27, 20, 15, 11, 8, 6, 5, 4, 3, 2, 2, 2). Measured at
     * (512, 10, 5000) against eight equal ranges: both threads busy 99 % of the step, its median 3-5 % lower.
     */
    static int[] rangeStarts(int blocks) {
        int[] starts = new int[blocks + 1];
        int count = 0;
        for (int at = 0; at < blocks; ) {
            at += Math.max(MIN_RANGE_BLOCKS, (blocks - at + 3) / 4);
            starts[++count] = Math.min(at, blocks);
        }
        return java.util.Arrays.copyOf(starts, count + 1);
    }

    private static int blocksOf(int rows, int rowsPerBlock) {
        return (rows + rowsPerBlock - 1) / rowsPerBlock;
    }

    /** max_c ‖w_c‖ over the rows of W. */
    private double maxWeightRowNorm(double[] x) {
        double max = 0;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, OPS.dot(x, c * d, x, c * d, d));
        }
        return Math.sqrt(max);
    }

    /** Whether the one-pass step may run on x: see {@link #nativeFullStep}. */
    private boolean onePassPremise(double[] x, double eta, double valueLimit, double maxWRow) {
        int kd = k * d;
        if (carriedX != x || Double.isNaN(carriedH2) || !java.util.Arrays.equals(x, 0, kd, carriedWb, 0, kd)
                || bias && !java.util.Arrays.equals(x, offB, offB + k, carriedWb, kd, kd + k)) {
            return false;
        }
        double normH = Math.sqrt(carriedH2);
        double maxB = bias ? OPS.maxAbs(x, offB, k) : 0.0;
        double ce = Math.log(k) + 2 * (maxWRow * normH / Math.sqrt(n) + maxB);
        double bound = plusSharedRidge(x, ce + 0.5 * lambdaH * carriedH2) * (1 + BOUND_SLACK) + BOUND_SLACK;
        return Double.isFinite(bound) && bound <= valueLimit && provablyFinite(x, normH, eta, lambdaH, n);
    }

    /** Carries the one-pass premise to the next step: see {@link #nativeFullStep}. */
    private void carry(double[] x, double h2, double maxWRow, double eta, double keep) {
        double norm = (Math.abs(keep) * Math.sqrt(h2) + Math.abs(eta) * (2.0 / n) * maxWRow * Math.sqrt(n))
                * (1 + BOUND_SLACK);
        int kd = k * d;
        if (carriedWb == null) {
            carriedWb = new double[kd + k];
        }
        System.arraycopy(x, 0, carriedWb, 0, kd);
        if (bias) {
            System.arraycopy(x, offB, carriedWb, kd, k);
        }
        carriedH2 = norm * norm;
        carriedX = x;
    }

    /** Tests: the helper thread the two-thread steps use (one that never starts a thread runs all on the caller). */
    void useHelper(HelperThread h) {
        helper = h;
    }

    /** Whether the last full-batch step on the native kernels ran in one pass over H (tests). */
    boolean lastStepWasOnePass() {
        return lastOnePass;
    }

    /** Rows t0 ≤ t &lt; t0 + rows of g: logits → (softmax − e_y)/N natively ({@link NativeKernels#softmax}); Σ CE_t. */
    private double nativeSoftmax(double[] x, int t0, int rows) {
        return NativeKernels.softmax(g, t0 * k, rows, k, x, bias ? offB : -1, labels, t0, 1.0 / n);
    }

    /** Two-pass phase 1 on range r, block by block: logits and Σ‖h‖², then the softmax and Σ CE. */
    private void logitsByBlocks(double[] x, int r, int rowsPerBlock) {
        for (int t0 = rangeFrom[r]; t0 < rangeFrom[r + 1]; t0 += rowsPerBlock) {
            int rows = Math.min(rowsPerBlock, rangeFrom[r + 1] - t0);
            int b = t0 / rowsPerBlock;
            blockH2[b] = NativeKernels.logits(x, 0, offH + t0 * d, rows, k, d, g, t0 * k);
            blockCe[b] = nativeSoftmax(x, t0, rows);
        }
    }

    /**
     * The one pass on range r ({@link NativeKernels#onePassBlocks}), block by block from the last: logits, Σ‖h‖²,
     * softmax and Σ CE, then the block's ∇W share and its rows' step (prefetching the block taken next).
     */
    private void onePassRange(double[] x, double eta, double keep, int r, int rowsPerBlock) {
        int from = rangeFrom[r];
        NativeKernels.onePassBlocks(g, from * k, x, 0, bias ? offB : -1, offH + from * d, rangeFrom[r + 1] - from, k,
                d, labels, from, 1.0 / n, -eta, keep, nonNegative, rangeAcc[r], 0, blockH2, blockCe,
                from / rowsPerBlock);
    }

    /** h_t ← Π(h_t − η(λ_H h_t + Σ_c g_tc w_c)) in place (the old W: W is stepped after all rows). */
    private void stepRow(double[] x, int t, double eta) {
        int h = offH + t * d;
        int o = t * k;
        if (k == 4) {
            OPS.step4(x, 0, d, 2 * d, 3 * d, g[o], g[o + 1], g[o + 2], g[o + 3], lambdaH, x, h, eta, x, h, d);
            if (nonNegative) {
                clamp(x, h, h + d);
            }
            return;
        }
        if (rowScratch == null) {
            rowScratch = new double[d];
        }
        rowGradient(x, t, rowScratch, 0);
        OPS.axpy(-eta, rowScratch, 0, x, h, d);
        if (nonNegative) {
            clamp(x, h, h + d);
        }
    }

    private static void clamp(double[] x, int from, int to) {
        for (int j = from; j < to; j++) {
            if (x[j] < 0) {
                x[j] = 0;
            }
        }
    }

    /** Rows t0 ≤ t &lt; t0 + rows of g: logits Z = H_blk Wᵀ by one product, then g_t = invN·(softmax − e_y); Σ CE_t. */
    private double blockSoftmax(double[] x, int t0, int rows, double invN) {
        products.multiplyTransB(x, offH + t0 * d, rows, x, 0, k, d, g, t0 * k);
        return softmax(x, t0, t0 + rows, null, 0, invN);
    }

    /** Phase 1 of the products path on rows [from, to): logits, softmax, and Σ CE, Σ‖h‖² in sums[at], sums[at+1]. */
    private void logitBlocks(double[] x, int from, int to, int at) {
        int step = BlockProducts.rowsPerCall(k, d);
        double invN = 1.0 / n;
        double ce = 0;
        double h2 = 0;
        for (int t0 = from; t0 < to; t0 += step) {
            int rows = Math.min(step, to - t0);
            int h0 = offH + t0 * d;
            ce += blockSoftmax(x, t0, rows, invN);
            h2 += OPS.dot(x, h0, x, h0, rows * d);
        }
        sums[at] = ce;
        sums[at + 1] = h2;
    }

    /**
     * Phase 2 of the products path on rows [from, to), block by block: wAcc += G_blkᵀ H_blk, then H_blk ←
     * Π((1 − ηλ_H) H_blk − η G_blk W) in place (one product with dgemm's alpha = −η, beta = 1 − ηλ_H).
     */
    private void stepBlocks(double[] x, double[] wAcc, int from, int to, double eta) {
        int step = BlockProducts.rowsPerCall(k, d);
        double keep = 1.0 - eta * lambdaH;
        for (int t0 = from; t0 < to; t0 += step) {
            int rows = Math.min(step, to - t0);
            int h0 = offH + t0 * d;
            int end = h0 + rows * d;
            products.multiplyTransAAdd(g, t0 * k, rows, k, x, h0, d, wAcc, 0);
            products.multiplyScaleAdd(g, t0 * k, rows, k, x, 0, d, -eta, keep, x, h0);
            if (nonNegative) {
                clamp(x, h0, end);
            }
        }
    }

    /** Phase 1 of the four-class step on rows [from, to): logits, softmax coefficients, Σ CE and Σ‖h‖² into sums. */
    private void fourLogitsOfRows(int from, int to, int at) {
        double[] x = stepX;
        sums[at + 1] = FOUR.logits(x, 0, offH + from * d, to - from, d, g, 4 * from);
        sums[at] = FOUR.softmax(g, 4 * from, to - from, bias ? x : null, offB, labels, from, -stepEta / n);
    }

    /** Phase 2 on rows [from, to): the rows' steps, and their share of the new W added to newW (first half) or secondW. */
    private void fourStepOfRows(int from, int to, int at) {
        FOUR.stepRows(stepX, 0, offH + from * d, to - from, d, g, 4 * from, 1 - stepEta * lambdaH, nonNegative,
                at == 0 ? newW : secondW);
    }

    private void runSecondHalf() {
        pendingHalf.run(pendingSplit, n, 2);
    }

    /** Rows of the first half of the products path: a whole number of blocks (n when one block covers all). */
    private int split() {
        int step = BlockProducts.rowsPerCall(k, d);
        int blocks = (n + step - 1) / step;
        return Math.min(n, (blocks + 1) / 2 * step);
    }

    /** Work on the rows [from, to), writing its sums from index at. */
    private interface Half {
        void run(int from, int to, int at);
    }

    /**
     * Runs rows [0, split) here and [split, n) on the helper thread, or here after the first when the helper has not
     * taken them by then (sums at 0 and 2); one call when split = n. On a single processor both halves run here, one
     * after the other ({@link HelperThread} starts no thread there): the same sums whichever thread runs a half, as
     * the split is the shape's.
     */
    private void inHalves(int split, Half half) {
        sums[2] = 0;
        sums[3] = 0;
        if (split >= n) {
            half.run(0, n, 0);
            return;
        }
        if (helper == null) {
            helper = new HelperThread("nclab-ufm-step");
        }
        pendingHalf = half;
        pendingSplit = split;
        helper.offer(secondHalf);
        try {
            half.run(0, split, 0);
        } finally {
            helper.finish(); // the second half: run here if the helper has not taken it, else its end awaited
            pendingHalf = null;
        }
    }

    /**
     * The full-batch value and gradient as three matrix products ({@link BlockProducts}, native dgemm when
     * loaded), one block of rows of H at a time so that the block stays in cache for all three: logits
     * Z_blk = H_blk Wᵀ, then G_blk = (softmax(Z_blk + b) − Y_blk)/N row by row, ∇W += G_blkᵀ H_blk, ∇H_blk =
     * λ_H H_blk + G_blk W. Blocks of {@link BlockProducts#rowsPerCall} rows in increasing order (one single-threaded
     * dgemm per product and block): a fixed, shape-determined order, so the result is bit-reproducible. Same
     * mathematics as the blocked Java pass, another summation order.
     */
    private double fullValueAndGradientByProducts(double[] x, double[] grad) {
        if (g.length < n * k) {
            g = new double[n * k];
        }
        int kd = k * d;
        double lw = lambdaW;
        for (int i = 0; i < kd; i++) {
            grad[i] = lw * x[i];
        }
        java.util.Arrays.fill(secondW, 0.0);
        inHalves(split(), (from, to, at) -> productBlocks(x, grad, at == 0 ? grad : secondW, from, to, at));
        if (split() < n) {
            for (int i = 0; i < kd; i++) {
                grad[i] += secondW[i];
            }
        }
        double invN = 1.0 / n;
        double ce = sums[0] + sums[2];
        double h2 = sums[1] + sums[3];
        double value = ce * invN;
        if (lambdaW != 0) {
            value += 0.5 * lambdaW * OPS.dot(x, 0, x, 0, kd);
        }
        if (bias) {
            biasSums(x, n, lambdaB, grad, offB);
            if (lambdaB != 0) {
                value += 0.5 * lambdaB * OPS.dot(x, offB, x, offB, k);
            }
        }
        return value + 0.5 * lambdaH * h2;
    }

    /**
     * Rows from ≤ t &lt; to in blocks of {@code step}: logits, softmax, ∇W share added to wAcc ,
     * ∇h_t = λ_H h_t + Wᵀ g_t; stores Σ CE_t and Σ‖h_t‖² (when λ_H ≠ 0) in sums[at], sums[at + 1].
     */
    private void productBlocks(double[] x, double[] grad, double[] wAcc, int from, int to, int at) {
        int step = BlockProducts.rowsPerCall(k, d);
        double lh = lambdaH;
        double invN = 1.0 / n;
        double ce = 0;
        double h2 = 0;
        for (int t0 = from; t0 < to; t0 += step) {
            int rows = Math.min(step, to - t0);
            int h0 = offH + t0 * d;
            ce += blockSoftmax(x, t0, rows, invN);
            products.multiplyTransAAdd(g, t0 * k, rows, k, x, h0, d, wAcc, 0);
            int end = h0 + rows * d;
            for (int j = h0; j < end; j++) {
                grad[j] = lh * x[j];
            }
            if (lh != 0) {
                for (int h = h0; h < end; h += d) {
                    h2 += OPS.dot(x, h, x, h, d);
                }
            }
            products.multiplyAdd(g, t0 * k, rows, k, x, 0, d, grad, h0);
        }
        sums[at] = ce;
        sums[at + 1] = h2;
    }

    /** Sets ∇h_t = Σ_c g_tc w_c + λ_H h_t (classes in blocks of four); returns ‖h_t‖² when λ_H ≠ 0, else 0. */
    private double fullRowGradient(double[] x, double[] grad, int t) {
        int h = offH + t * d;
        rowGradient(x, t, grad, h);
        return lambdaH != 0 ? OPS.dot(x, h, x, h, d) : 0.0;
    }

    /** dst[r..r+d) = ∇h_t = λ_H h_t + Σ_c g_tc w_c (classes in blocks of four, then one by one). */
    private void rowGradient(double[] x, int t, double[] dst, int r) {
        int h = offH + t * d;
        int o = t * k;
        int c = 0;
        if (k >= 4) {
            OPS.combine4(x, 0, d, 2 * d, 3 * d, g[o], g[o + 1], g[o + 2], g[o + 3], lambdaH, x, h, dst, r, d);
            c = 4;
        } else {
            for (int j = 0; j < d; j++) {
                dst[r + j] = lambdaH * x[h + j];
            }
        }
        addClasses(x, o, c, dst, r);
    }

    /** newW := ∇W = Σ_t g_t h_tᵀ + λ_W W (visits in blocks of four), newB := ∇b. */
    private void weightGradients(double[] x, double[] v, int[] batch, int from, int m, double eta) {
        wDone = m == 4 && v == null;
        wProbe = 0;
        double lw = lambdaW;
        for (int c = 0; c < k; c++) {
            int w = c * d;
            int t = 0;
            if (m >= 4) {
                int h0 = offH + batch[from] * d;
                int h1 = offH + batch[from + 1] * d;
                int h2 = offH + batch[from + 2] * d;
                int h3 = offH + batch[from + 3] * d;
                if (wDone) { // the whole gradient in one block: fuse the update
                    wProbe += OPS.step4(x, h0, h1, h2, h3, g[c], g[k + c], g[2 * k + c], g[3 * k + c], lw, x, w, eta, newW,
                            w, d);
                    continue;
                }
                OPS.combine4(x, h0, h1, h2, h3, g[c], g[k + c], g[2 * k + c], g[3 * k + c], lw, x, w, newW, w, d);
                t = 4;
            } else {
                for (int j = 0; j < d; j++) {
                    newW[w + j] = lw * x[w + j];
                }
            }
            for (; t + 3 < m; t += 4) {
                OPS.accumulate4(x, offH + batch[from + t] * d, offH + batch[from + t + 1] * d,
                        offH + batch[from + t + 2] * d, offH + batch[from + t + 3] * d, g[t * k + c],
                        g[(t + 1) * k + c], g[(t + 2) * k + c], g[(t + 3) * k + c], newW, w, d);
            }
            for (; t < m; t++) {
                OPS.axpy(g[t * k + c], x, offH + batch[from + t] * d, newW, w, d);
            }
        }
        if (bias) {
            biasSums(x, m, lambdaB, newB, 0);
        }
    }

    /** newRows[slot] := ∇h_i = Σ over the visits of i of (Wᵀ g_t + rowRidge·h_i) (classes in blocks of four). */
    private void rowGradients(double[] x, double[] v, int m, double rowRidge, double eta) {
        boolean fuseRows = k == 4 && slots == m && v == null;
        rowsDone = fuseRows;
        rowsProbe = 0;
        for (int t = 0; t < m; t++) {
            int s = visitSlot[t];
            int r = s * d;
            int h = slotOffset[s];
            int o = t * k;
            if (fuseRows) { // ∇h_i complete in one block of four classes: write the new row
                rowsProbe += OPS.step4(x, 0, d, 2 * d, 3 * d, g[o], g[o + 1], g[o + 2], g[o + 3], rowRidge, x, h, eta,
                        newRows, r, d);
                continue;
            }
            boolean first = visitFirst[t];
            int c = 0;
            if (k >= 4) {
                if (first) {
                    OPS.combine4(x, 0, d, 2 * d, 3 * d, g[o], g[o + 1], g[o + 2], g[o + 3], rowRidge, x, h, newRows, r, d);
                } else {
                    OPS.axpy(rowRidge, x, h, newRows, r, d);
                    OPS.accumulate4(x, 0, d, 2 * d, 3 * d, g[o], g[o + 1], g[o + 2], g[o + 3], newRows, r, d);
                }
                c = 4;
            } else if (first) {
                for (int j = 0; j < d; j++) {
                    newRows[r + j] = rowRidge * x[h + j];
                }
            } else {
                OPS.axpy(rowRidge, x, h, newRows, r, d);
            }
            addClasses(x, o, c, newRows, r);
        }
    }

    /** Turns the gradients in newW/newB/newRows into the new values (and velocities); returns their probe. */
    private double candidates(double[] x, double[] v, double eta, double mu, boolean nesterov) {
        double p = 0;
        if (!wDone) {
            update(x, v, 0, newW, newWv, 0, k * d, eta, mu, nesterov);
        }
        if (!rowsDone) {
            for (int s = 0; s < slots; s++) {
                update(x, v, slotOffset[s], newRows, newRowsV, s * d, d, eta, mu, nesterov);
            }
        }
        p += wDone ? wProbe : OPS.finiteProbe(newW, 0, k * d);
        p += rowsDone ? rowsProbe : OPS.finiteProbe(newRows, 0, slots * d);
        if (v != null) {
            p += OPS.finiteProbe(newWv, 0, k * d) + OPS.finiteProbe(newRowsV, 0, slots * d);
        }
        if (bias) {
            for (int c = 0; c < k; c++) {
                int i = offB + c;
                double gc = newB[c];
                double nx;
                if (v == null) {
                    nx = x[i] - eta * gc;
                } else {
                    double vn = mu * v[i] + gc;
                    newBv[c] = vn;
                    nx = nesterov ? x[i] - eta * (gc + mu * vn) : x[i] - eta * vn;
                    p += vn * 0.0;
                }
                newB[c] = nx;
                p += nx * 0.0;
            }
        }
        return p;
    }

    /**
     * dst[r..r+d) += Σ_{c' ≥ c} g[o + c'] w_{c'} (classes in blocks of four, then one by one, each entry one
     * chain of fused multiply-adds in class order): the rest of a row gradient Σ_c g_tc w_c after its first block.
     */
    private void addClasses(double[] x, int o, int c, double[] dst, int r) {
        for (; c + 3 < k; c += 4) {
            int w0 = c * d;
            OPS.accumulate4(x, w0, w0 + d, w0 + 2 * d, w0 + 3 * d, g[o + c], g[o + c + 1], g[o + c + 2],
                    g[o + c + 3], dst, r, d);
        }
        for (; c < k; c++) {
            OPS.axpy(g[o + c], x, c * d, dst, r, d);
        }
    }

    /** For len entries: gradient buf[b..], parameter x[o..]: buf := new parameter, vbuf := new velocity. */
    private static void update(double[] x, double[] v, int o, double[] buf, double[] vbuf, int b, int len, double eta,
                               double mu, boolean nesterov) {
        if (v == null) {
            for (int j = 0; j < len; j++) {
                buf[b + j] = x[o + j] - eta * buf[b + j];
            }
        } else if (nesterov) {
            for (int j = 0; j < len; j++) {
                double gr = buf[b + j];
                double vn = mu * v[o + j] + gr;
                vbuf[b + j] = vn;
                buf[b + j] = x[o + j] - eta * (gr + mu * vn);
            }
        } else {
            for (int j = 0; j < len; j++) {
                double vn = mu * v[o + j] + buf[b + j];
                vbuf[b + j] = vn;
                buf[b + j] = x[o + j] - eta * vn;
            }
        }
    }
}
