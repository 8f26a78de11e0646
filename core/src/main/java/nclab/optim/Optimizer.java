package nclab.optim;

import java.util.Map;

/**
 * An iterative first-order method that advances a parameter vector in place. Its whole internal state
 * (momentum buffers, Adam moments, step counter) is exposed so that checkpoints can store it and a
 * resumed run continues bit-identically.
 */
public interface Optimizer {
    /**
     * Performs one step on {@code x} in place.
     *
     * @return the objective (or minibatch) value evaluated during the step, before the update
     */
    double step(double[] x);

    /** Steps taken so far. */
    long steps();

    /** Copy of the internal state, by name. */
    Map<String, double[]> state();

    /** Restores a state produced by {@link #state()} of an optimiser built with the same config. */
    void restore(Map<String, double[]> state);
}
