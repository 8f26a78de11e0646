package nclab.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nclab.io.CsvWriter;

/**
 * The results table of a sweep, {@code out/results.csv}: one row per finished run in plan order, with columns
 * {@code id}, every axis key, {@code status}, {@code message}, {@code seconds}, then every numeric column of
 * the runs' final metrics rows (the union, in order of first appearance; empty where a run lacks it).
 * Written atomically ({@link CsvWriter}), so a reader never sees half a table.
 */
public final class SweepResults {
    /** File name of the table in the sweep directory. */
    public static final String FILE = "results.csv";

    private SweepResults() {
    }

    /** The header of the table for these records. */
    public static List<String> header(SweepPlan plan, List<SweepRecord> records) {
        List<String> header = new ArrayList<>();
        header.add("id");
        for (SweepAxis a : plan.config().axes()) {
            header.add(a.key());
        }
        header.addAll(List.of("status", "message", "seconds"));
        Set<String> metrics = new LinkedHashSet<>();
        for (SweepRecord r : records) {
            for (Map.Entry<String, Object> e : r.outcome().finalRow().entrySet()) {
                if (e.getValue() instanceof Number && !header.contains(e.getKey())) {
                    metrics.add(e.getKey());
                }
            }
        }
        header.addAll(metrics);
        return header;
    }

    /** Atomically (re)writes {@code out/results.csv} with {@code records} (in plan order). */
    public static void write(Path out, SweepPlan plan, List<SweepRecord> records) {
        List<SweepRecord> sorted = new ArrayList<>(records);
        sorted.sort((a, b) -> Integer.compare(a.run().index(), b.run().index()));
        List<String> header = header(plan, sorted);
        int fixed = 4 + plan.config().axes().size();
        try (CsvWriter csv = CsvWriter.open(out.resolve(FILE), header)) {
            for (SweepRecord r : sorted) {
                List<Object> row = new ArrayList<>();
                row.add(r.run().id());
                for (SweepAxis a : plan.config().axes()) {
                    row.add(SweepPlan.text(r.run().params().get(a.key())));
                }
                row.add(r.outcome().status());
                row.add(oneLine(r.outcome().message()));
                row.add(r.outcome().seconds());
                for (String col : header.subList(fixed, header.size())) {
                    Object v = r.outcome().finalRow().get(col);
                    row.add(v instanceof Number ? v : null);
                }
                csv.row(row);
            }
        }
    }

    private static String oneLine(String s) {
        return s.replace('\r', ' ').replace('\n', ' ').trim();
    }

    /**
     * The mean of {@code metric} over the completed runs for each value of each axis (the other axes averaged
     * out), as rows {@code axis, value, runs, mean, min, max}; runs without a finite value are left out.
     */
    public static List<List<Object>> byAxis(SweepPlan plan, List<SweepRecord> records, String metric) {
        List<List<Object>> rows = new ArrayList<>();
        for (SweepAxis axis : plan.config().axes()) {
            for (Object value : axis.values()) {
                String text = SweepPlan.text(value);
                int n = 0;
                double sum = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (SweepRecord r : records) {
                    Object m = r.outcome().finalRow().get(metric);
                    if (r.outcome().completed() && m instanceof Number num && Double.isFinite(num.doubleValue())
                            && SweepPlan.text(r.run().params().get(axis.key())).equals(text)) {
                        double x = num.doubleValue();
                        n++;
                        sum += x;
                        min = Math.min(min, x);
                        max = Math.max(max, x);
                    }
                }
                rows.add(List.of(axis.key(), text, n, n == 0 ? Double.NaN : sum / n, n == 0 ? Double.NaN : min,
                        n == 0 ? Double.NaN : max));
            }
        }
        return rows;
    }

    /** Atomically writes {@link #byAxis} to {@code out/metric-<metric>.csv} and returns the file. */
    public static Path writeByAxis(Path out, SweepPlan plan, List<SweepRecord> records, String metric) {
        Path file = out.resolve("metric-" + metric.replaceAll("[^A-Za-z0-9._-]", "-") + ".csv");
        try (CsvWriter csv = CsvWriter.open(file, "axis", "value", "runs", "mean", "min", "max")) {
            for (List<Object> row : byAxis(plan, records, metric)) {
                csv.row(row);
            }
        }
        return file;
    }
}
