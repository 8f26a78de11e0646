package nclab.model;

/**
 * A {@link StochasticObjective} that computes a whole minibatch (momentum) SGD step in one fused pass, split in two
 * phases so that the optimiser can run its divergence checks between computing and writing:
 * <ol>
 *   <li>{@link #prepareSgdStep} evaluates the minibatch value f_𝔅(x) and its gradient g and computes every number
 *       the step would write (the new shared parameters and batch rows, and their new velocities) into the
 *       objective's own scratch; {@code x} and {@code velocity} are not written;</li>
 *   <li>{@link #commitSgdStep} writes those numbers into {@code x} and {@code velocity}, followed by
 *       {@link StochasticObjective#projectBatch}.</li>
 * </ol>
 * The update is the one of {@code nclab.optim.Sgd} (PyTorch form): without momentum x ← x − η g; heavy ball
 * v ← μv + g, x ← x − η v; Nesterov v ← μv + g, x ← x − η (g + μv). Momentum is dense on the shared parameters and
 * lazy on the per-sample rows (a row's velocity changes only when its sample is in the batch); a sample drawn twice
 * in one batch gets its summed gradient once. A call to prepare must precede each commit (same arguments).
 */
public interface FusedSgdObjective extends StochasticObjective {
    /**
     * Phase 1: returns f_𝔅(x) for the samples {@code batch[from..to)} and computes the candidate new values.
     *
     * @param velocity the velocity (same layout as x), or {@code null} without momentum
     * @param eta      learning rate η
     * @param mu       momentum μ (ignored without velocity)
     * @param nesterov Nesterov (else heavy ball) when a velocity is given
     */
    double prepareSgdStep(double[] x, double[] velocity, int[] batch, int from, int to, double eta, double mu,
                          boolean nesterov);

    /** Whether every number the prepared step would write (parameters and velocities) is finite. */
    boolean preparedStepFinite();

    /** Phase 2: writes the prepared numbers into x (then projects the touched entries) and into the velocity. */
    void commitSgdStep(double[] x, double[] velocity);
}
