package nclab.model;

import java.util.SplittableRandom;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.linalg.BlockProducts;
import nclab.linalg.NativeBlas;

/**
 * The unconstrained features model (UFM) with softmax cross-entropy and ridge regularisation, in the
 * normalisation of the papers' experiments (model id {@value #MODEL}):
 * <pre>
 *   f(W, H, b) = (1/N) Σ_i CE(W h_i + b, y_i) + (λ_W/2)‖W‖_F² + (λ_H/2)‖H‖_F² + (λ_b/2)‖b‖²,
 *   CE(z, y) = log Σ_c e^{z_c} − z_y,
 * </pre>
 * W ∈ ℝ^{K×d} (rows are classifiers), H ∈ ℝ^{N×d} (row i is the feature h_i of sample i), b ∈ ℝ^K
 * (only with {@code bias}). Labels are class-major: the first n_1 samples have class 0, the next n_2
 * class 1, and so on ({@link ClassSizes}).
 * <ul>
 *   <li><b>Seed 000</b> (Thrampoulidis et al., "Imbalance Trouble"): eq. 1 / (C.3) use the unnormalised sum
 *       L(WᵀH) + (λ/2)(‖W‖² + ‖H‖²); Remark F.1: every experiment uses (1/N)L, with regularisation "λ/N".
 *       This class is the normalised form, so its λ_W, λ_H equal the theory's λ divided by N
 *       (theory λ = N·λ_W here). λ_W = λ_H = 0 gives the unregularised CE of Fig. 5 (the iterates diverge
 *       in norm; only normalised quantities converge, to the SELI direction).</li>
 *   <li><b>Seed 001</b> (Dang et al., UFM₊) eq. 4: exactly this objective with b absent and H ≥ 0 entrywise
 *       ({@code nonNegative}); the feature penalty is on the whole H (not divided by N).</li>
 * </ul>
 * Neither paper uses a bias; it is offered (λ_b = 0 by default: unregularised) for the bias variants.
 *
 * <p><b>Gradient</b> (seed 001 spec §3): with p_i = softmax(W h_i + b) and g_i = (p_i − e_{y_i})/N,
 * ∇_W = Σ_i g_i h_iᵀ + λ_W W, ∇_{h_i} = Wᵀ g_i + λ_H h_i, ∇_b = Σ_i g_i + λ_b b, computed by {@link UfmSgdKernel}
 * (logits of all samples in 2×4 register tiles, then one pass over H in blocks of four samples); from N·K·d ≥
 * 2^18 on, when a native BLAS loads, the full batch is instead three products Z = H Wᵀ, Gᵀ H and G W by OpenBLAS
 * dgemm ({@link BlockProducts}: single-threaded calls on blocks of rows in a shape-determined split; the two halves
 * of the blocks run on two threads, their ∇W shares added in a fixed order, so still bit-reproducible). Without a
 * native BLAS, K ≠ 4 takes the same three products on the Vector API tiles of {@link nclab.linalg.ProductKernels}
 * when the vector kernels are in use. Measured (README Performance): the gradient at (d, K, N) = (512, 10, 5000)
 * drops from ≈36 ms to ≈11 ms. The minibatch SGD step is fused ({@link FusedSgdObjective}), and so is the
 * full-batch gradient step, taken in place ({@link FusedGradientObjective}; for K = 4 below the products threshold
 * by {@link nclab.linalg.FourClassKernels}, column by column, in two halves on two threads from N·d ≥ 2^14).
 * For K = 4 without momentum the minibatch step also runs on the four-class kernels. The inner loops are the SIMD or
 * scalar {@link nclab.linalg.RowKernels}.
 *
 * <p><b>Minibatch</b> ({@link StochasticObjective}): per-sample terms φ_i = CE_i + (N λ_H/2)‖h_i‖², so the
 * minibatch objective f_𝔅 = (1/B) Σ_{i∈𝔅} [CE_i + (Nλ_H/2)‖h_i‖²] + (λ_W/2)‖W‖² + (λ_b/2)‖b‖² is unbiased
 * and the ridge on H acts on the batch rows only, with weight Nλ_H/B per visit (a feature row is visited
 * with probability B/N per step, so on average it feels λ_H h_i exactly as under full-batch weight decay).
 * PyTorch code that decays the whole H every step has the same expectation but touches all N rows. Note
 * that lr·Nλ_H/B must stay below 2 for the per-visit decay to be stable.
 *
 * <p><b>Validity.</b> K ≥ 2 (from {@link ClassSizes}); d ≥ K − 1 for the plain UFM (seed 000 Theorems 1–2
 * assume d ≥ K − 1) and d ≥ K for the non-negative UFM₊ (seed 001 Theorem 1 assumes d ≥ K); λ's ≥ 0.
 *
 * <p><b>Initialisation</b> ({@link #initialPoint}): i.i.d. N(0, s²) entries of W and H with s =
 * {@code initScale} (default 1.0: pitfalls.md shows scale 0.1 leaves the minority means of UFM₊ stuck at
 * 0), H replaced by |H| for the non-negative model (as in the verified PGD runs), b = 0.
 *
 * <p>Instances hold scratch buffers: not thread-safe.
 */
