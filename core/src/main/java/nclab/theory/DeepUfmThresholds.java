package nclab.theory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.InvalidInputException;

/**
 * Where low rank beats deep neural collapse in the deep UFM with cross-entropy (Garrod &amp; Keating,
 * seed 002).
 * <ul>
 *   <li><b>Theorem 1</b> (deep linear UFM, d ≥ K): with m = ⌊K/2⌋, the pairs matrix of Eq. (5) at the DNC
 *       scale has a smaller regularizer iff m·2^{2/(L+1)} &lt; 2m − 1, and always a smaller fit; then no DNC
 *       solution is a global minimum. This holds iff (K ≥ 4 and L ≥ 3) or (K ≥ 6 and L = 2), never for L = 1.</li>
 *   <li><b>Theorem 7</b> (deep ReLU UFM, Assumption 1), per parity from the App. B.9 construction:
 *       even K: 2(K+2) &lt; (K−1)·4^{(L−1)/(L+1)}·((K+2)/K)^{3/(L+1)};
 *       odd K: 2(K+3) &lt; (K−1)·4^{(L−1)/(L+1)}·(√((K+3)/(K+1))·(K+3)/K)^{2/(L+1)}.
 *       The paper states the conservative "K ≥ 10 and L ≥ 5, or K ≥ 16 and L = 4".</li>
 *   <li><b>λ-crossovers</b> (numerical, outside the theorems): the λ where the optimal-scale losses of DNC and
 *       pairs are equal, found by a log-spaced scan of λ ∈ [10⁻¹², 10] and {@link BrentRoot} on log λ
 *       (e.g. K = 4, L = 2, n = 5: pairs win iff λ &gt; 0.0068776). Ties where both collapse to zero are ignored.</li>
 * </ul>
 *
 * @param theorem1LowRankBeatsDnc        Theorem 1 predicate for (K, L)
 * @param theorem1MinK                   smallest K for which Theorem 1 holds at this L (−1: none)
 * @param theorem7ReluLowRankBeatsDnc    per-parity Theorem 7 predicate (App. B.9) for (K, L)
 * @param theorem7PaperStatement         the paper's conservative statement of Theorem 7 for (K, L)
 * @param theorem7MinEvenK               smallest even K for the Theorem 7 predicate at this L (−1: none ≤ 10⁴)
 * @param theorem7MinOddK                smallest odd K (−1: none ≤ 10⁴)
 * @param lambdaCrossovers               λ where ℓ*_DNC = ℓ*_pairs, increasing
 */
