package nclab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

import nclab.metrics.Centring;
import nclab.metrics.ClassStatistics;
import nclab.metrics.CollapseMetrics;
import nclab.metrics.CollapseScan;
import nclab.metrics.FeatureRows;
import nclab.metrics.TheoryComparison;

/**
 * One metrics.csv row for a parameter vector, in column order:
 * <ul>
 *   <li>{@code step}, {@code epoch} (completed epochs, step / steps-per-epoch), {@code loss} (the full
 *       objective f(x), regularisers included);</li>
 *   <li>{@code accuracy}: fraction of samples whose true-class logit z_{y_i} = w_{y_i}·h_i + b_{y_i} beats
 *       every other logit strictly; {@code min_margin} = min_i (z_{i,y_i} − max_{c≠y_i} z_{i,c});
 *       {@code sel_dist}: distance of the normalised N×K logits to the normalised SEL matrix
 *       ({@link #selDistance});</li>
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
        double[][] z = new double[h.length][w.length];
        for (int i = 0; i < h.length; i++) {
            for (int c = 0; c < w.length; c++) {
                z[i][c] = logit(w, b, h[i], c);
            }
        }
        int correct = 0;
        double minMargin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < h.length; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < w.length; c++) {
                if (c != labels[i]) {
                    best = Math.max(best, z[i][c]);
                }
            }
            double margin = z[i][labels[i]] - best;
            if (margin > 0) {
                correct++;
            }
            minMargin = Math.min(minMargin, margin);
        }
        row.put("accuracy", correct / (double) h.length);
        row.put("min_margin", minMargin);
        row.put("sel_dist", selDistance(z, labels));
        FeatureRows rows = FeatureRows.of(h);
        CollapseScan scan = CollapseScan.run(rows, labels, w.length, w, b);
        Map<String, Object> collapse = CollapseMetrics.compute(scan, w, Centring.CLASS_BALANCED, null);
        putNumeric(row, "", collapse);
        ClassStatistics stats = scan.statistics();
        for (TheoryTarget t : setup.targets()) {
            TheoryComparison c = TheoryComparison.of(t.prediction(), stats, w, t.centring());
            row.put(t.column() + "_classifier", c.distances().classifier());
            row.put(t.column() + "_embedding", c.distances().embedding());
            row.put(t.column() + "_logits", c.distances().logits());
            row.put(t.column() + "_mean", c.mean());
        }
        return row;
    }

    /**
     * Copies the numeric entries of {@code metrics} into {@code row} under {@code prefix + key}, arrays spread
     * over columns {@code key_0, key_1, ...}; text entries and keys already in the row are left out.
     */
    public static void putNumeric(Map<String, Object> row, String prefix, Map<String, ?> metrics) {
        metrics.forEach((name, value) -> {
            String key = prefix + name;
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
    }

    /**
     * Sample-level distance to the SEL matrix (seed 000 eq. 5 / Theorem 1, the UF-SVM direction that
     * unregularised CE approaches): ‖Z/‖Z‖_F − Ẑ/‖Ẑ‖_F‖_F with Z the N×K logits and Ẑ_{i,c} = [c = y_i] − 1/K.
     * NaN when all logits are zero.
     */
    static double selDistance(double[][] z, int[] labels) {
        int k = z.length == 0 ? 0 : z[0].length;
        double zz = 0;
        for (double[] row : z) {
            for (double v : row) {
                zz += v * v;
            }
        }
        if (zz == 0) {
            return Double.NaN;
        }
        double zNorm = Math.sqrt(zz);
        double selNorm = Math.sqrt(z.length * (1 - 1.0 / k));
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            for (int c = 0; c < k; c++) {
                double sel = (c == labels[i] ? 1 : 0) - 1.0 / k;
                double e = z[i][c] / zNorm - sel / selNorm;
                s += e * e;
            }
        }
        return Math.sqrt(s);
    }

    private static double logit(double[][] w, double[] b, double[] h, int c) {
        double s = b == null ? 0 : b[c];
        for (int j = 0; j < h.length; j++) {
            s += w[c][j] * h[j];
        }
        return s;
    }
}
