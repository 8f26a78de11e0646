package nclab.theory;

import java.util.LinkedHashMap;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

/**
 * Deep unconstrained feature model with cross-entropy: deep neural collapse (DNC) versus the low-rank
 * "pairs" solution (C. Garrod, J. P. Keating, "The Persistence of Neural Collapse Despite Low-Rank
 * Bias", NeurIPS 2025; seed 002).
 *
 * <p>Model (Eq. 1–2): 𝓛 = g(W_L⋯W_1H_1) + (λ/2)(Σ_l ‖W_l‖²_F + ‖H_1‖²_F), g the mean cross-entropy,
 * one λ for all L+1 factors, d ≥ K, no bias. By Lemma 1 each candidate logit pattern M has the reduced loss
 * ℓ_M(t) = g(t·M⊗1ᵀ) + ((L+1)λ/2)·Σ_i σ_i(t·M⊗1ᵀ)^{2/(L+1)} ({@link LogitPattern}). Compared:
 * <ul>
 *   <li><b>DNC</b> (Definition 2): M = S = I − 11ᵀ/K, rank K−1, all layers equal-norm (Proposition 1);
 *       balanced: ℓ_S(α) = log(1 + (K−1)e^{−α}) + ((L+1)λ/2)(K−1)(α√n)^{2/(L+1)};</li>
 *   <li><b>low rank</b> (Eq. 5): the pairs matrix blockdiag(I_m ⊗ [[1,−1],[−1,1]] (, 1 if K odd)), rank ⌈K/2⌉;
 *       balanced even K: ℓ(β) = log(1 + (K−2)e^{−β} + e^{−2β}) + ((L+1)λ/2)·m·(2β√n)^{2/(L+1)}.</li>
 * </ul>
 * Each is minimised over its scale; the lower loss wins ({@code "tie"} within 10⁻¹² relative, e.g. K = 2,
 * where both are the same matrix). Also reported: the Theorem 1 / Theorem 7 predicates and numerical
 * λ-crossovers ({@link DeepUfmThresholds}), and the DNC critical scales of Eq. (19) ({@link DncCriticalScale}).
 *
 * <p>{@link #geometry()} is the class-level geometry of the <em>winning</em> configuration (DNC on a tie) at
 * its optimal scale: the last-layer classifier W_L and the class means of the penultimate features H_L of the
 * balanced factorization (see {@link LogitPattern#geometry}). Both configurations' geometries are available
 * from {@link #dncGeometry()} and {@link #lowRankGeometry()}.
 *
 * <p><b>Class imbalance.</b> The paper's theory is for n samples in every class. Imbalanced sizes are
 * accepted: Lemma 1 and the reduced loss hold unchanged (App. A), so both patterns (pairs formed in class
 * order, the last class alone for odd K) are evaluated exactly with σ_i(M·D^{1/2}) and the class-weighted
 * CE; Eq. (19) uses the size factor ν = Σσ_i(S·D^{1/2})^{2/(L+1)}/(K−1) in place of n^{1/(L+1)}. The Theorem 1
 * and Theorem 7 predicates are the paper's balanced statements (flagged by {@code balanced = false}); and under
 * imbalance neither pattern need be the optimum of its rank (App. A: the generalized DNC is the SELI-aligned
 * 1-layer minimiser).
 *
 * @param sizes         class sizes n_1..n_K
 * @param layers        L ≥ 1, the number of weight matrices
 * @param lambda        λ &gt; 0
 * @param dnc           optimal-scale DNC loss
 * @param lowRank       optimal-scale pairs loss
 * @param winner        "dnc", "lowRank" or "tie"
 * @param criticalScale the roots of Eq. (19)
 * @param thresholds    theorem predicates and λ-crossovers
 * @param dncGeometry   geometry of DNC at its optimal scale
 * @param lowRankGeometry geometry of the pairs configuration at its optimal scale
 */
