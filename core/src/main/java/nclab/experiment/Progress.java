package nclab.experiment;

/**
 * A progress report of a running solve, for a terminal line.
 *
 * @param step       steps taken
 * @param totalSteps steps of the whole run
 * @param epoch      completed epochs
 * @param loss       objective at the last logged step
 * @param accuracy   training accuracy at the last logged step
 * @param etaSeconds estimated seconds to the end (NaN when unknown)
 * @param done       true for the last report of the run
 */
public record Progress(long step, long totalSteps, long epoch, double loss, double accuracy, double etaSeconds,
                       boolean done) {

    /** Receives progress reports (about twice a second and once at the end). */
    @FunctionalInterface
    public interface Listener {
        void report(Progress progress);

        /** Ignores every report. */
        Listener NONE = p -> {
        };
    }

    /** One-line text: {@code step 1200/10000 (12.0%)  epoch 300  loss 0.123456  acc 1.0000  ETA 0:42}. */
    public String line() {
        String eta = Double.isFinite(etaSeconds) ? formatDuration(etaSeconds) : "?";
        return String.format("step %d/%d (%.1f%%)  epoch %d  loss %.6g  acc %.4f  ETA %s", step, totalSteps,
                100.0 * step / totalSteps, epoch, loss, accuracy, eta);
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    public static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
