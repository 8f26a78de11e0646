package nclab.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one run of a sweep ended.
 *
 * @param status   {@link #COMPLETED}, {@link #DIVERGED} or {@link #FAILED} (crash, bad config, killed)
 * @param message  what happened (for failures: the error, e.g. the tail of the run's log)
 * @param finalRow the run's final metrics row (column → value; empty when none)
 * @param seconds  wall-clock seconds of the run
 */
public record RunOutcome(String status, String message, Map<String, Object> finalRow, double seconds) {
    public static final String COMPLETED = "completed";
    public static final String DIVERGED = "diverged";
    public static final String FAILED = "failed";

    public RunOutcome {
        finalRow = finalRow == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(finalRow));
        message = message == null ? "" : message;
    }

    public boolean completed() {
        return COMPLETED.equals(status);
    }

    /** A failed run. */
    public static RunOutcome failed(String message, double seconds) {
        return new RunOutcome(FAILED, message, Map.of(), seconds);
    }
}
