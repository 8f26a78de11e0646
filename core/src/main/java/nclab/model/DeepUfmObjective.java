package nclab.model;

import java.util.Locale;
import java.util.SplittableRandom;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.theory.DeepUfmGeometry;
import nclab.theory.TheoryParameters;

/**
 * The deep unconstrained feature model with cross-entropy (Garrod, Keating, "The Persistence of Neural Collapse
 * Despite Low-Rank Bias", seed 002, Eqs. (1)–(2); spec 002-deep-ufm-lowrank.md §1.2):
 * <pre>
 *   𝓛(H_1, W_1..W_L) = (1/N) Σ_i CE(z_i, y_i) + (λ/2) Σ_{l=1..L} ‖W_l‖_F² + (λ/2) ‖H_1‖_F²
 * </pre>
 * one λ on every factor, no biases. Linear model: Z = W_L⋯W_1·H_1. ReLU model: H_2 = W_1·H_1, H̃_l = σ(H_l)
 * and H_{l+1} = W_l·H̃_l for 2 ≤ l ≤ L−1, Z = W_L·H̃_L (H_1 itself is not passed through ReLU). Layout
 * ({@link ParameterLayout}): {@code W1..WL} (W_1..W_{L−1} are d×d, W_L is K×d) and {@code H} (N×d, one row per
 * sample, i.e. the columns of H_1; samples ordered class by class). Any width d ≥ 1 is accepted; Lemma 1 and the
 * closed forms of {@link nclab.theory.DeepUfmGeometry} need d ≥ K.
 *
 * <p>Gradients (spec §1.3): with G = (P − Y)/N (P the column-wise softmax), ∂𝓛/∂W_l = A_{l+1}ᵀ·G·H̃_lᵀ + λW_l,
 * back-propagated through the ReLU masks 1[H_l &gt; 0]. The linear model uses the K×d chain
 * ({@link LinearChain}); the ReLU model keeps the N×d activations of every layer.
 *
 * <p>Initialisation (spec §7.3, "torch-like", the paper gives none): W_l entries U(−1/√d, 1/√d), H entries N(0, 1),
 * both times a scale (default 1).
 *
 * <p>Minibatches ({@link #batchValueAndGradient}): per-sample terms φ_i = CE_i + (Nλ/2)‖h_i‖², so
 * f_𝔅 = (1/B) Σ_{i∈𝔅} φ_i + (λ/2) Σ_l ‖W_l‖² is unbiased; the methods {@code samples}, {@code sampleOffset},
 * {@code sampleWidth}, {@code sharedRanges} and {@code batchValueAndGradient} follow the solver engine's
 * minibatch contract.
 *
 * <p>Not thread-safe: {@link #valueAndGradient} and {@link #batchValueAndGradient} use workspaces allocated once by
 * the constructor (no allocation per call). Use one instance per thread.
 */
public final class DeepUfmObjective extends LayerChainObjective {
    /** Non-linearity between the layers. */
    public enum Activation {
        LINEAR, RELU;

