package nclab.theory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

/**
 * Predicted global-minimiser geometry of the L-extended unconstrained feature model with MSE loss, with
 * or without a bias (seed 004, Liu, "The Exploration of Neural Collapse under Imbalanced Data",
 * arXiv 2411.17278, Definition 3.1, eq. (4.3), Theorems 4.1–4.4):
 * <pre>
 *   f(W_L..W_1, H, b) = 1/(2N)·‖W_L⋯W_1·H + b·1_Nᵀ − Y‖_F² + Σ_j (λ_{W_j}/2)‖W_j‖_F² + (λ_H/2)‖H‖_F²
 * </pre>
 * (λ_b = 0; the bias-free model drops b). Every global minimiser has collapsed classes (h_{k,i} = h̄_k),
 * and with a bias b* = n/N and h_G = Σ_k n_k h̄_k / N = 0. Write A = W_L⋯W_1, E = H̄·D with
 * D = diag(√n), and let Ŷ = U·diag(κ)·Vᵀ be the target of {@link LExtendedTarget} (centred
 * (I − n1ᵀ/N)·D with a bias, D itself without). Per direction k (Theorem 4.3, eq. (B.13) and Lemma A.2):
 * <pre>
 *   c    = λ_{W_1}^{L−1} / (λ_{W_2}⋯λ_{W_L})
 *   a_k  = L·N·(N·λ_{W_1}⋯λ_{W_L}·λ_H)^{1/L} / κ_k²        (+∞ when κ_k = 0)
 *   x_k  = argmin_{x≥0} 1/(x^L+1) + a_k·x                     ({@link LemmaA2}; 0 iff a_k ≥ a*_L)
 *   σ_k² = (N·λ_H/c)^{1/L}·x_k                                (singular values of W_1)
 *   sv_k(W_j) = √(λ_{W_1}/λ_{W_j})·σ_k,  sv_k(A) = √c·σ_k^L,  sv_k(E) = √(λ_{W_1}/λ_H)·σ_k,
 *   sv_k(A·E) = κ_k·x_k^L/(1 + x_k^L),
 *   f* = Σ_k (κ_k²/(2N))·[1/(1 + x_k^L) + a_k·x_k].
 * </pre>
 * Direction k survives iff L²·N·(N·Πλ)^{1/L} &lt; κ_k²·(L−1)^{(L−1)/L}, i.e. iff κ_k exceeds
 * {@link #thresholdSingularValue()} (for L = 1 this is τ = N√(λ_Wλ_H) of Theorems 4.1/4.2; the paper's
 * sentence after Theorem 4.3 has the sign reversed). At equality this class collapses the direction.
 * In matrix form A·Aᵀ = U·diag(sv(A)²)·Uᵀ, EᵀE = V·diag(sv(E)²)·Vᵀ and A·E = U·diag(sv(A·E))·Vᵀ.
 *
 * <p>{@link #geometry()} is at the model's absolute scale: classifierGram = rows of the end-to-end
 * classifier A (A·Aᵀ), meanGram = H̄ᵀH̄ = D⁻¹EᵀE·D⁻¹ (class means of the last-layer input features H),
 * logits[i][j] = a_iᵀh̄_j (A·H̄, <b>without</b> the bias, as {@link ClassGeometry} defines logits). The
 * network outputs at the class means, A·H̄ + b*1ᵀ, are in the detail {@code classMeanOutputs}.
 *
 * <p>Assumptions: all hidden widths d_0..d_{L−1} ≥ K (no rank cap), λ_b = 0. With a single λ_W for all
 * layers (the {@link TheoryParameters} route) c = 1.
 *
 * @param sizes   class sizes n_1..n_K
 * @param layers  number of linear layers L ≥ 1
 * @param lambdaW λ_{W_1}..λ_{W_L}, one per layer (index 0 = first layer W_1, next to the features)
 * @param lambdaH λ_H
 * @param bias    whether the model has the bias b
 * @param target  the SVD of the model's target ({@link LExtendedTarget#of(ClassSizes, boolean)})
 */