public record DeepUfmThresholds(boolean theorem1LowRankBeatsDnc, int theorem1MinK, boolean theorem7ReluLowRankBeatsDnc,
                                boolean theorem7PaperStatement, int theorem7MinEvenK, int theorem7MinOddK,
                                double[] lambdaCrossovers) {
    private static final int K_SEARCH_LIMIT = 10_000;
    private static final double LAMBDA_MIN = 1e-12;
    private static final double LAMBDA_MAX = 10;
    private static final int SCAN_PER_DECADE = 4;
    /** Relative loss difference treated as a tie (e.g. K = 2, where both patterns are the same matrix). */
    static final double TIE = 1e-12;

    public DeepUfmThresholds {
        lambdaCrossovers = lambdaCrossovers.clone();
    }

    @Override
    public double[] lambdaCrossovers() {
        return lambdaCrossovers.clone();
    }

    /** Thresholds for the given DNC and pairs patterns (same class sizes) and depth L. */
    public static DeepUfmThresholds of(LogitPattern dnc, LogitPattern lowRank, int layers) {
        int k = dnc.sizes().k();
        InvalidInputException.require(k == lowRank.sizes().k(), "patterns have different K");
        return new DeepUfmThresholds(theorem1(k, layers), minK(layers, 2, 1, DeepUfmThresholds::theorem1),
                theorem7(k, layers), theorem7Paper(k, layers),
                minK(layers, 2, 2, DeepUfmThresholds::theorem7), minK(layers, 3, 2, DeepUfmThresholds::theorem7),
                lambdaCrossovers(dnc, lowRank, layers));
    }

    /** Theorem 1: m·2^{2/(L+1)} &lt; 2m − 1 with m = ⌊K/2⌋. */
    public static boolean theorem1(int k, int layers) {
        requireKL(k, layers);
        int m = k / 2;
        return m * Math.pow(2, 2.0 / (layers + 1)) < 2 * m - 1;
    }

    /** Theorem 7, per parity (App. B.9 construction beats the linear-DNC lower bound). */
    public static boolean theorem7(int k, int layers) {
        requireKL(k, layers);
        double depth = Math.pow(4, (layers - 1.0) / (layers + 1));
        if (k % 2 == 0) {
            return 2.0 * (k + 2) < (k - 1) * depth * Math.pow((k + 2.0) / k, 3.0 / (layers + 1));
        }
        double base = Math.sqrt((k + 3.0) / (k + 1)) * (k + 3.0) / k;
        return 2.0 * (k + 3) < (k - 1) * depth * Math.pow(base, 2.0 / (layers + 1));
    }

    /** The paper's wording of Theorem 7: K ≥ 10 and L ≥ 5, or K ≥ 16 and L = 4. */
    public static boolean theorem7Paper(int k, int layers) {
        requireKL(k, layers);
        return (k >= 10 && layers >= 5) || (k >= 16 && layers == 4);
    }

    private interface Predicate {
        boolean test(int k, int layers);
    }

    private static int minK(int layers, int start, int step, Predicate p) {
        for (int k = start; k <= K_SEARCH_LIMIT; k += step) {
            if (p.test(k, layers)) {
                return k;
            }
        }
        return -1;
    }

    private static void requireKL(int k, int layers) {
        InvalidInputException.require(k >= 2, "need at least K = 2 classes, got K = " + k);
        InvalidInputException.require(layers >= 1, "number of layers L must be >= 1, got L = " + layers);
    }

    /** λ values where the optimal losses of the two patterns are equal (sign changes of ℓ*_pairs − ℓ*_DNC). */
    public static double[] lambdaCrossovers(LogitPattern dnc, LogitPattern lowRank, int layers) {
        int decades = (int) Math.round(Math.log10(LAMBDA_MAX / LAMBDA_MIN));
        int points = decades * SCAN_PER_DECADE + 1;
        double prevLog = Double.NaN;
        double prevDiff = 0;
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            double logLambda = Math.log(LAMBDA_MIN) + i * Math.log(10) / SCAN_PER_DECADE;
            double diff = lossDifference(dnc, lowRank, layers, logLambda);
            if (diff != 0) {
                if (!Double.isNaN(prevLog) && Math.signum(diff) != Math.signum(prevDiff)) {
                    double root = BrentRoot.solve(x -> lossDifference(dnc, lowRank, layers, x), prevLog, logLambda, 1e-13);
                    out.add(Math.exp(root));
                }
                prevLog = logLambda;
                prevDiff = diff;
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** ℓ*_pairs − ℓ*_DNC at λ = e^{logLambda}; exactly 0 when both collapse to the zero solution. */
    private static double lossDifference(LogitPattern dnc, LogitPattern lowRank, int layers, double logLambda) {
        double lambda = Math.exp(logLambda);
        ScaleOptimum a = dnc.optimum(layers, lambda);
        ScaleOptimum b = lowRank.optimum(layers, lambda);
        if (a.scale() == 0 && b.scale() == 0) {
            return 0;
        }
        double diff = b.loss() - a.loss();
        return Math.abs(diff) <= TIE * Math.max(1, Math.abs(a.loss())) ? 0 : diff;
    }

    /** JSON-friendly view for {@code details()}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("theorem1LowRankBeatsDnc", theorem1LowRankBeatsDnc);
        m.put("theorem1MinK", theorem1MinK < 0 ? (Object) Double.NaN : theorem1MinK);
        m.put("theorem7ReluLowRankBeatsDnc", theorem7ReluLowRankBeatsDnc);
        m.put("theorem7PaperStatement", theorem7PaperStatement);
        m.put("theorem7MinEvenK", theorem7MinEvenK < 0 ? (Object) Double.NaN : theorem7MinEvenK);
        m.put("theorem7MinOddK", theorem7MinOddK < 0 ? (Object) Double.NaN : theorem7MinOddK);
        m.put("lambdaCrossovers", lambdaCrossovers());
        return m;
    }
}
