package nclab.optim;

import nclab.InvalidInputException;

/**
 * Divergence rule shared by the optimisers: a step fails if its objective value is not finite, if it
 * exceeds {@code lossFactor} times the first value seen (when that is &gt; 0), or if the parameters or
 * optimiser buffers it would write are not finite. Checks happen before anything is written.
 *
 * @param lossFactor allowed growth of the objective over its first value (&gt; 1; +∞ disables that check)
 */
public record DivergenceGuard(double lossFactor) {
    /** Default: the loss may grow at most 10⁴-fold. */
    public static final DivergenceGuard DEFAULT = new DivergenceGuard(1e4);

    public DivergenceGuard {
        InvalidInputException.require(lossFactor > 1, "lossFactor must be > 1, got " + lossFactor);
    }

    /** Throws if the value {@code loss} of 1-based step {@code step} is bad against the first value {@code start}. */
    public void checkLoss(long step, double loss, double start) {
        if (!Double.isFinite(loss)) {
            throw new DivergenceException(step, "objective = " + loss);
        }
        if (loss > limit(start)) {
            throw new DivergenceException(step, "objective " + loss + " exceeds " + lossFactor + " x its first value " + start);
        }
    }

    /** The largest value {@link #checkLoss} accepts against the first value {@code start} (+∞ when unbounded). */
    public double limit(double start) {
        return start > 0 ? lossFactor * start : Double.POSITIVE_INFINITY;
    }

    /** Throws if {@code probe} (a sum of candidate values times 0) is NaN, i.e. some candidate is not finite. */
    public void checkProbe(long step, double probe, String what) {
        if (probe != 0.0) {
            throw new DivergenceException(step, what + " would become NaN or infinite");
        }
    }
}
