package nclab.experiment;

import java.nio.file.Path;

/**
 * How a run ended.
 *
 * @param dir         the run directory
 * @param status      {@link #COMPLETED} or {@link #DIVERGED}
 * @param message     what happened (for diverged runs: where and why, and which state was kept)
 * @param steps       optimiser steps of the state kept in final.npz
 * @param wallSeconds wall-clock seconds of the run, all sessions together
 */
public record RunResult(Path dir, String status, String message, long steps, double wallSeconds) {
    public static final String COMPLETED = "completed";
    public static final String DIVERGED = "diverged";

    public boolean completed() {
        return COMPLETED.equals(status);
    }
}
