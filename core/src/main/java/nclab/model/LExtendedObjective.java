package nclab.model;

import java.util.SplittableRandom;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.theory.TheoryParameters;

/**
 * The L-extended unconstrained feature model with MSE loss, with or without a bias (seed 004, Liu, arXiv
 * 2411.17278, Definition 3.1, eq. (4.3); its bias-free variant is App. C; spec 004-l-extended-bias.md §1):
 * <pre>
 *   f(W_L..W_1, H, b) = 1/(2N)·‖W_L⋯W_1·Hᵀ + b·1_Nᵀ − Y‖_F² + Σ_j (λ_{W_j}/2)‖W_j‖_F² + (λ_H/2)‖H‖_F²
 * </pre>
 * with one-hot targets Y (K×N), λ_b = 0 (the paper's setting: the bias is not regularised). Layout
 * ({@link ParameterLayout}): {@code W1..WL} (W_1..W_{L−1} are d×d, W_L is K×d; W_1 acts first), {@code H} (N×d, one
 * row per sample, samples ordered class by class) and, with a bias, {@code b} (K×1). Gradients (spec §1.5), with
 * R = (A·Hᵀ + b1ᵀ − Y)/N and A = W_L⋯W_1:
 * <pre>
 *   ∂f/∂H = Rᵀ·A + λ_H·H,   ∂f/∂b = R·1_N,   ∂f/∂W_j = (W_L⋯W_{j+1})ᵀ·R·H·(W_{j−1}⋯W_1)ᵀ + λ_{W_j}·W_j.
 * </pre>
 * The global minimum is {@link nclab.theory.LExtendedGeometry#objective()} (Theorem 4.3). Note the Hessian in b
 * is the identity, so plain gradient descent needs a learning rate below 2.
 *
 * <p>Initialisation: i.i.d. N(0, s²) entries with s = {@link #DEFAULT_INIT_STD_TIMES_SQRT_D}/√d and b = 0. For L ≥ 2
 * zero is a local minimum and small starts stop at spurious minima (pitfalls.md: s·√d ≥ 1.5 was needed).
 *
 * <p>Minibatches ({@link #batchValueAndGradient}): per-sample terms φ_i = ½‖A h_i + b − y_i‖² + (Nλ_H/2)‖h_i‖², so
 * f_𝔅 = (1/B) Σ_{i∈𝔅} φ_i + Σ_j (λ_{W_j}/2)‖W_j‖² is unbiased; {@code samples}, {@code sampleOffset},
 * {@code sampleWidth}, {@code sharedRanges} and {@code batchValueAndGradient} follow the solver engine's minibatch
 * contract.
 *
 * <p>Not thread-safe: {@link #valueAndGradient} and {@link #batchValueAndGradient} use workspaces allocated once by
 * the constructor (no allocation per call). Use one instance per thread.
 */
public final class LExtendedObjective extends LayerChainObjective {
    /** Default initial standard deviation times √d (pitfalls.md: ≥ 1.5 reaches the global minimum). */
    public static final double DEFAULT_INIT_STD_TIMES_SQRT_D = 1.6;

    private final double lambdaH;
    private final boolean bias;
    private final LinearChain chain;
    private final double[] residual;
    private final double[] dA;

    /** L layers sharing one λ_W (the paper's experiments and {@link nclab.theory.TheoryParameters}). */
    public LExtendedObjective(ClassSizes sizes, int d, int layers, double lambdaW, double lambdaH, boolean bias) {
        this(sizes, d, uniform(layers, lambdaW), lambdaH, bias);
    }

    /**
     * One λ_{W_j} per layer (index 0 = W_1, next to the features; L = lambdaW.length).
     *
     * @throws InvalidInputException when L &lt; 1, a λ is not a finite number &gt; 0, or d &lt; K − 1 (with a bias the
     *                               target has rank K − 1) / d &lt; K (bias-free, rank K): Theorem 4.3 assumes no rank cap
     */
    public LExtendedObjective(ClassSizes sizes, int d, double[] lambdaW, double lambdaH, boolean bias) {
        super(checked(sizes, d, lambdaW, lambdaH, bias), d, lambdaW.clone(), lambdaH, bias);
        this.lambdaH = lambdaH;
        this.bias = bias;
        this.chain = new LinearChain(k, d, layerOffset);
        this.residual = new double[n * k];
        this.dA = new double[k * d];
    }