public final class UfmObjective implements FusedSgdObjective, FusedGradientObjective {
    /** Model id in configs and on the command line. */
    public static final String MODEL = "ufm";
    /** Default standard deviation of the Gaussian initialisation (pitfalls.md, ReLU UFM). */
    public static final double DEFAULT_INIT_SCALE = 1.0;

    /**
     * Smallest N·K·d for which the full-batch pass uses native dgemm ({@link BlockProducts}) when it loads; smaller
     * problems, and every problem without a native BLAS, use the blocked Java pass (measured: README Performance).
     */
    static final long PRODUCTS_MIN_WORK = 1L << 18;

    private final ClassSizes sizes;
    private final int k;
    private final int d;
    private final int n;
    private final double lambdaW;
    private final double lambdaH;
    private final double lambdaB;
    private final boolean bias;
    private final boolean nonNegative;
    private final double initScale;
    private final int[] labels;
    private final ParameterLayout layout;
    private final int offH;
    private final int offB;
    private final double[] z;
    private UfmSgdKernel sgdKernel;

    /** The UFM with unregularised bias (if any) and the default initialisation scale. */
    public UfmObjective(ClassSizes sizes, int d, double lambdaW, double lambdaH, boolean bias, boolean nonNegative) {
        this(sizes, d, lambdaW, lambdaH, 0.0, bias, nonNegative, DEFAULT_INIT_SCALE);
    }

