package nclab.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import nclab.io.CsvWriter;
import nclab.io.ParquetWriter;

/**
 * The results table of a sweep, {@code out/results.csv} and the same table as {@code out/results.parquet}: one
 * row per finished run in plan order, with columns {@code id}, every axis key, {@code status}, {@code message},
 * {@code seconds}, then every numeric column of the runs' final metrics rows (the union, in order of first
 * appearance; empty / null where a run lacks it). Each file is written atomically ({@link CsvWriter},
 * {@link ParquetWriter}), so a reader never sees half a table.
 *
 * <p>Parquet column types: {@code id}, {@code status}, {@code message} STRING; {@code seconds} DOUBLE; an axis INT64
 * when all its values are whole-number literals (e.g. {@code d}, {@code seed}), DOUBLE when all are numbers, else
 * STRING holding the same text as the CSV (e.g. {@code 5,5,20,10}); a metric column INT64 when every run's value is
 * an integer (e.g. {@code step}, {@code rank_WM}), else DOUBLE. Each Parquet value reads back to the CSV field's
 * text: INT64 as the integer, DOUBLE as the double that the CSV's text parses to, null as an empty field.
 */
public final class SweepResults {
    /** File name of the table in the sweep directory. */
    public static final String FILE = "results.csv";
    /** File name of the same table as Parquet. */
    public static final String PARQUET_FILE = "results.parquet";

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

    /** Atomically (re)writes {@code out/results.csv} and {@code out/results.parquet} with {@code records} (in plan order). */
    public static void write(Path out, SweepPlan plan, List<SweepRecord> records) {
        List<SweepRecord> sorted = new ArrayList<>(records);
        sorted.sort((a, b) -> Integer.compare(a.run().index(), b.run().index()));
        List<String> header = header(plan, sorted);
        List<SweepAxis> axes = plan.config().axes();
        int fixed = 4 + axes.size();
        List<List<Object>> csvRows = new ArrayList<>();
        List<List<Object>> parquetRows = new ArrayList<>();
        for (SweepRecord r : sorted) {
            List<Object> csv = new ArrayList<>();
            List<Object> parquet = new ArrayList<>();
            csv.add(r.run().id());
            parquet.add(r.run().id());
            for (SweepAxis a : axes) {
                Object value = r.run().params().get(a.key());
                csv.add(SweepPlan.text(value));
                parquet.add(axisType(a) == ParquetWriter.Type.STRING ? SweepPlan.text(value) : value);
            }
            for (List<Object> row : List.of(csv, parquet)) {
                row.add(r.outcome().status());
                row.add(oneLine(r.outcome().message()));
                row.add(r.outcome().seconds());
            }
            for (String col : header.subList(fixed, header.size())) {
                Object v = r.outcome().finalRow().get(col);
                csv.add(v instanceof Number ? v : null);
                parquet.add(v instanceof Number ? v : null);
            }
            csvRows.add(csv);
            parquetRows.add(parquet);
        }
        try (CsvWriter csv = CsvWriter.open(out.resolve(FILE), header)) {
            for (List<Object> row : csvRows) {
                csv.row(row);
            }
        }
        List<ParquetWriter.Column> columns = new ArrayList<>();
        columns.add(new ParquetWriter.Column("id", ParquetWriter.Type.STRING));
        for (SweepAxis a : axes) {
            columns.add(new ParquetWriter.Column(a.key(), axisType(a)));
        }
        columns.add(new ParquetWriter.Column("status", ParquetWriter.Type.STRING));
        columns.add(new ParquetWriter.Column("message", ParquetWriter.Type.STRING));
        columns.add(new ParquetWriter.Column("seconds", ParquetWriter.Type.DOUBLE));
        for (int c = fixed; c < header.size(); c++) {
            boolean integral = true;
            for (List<Object> row : parquetRows) {
                integral &= row.get(c) == null || integral(row.get(c));
            }
            columns.add(new ParquetWriter.Column(header.get(c), integral ? ParquetWriter.Type.INT64 : ParquetWriter.Type.DOUBLE));
        }
        ParquetWriter.write(out.resolve(PARQUET_FILE), columns, parquetRows);
    }

    /** The Parquet type of an axis column: INT64 if all its values are integers, DOUBLE if all are numbers, else STRING. */
    static ParquetWriter.Type axisType(SweepAxis axis) {
        if (axis.values().stream().allMatch(SweepResults::integral)) {
            return ParquetWriter.Type.INT64;
        }
        return axis.values().stream().allMatch(v -> v instanceof Number) ? ParquetWriter.Type.DOUBLE : ParquetWriter.Type.STRING;
    }

    private static boolean integral(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
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
