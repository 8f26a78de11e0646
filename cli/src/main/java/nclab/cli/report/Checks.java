package nclab.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The built-in checks of a {@code solve} or {@code train} run:
 * <ul>
 * <li>"NC1 decreases": the last finite {@code nc1_pinv} is below the first (Papyan et al. 2020: training
 * drives within-class variability towards 0); fails otherwise;</li>
 * <li>"closest predicted geometry": the model with the smallest final {@code dist_<model>_mean} among the
 * models present (ties: the first in etf, seli, lpm, relu_ufm, lext order); informational, always passes.</li>
 * </ul>
 * A check whose columns are missing or hold no finite value is left out.
 */
public final class Checks {
    private Checks() {
    }

    /** The built-in checks of one run. */
    public static List<Check> standard(RunData run) {
        List<Check> checks = new ArrayList<>();
        double first = run.firstFinite("nc1_pinv");
        double last = run.lastFinite("nc1_pinv");
        if (Double.isFinite(first) && Double.isFinite(last) && countFinite(run, "nc1_pinv") >= 2) {
            checks.add(new Check("NC1 decreases (nc1_pinv, first vs last logged " + run.xColumn() + ")",
                    "last < first", "first " + num(first) + ", last " + num(last), "strict", last < first));
        }
        String best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        StringBuilder all = new StringBuilder();
        for (String model : Plots.distanceModels(run)) {
            double v = run.lastFinite("dist_" + model + "_mean");
            if (Double.isFinite(v)) {
                all.append(all.length() == 0 ? "" : ", ").append(model).append(' ').append(num(v));
                if (v < bestValue) {
                    bestValue = v;
                    best = model;
                }
            }
        }
        if (best != null) {
            checks.add(new Check("closest predicted geometry (informational): smallest final dist_*_mean",
                    "argmin over the models present", best + " (" + all + ")", "—", true));
        }
        return checks;
    }

    private static int countFinite(RunData run, String column) {
        int n = 0;
        for (double v : run.columns().get(column)) {
            if (Double.isFinite(v)) {
                n++;
            }
        }
        return n;
    }

    /** Four significant digits. */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
