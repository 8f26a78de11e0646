package nclab.model;

import java.util.function.DoubleConsumer;

/**
 * An {@link Objective} that takes a whole full-batch (projected) gradient step x ← Π(x − η∇f(x)) in place, in the
 * passes over the parameters that evaluating f and ∇f needs anyway, instead of writing ∇f and then probing and
 * committing the update in two more passes (the step is memory bound at large N·d: issue 3's floor is reading H
 * twice).
 *
 * <p>The optimiser's divergence checks still come before anything is written: f(x) is computed first and handed to
 * {@code valueCheck}, which throws to stop the step; then, from max|W|, ‖H‖_F ≥ max|H|, max|b| and the fact that
 * each row of softmax(z) − e_y has ℓ1-norm at most 2, a bound on every number the step would write is computed, and
 * only if that bound is finite (below 10³⁰⁰) is the step taken. Otherwise nothing is written and the optimiser takes
 * its ordinary step (gradient, probe, commit), whose checks then report the overflow. The one exception is a step
 * whose value is proven, before anything is written, to lie below the limit the check accepts: it may compute f(x)
 * in the same pass as the update (the UFM's one-pass native step reads H once instead of twice).
 */
public interface FusedGradientObjective extends Objective {
    /**
     * Evaluates f(x) and passes it to {@code valueCheck} (nothing is written if it throws); then, when every number
     * the step would write is provably finite, sets x ← Π(x − η∇f(x)) and returns f(x); otherwise leaves x as it
     * was and returns NaN. An implementation that proves f(x) ≤ {@code valueLimit} before it writes anything may
     * evaluate f(x) in the pass that writes the step and hand it to {@code valueCheck} afterwards: the check cannot
     * fail then.
     *
     * @param eta        learning rate η of this step
     * @param valueLimit a number such that {@code valueCheck} accepts every finite value ≤ it (+∞: every finite
     *                   value)
     */
    double fusedGradientStep(double[] x, double eta, DoubleConsumer valueCheck, double valueLimit);
}
