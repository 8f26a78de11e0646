package nclab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import nclab.cli.report.LineChart;
import nclab.cli.report.Plot;
import nclab.cli.report.Plots;
import nclab.cli.report.Series;
import nclab.io.AtomicFiles;
import nclab.sweep.SweepAxis;
import nclab.sweep.SweepPlan;
import nclab.sweep.SweepRecord;

/**
 * The sweep's chosen metric plotted against each numeric axis: {@code OUT/plots/metric-<metric>-vs-<axis>.png} and
 * {@code .svg}. Every completed run with a finite value is a marker; the line is the mean over the runs at each axis
 * value, one line per value of a second axis when the sweep has one with at most {@value #MAX_GROUPS} values (the
 * remaining axes, seeds included, are averaged over), else one line. Axes whose values are not all numbers, and the
 * {@code seed} axis, get no plot. The x axis is logarithmic beyond two decades ({@link Plots#useLogX}).
 */
final class SweepPlots {
    static final int MAX_GROUPS = 6;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

    private SweepPlots() {
    }

    /** Writes the plots into {@code out/plots} and returns their PNG files. */
    static List<Path> write(Path out, SweepPlan plan, List<SweepRecord> records, String metric) {
        List<Path> files = new ArrayList<>();
        List<LineChart> charts = charts(plan, records, metric);
        if (charts.isEmpty()) {
            return files;
        }
        try {
            Files.createDirectories(out.resolve("plots"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (LineChart chart : charts) {
            Plot plot = Plots.render(chart);
            Path png = out.resolve("plots").resolve(plot.id() + ".png");
            AtomicFiles.write(png, plot.png());
            AtomicFiles.writeString(out.resolve("plots").resolve(plot.id() + ".svg"), plot.svg());
            files.add(png);
        }
        return files;
    }

    /** One chart per numeric non-seed axis with at least two values. */
    static List<LineChart> charts(SweepPlan plan, List<SweepRecord> records, String metric) {
        List<SweepAxis> axes = plan.config().axes();
        List<LineChart> charts = new ArrayList<>();
        for (SweepAxis axis : axes) {
            if (!plottable(axis, records)) {
                continue;
            }
            SweepAxis group = null;
            for (SweepAxis other : axes) {
                long values = distinct(other, records);
                if (other != axis && !other.key().equals("seed") && values >= 2 && values <= MAX_GROUPS) {
                    group = other;
                    break;
                }
            }
            charts.add(chart(axis, group, records, metric));
        }
        return charts;
    }

    private static LineChart chart(SweepAxis axis, SweepAxis group, List<SweepRecord> records, String metric) {
        Map<String, TreeMap<Double, List<Double>>> byGroup = new LinkedHashMap<>();
        for (SweepRecord r : records) {
            Object m = r.outcome().finalRow().get(metric);
            if (!r.outcome().completed() || !(m instanceof Number num) || !Double.isFinite(num.doubleValue())) {
                continue;
            }
            String g = group == null ? "" : group.key() + " = " + SweepPlan.text(r.run().params().get(group.key()));
            double x = Double.parseDouble(SweepPlan.text(r.run().params().get(axis.key())));
            byGroup.computeIfAbsent(g, k -> new TreeMap<>()).computeIfAbsent(x, k -> new ArrayList<>()).add(num.doubleValue());
        }
        List<Series> series = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, TreeMap<Double, List<Double>>> e : byGroup.entrySet()) {
            String colour = COLOURS[i++ % COLOURS.length];
            TreeMap<Double, List<Double>> points = e.getValue();
            double[] xs = points.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            double[] means = points.values().stream().mapToDouble(v -> v.stream().mapToDouble(Double::doubleValue).average()
                    .orElse(Double.NaN)).toArray();
            List<Double> rx = new ArrayList<>();
            List<Double> ry = new ArrayList<>();
            points.forEach((x, values) -> values.forEach(v -> {
                rx.add(x);
                ry.add(v);
            }));
            String label = e.getKey().isEmpty() ? "" : e.getKey() + ": ";
            series.add(Series.line(label + "mean over runs", xs, means, colour));
            series.add(Series.markers(label + "runs", rx.stream().mapToDouble(Double::doubleValue).toArray(),
                    ry.stream().mapToDouble(Double::doubleValue).toArray(), colour));
        }
        String id = ("metric-" + metric + "-vs-" + axis.key()).replaceAll("[^A-Za-z0-9_-]", "-");
        return Plots.lineChart(id, metric + " vs " + axis.key(), axis.key(), metric, false, series,
                "Markers: each completed run's final " + metric + "; lines: their mean at each " + axis.key()
                        + (group == null ? "" : ", one line per " + group.key()) + "; other axes averaged over.");
    }

    private static boolean plottable(SweepAxis axis, List<SweepRecord> records) {
        if (axis.key().equals("seed") || distinct(axis, records) < 2) {
            return false;
        }
        for (SweepRecord r : records) {
            try {
                Double.parseDouble(SweepPlan.text(r.run().params().get(axis.key())));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static long distinct(SweepAxis axis, List<SweepRecord> records) {
        return records.stream().map(r -> SweepPlan.text(r.run().params().get(axis.key()))).distinct().count();
    }
}
