package nclab.theory;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

/**
 * Global minimisers of the unconstrained ReLU feature model (UFM₊) with cross-entropy under class
 * imbalance (seed 001: Dang, Tran, Nguyen, Ho, 2024; implementation note {@code 001-relu-ufm.md}).
 *
 * <p>The model (eq. 4) is
 * <pre>
 *   min_{W, H ≥ 0}  (1/N) Σ_k Σ_i CE(W h_{k,i}, e_k) + (λ_W/2)‖W‖_F² + (λ_H/2)‖H‖_F²,
 * </pre>
 * W ∈ R^{K×d} without bias, H ∈ R^{d×N} entrywise non-negative, d ≥ K. Everything below is a closed form
 * in n_1..n_K, N = Σn_k, K and λ_W, λ_H:
 * <ul>
 *   <li><b>eq. 6</b>: M_k = log((K−1)(a_k − 1)) with a_k = √n_k / (N·√((K−1)/K)·√(λ_Wλ_H)), replaced by 0
 *       when that is ≤ 0 or undefined (the square root on λ_Wλ_H follows the proof, eq. 41; the OCR drops
 *       it). M_k &gt; 0 exactly when n_k &gt; C := N²K/(K−1)·λ_Wλ_H.</li>
 *   <li><b>Theorem 1</b>: (a) within-class collapse h_{k,i} = h_k; (b) h_kᵀh_l = 0 for k ≠ l (disjoint
 *       supports, a general orthogonal frame); (c) eq. 9: ‖h_k‖² = √((K−1)/K · (λ_W/λ_H) / n_k) · M_k;
 *       (d) eq. 10: w_k = α(K√n_k h_k − Σ_m √n_m h_m), α = √(λ_H/(λ_W K(K−1))), so Σ_k w_k = 0;
 *       (e) eqs. 11–12: w_kᵀh_k = (K−1)M_k/K, w_mᵀh_k = −M_k/K; eq. 13: margin M_k. Classes with
 *       n_k ≤ C have h_k = 0 and all share the classifier −α Σ_m √n_m h_m.</li>
 *   <li><b>Proposition 1 / Corollary 2</b>: with s_k = √n_k M_k, S = Σs_k and
 *       c_W = √(λ_H/λ_W)/(K√(K(K−1))): ‖w_k‖² = c_W(S + K(K−2)s_k), w_kᵀw_j = c_W(S − Ks_k − Ks_j).</li>
 *   <li><b>Corollary 1</b>: balanced sizes give H̄ᵀH̄ ∝ I and WWᵀ ∝ I − 11ᵀ/K (simplex ETF).</li>
 *   <li><b>Corollary 3</b>, eqs. 15–16: classifier cosines within the majority and minority groups of a
 *       two-size problem.</li>
 *   <li><b>Corollary 4</b>: classes with n_k ≤ C collapse; eq. 17 (minority collapse iff
 *       R = n_A/n_B ≥ ((K−1)/(NKλ_Wλ_H) − K_B)/K_A) and eq. 18 (complete collapse iff
 *       N²/n_max ≥ (K−1)/(Kλ_Wλ_H), optimum W = 0, H = 0, loss log K).</li>
 * </ul>
 * The optimal value is f* = Σ_k (n_k/N) log(1 + (K−1)e^{−M_k}) + λ_H Σ_k n_k‖h_k‖² (using
 * λ_W‖W‖_F² = λ_H‖H‖_F², Lemma 1).
 *
 * <p>The {@link #geometry()} is given at the model's own absolute scale and realised by the explicit
 * minimiser h_k = ‖h_k‖e_k, W from eq. 10 ({@link #classMeans(int)}, {@link #classifier(int)}). Cosines
 * involving a collapsed (zero) class mean are undefined (NaN); this is never an error.
 *
 * @param sizes   class sizes n_1..n_K
 * @param lambdaW ridge strength λ_W &gt; 0 on the classifier
 * @param lambdaH ridge strength λ_H &gt; 0 on the features
 */
public record ReluUfmGeometry(ClassSizes sizes, double lambdaW, double lambdaH) implements GeometryPrediction {
    /** Command-line id of this model. */
    public static final String MODEL = "relu-ufm";

