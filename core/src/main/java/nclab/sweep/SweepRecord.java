package nclab.sweep;

/**
 * One finished run of a sweep: the run, how it ended, and whether it was found finished on disk instead of
 * launched (a resumed sweep skips such runs).
 *
 * @param run     the run
 * @param outcome how it ended
 * @param skipped true when its directory already held a finished run
 */
public record SweepRecord(SweepRun run, RunOutcome outcome, boolean skipped) {
}
