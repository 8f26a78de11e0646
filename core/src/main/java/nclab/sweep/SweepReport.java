package nclab.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * The result of running a sweep: every run's record in plan order.
 *
 * @param out      the sweep directory
 * @param records  one per run, in plan order
 * @param launched how many runs were launched in this session (the others were found finished)
 */
public record SweepReport(Path out, List<SweepRecord> records, int launched) {
    public SweepReport {
        records = List.copyOf(records);
    }

    /** Runs with status completed. */
    public long completed() {
        return records.stream().filter(r -> r.outcome().completed()).count();
    }

    /** Runs that did not complete (failed or diverged). */
    public long notCompleted() {
        return records.size() - completed();
    }

    public boolean allCompleted() {
        return notCompleted() == 0;
    }
}
