package nclab.metrics;

/**
 * Which global mean μ_G is subtracted from the class means before Grams, norms, cosines and Σ_B are formed.
 * Public neural-collapse code disagrees here under class imbalance (docs/metrics.md, metric-conventions §3).
 */
public enum Centring {
    /** No centring: μ_G = 0 (the unconstrained-feature models without bias, SELI Sec. 5 "UFM needs no centering"). */
    NONE,
    /** μ_G = (1/K) Σ_k μ_k, the unweighted mean of the class means (SELI Sec. 5 / App. G.1.3; Papyan lineage). */
    CLASS_BALANCED,
    /** μ_G = (1/N) Σ_i h_i = Σ_k (n_k/N) μ_k, the sample mean (Dang et al. Sec. 3; tding1, Hong–Ling code). */
    SAMPLE_WEIGHTED
}