public record LExtendedGeometry(ClassSizes sizes, int layers, double[] lambdaW, double lambdaH, boolean bias,
                                LExtendedTarget target) implements GeometryPrediction {

    public LExtendedGeometry {
        InvalidInputException.require(sizes != null, "class sizes are required");
        requireLayers(layers);
        InvalidInputException.require(lambdaW != null && lambdaW.length == layers,
                "need one lambda_W per layer: L = " + layers + " but " + (lambdaW == null ? 0 : lambdaW.length) + " given");
        lambdaW = lambdaW.clone();
        for (int j = 0; j < layers; j++) {
            InvalidInputException.requirePositive(layers == 1 ? "lambda_W" : "lambda_W" + (j + 1), lambdaW[j]);
        }
        InvalidInputException.requirePositive("lambda_H", lambdaH);
        InvalidInputException.require(target != null && target.k() == sizes.k() && target.centred() == bias,
                "target does not belong to these class sizes and bias setting");
    }

    /** The CLI route: L = {@code --layers} (default 1), one λ_W for every layer, λ_H, {@code --bias}. */
    public static LExtendedGeometry predict(TheoryParameters p) {
        int layers = p.layersOr(1);
        return of(p.sizes(), layers, p.requireLambdaW(), p.requireLambdaH(), p.bias());
    }

    /** L layers sharing one λ_W (so c = 1). */
    public static LExtendedGeometry of(ClassSizes sizes, int layers, double lambdaW, double lambdaH, boolean bias) {
        requireLayers(layers);
        double[] lw = new double[layers];
        Arrays.fill(lw, lambdaW);
        return of(sizes, lw, lambdaH, bias);
    }

    /** One λ_{W_j} per layer (L = lambdaW.length; index 0 is W_1). */
    public static LExtendedGeometry of(ClassSizes sizes, double[] lambdaW, double lambdaH, boolean bias) {
        InvalidInputException.require(sizes != null, "class sizes are required");
        InvalidInputException.require(lambdaW != null && lambdaW.length >= 1,
                "need one lambda_W per layer, got none (L must be >= 1)");
        return new LExtendedGeometry(sizes, lambdaW.length, lambdaW, lambdaH, bias, LExtendedTarget.of(sizes, bias));
    }

    private static void requireLayers(int layers) {
        InvalidInputException.require(layers >= 1, "number of layers L must be >= 1, got L = " + layers);
    }

    @Override
    public String model() {
        return "lext";
    }

    @Override
    public double[] lambdaW() {
        return lambdaW.clone();
    }

    private int k() {
        return sizes.k();
    }

    private double n() {
        return sizes.total();
    }

    /** κ: singular values of the target (Ŷ with a bias, √n in class order without). */
    public double[] singularValues() {
        return target.kappa();
    }

    /** c = λ_{W_1}^{L−1}/(λ_{W_2}⋯λ_{W_L}); 1 when all λ_{W_j} are equal. */
    public double c() {
        double c = 1;
        for (int j = 1; j < layers; j++) {
            c *= lambdaW[0] / lambdaW[j];
        }
        return c;
    }

    /** (N·λ_{W_1}⋯λ_{W_L}·λ_H)^{1/L}. */
    private double scaledProductRoot() {
        double log = Math.log(n()) + Math.log(lambdaH);
        for (double l : lambdaW) {
            log += Math.log(l);
        }
        return Math.exp(log / layers);
    }

    /** a_k = L·N·(N·Πλ)^{1/L}/κ_k² (+∞ for κ_k = 0). */
    public double[] a() {
        double[] kappa = target.kappa();
        double num = layers * n() * scaledProductRoot();
        double[] a = new double[kappa.length];
        for (int k = 0; k < a.length; k++) {
            a[k] = kappa[k] > 0 ? num / (kappa[k] * kappa[k]) : Double.POSITIVE_INFINITY;
        }
        return a;
    }

    /** a*_L of Lemma A.2. */
    public double aStar() {
        return LemmaA2.threshold(layers);
    }

    /** x_k = argmin 1/(x^L+1) + a_k·x. */
    public double[] x() {
        return Arrays.stream(a()).map(a -> LemmaA2.minimizer(a, layers)).toArray();
    }

    /**
     * κ_crit = √(L²·N·(N·Πλ)^{1/L}/(L−1)^{(L−1)/L}): direction k survives iff κ_k &gt; κ_crit
     * (L = 1: κ_crit = N√(λ_Wλ_H)).
     */
    public double thresholdSingularValue() {
        return Math.sqrt(layers * n() * scaledProductRoot() / aStar());
    }

    /**
     * Per direction, the factor s_c by which all L+1 regularisation strengths may be multiplied before
     * direction k collapses: s_c = (a*_L/a_k)^{L/(L+1)} (0 for κ_k = 0). Direction k is active iff
     * s_c &gt; 1.
     */
    public double[] criticalScales() {
        double aStar = aStar();
        return Arrays.stream(a()).map(a -> Double.isInfinite(a) ? 0.0 : Math.pow(aStar / a, layers / (layers + 1.0)))
                .toArray();
    }

    /** Directions (0-based, in the order of {@link #singularValues()}) with x_k &gt; 0. */
    public int[] activeDirections() {
        double[] x = x();
        return IntStream.range(0, x.length).filter(k -> x[k] > 0).toArray();
    }

    /** Directions with x_k = 0: row k of UᵀA and column k of H̄DV vanish. */
    public int[] collapsedDirections() {
        double[] x = x();
        return IntStream.range(0, x.length).filter(k -> x[k] == 0).toArray();
    }

    /** σ_k² = (N·λ_H/c)^{1/L}·x_k: squared singular values of W_1. */
    public double[] sigmaSquared() {
        double scale = Math.pow(n() * lambdaH / c(), 1.0 / layers);
        return Arrays.stream(x()).map(x -> scale * x).toArray();
    }

    /** Singular values of W_j (1-based j = 1..L): √(λ_{W_1}/λ_{W_j})·σ_k. */
    public double[] layerSingularValues(int j) {
        InvalidInputException.require(j >= 1 && j <= layers, "layer index must be in 1.." + layers + ", got " + j);
        double f = Math.sqrt(lambdaW[0] / lambdaW[j - 1]);
        return Arrays.stream(sigmaSquared()).map(s2 -> f * Math.sqrt(s2)).toArray();
    }

    /** Singular values of the end-to-end classifier A = W_L⋯W_1: √c·σ_k^L. */
    public double[] productSingularValues() {
        double sc = Math.sqrt(c());
        return Arrays.stream(sigmaSquared()).map(s2 -> sc * Math.pow(s2, layers / 2.0)).toArray();
    }

    /** Singular values of E = H̄·D: √(λ_{W_1}/λ_H)·σ_k. */
    public double[] featureSingularValues() {
        double f = Math.sqrt(lambdaW[0] / lambdaH);
        return Arrays.stream(sigmaSquared()).map(s2 -> f * Math.sqrt(s2)).toArray();
    }

    /** Singular values of A·E = A·H̄·D: κ_k·x_k^L/(1 + x_k^L). */
    public double[] outputSingularValues() {
        double[] kappa = target.kappa();
        double[] x = x();
        double[] s = new double[x.length];
        for (int k = 0; k < s.length; k++) {
            double xl = Math.pow(x[k], layers);
            s[k] = kappa[k] * xl / (1 + xl);
        }
        return s;
    }

    /** Optimal bias b* = n/N (Theorems 4.2/4.3); all zeros for the bias-free model. */
    public double[] optimalBias() {
        return bias ? sizes.fractions() : new double[k()];
    }

    /** f* = Σ_k (κ_k²/(2N))·[1/(1 + x_k^L) + a_k·x_k], the global minimum of (4.3) (or its bias-free form). */
    public double objective() {
        double[] kappa = target.kappa();
        double[] a = a();
        double[] x = x();
        double f = 0;
        for (int k = 0; k < kappa.length; k++) {
            if (kappa[k] > 0) {
                f += kappa[k] * kappa[k] / (2 * n()) * LemmaA2.value(x[k], a[k], layers);
            }
        }
        return f;
    }

    /** D⁻¹ applied on the right: M·D⁻¹. */
    private double[][] timesInverseD(double[][] m) {
        double[][] r = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            r[i] = new double[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                r[i][j] = m[i][j] / Math.sqrt(sizes.count(j));
            }
        }
        return r;
    }

    private static double[] squared(double[] s) {
        return Arrays.stream(s).map(v -> v * v).toArray();
    }

    /** A·H̄ (K×K): [i][j] = a_iᵀh̄_j = U·diag(sv(A·E))·Vᵀ·D⁻¹. */
    public double[][] classMeanLogits() {
        return timesInverseD(target.compose(outputSingularValues()));
    }

    /** Network outputs at the class means, A·H̄ + b*·1ᵀ: column j is the output for class j. */
    public double[][] classMeanOutputs() {
        double[][] z = classMeanLogits();
        double[] b = optimalBias();
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z.length; j++) {
                z[i][j] += b[i];
            }
        }
        return z;
    }

    /** argmax_i of each column of {@link #classMeanOutputs()} (ties → smallest index). */
    public int[] predictedLabels() {
        double[][] z = classMeanOutputs();
        int[] label = new int[z.length];
        for (int j = 0; j < z.length; j++) {
            int best = 0;
            for (int i = 1; i < z.length; i++) {
                if (z[i][j] > z[best][j]) {
                    best = i;
                }
            }
            label[j] = best;
        }
        return label;
    }

    /** Fraction of training samples classified correctly at the optimum (every sample sits on its class mean). */
    public double trainingAccuracy() {
        int[] label = predictedLabels();
        long correct = 0;
        for (int j = 0; j < label.length; j++) {
            if (label[j] == j) {
                correct += sizes.count(j);
            }
        }
        return correct / n();
    }

    /** Theorem 4.4: κ of the centred target for the grouped class sizes. */
    public GroupedTargetSpectrum theorem44() {
        return GroupedTargetSpectrum.of(sizes);
    }

    @Override
    public ClassGeometry geometry() {
        double[][] classifierGram = target.gram(true, squared(productSingularValues()));
        double[][] eGram = target.gram(false, squared(featureSingularValues()));
        double[][] meanGram = new double[k()][k()];
        for (int i = 0; i < k(); i++) {
            for (int j = 0; j < k(); j++) {
                meanGram[i][j] = eGram[i][j] / Math.sqrt((double) sizes.count(i) * sizes.count(j));
            }
        }
        return new ClassGeometry(classifierGram, meanGram, classMeanLogits());
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("layers", layers);
        d.put("lambdaW", lambdaW.clone());
        d.put("lambdaH", lambdaH);
        d.put("withBias", bias);
        d.put("target", bias ? "centred (I - n1^T/N)D" : "uncentred D = diag(sqrt n)");
        d.put("singularValues", singularValues());
        d.put("c", c());
        // a_k = +∞ where κ_k = 0; JSON has no infinity, so the detail writes NaN (null) there
        d.put("a", Arrays.stream(a()).map(v -> Double.isInfinite(v) ? Double.NaN : v).toArray());
        d.put("x", x());
        Map<String, Object> thresholds = new LinkedHashMap<>();
        thresholds.put("singularValue", thresholdSingularValue());
        thresholds.put("aStar", aStar());
        thresholds.put("criticalScales", criticalScales());
        d.put("thresholds", thresholds);
        d.put("activeDirections", activeDirections());
        d.put("collapsedDirections", collapsedDirections());
        d.put("bias", optimalBias());
        d.put("sigmaSquared", sigmaSquared());
        double[][] perLayer = new double[layers][];
        for (int j = 1; j <= layers; j++) {
            perLayer[j - 1] = layerSingularValues(j);
        }
        d.put("layerSingularValues", perLayer);
        d.put("productSingularValues", productSingularValues());
        d.put("featureSingularValues", featureSingularValues());
        d.put("outputSingularValues", outputSingularValues());
        d.put("objective", objective());
        d.put("classMeanOutputs", classMeanOutputs());
        d.put("predictedLabels", predictedLabels());
        d.put("trainingAccuracy", trainingAccuracy());
        d.put("targetU", target.u());
        d.put("targetV", target.v());
        d.put("theorem44", theorem44().toMap());
        d.put("assumptions", "hidden widths >= K (no rank cap); lambda_b = 0; a direction with a_k = a*_L collapses; "
                + "logits = A*Hbar without bias, classMeanOutputs include it; directions are 0-based; "
                + "a is null where kappa_k = 0 (a_k = +infinity, always collapsed)");
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LExtendedGeometry g && sizes.equals(g.sizes) && layers == g.layers
                && Arrays.equals(lambdaW, g.lambdaW) && lambdaH == g.lambdaH && bias == g.bias;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lambdaW) * 31 + Double.hashCode(lambdaH) + (bias ? 1 : 0) + 7 * layers;
    }

    @Override
    public String toString() {
        return "LExtendedGeometry[K=" + k() + ", L=" + layers + ", lambdaW=" + Arrays.toString(lambdaW)
                + ", lambdaH=" + lambdaH + ", bias=" + bias + "]";
    }
}
