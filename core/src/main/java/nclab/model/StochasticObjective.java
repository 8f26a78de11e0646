package nclab.model;

/**
 * An {@link Objective} that is an average over N samples, each owning one contiguous block of private
 * parameters (its feature row h_i in an unconstrained-features model), plus shared parameters (W, b).
 * It offers the minibatch quantities SGD needs while touching only the batch's rows and the shared
 * entries, so a step costs O(B·K·d + K·d) and never O(N·d).
 *
 * <p><b>Minibatch objective.</b> For a batch 𝔅 of B sample indices (duplicates allowed) the minibatch
 * objective is an unbiased estimate of f: writing f(x) = (1/N) Σ_i φ_i(x) + ρ(shared), with φ_i the
 * sample's loss plus N times its share of every per-sample regulariser, the minibatch value is
 * f_𝔅(x) = (1/B) Σ_{i∈𝔅} φ_i(x) + ρ(shared), and E_𝔅[f_𝔅] = f for uniformly drawn batches (with or without
 * replacement). Each implementation states its φ_i.
 *
 * <p>Implementations keep scratch buffers and are not thread-safe.
 */
public interface StochasticObjective extends Objective {
    /** Number of samples N. */
    int samples();

    /** Flat index of the first private parameter of sample {@code i} (0 ≤ i &lt; N). */
    int sampleOffset(int i);

    /** Number of private parameters per sample (d for a feature row). */
    int sampleWidth();

    /**
     * Shared (non-per-sample) parameter ranges as {@code {offset, length}} pairs, in increasing order;
     * a fresh array each call (call once, outside hot loops).
     */
    int[][] sharedRanges();

    /**
     * The minibatch value f_𝔅(x) for the samples {@code batch[from..to)} and its gradient. Only the shared
     * entries of {@code grad} and the private blocks of the batch samples are written (overwritten, with
     * duplicates accumulated); every other entry of {@code grad} is left as it is.
     */
    double batchValueAndGradient(double[] x, int[] batch, int from, int to, double[] grad);

    /** {@link #project(double[])} restricted to the shared entries and the private blocks of {@code batch[from..to)}. */
    default void projectBatch(double[] x, int[] batch, int from, int to) {
    }
}
