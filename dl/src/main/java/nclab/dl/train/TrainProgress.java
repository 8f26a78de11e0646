package nclab.dl.train;

import nclab.experiment.Progress;

/**
 * A progress report of a training run, for a terminal line.
 *
 * @param epoch      epochs completed plus the fraction of the current one
 * @param epochs     epochs of the whole run
 * @param loss       mean minibatch loss of the current (or last) epoch so far
 * @param accuracy   minibatch training accuracy of the current epoch so far
 * @param etaSeconds estimated seconds to the end (NaN when unknown)
 * @param done       true for the last report
 */
public record TrainProgress(double epoch, int epochs, double loss, double accuracy, double etaSeconds, boolean done) {

    /** Receives progress reports (about twice a second and once at the end). */
    @FunctionalInterface
    public interface Listener {
        void report(TrainProgress progress);

        Listener NONE = p -> {
        };
    }

    /** {@code epoch 3.25/30 (10.8%)  loss 0.4123  acc 0.8610  ETA 1:02}. */
    public String line() {
        String eta = Double.isFinite(etaSeconds) ? Progress.formatDuration(etaSeconds) : "?";
        return String.format("epoch %.2f/%d (%.1f%%)  loss %.4g  acc %.4f  ETA %s", epoch, epochs,
                100.0 * epoch / epochs, loss, accuracy, eta);
    }
}
