package nclab.experiment;

/**
 * A run stopped because its iterates diverged (a non-finite or exploding loss, or non-finite parameters).
 * Optimisers may throw it; {@link SolveRunner} also raises it itself, keeps the last good state and records
 * status {@code diverged} with this message.
 */
public class RunDiverged extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunDiverged(String message) {
        super(message);
    }
}
