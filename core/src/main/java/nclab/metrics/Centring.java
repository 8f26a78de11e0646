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
    SAMPLE_WEIGHTED;

    /** The weights a (Σ a_k = 1, or all 0 for {@link #NONE}) with μ_G = Σ_k a_k μ_k, for class counts n_k. */
    public double[] weights(int[] counts) {
        double[] a = new double[counts.length];
        long total = 0;
        for (int n : counts) {
            total += n;
        }
        for (int k = 0; k < a.length; k++) {
            a[k] = switch (this) {
                case NONE -> 0;
                case CLASS_BALANCED -> 1.0 / counts.length;
                case SAMPLE_WEIGHTED -> counts[k] / (double) total;
            };
        }
        return a;
    }

    /**
     * The Gram of the centred vectors μ_k − μ_G, computed from the Gram G of the μ_k alone:
     * (I − 1aᵀ) G (I − a1ᵀ) with a = {@link #weights}. Applies the same centring to a predicted class-mean Gram
     * as {@link ClassStatistics#means(Centring)} applies to measured means.
     */
    public double[][] centreGram(double[][] gram, int[] counts) {
        double[] a = weights(counts);
        int k = gram.length;
        double[] ga = new double[k];
        double aga = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                ga[i] += gram[i][j] * a[j];
            }
            aga += a[i] * ga[i];
        }
        double[][] c = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                c[i][j] = gram[i][j] - ga[i] - ga[j] + aga;
            }
        }
        return c;
    }
}