    /**
     * @param sizes       class sizes n_1..n_K (labels class-major)
     * @param d           feature dimension, ≥ K − 1 (≥ K when {@code nonNegative})
     * @param lambdaW     ridge λ_W ≥ 0 on W
     * @param lambdaH     ridge λ_H ≥ 0 on H
     * @param lambdaB     ridge λ_b ≥ 0 on b (must be 0 without bias)
     * @param bias        whether the classifier has a bias b
     * @param nonNegative whether H is constrained to H ≥ 0 (UFM₊ of seed 001)
     * @param initScale   standard deviation &gt; 0 of the Gaussian initialisation
     */
    public UfmObjective(ClassSizes sizes, int d, double lambdaW, double lambdaH, double lambdaB, boolean bias,
                        boolean nonNegative, double initScale) {
        InvalidInputException.require(sizes != null, "class sizes are required");
        this.k = sizes.k();
        InvalidInputException.require(k >= 2, "the UFM needs K >= 2 classes, got K = " + k);
        if (nonNegative) {
            InvalidInputException.require(d >= k, "the non-negative UFM (seed 001 Theorem 1) needs feature dimension d >= K = "
                    + k + ", got d = " + d);
        } else {
            InvalidInputException.require(d >= k - 1, "the UFM (seed 000 Theorems 1-2) needs feature dimension d >= K-1 = "
                    + (k - 1) + ", got d = " + d);
        }
        InvalidInputException.require(sizes.total() <= Integer.MAX_VALUE / Math.max(d, 1) - k * (d + 1),
                "N*d = " + sizes.total() + "*" + d + " parameters do not fit in one array");
        InvalidInputException.requireNonNegative("lambdaW", lambdaW);
        InvalidInputException.requireNonNegative("lambdaH", lambdaH);
        InvalidInputException.requireNonNegative("lambdaB", lambdaB);
        InvalidInputException.require(bias || lambdaB == 0, "lambdaB = " + lambdaB + " needs a bias (bias = false)");
        InvalidInputException.requirePositive("initScale", initScale);
        this.sizes = sizes;
        this.d = d;
        this.n = (int) sizes.total();
        this.lambdaW = lambdaW;
        this.lambdaH = lambdaH;
        this.lambdaB = lambdaB;
        this.bias = bias;
        this.nonNegative = nonNegative;
        this.initScale = initScale;
        this.labels = new int[n];
        int i = 0;
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < sizes.count(c); r++) {
                labels[i++] = c;
            }
        }
        ParameterLayout.Builder b = ParameterLayout.builder().add("W", k, d).add("H", n, d);
        if (bias) {
            b.add("b", k, 1);
        }
        this.layout = b.build();
        this.offH = layout.block("H").offset();
        this.offB = bias ? layout.block("b").offset() : -1;
        this.z = new double[k];
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    public ClassSizes sizes() {
        return sizes;
    }

    public int dimension() {
        return d;
    }

    public double lambdaW() {
        return lambdaW;
    }

    public double lambdaH() {
        return lambdaH;
    }

    public double lambdaB() {
        return lambdaB;
    }

    public boolean hasBias() {
        return bias;
    }

    public boolean nonNegative() {
        return nonNegative;
    }

    public double initScale() {
        return initScale;
    }

    /** Class of sample i (class-major order). */
    public int label(int i) {
        return labels[i];
    }

    @Override
    public int samples() {
        return n;
    }

    @Override
    public int sampleOffset(int i) {
        return offH + i * d;
    }

    @Override
    public int sampleWidth() {
        return d;
    }

    @Override
    public int[][] sharedRanges() {
        return bias ? new int[][] {{0, k * d}, {offB, k}} : new int[][] {{0, k * d}};
    }

    @Override
    public double valueAndGradient(double[] x, double[] grad) {
        checkLength(x, grad);
        return kernel().fullValueAndGradient(x, grad);
    }

    /** The full-batch step in place ({@link UfmSgdKernel#fusedFullStep}), projection onto H ≥ 0 included. */
    @Override
    public double fusedGradientStep(double[] x, double eta, java.util.function.DoubleConsumer valueCheck,
                                    double valueLimit) {
        checkLength(x, x);
        return kernel().fusedFullStep(x, eta, valueCheck, valueLimit);
    }

    /** The former per-sample full-batch pass (reference for tests of the blocked kernel). */
    double valueAndGradientPerSample(double[] x, double[] grad) {
        checkLength(x, grad);
        java.util.Arrays.fill(grad, 0, k * d, 0.0);
        if (bias) {
            java.util.Arrays.fill(grad, offB, offB + k, 0.0);
        }
        double ce = 0;
        double h2 = 0;
        double invN = 1.0 / n;
        for (int i = 0; i < n; i++) {
            int h = offH + i * d;
            ce += sampleTerm(x, grad, h, labels[i], invN, lambdaH);
            if (lambdaH != 0) {
                h2 += dot(x, h, h, d);
            }
        }
        return ce * invN + 0.5 * lambdaH * h2 + sharedRidge(x, grad);
    }

    @Override
    public double value(double[] x) {
        checkLength(x, x);
        double ce = 0;
        double h2 = 0;
        for (int i = 0; i < n; i++) {
            int h = offH + i * d;
            ce += logits(x, h, labels[i]);
            for (int j = h; j < h + d; j++) {
                h2 += x[j] * x[j];
            }
        }
        double w2 = 0;
        for (int j = 0; j < k * d; j++) {
            w2 += x[j] * x[j];
        }
        double b2 = 0;
        if (bias) {
            for (int c = 0; c < k; c++) {
                b2 += x[offB + c] * x[offB + c];
            }
        }
        return ce / n + 0.5 * lambdaH * h2 + 0.5 * lambdaW * w2 + 0.5 * lambdaB * b2;
    }

    @Override
    public double batchValueAndGradient(double[] x, int[] batch, int from, int to, double[] grad) {
        checkLength(x, grad);
        if (from < 0 || to > batch.length || from >= to) { // no message built on the hot path
            throw new IllegalArgumentException("empty or out-of-range batch [" + from + ", " + to + ") of " + batch.length);
        }
        java.util.Arrays.fill(grad, 0, k * d, 0.0);
        if (bias) {
            java.util.Arrays.fill(grad, offB, offB + k, 0.0);
        }
        for (int t = from; t < to; t++) {
            int h = offH + batch[t] * d;
            java.util.Arrays.fill(grad, h, h + d, 0.0);
        }
        int b = to - from;
        double invB = 1.0 / b;
        double rowRidge = lambdaH * n * invB; // gradient weight of (Nλ_H/2)‖h_i‖² inside (1/B)Σ
        double ce = 0;
        double h2 = 0;
        for (int t = from; t < to; t++) {
            int i = batch[t];
            int h = offH + i * d;
            ce += sampleTermAccumulate(x, grad, h, labels[i], invB, rowRidge);
            if (rowRidge != 0) {
                h2 += dot(x, h, h, d);
            }
        }
        return ce * invB + 0.5 * rowRidge * h2 + sharedRidge(x, grad);
    }

    /** The fused minibatch step ({@link UfmSgdKernel}); scratch is allocated on first use. */
    @Override
    public double prepareSgdStep(double[] x, double[] velocity, int[] batch, int from, int to, double eta, double mu,
                                 boolean nesterov) {
        checkLength(x, velocity == null ? x : velocity);
        return kernel().prepare(x, velocity, batch, from, to, eta, mu, nesterov);
    }

    private UfmSgdKernel kernel() {
        if (sgdKernel == null) {
            BlockProducts products = null;
            if ((long) n * k * d >= PRODUCTS_MIN_WORK) {
                NativeBlas.startLoading();
                BlockProducts best = BlockProducts.best();
                products = best.isNative() || k != 4 && javaProductsAreVector() ? best : null;
            }
            sgdKernel = new UfmSgdKernel(k, d, n, offH, offB, bias, nonNegative, lambdaW, lambdaH, lambdaB, labels,
                    products, products != null && nclab.linalg.NativeKernels.available());
        }
        return sgdKernel;
    }

    /**
     * Whether the Java side of {@link BlockProducts} is the Vector API tiles: then, without a native BLAS, the
     * full-batch pass of K ≠ 4 classes goes through them too (measured: 1.4–2.7× faster than the blocked Java pass
     * at K = 3…100, docs/linalg.md); K = 4 keeps {@link nclab.linalg.FourClassKernels}.
     */
    static boolean javaProductsAreVector() {
        return nclab.linalg.ProductKernels.best() != nclab.linalg.ProductKernels.scalar();
    }

    /** Whether the fused full-batch step runs on {@link nclab.linalg.NativeKernels} (for tests). */
    boolean fullBatchStepsNatively() {
        return kernel().stepsNatively();
    }

    /** Whether the last full-batch step on the native kernels read H once (tests). */
    boolean lastFullStepWasOnePass() {
        return kernel().lastStepWasOnePass();
    }

    /** Whether the full-batch pass goes through matrix products (for tests). */
    boolean fullBatchUsesProducts() {
        return kernel().usesProducts();
    }

    @Override
    public boolean preparedStepFinite() {
        return sgdKernel != null && sgdKernel.finite();
    }

    @Override
    public void commitSgdStep(double[] x, double[] velocity) {
        if (sgdKernel == null) {
            throw new IllegalStateException("commitSgdStep without a prepared step");
        }
        sgdKernel.commit(x, velocity);
    }

    /** Clamps H at 0 for the non-negative model (Euclidean projection onto H ≥ 0); no-op otherwise. */
    @Override
    public void project(double[] x) {
        if (nonNegative) {
            for (int j = offH; j < offH + n * d; j++) {
                if (x[j] < 0) {
                    x[j] = 0;
                }
            }
        }
    }

    @Override
    public void projectBatch(double[] x, int[] batch, int from, int to) {
        if (nonNegative) {
            for (int t = from; t < to; t++) {
                int h = offH + batch[t] * d;
                for (int j = h; j < h + d; j++) {
                    if (x[j] < 0) {
                        x[j] = 0;
                    }
                }
            }
        }
    }

    @Override
    public double[] initialPoint(SplittableRandom random) {
        double[] x = new double[layout.size()];
        for (int j = 0; j < offH + n * d; j++) {
            x[j] = initScale * gaussian(random);
        }
        if (nonNegative) {
            for (int j = offH; j < offH + n * d; j++) {
                x[j] = Math.abs(x[j]);
            }
        }
        return x;
    }

    /** Standard normal by Box–Muller from one SplittableRandom (deterministic across JVMs). */
    static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble(); // (0, 1]
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
    }

    /** CE of one sample; fills {@link #z} with the softmax probabilities. */
    private double logits(double[] x, int h, int y) {
        int c4 = 0;
        for (; c4 + 3 < k; c4 += 4) {
            dot4(x, c4, h);
        }
        for (; c4 < k; c4++) {
            z[c4] = dot(x, c4 * d, h, d);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double s = z[c] + (bias ? x[offB + c] : 0.0);
            z[c] = s;
            if (s > max) {
                max = s;
            }
        }
        double zy = z[y];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double e = Math.exp(z[c] - max);
            z[c] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int c = 0; c < k; c++) {
            z[c] *= inv;
        }
        return max + Math.log(sum) - zy;
    }

    /** Σ_j x[a+j]·x[b+j] over j &lt; len, four independent partial sums (fixed order: deterministic). */
    private static double dot(double[] x, int a, int b, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += x[a + j] * x[b + j];
            s1 += x[a + j + 1] * x[b + j + 1];
            s2 += x[a + j + 2] * x[b + j + 2];
            s3 += x[a + j + 3] * x[b + j + 3];
        }
        for (; j < len; j++) {
            s0 += x[a + j] * x[b + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** z[c..c+3] = w_c·h, …, w_{c+3}·h in one pass over h (four independent sums). */
    private void dot4(double[] x, int c, int h) {
        int w0 = c * d;
        int w1 = w0 + d;
        int w2 = w1 + d;
        int w3 = w2 + d;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int j = 0; j < d; j++) {
            double hj = x[h + j];
            s0 += x[w0 + j] * hj;
            s1 += x[w1 + j] * hj;
            s2 += x[w2 + j] * hj;
            s3 += x[w3 + j] * hj;
        }
        z[c] = s0;
        z[c + 1] = s1;
        z[c + 2] = s2;
        z[c + 3] = s3;
    }

    /** dst[o+j] += g·src[s+j] for j &lt; len (dst ≠ src: vectorisable). */
    private static void axpy(double g, double[] src, int s, double[] dst, int o, int len) {
        for (int j = 0; j < len; j++) {
            dst[o + j] += g * src[s + j];
        }
    }

    /** CE of one sample; adds g h_iᵀ to ∇W (and g to ∇b) and SETS ∇h_i = Wᵀg + ridge·h_i. */
    private double sampleTerm(double[] x, double[] grad, int h, int y, double scale, double ridge) {
        double ce = logits(x, h, y);
        for (int j = 0; j < d; j++) {
            grad[h + j] = ridge * x[h + j];
        }
        addSampleGradient(x, grad, h, y, scale);
        return ce;
    }

    /** As {@link #sampleTerm} but ADDS to ∇h_i (duplicated batch entries accumulate). */
    private double sampleTermAccumulate(double[] x, double[] grad, int h, int y, double scale, double ridge) {
        double ce = logits(x, h, y);
        if (ridge != 0) {
            axpy(ridge, x, h, grad, h, d);
        }
        addSampleGradient(x, grad, h, y, scale);
        return ce;
    }

    private void addSampleGradient(double[] x, double[] grad, int h, int y, double scale) {
        for (int c = 0; c < k; c++) {
            double g = (c == y ? z[c] - 1.0 : z[c]) * scale;
            z[c] = g; // z now holds g_i
            axpy(g, x, h, grad, c * d, d); // ∇w_c += g_c h_i
            if (bias) {
                grad[offB + c] += g;
            }
        }
        int c = 0;
        for (; c + 3 < k; c += 4) { // ∇h_i += Σ_c g_c w_c, four classes per pass
            int w0 = c * d;
            int w1 = w0 + d;
            int w2 = w1 + d;
            int w3 = w2 + d;
            double g0 = z[c];
            double g1 = z[c + 1];
            double g2 = z[c + 2];
            double g3 = z[c + 3];
            for (int j = 0; j < d; j++) {
                grad[h + j] += g0 * x[w0 + j] + g1 * x[w1 + j] + g2 * x[w2 + j] + g3 * x[w3 + j];
            }
        }
        for (; c < k; c++) {
            axpy(z[c], x, c * d, grad, h, d);
        }
    }

    /** Adds λ_W W and λ_b b to the gradient; returns (λ_W/2)‖W‖² + (λ_b/2)‖b‖² (nothing to do when both are 0). */
    private double sharedRidge(double[] x, double[] grad) {
        double r = 0;
        if (lambdaW != 0) {
            axpy(lambdaW, x, 0, grad, 0, k * d);
            r += 0.5 * lambdaW * dot(x, 0, 0, k * d);
        }
        if (bias && lambdaB != 0) {
            axpy(lambdaB, x, offB, grad, offB, k);
            r += 0.5 * lambdaB * dot(x, offB, offB, k);
        }
        return r;
    }

    private void checkLength(double[] x, double[] grad) {
        if (x.length != layout.size() || grad.length != layout.size()) {
            throw new IllegalArgumentException("UFM parameter vectors need length " + layout.size() + ", got "
                    + x.length + " and " + grad.length);
        }
    }
}