    /** Validates the constructor arguments (before the superclass uses them); returns {@code sizes}. */
    private static ClassSizes checked(ClassSizes sizes, int d, double[] lambdaW, double lambdaH, boolean bias) {
        InvalidInputException.require(sizes != null, "class sizes are required");
        InvalidInputException.require(lambdaW != null && lambdaW.length >= 1,
                "number of layers L must be >= 1, got L = " + (lambdaW == null ? 0 : lambdaW.length));
        int layers = lambdaW.length;
        for (int j = 0; j < layers; j++) {
            InvalidInputException.requirePositive(layers == 1 ? "lambda_W" : "lambda_W" + (j + 1), lambdaW[j]);
        }
        InvalidInputException.requirePositive("lambda_H", lambdaH);
        int k = sizes.k();
        int minWidth = bias ? k - 1 : k;
        InvalidInputException.require(d >= minWidth, "feature dimension d must be >= " + (bias ? "K-1 = " : "K = ")
                + minWidth + " for the lext model" + (bias ? "" : " without bias") + ", got d = " + d);
        return sizes;
    }

    /**
     * The objective for {@code nclab theory lext}'s parameters, as {@link nclab.theory.LExtendedGeometry#predict}: L =
     * {@code --layers} (default 1), one λ_W = {@code --lambda-w} for every layer, λ_H = {@code --lambda-h},
     * {@code --bias}.
     */
    public static LExtendedObjective of(TheoryParameters p, int d) {
        return new LExtendedObjective(p.sizes(), d, p.layersOr(1), p.requireLambdaW(), p.requireLambdaH(), p.bias());
    }

    @Override
    public String model() {
        return "lext";
    }

    public double[] lambdaW() {
        return layerLambda.clone();
    }

    public double lambdaH() {
        return lambdaH;
    }

    public boolean bias() {
        return bias;
    }

    /** f(x) without the gradient (no allocation). */
    @Override
    public double value(double[] x) {
        ModelKernels.requireLength(x, layout.size(), "x");
        double value = fit(x, x, hOffset, n, label);
        for (int j = 0; j < layerLambda.length; j++) {
            value += 0.5 * layerLambda[j] * ModelKernels.squaredNorm(x, layerOffset[j], layerRows(j) * d);
        }
        return value + 0.5 * lambdaH * ModelKernels.squaredNorm(x, hOffset, n * d);
    }

    /**
     * The MSE term 1/(2m) Σ_i ‖A h_i + b − y_i‖² over the m feature rows hs[hOff..] with labels lab; leaves
     * R = (A h_i + b − y_i)/m (m×K, row per sample) in {@code residual}.
     */
    @Override
    double fit(double[] x, double[] hs, int hOff, int m, int[] lab) {
        double[] a = chain.product(x);
        ModelKernels.multiplyTransB(hs, hOff, m, d, a, 0, k, residual, 0);
        double fit = 0;
        double inv = 1.0 / m;
        for (int i = 0; i < m; i++) {
            int o = i * k;
            for (int c = 0; c < k; c++) {
                double r = residual[o + c] + (bias ? x[bOffset + c] : 0) - (lab[i] == c ? 1 : 0);
                fit += r * r;
                residual[o + c] = r * inv;
            }
        }
        return 0.5 * inv * fit;
    }

    /**
     * For the last {@link #fit}: overwrites the W blocks and b of {@code grad} and writes ∂/∂h (without the
     * ridge) into gH[gHOff..] (m×d).
     */
    @Override
    void backward(double[] x, double[] hs, int hOff, int m, double[] grad, double[] gH, int gHOff) {
        if (bias) {
            // ∂f/∂b = R·1
            for (int c = 0; c < k; c++) {
                grad[bOffset + c] = 0;
            }
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < k; c++) {
                    grad[bOffset + c] += residual[i * k + c];
                }
            }
        }
        double[] a = chain.lastProduct();
        // ∂f/∂H = R·A (m×d), ∂f/∂A = Rᵀ·H (K×d)
        ModelKernels.multiply(residual, 0, m, k, a, 0, d, gH, gHOff);
        ModelKernels.multiplyTransA(residual, 0, m, k, hs, hOff, d, dA, 0);
        chain.backward(x, dA, grad);
    }

    /** {@link #initialPoint(SplittableRandom, double)} with s = {@link #DEFAULT_INIT_STD_TIMES_SQRT_D}/√d. */
    @Override
    public double[] initialPoint(SplittableRandom random) {
        return initialPoint(random, DEFAULT_INIT_STD_TIMES_SQRT_D / Math.sqrt(d));
    }

    /** Every W_j and H entry i.i.d. N(0, std²), b = 0. */
    public double[] initialPoint(SplittableRandom random, double std) {
        InvalidInputException.requirePositive("init std", std);
        double[] x = new double[layout.size()];
        ModelKernels.gaussian(random, x, 0, hOffset + n * d, std);
        return x;
    }

    /** End-to-end classifier A = W_L⋯W_1 (K×d) at x. */
    public double[][] product(double[] x) {
        ModelKernels.requireLength(x, layout.size(), "x");
        double[] a = chain.product(x);
        double[][] m = new double[k][d];
        for (int i = 0; i < k; i++) {
            System.arraycopy(a, i * d, m[i], 0, d);
        }
        return m;
    }
}
