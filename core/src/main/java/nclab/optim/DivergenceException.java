package nclab.optim;

/**
 * A run diverged: the objective or a parameter became NaN/±∞, or the objective exceeded the configured
 * multiple of its first value. Thrown by an optimiser's {@code step} BEFORE it writes anything, so the
 * parameter vector (and the optimiser state) still hold the last good iterate, that of step {@link #step()} − 1.
 */
public class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long step;

    public DivergenceException(long step, String reason) {
        super("diverged at step " + step + ": " + reason + "; the parameters are kept as they were after step "
                + (step - 1));
        this.step = step;
    }

    /** 1-based number of the step that failed. */
    public long step() {
        return step;
    }
}
