package nclab.cli;

import java.io.PrintWriter;

import nclab.dl.train.TrainProgress;
import nclab.experiment.Progress;

/** A carriage-return-updated progress line on stderr, for {@code solve} and {@code train}; silent unless enabled. */
final class StatusLine implements Progress.Listener, TrainProgress.Listener {
    private final PrintWriter err;
    private final boolean enabled;
    private boolean shown;

    StatusLine(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    @Override
    public void report(Progress p) {
        show(p.line());
    }

    @Override
    public void report(TrainProgress p) {
        show(p.line());
    }

    private void show(String line) {
        if (enabled) {
            err.print("\r" + line + "   ");
            err.flush();
            shown = true;
        }
    }

    /** Ends the line (once something was shown). */
    void finish() {
        if (shown) {
            err.println();
            err.flush();
        }
    }
}
