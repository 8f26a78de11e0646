package nclab.sweep;

import java.util.Locale;

/**
 * Progress of a sweep after one run finished.
 *
 * @param done       finished runs (skipped ones included)
 * @param total      runs in the plan
 * @param failed     runs that failed or diverged so far
 * @param etaSeconds estimated seconds until the last run finishes (NaN before the first launched run ends)
 * @param last       the run that just finished
 */
public record SweepProgress(int done, int total, int failed, double etaSeconds, SweepRecord last) {
    /** Receives a {@link SweepProgress} after each run (called from worker threads, one call at a time). */
    @FunctionalInterface
    public interface Listener {
        void report(SweepProgress progress);
    }

    /** A one-line text, e.g. {@code [3/20] 1 failed, ETA 2m05s  d=10_seed=3-1a2b3c4d: completed (12.3 s)}. */
    public String line() {
        RunOutcome o = last.outcome();
        String what = last.skipped() ? o.status() + " earlier" : o.status() + String.format(Locale.ROOT, " (%.1f s)", o.seconds());
        String msg = o.completed() || o.message().isEmpty() ? "" : ": " + abbreviate(o.message(), 160);
        return String.format(Locale.ROOT, "[%d/%d] %d failed, ETA %s  %s: %s%s", done, total, failed, duration(etaSeconds),
                last.run().id(), what, msg);
    }

    /** Seconds as {@code 45s}, {@code 2m05s} or {@code 1h02m}; {@code ?} when unknown. */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    private static String abbreviate(String s, int max) {
        String one = s.replace('\n', ' ').trim();
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }
}