    public ReluUfmGeometry {
        InvalidInputException.require(sizes != null, "class sizes are required");
        InvalidInputException.requirePositive("lambdaW", lambdaW);
        InvalidInputException.requirePositive("lambdaH", lambdaH);
    }

    /** The prediction for a {@code nclab theory relu-ufm} call; needs --lambda-w and --lambda-h. */
    public static GeometryPrediction predict(TheoryParameters p) {
        return of(p.sizes(), p.requireLambdaW(), p.requireLambdaH());
    }

    /** The global-minimiser geometry of UFM₊ for these sizes and regularisation strengths. */
    public static ReluUfmGeometry of(ClassSizes sizes, double lambdaW, double lambdaH) {
        return new ReluUfmGeometry(sizes, lambdaW, lambdaH);
    }

    @Override
    public String model() {
        return MODEL;
    }

    private int k() {
        return sizes.k();
    }

    private double n() {
        return sizes.total();
    }

    /** τ = N·√((K−1)/K)·√(λ_Wλ_H), so that a_k = √n_k/τ (eq. 6). */
    private double tau() {
        int k = k();
        return n() * Math.sqrt((k - 1.0) / k) * Math.sqrt(lambdaW * lambdaH);
    }

    /** M_k of eq. 6 (0 for a collapsed class); also the margin of class k (eq. 13). */
    public double[] m() {
        int k = k();
        double tau = tau();
        double[] m = new double[k];
        for (int c = 0; c < k; c++) {
            double a = Math.sqrt(sizes.count(c)) / tau;
            double mBar = a > 1 ? Math.log((k - 1) * (a - 1)) : Double.NEGATIVE_INFINITY;
            m[c] = mBar > 0 ? mBar : 0.0;
        }
        return m;
    }

    /** ‖h_k‖² of eq. 9 (0 for a collapsed class). */
    public double[] featureNormsSquared() {
        int k = k();
        double[] m = m();
        double[] h2 = new double[k];
        for (int c = 0; c < k; c++) {
            h2[c] = Math.sqrt((k - 1.0) / k * (lambdaW / lambdaH) / sizes.count(c)) * m[c];
        }
        return h2;
    }

    /** α = √(λ_H/(λ_W K(K−1))), the coefficient of eq. 10. */
    public double alpha() {
        int k = k();
        return Math.sqrt(lambdaH / (lambdaW * k * (k - 1.0)));
    }

    /** C = N²K/(K−1)·λ_Wλ_H: class k collapses (h_k = 0) iff n_k ≤ C (Corollary 4). */
    public double collapseSize() {
        int k = k();
        return n() * n() * k / (k - 1.0) * lambdaW * lambdaH;
    }

    /** 0-based indices of the classes whose features collapse to 0 (M_k = 0), ascending. */
    public int[] collapsedClasses() {
        double[] m = m();
        return IntStream.range(0, m.length).filter(c -> m[c] == 0).toArray();
    }

    /** The smallest classes collapse (n_min ≤ C); with balanced sizes this is complete collapse. */
    public boolean minorityCollapse() {
        return collapsedClasses().length > 0;
    }

    /** All classes collapse (eq. 18): the optimum is W = 0, H = 0 with loss log K. */
    public boolean completeCollapse() {
        return collapsedClasses().length == k();
    }

    /** Optimal value f* of eq. 4. */
    public double objective() {
        int k = k();
        double[] m = m();
        double[] h2 = featureNormsSquared();
        double f = 0;
        for (int c = 0; c < k; c++) {
            f += sizes.count(c) / n() * Math.log1p((k - 1) * Math.exp(-m[c])) + lambdaH * sizes.count(c) * h2[c];
        }
        return f;
    }

