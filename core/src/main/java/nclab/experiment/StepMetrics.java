package nclab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

import nclab.metrics.ClassStatistics;
import nclab.metrics.CollapseMetrics;
import nclab.metrics.FeatureRows;
import nclab.metrics.TheoryComparison;

/**
 * One metrics.csv row for a parameter vector, in column order:
 * <ul>
 *   <li>{@code step}, {@code epoch} (completed epochs, step / steps-per-epoch), {@code loss} (the full
 *       objective f(x), regularisers included);</li>
 *   <li>{@code accuracy}: fraction of samples whose true-class logit z_{y_i} = w_{y_i}·h_i + b_{y_i} beats
 *       every other logit strictly; {@code min_margin} = min_i (z_{i,y_i} − max_{c≠y_i} z_{i,c});</li>
 *   <li>every numeric entry of {@link CollapseMetrics#compute} on (features, labels, W, b), arrays spread
 *       over columns {@code key_0, key_1, ...} (text entries and its own {@code accuracy} are left out);</li>
 *   <li>for each {@link TheoryTarget}, the distances of {@link TheoryComparison}:
 *       {@code dist_<model>_classifier}, {@code _embedding}, {@code _logits}, {@code _mean}.</li>
 * </ul>
 */
public final class StepMetrics {
    private StepMetrics() {
    }

    /** The row at {@code step} for parameters {@code x}; {@code loss} is f(x) computed by the caller. */
    public static Map<String, Object> row(ModelSetup setup, double[] x, long step, long stepsPerEpoch, double loss) {
        LastLayer view = setup.lastLayer();
        double[][] h = view.features(x);
        double[][] w = view.classifier(x);
        double[] b = view.bias(x);
        int[] labels = setup.labels();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("epoch", step / stepsPerEpoch);
        row.put("loss", loss);
        int correct = 0;
        double minMargin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < h.length; i++) {
            double own = logit(w, b, h[i], labels[i]);
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < w.length; c++) {
                if (c != labels[i]) {
                    best = Math.max(best, logit(w, b, h[i], c));
                }
            }
            double margin = own - best;
            if (margin > 0) {
                correct++;
            }
            minMargin = Math.min(minMargin, margin);
        }
        row.put("accuracy", correct / (double) h.length);
        row.put("min_margin", minMargin);
        FeatureRows rows = FeatureRows.of(h);
        Map<String, Object> collapse = CollapseMetrics.compute(rows, labels, w, b);
        collapse.forEach((key, value) -> {
            if (row.containsKey(key)) {
                return;
            }
            if (value instanceof Number) {
                row.put(key, value);
            } else if (value instanceof double[] v) {
                for (int i = 0; i < v.length; i++) {
                    row.put(key + "_" + i, v[i]);
                }
            } else if (value instanceof int[] v) {
                for (int i = 0; i < v.length; i++) {
                    row.put(key + "_" + i, v[i]);
                }
            }
        });
        if (!setup.targets().isEmpty()) {
            ClassStatistics stats = ClassStatistics.compute(rows, labels, w.length);
            for (TheoryTarget t : setup.targets()) {
                TheoryComparison c = TheoryComparison.of(t.prediction(), stats, w, t.centring());
                row.put(t.column() + "_classifier", c.distances().classifier());
                row.put(t.column() + "_embedding", c.distances().embedding());
                row.put(t.column() + "_logits", c.distances().logits());
                row.put(t.column() + "_mean", c.mean());
            }
        }
        return row;
    }

    private static double logit(double[][] w, double[] b, double[] h, int c) {
        double s = b == null ? 0 : b[c];
        for (int j = 0; j < h.length; j++) {
            s += w[c][j] * h[j];
        }
        return s;
    }
}
