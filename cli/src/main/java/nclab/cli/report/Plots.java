package nclab.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The plotting layer of reports: builds line charts of metrics columns against step or epoch, applies
 * the axis rules, and renders every chart as PNG (JFreeChart) and SVG ({@link SvgWriter}).
 *
 * <p>Axis rules. The x axis is logarithmic when its positive values span more than two decades
 * (max/min &gt; 100, zero excluded), which is the case for the log-spaced schedules of {@code nclab solve};
 * x = 0 (the initialisation) cannot be shown there and is dropped, and the caption says so. On a log y
 * axis non-positive values are dropped likewise. Non-finite values (NaN in metrics.csv) are never drawn.
 * Styles: theory (predictions) as lines, measurements as markers, or, for a measured trajectory, as a line
 * with markers when it has at most {@value #MARKER_LIMIT} points.
 */
public final class Plots {
    static {
        Headless.ensure();
    }

    /** A measured trajectory with at most this many points gets markers on its line. */
    public static final int MARKER_LIMIT = 30;

    /** Above this final {@code lpm_rel_gap} the captions of the LPM series say the solve had not converged. */
    public static final double LPM_GAP_WARNING = 1e-3;

    /** Predicted geometries in the order of the distance columns, with their colour and line style. */
    private static final Map<String, Style> MODELS = new LinkedHashMap<>();

    static {
        MODELS.put("etf", new Style("#1f77b4", Series.Dash.DASHED));
        MODELS.put("seli", new Style("#d62728", Series.Dash.SOLID));
        MODELS.put("lpm", new Style("#2ca02c", Series.Dash.DOTTED));
        MODELS.put("relu_ufm", new Style("#9467bd", Series.Dash.DASH_DOT));
        MODELS.put("lext", new Style("#ff7f0e", Series.Dash.LONG_DASH));
    }

    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private static final Pattern DIST = Pattern.compile("dist_(.+)_(classifier|embedding|logits|mean)");
    private static final Pattern LAYER = Pattern.compile("layer(\\d+)_(.+)");

    private record Style(String colour, Series.Dash dash) {
    }

    private Plots() {
    }

    /** Whether an x axis with these values is logarithmic: positive finite values span more than 2 decades. */
    public static boolean useLogX(double[] x) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double v : x) {
            if (Double.isFinite(v) && v > 0) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return max > 0 && max / min > 100;
    }

    /**
     * A line chart with the axis rules applied: the x scale from {@link #useLogX} over all series, points
     * the axes cannot show dropped (and named in the caption), series left without points omitted.
     *
     * @return the chart, or null when no series has a point to show
     */
    public static LineChart lineChart(String id, String title, String xLabel, String yLabel, boolean logY,
            List<Series> series, String caption) {
        List<Double> all = new ArrayList<>();
        for (Series s : series) {
            for (double v : s.x()) {
                all.add(v);
            }
        }
        boolean logX = useLogX(all.stream().mapToDouble(Double::doubleValue).toArray());
        boolean droppedX = false;
        boolean droppedY = false;
        List<Series> kept = new ArrayList<>();
        for (Series s : series) {
            double[] xs = new double[s.size()];
            double[] ys = new double[s.size()];
            int n = 0;
            for (int i = 0; i < s.size(); i++) {
                double x = s.x()[i];
                double y = s.y()[i];
                if (!Double.isFinite(x) || !Double.isFinite(y)) {
                    continue;
                }
                if (logX && x <= 0) {
                    droppedX = true;
                    continue;
                }
                if (logY && y <= 0) {
                    droppedY = true;
                    continue;
                }
                xs[n] = x;
                ys[n] = y;
                n++;
            }
            if (n > 0) {
                kept.add(new Series(s.label(), java.util.Arrays.copyOf(xs, n), java.util.Arrays.copyOf(ys, n), s.dash(),
                        s.markers(), s.colour()));
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder(caption == null ? "" : caption);
        if (droppedX) {
            append(text, xLabel + " = 0 (the initialisation) is not shown on the log x axis.");
        }
        if (droppedY) {
            append(text, "Values ≤ 0 are not shown on the log y axis.");
        }
        return new LineChart(id, title, xLabel, yLabel, logX, logY, kept, text.toString());
    }

    /** Renders a line chart as PNG and SVG. */
    public static Plot render(LineChart chart) {
        return new Plot(chart.id(), chart.title(), chart.caption(), PngWriter.lineChart(chart), SvgWriter.lineChart(chart));
    }

    /** Renders a heat map as PNG and SVG. */
    public static Plot render(HeatMap map) {
        return new Plot(map.id(), map.title(), map.caption(), PngWriter.heatMap(map), SvgWriter.heatMap(map));
    }

    /**
     * Cosines between class means, μ̂_iᵀμ̂_j with μ_c the mean of the rows of {@code features} labelled c
     * (not centred); NaN where a mean is zero. The matrix of the HᵀH heat maps (seed 001, Fig. 3).
     */
    public static double[][] classMeanCosines(double[][] features, int[] labels, int k) {
        int d = features.length == 0 ? 0 : features[0].length;
        double[][] mean = new double[k][d];
        int[] count = new int[k];
        for (int i = 0; i < features.length; i++) {
            int c = labels[i];
            nclab.InvalidInputException.require(c >= 0 && c < k, "label " + c + " of row " + i + " outside 0.." + (k - 1));
            count[c]++;
            for (int j = 0; j < d; j++) {
                mean[c][j] += features[i][j];
            }
        }
        double[] norm = new double[k];
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                mean[c][j] /= Math.max(1, count[c]);
                s += mean[c][j] * mean[c][j];
            }
            norm[c] = Math.sqrt(s);
        }
        double[][] cos = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += mean[a][j] * mean[b][j];
                }
                cos[a][b] = norm[a] > 0 && norm[b] > 0 ? s / (norm[a] * norm[b]) : Double.NaN;
            }
        }
        return cos;
    }

    /**
     * The standard panels of one run, in this order, each only when its columns exist and hold a finite
     * value: NC1; distances to each predicted geometry (classifier, embedding, logits); accuracy; loss;
     * norm ratios; minority cosines (LPM prediction as a line, measurements as markers); per-layer rank
     * and DNC1 of a head.
     */
    public static List<LineChart> standardCharts(RunData run) {
        List<LineChart> charts = new ArrayList<>();
        String xl = run.xColumn();
        double gap = run.lastFinite("lpm_rel_gap");
        String lpmNote = gap > LPM_GAP_WARNING
                ? " The Layer-Peeled solve of the last logged " + xl + " stopped at relative duality gap "
                        + Checks.num(gap) + " (budget-bounded in nclab train): its lpm values are those of an unconverged solve;"
                        + " nclab analyze on the exported files runs the full budget."
                : "";
        add(charts, lineChart("nc1", "NC1: within-class variability", xl, "nc1_pinv = tr(Σ_W Σ_B⁺)/K", true,
                measured(run, List.of("nc1_pinv")), null));
        for (String part : List.of("classifier", "embedding", "logits")) {
            List<Series> series = new ArrayList<>();
            for (String model : distanceModels(run)) {
                String col = "dist_" + model + "_" + part;
                if (run.has(col)) {
                    Style st = MODELS.getOrDefault(model, new Style(PALETTE[series.size() % PALETTE.length], Series.Dash.SOLID));
                    series.add(trajectory(run, col, model, st.colour()).withDash(st.dash()));
                }
            }
            add(charts, lineChart("dist-" + part, "Distance to predicted geometry: " + part, xl,
                    "normalised Frobenius distance", false, series, "One line per predicted geometry (etf dashed, seli solid, lpm dotted, relu_ufm dash-dot, lext long dashes)."
                            + (run.has("dist_lpm_" + part) ? lpmNote : "")));
        }
        List<String> acc = run.has("train_acc")
                ? List.of("train_acc", "test_acc", "test_acc_majority", "test_acc_minority")
                : List.of("accuracy", "test_acc", "accuracy_majority", "accuracy_minority", "test_acc_majority", "test_acc_minority");
        add(charts, lineChart("accuracy", "Accuracy", xl, "accuracy", false, measured(run, acc), null));
        add(charts, lineChart("loss", "Loss", xl, "loss", true, measured(run, List.of("loss")), null));
        add(charts, lineChart("norm-ratios", "Norm ratios (majority / minority)", xl, "ratio", false,
                measured(run, List.of("norm_ratio_W", "norm_ratio_M")), null));
        List<Series> cos = new ArrayList<>();
        if (run.has("lpm_minority_cos_W")) {
            cos.add(Series.line("lpm_minority_cos_W (LPM prediction)", run.x(), run.column("lpm_minority_cos_W"), "#2ca02c"));
        }
        int c = 0;
        for (String col : List.of("minority_cos_W_avg", "minority_cos_M_avg")) {
            if (run.has(col)) {
                cos.add(Series.markers(col + " (measured)", run.x(), run.column(col), c++ == 0 ? "#d62728" : "#1f77b4"));
            }
        }
        add(charts, lineChart("minority-cos", "Average cosine between minority classes", xl, "cosine", false, cos,
                "Theory as a line, measurement as markers." + (run.has("lpm_minority_cos_W") ? lpmNote : "")));
        add(charts, layerChart(run, "rank_M", "Head layers: numerical rank of the class means", false));
        add(charts, layerChart(run, "dnc1", "Head layers: DNC1 (within-class variability)", true));
        return charts;
    }

    /** {@link #standardCharts} rendered. */
    public static List<Plot> standardPanels(RunData run) {
        List<Plot> plots = new ArrayList<>();
        for (LineChart chart : standardCharts(run)) {
            plots.add(render(chart));
        }
        return plots;
    }

    /** Models with distance columns: the known ones in table order, then any others by name. */
    static List<String> distanceModels(RunData run) {
        List<String> found = new ArrayList<>();
        for (String col : run.columnNames()) {
            Matcher m = DIST.matcher(col);
            if (m.matches() && !found.contains(m.group(1))) {
                found.add(m.group(1));
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String known : MODELS.keySet()) {
            if (found.remove(known)) {
                ordered.add(known);
            }
        }
        ordered.addAll(found);
        return ordered;
    }

    private static LineChart layerChart(RunData run, String key, String title, boolean logY) {
        Map<Integer, String> layers = new TreeMap<>();
        for (String col : run.columnNames()) {
            Matcher m = LAYER.matcher(col);
            if (m.matches() && m.group(2).equals(key)) {
                layers.put(Integer.parseInt(m.group(1)), col);
            }
        }
        List<Series> series = new ArrayList<>();
        for (String col : layers.values()) {
            series.add(trajectory(run, col, col, PALETTE[series.size() % PALETTE.length]));
        }
        return lineChart("layer-" + key.replace('_', '-'), title, run.xColumn(), key, logY, series,
                "Layer l = 1..L is the input of head layer l; L+1 the classifier's input.");
    }

    private static List<Series> measured(RunData run, List<String> columns) {
        List<Series> series = new ArrayList<>();
        for (String col : columns) {
            if (run.has(col)) {
                series.add(trajectory(run, col, col, PALETTE[series.size() % PALETTE.length]));
            }
        }
        return series;
    }

    private static Series trajectory(RunData run, String column, String label, String colour) {
        Series s = Series.line(label, run.x(), run.column(column), colour);
        return s.withMarkers(run.rows() <= MARKER_LIMIT);
    }

    private static void add(List<LineChart> charts, LineChart chart) {
        if (chart != null) {
            charts.add(chart);
        }
    }

    private static void append(StringBuilder text, String sentence) {
        if (text.length() > 0) {
            text.append(' ');
        }
        text.append(sentence);
    }
}