        /** Parses {@code linear} or {@code relu} (case-insensitive). */
        public static Activation parse(String s) {
            InvalidInputException.require(s != null, "activation is required (linear or relu)");
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "linear" -> LINEAR;
                case "relu" -> RELU;
                default -> throw new InvalidInputException("activation must be linear or relu, got '" + s + "'");
            };
        }
    }

    private final int layers;
    private final double lambda;
    private final double initScale;
    private final Activation activation;
    private final boolean chainPath;
    private final double[] logits;
    // linear (chain) path
    private final LinearChain chain;
    private final double[] dA;
    // layered path: act[l] = H̃_{l+2}, pre-activations kept for the ReLU mask, l = 0..L−2
    private final double[][] act;
    private final double[] deltaA;
    private final double[] deltaB;

    /**
     * @throws InvalidInputException when d &lt; 1, L &lt; 1, λ is not a finite number &gt; 0 or the activation is null
     */
    public DeepUfmObjective(ClassSizes sizes, int d, int layers, double lambda, Activation activation) {
        this(sizes, d, layers, lambda, activation, activation == Activation.LINEAR, 1);
    }

    /**
     * The same with the scale of {@link #initialPoint(SplittableRandom)} (default 1; the paper gives no
     * initialisation, and outcomes of the ReLU model depend on it, spec §7.3).
     *
     * @throws InvalidInputException also when the scale is not a finite number &gt; 0
     */
    public DeepUfmObjective(ClassSizes sizes, int d, int layers, double lambda, Activation activation, double initScale) {
        this(sizes, d, layers, lambda, activation, activation == Activation.LINEAR, initScale);
    }

    /** {@code chainPath = false} forces the layer-by-layer pass for the linear model (tests compare both). */
    DeepUfmObjective(ClassSizes sizes, int d, int layers, double lambda, Activation activation, boolean chainPath) {
        this(sizes, d, layers, lambda, activation, chainPath, 1);
    }

    private DeepUfmObjective(ClassSizes sizes, int d, int layers, double lambda, Activation activation, boolean chainPath,
                             double initScale) {
        super(checked(sizes, d, layers, lambda, activation, chainPath), d, uniform(layers, lambda), lambda, false);
        InvalidInputException.requirePositive("init scale", initScale);
        this.initScale = initScale;
        this.layers = layers;
        this.lambda = lambda;
        this.activation = activation;
        this.chainPath = chainPath;
        this.logits = new double[n * k];
        if (chainPath) {
            this.chain = new LinearChain(k, d, layerOffset);
            this.dA = new double[k * d];
            this.act = null;
            this.deltaA = null;
            this.deltaB = null;
        } else {
            this.chain = null;
            this.dA = null;
            this.act = new double[layers - 1][n * d];
            this.deltaA = new double[n * d];
            this.deltaB = new double[n * d];
        }
    }

    /** Validates the constructor arguments (before the superclass uses them); returns {@code sizes}. */
    private static ClassSizes checked(ClassSizes sizes, int d, int layers, double lambda, Activation activation,
                                      boolean chainPath) {
        InvalidInputException.require(sizes != null, "class sizes are required");
        InvalidInputException.require(layers >= 1, "number of layers L must be >= 1, got L = " + layers);
        InvalidInputException.require(d >= 1, "feature dimension d must be >= 1, got d = " + d);
        InvalidInputException.requirePositive("lambda", lambda);
        InvalidInputException.require(activation != null, "activation is required (linear or relu)");
        InvalidInputException.require(!chainPath || activation == Activation.LINEAR, "the chain path is linear only");
        return sizes;
    }

    /**
     * The objective for {@code nclab theory deep-ufm}'s parameters: L = {@code --layers} (default
     * {@link DeepUfmGeometry#DEFAULT_LAYERS}), λ = {@code --lambda} (required).
     */
    public static DeepUfmObjective of(TheoryParameters p, int d, Activation activation) {
        return new DeepUfmObjective(p.sizes(), d, p.layersOr(DeepUfmGeometry.DEFAULT_LAYERS), p.requireLambda(), activation);
    }

    @Override
    public String model() {
        return "deep-ufm";
    }

    public double lambda() {
        return lambda;
    }

    public Activation activation() {
        return activation;
    }

    /** 𝓛(x) by the forward pass alone (no gradient, no allocation). */
    @Override
    public double value(double[] x) {
        ModelKernels.requireLength(x, layout.size(), "x");
        double reg = ModelKernels.squaredNorm(x, 0, layout.size());
        return fit(x, x, hOffset, n, label) + 0.5 * lambda * reg;
    }

    /**
     * Mean cross-entropy (1/m) Σ CE over the m feature rows hs[hOff..] with labels lab; leaves G = (P − Y)/m in
     * {@code logits} and, on the layered path, the activations in {@code act} (on the chain path, A in the chain).
     */
    @Override
    double fit(double[] x, double[] hs, int hOff, int m, int[] lab) {
        if (chainPath) {
            double[] a = chain.product(x);
            ModelKernels.multiplyTransB(hs, hOff, m, d, a, 0, k, logits, 0);
        } else {
            boolean relu = activation == Activation.RELU;
            // act[j] = σ(input_j · W_{j+1}ᵀ), j = 0..L−2 (m×d); ReLU zeros mark the mask
            for (int j = 0; j < layers - 1; j++) {
                double[] out = act[j];
                ModelKernels.multiplyTransB(j == 0 ? hs : act[j - 1], j == 0 ? hOff : 0, m, d, x, layerOffset[j], d, out, 0);
                if (relu) {
                    for (int t = 0; t < m * d; t++) {
                        if (out[t] <= 0) {
                            out[t] = 0;
                        }
                    }
                }
            }
            int top = layers - 1;
            ModelKernels.multiplyTransB(top == 0 ? hs : act[top - 1], top == 0 ? hOff : 0, m, d, x, layerOffset[top], k,
                    logits, 0);
        }
        return ModelKernels.crossEntropyInPlace(logits, m, k, lab, null, 1.0 / m) / m;
    }

    /**
     * Back-propagates G (in {@code logits}) for the m rows of the last {@link #fit}: overwrites the W blocks of
     * {@code grad} and writes ∂/∂h (without the ridge) into gH[gHOff..] (m×d).
     */
    @Override
    void backward(double[] x, double[] hs, int hOff, int m, double[] grad, double[] gH, int gHOff) {
        if (chainPath) {
            double[] a = chain.lastProduct();
            ModelKernels.multiply(logits, 0, m, k, a, 0, d, gH, gHOff);
            ModelKernels.multiplyTransA(logits, 0, m, k, hs, hOff, d, dA, 0);
            chain.backward(x, dA, grad);
            return;
        }
        boolean relu = activation == Activation.RELU;
        int top = layers - 1;
        // ∂W_L = Gᵀ·input_L, δ = G·W_L
        ModelKernels.multiplyTransA(logits, 0, m, k, top == 0 ? hs : act[top - 1], top == 0 ? hOff : 0, d, grad,
                layerOffset[top]);
        if (top == 0) {
            ModelKernels.multiply(logits, 0, m, k, x, layerOffset[0], d, gH, gHOff);
            return;
        }
        double[] delta = deltaA;
        ModelKernels.multiply(logits, 0, m, k, x, layerOffset[top], d, delta, 0);
        for (int j = top - 1; j >= 0; j--) {
            if (relu) {
                double[] out = act[j];
                for (int t = 0; t < m * d; t++) {
                    if (out[t] <= 0) {
                        delta[t] = 0;
                    }
                }
            }
            // ∂W_{j+1} = δᵀ·input_j (d×d)
            ModelKernels.multiplyTransA(delta, 0, m, d, j == 0 ? hs : act[j - 1], j == 0 ? hOff : 0, d, grad,
                    layerOffset[j]);
            if (j == 0) {
                ModelKernels.multiply(delta, 0, m, d, x, layerOffset[0], d, gH, gHOff);
            } else {
                double[] next = delta == deltaA ? deltaB : deltaA;
                ModelKernels.multiply(delta, 0, m, d, x, layerOffset[j], d, next, 0);
                delta = next;
            }
        }
    }

    /** Torch-like start (spec §7.3) at the constructor's scale (default 1). */
    @Override
    public double[] initialPoint(SplittableRandom random) {
        return initialPoint(random, initScale);
    }

    /** W_l entries U(−scale/√d, scale/√d), H entries N(0, scale²). */
    public double[] initialPoint(SplittableRandom random, double scale) {
        InvalidInputException.requirePositive("init scale", scale);
        double[] x = new double[layout.size()];
        ModelKernels.uniform(random, x, 0, hOffset, scale / Math.sqrt(d));
        ModelKernels.gaussian(random, x, hOffset, n * d, scale);
        return x;
    }
}