public record DeepUfmGeometry(ClassSizes sizes, int layers, double lambda, ScaleOptimum dnc, ScaleOptimum lowRank,
                              String winner, DncCriticalScale criticalScale, DeepUfmThresholds thresholds,
                              ClassGeometry dncGeometry, ClassGeometry lowRankGeometry) implements GeometryPrediction {
    /** Default depth when --layers is not given: L = 2, the setting of the paper's Figs. 1, 2 and 5. */
    public static final int DEFAULT_LAYERS = 2;

    /** The prediction for {@code nclab theory deep-ufm}: L = --layers (default 2), λ = --lambda (required). */
    public static DeepUfmGeometry predict(TheoryParameters p) {
        int layers = p.layersOr(DEFAULT_LAYERS);
        return of(p.sizes(), layers, p.requireLambda());
    }

    /** Compares DNC and the pairs solution for the given sizes, depth L ≥ 1 and λ &gt; 0. */
    public static DeepUfmGeometry of(ClassSizes sizes, int layers, double lambda) {
        InvalidInputException.require(sizes != null, "class sizes are required");
        InvalidInputException.require(layers >= 1, "number of layers L must be >= 1, got L = " + layers);
        InvalidInputException.requirePositive("lambda", lambda);
        LogitPattern simplex = LogitPattern.simplex(sizes);
        LogitPattern pairs = LogitPattern.pairs(sizes);
        ScaleOptimum d = simplex.optimum(layers, lambda);
        ScaleOptimum l = pairs.optimum(layers, lambda);
        double diff = l.loss() - d.loss();
        String winner = Math.abs(diff) <= DeepUfmThresholds.TIE * Math.max(1, Math.abs(d.loss())) ? "tie"
                : diff < 0 ? "lowRank" : "dnc";
        int k = sizes.k();
        double sizeFactor = simplex.schattenSum(layers) / (k - 1);
        DncCriticalScale critical = DncCriticalScale.solve(k, layers, lambda, sizeFactor);
        return new DeepUfmGeometry(sizes, layers, lambda, d, l, winner, critical,
                DeepUfmThresholds.of(simplex, pairs, layers),
                simplex.geometry(d.scale(), layers), pairs.geometry(l.scale(), layers));
    }

    @Override
    public String model() {
        return "deep-ufm";
    }

    /** Geometry of the winning configuration (DNC on a tie). */
    @Override
    public ClassGeometry geometry() {
        return "lowRank".equals(winner) ? lowRankGeometry : dncGeometry;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layers", layers);
        m.put("lambda", lambda);
        m.put("balanced", sizes.isBalanced());
        m.put("winner", winner);
        m.put("geometryOf", "lowRank".equals(winner) ? "lowRank" : "dnc");
        m.put("losses", pair(dnc.loss(), lowRank.loss()));
        m.put("optimalScales", pair(dnc.scale(), lowRank.scale()));
        m.put("fits", pair(dnc.fit(), lowRank.fit()));
        m.put("regularizers", pair(dnc.regularizer(), lowRank.regularizer()));
        Map<String, Object> ranks = new LinkedHashMap<>();
        ranks.put("dnc", dnc.scale() == 0 ? 0 : sizes.k() - 1);
        ranks.put("lowRank", lowRank.scale() == 0 ? 0 : (sizes.k() + 1) / 2);
        m.put("ranks", ranks);
        m.put("thresholds", thresholds.toMap());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("equation", "lambda * nu = alpha^((L-1)/(L+1)) / (e^alpha + K - 1)  (Eq. 19; nu = n^(1/(L+1)) if balanced)");
        c.put("sizeFactor", criticalScale.sizeFactor());
        c.put("rightHandSide", criticalScale.rightHandSide());
        c.put("roots", criticalScale.roots());
        c.put("largeRoot", criticalScale.largeRoot());
        c.put("maxF", criticalScale.maxF());
        c.put("argmaxF", criticalScale.argmaxF());
        m.put("criticalScale", c);
        if (!sizes.isBalanced()) {
            m.put("note", "the paper assumes balanced classes; losses use the exact reduced loss with the given sizes"
                    + " (pairs in class order), theorem thresholds are the balanced statements");
        }
        return m;
    }

    private static Map<String, Object> pair(double dncValue, double lowRankValue) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dnc", dncValue);
        m.put("lowRank", lowRankValue);
        return m;
    }
}
