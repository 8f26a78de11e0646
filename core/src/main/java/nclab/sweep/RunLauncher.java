package nclab.sweep;

import java.nio.file.Path;

/**
 * Executes one run of a sweep into its directory and says how it ended. {@link LocalSweepRunner} calls it
 * from several threads at once (one run per call); an engine that runs sweeps elsewhere (e.g. a cluster)
 * would provide its own. A launcher must not throw for a failed run: it returns a {@link RunOutcome} with
 * status {@link RunOutcome#FAILED} instead (an exception is recorded the same way by the runner).
 */
@FunctionalInterface
public interface RunLauncher {
    /**
     * Runs (or resumes) {@code run} in {@code dir}; the run's own files (config.yaml, metrics.csv,
     * summary.json, ...) go there.
     */
    RunOutcome launch(SweepRun run, Path dir) throws Exception;
}