    /**
     * Explicit global minimiser's class means: row k is h_k = ‖h_k‖·e_k ∈ R^d (Theorem 1b–c); collapsed
     * classes have zero rows. Every sample of class k has feature h_k (Theorem 1a).
     *
     * @param d feature dimension, d ≥ K (the paper's assumption)
     */
    public double[][] classMeans(int d) {
        int k = k();
        InvalidInputException.require(d >= k, "the ReLU UFM needs feature dimension d >= K = " + k + ", got d = " + d);
        double[] h2 = featureNormsSquared();
        double[][] h = new double[k][d];
        for (int c = 0; c < k; c++) {
            h[c][c] = Math.sqrt(h2[c]);
        }
        return h;
    }

    /** Classifier W (K×d) of eq. 10 built from {@link #classMeans(int)}: w_k = α(K√n_k h_k − Σ_m √n_m h_m). */
    public double[][] classifier(int d) {
        int k = k();
        double[][] h = classMeans(d);
        double[] sum = new double[d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                sum[j] += Math.sqrt(sizes.count(c)) * h[c][j];
            }
        }
        double alpha = alpha();
        double[][] w = new double[k][d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                w[c][j] = alpha * (k * Math.sqrt(sizes.count(c)) * h[c][j] - sum[j]);
            }
        }
        return w;
    }

    /** Gram matrices and logits W H̄ of the explicit minimiser, at the model's absolute scale. */
    @Override
    public ClassGeometry geometry() {
        return ClassGeometry.fromVectors(classifier(k()), classMeans(k()));
    }

    /** ‖w_k‖² of Proposition 1: c_W((K−1)²s_k + Σ_{m≠k} s_m), s_k = √n_k M_k. */
    public double[] classifierNormsSquared() {
        int k = k();
        double[] s = s();
        double total = Arrays.stream(s).sum();
        double cW = Math.sqrt(lambdaH / lambdaW) / (k * Math.sqrt(k * (k - 1.0)));
        double[] w2 = new double[k];
        for (int c = 0; c < k; c++) {
            w2[c] = cW * ((k - 1.0) * (k - 1.0) * s[c] + (total - s[c]));
        }
        return w2;
    }

    private double[] s() {
        double[] m = m();
        double[] s = new double[m.length];
        for (int c = 0; c < m.length; c++) {
            s[c] = Math.sqrt(sizes.count(c)) * m[c];
        }
        return s;
    }

    /**
     * Corollary 3 (eqs. 15–16) for exactly two distinct class sizes: cosines between two majority
     * classifiers and between two minority classifiers; NaN where a group has a single class, or where
     * everything collapses (0/0). Null when the sizes do not form two groups.
     */
    public TwoGroupCosines twoGroupCosines() {
        int[] distinct = Arrays.stream(sizes.counts()).distinct().toArray();
        if (distinct.length != 2) {
            return null;
        }
        int k = k();
        int nA = sizes.max();
        int nB = sizes.min();
        int kA = sizes.majorityClasses().length;
        int kB = sizes.minorityClasses().length;
        double[] m = m();
        double mA = m[sizes.majorityClasses()[0]];
        double mB = m[sizes.minorityClasses()[0]];
        double a = Math.sqrt(nA) * mA;
        double b = Math.sqrt(nB) * mB;
        double kk = (double) k * k;
        double major = kA < 2 ? Double.NaN : 1 - kk * a / (kk * a - k * a - kB * a + kB * b);
        double minor = kB < 2 ? Double.NaN : 1 - kk * b / (kk * b - k * b - kA * b + kA * a);
        return new TwoGroupCosines(major, minor);
    }

    /** Collapse thresholds of Corollary 4 at these sizes and λ's. */
    public CollapseThresholds thresholds() {
        int k = k();
        double n2 = n() * n();
        double minorityProduct = (k - 1.0) * sizes.min() / (k * n2);
        double completeProduct = (k - 1.0) * sizes.max() / (k * n2);
        double ratio = Double.NaN;
        if (Arrays.stream(sizes.counts()).distinct().count() == 2) {
            int kA = sizes.majorityClasses().length;
            int kB = sizes.minorityClasses().length;
            ratio = ((k - 1.0) / (n() * k * lambdaW * lambdaH) - kB) / kA;
        }
        return new CollapseThresholds(collapseSize(), minorityProduct, minorityProduct / lambdaW,
                minorityProduct / lambdaH, completeProduct, completeProduct / lambdaW, completeProduct / lambdaH,
                ratio, sizes.imbalanceRatio());
    }

    /**
     * {@code M}, {@code featureNormsSquared}, {@code classifierNormsSquared}, {@code collapsedClasses},
     * {@code minorityCollapse}, {@code completeCollapse}, {@code thresholds}, {@code objective},
     * {@code alpha}, {@code trueClassProbability}, and {@code twoGroupCosines} for two-size problems.
     */
    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lambdaW", lambdaW);
        d.put("lambdaH", lambdaH);
        d.put("M", m());
        d.put("featureNormsSquared", featureNormsSquared());
        d.put("classifierNormsSquared", classifierNormsSquared());
        d.put("collapsedClasses", collapsedClasses());
        d.put("minorityCollapse", minorityCollapse());
        d.put("completeCollapse", completeCollapse());
        d.put("thresholds", thresholds().toMap());
        d.put("objective", objective());
        d.put("alpha", alpha());
        d.put("trueClassProbability", trueClassProbability());
        TwoGroupCosines two = twoGroupCosines();
        if (two != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("majority", two.majority());
            t.put("minority", two.minority());
            d.put("twoGroupCosines", t);
        }
        return d;
    }

    /** Softmax probability of the true class at the optimum: 1 − 1/a_k when active, 1/K when collapsed. */
    public double[] trueClassProbability() {
        int k = k();
        double[] m = m();
        double[] p = new double[k];
        for (int c = 0; c < k; c++) {
            p[c] = 1 / (1 + (k - 1) * Math.exp(-m[c]));
        }
        return p;
    }

    /**
     * Classifier cosines of Corollary 3: eq. 15 (two majority classes) and eq. 16 (two minority classes).
     */
    public record TwoGroupCosines(double majority, double minority) {
    }

    /**
     * Collapse thresholds of Corollary 4. Only the product λ_Wλ_H matters.
     *
     * @param collapseSize                  C = N²K/(K−1)·λ_Wλ_H; classes with n_k ≤ C collapse
     * @param minorityCollapseLambdaProduct (K−1)n_min/(KN²): the smallest classes collapse iff λ_Wλ_H ≥ this
     * @param minorityCollapseLambdaH       that threshold on λ_H at the given λ_W
     * @param minorityCollapseLambdaW       that threshold on λ_W at the given λ_H
     * @param completeCollapseLambdaProduct (K−1)n_max/(KN²): every class collapses iff λ_Wλ_H ≥ this (eq. 18)
     * @param completeCollapseLambdaH       that threshold on λ_H at the given λ_W
     * @param completeCollapseLambdaW       that threshold on λ_W at the given λ_H
     * @param minorityCollapseRatio         eq. 17 for two class sizes, at the current N: the minority
     *                                      collapses iff n_A/n_B ≥ ((K−1)/(NKλ_Wλ_H) − K_B)/K_A; NaN otherwise
     * @param imbalanceRatio                n_max/n_min of the given sizes
     */
    public record CollapseThresholds(double collapseSize, double minorityCollapseLambdaProduct,
                                     double minorityCollapseLambdaH, double minorityCollapseLambdaW,
                                     double completeCollapseLambdaProduct, double completeCollapseLambdaH,
                                     double completeCollapseLambdaW, double minorityCollapseRatio,
                                     double imbalanceRatio) {
        /** Ordered JSON-friendly map with the component names as keys. */
        public Map<String, Object> toMap() {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("collapseSize", collapseSize);
            t.put("minorityCollapseLambdaProduct", minorityCollapseLambdaProduct);
            t.put("minorityCollapseLambdaH", minorityCollapseLambdaH);
            t.put("minorityCollapseLambdaW", minorityCollapseLambdaW);
            t.put("completeCollapseLambdaProduct", completeCollapseLambdaProduct);
            t.put("completeCollapseLambdaH", completeCollapseLambdaH);
            t.put("completeCollapseLambdaW", completeCollapseLambdaW);
            t.put("minorityCollapseRatio", minorityCollapseRatio);
            t.put("imbalanceRatio", imbalanceRatio);
            return t;
        }
    }
}
