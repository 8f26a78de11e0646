package nclab.cli.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import nclab.InvalidInputException;
import nclab.experiment.ConfigReader;

/**
 * One run directory of {@code nclab solve} or {@code nclab train}, read for a report: the resolved
 * {@code config.yaml}, {@code provenance.json}, {@code summary.json} and every column of {@code metrics.csv}
 * as a {@code double[]} (the text {@code NaN}, and an empty cell, read as NaN).
 *
 * <p>The kind of run follows from the first column of {@code metrics.csv}: {@code step} for {@code solve},
 * {@code epoch} for {@code train}. Only {@code metrics.csv} is required; a missing config, provenance or
 * summary file reads as an empty map.
 *
 * @param dir        the run directory
 * @param kind       {@code "solve"} or {@code "train"}
 * @param config     the resolved settings (key → YAML value), in file order
 * @param provenance git commit, versions, seed, host (key → JSON value)
 * @param summary    status, message and the final metrics row (key → JSON value)
 * @param columns    column name → values, one per metrics row, in the file's column order
 */
public record RunData(Path dir, String kind, Map<String, Object> config, Map<String, Object> provenance,
        Map<String, Object> summary, Map<String, double[]> columns) {

    /** The metrics file of a run directory. */
    public static final String METRICS = "metrics.csv";

    public RunData {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /**
     * Reads a run directory.
     *
     * @throws InvalidInputException "&lt;dir&gt;: not a run directory (no metrics.csv)", or a message naming the
     *                               file, line and column of a malformed value
     */
    public static RunData read(Path dir) {
        InvalidInputException.require(Files.isDirectory(dir), dir + ": not a run directory (no such directory)");
        Path metrics = dir.resolve(METRICS);
        InvalidInputException.require(Files.isRegularFile(metrics) || !Files.isRegularFile(dir.resolve("results.csv"))
                || !Files.isDirectory(dir.resolve("runs")), dir + ": not a run directory but a sweep (results.csv, runs/):"
                + " pass its run directories, " + dir.resolve("runs") + "/*");
        InvalidInputException.require(Files.isRegularFile(metrics), dir + ": not a run directory (no metrics.csv)");
        Map<String, double[]> columns = readCsv(metrics);
        String first = columns.keySet().iterator().next();
        String kind = switch (first) {
            case "step" -> "solve";
            case "epoch" -> "train";
            default -> throw new InvalidInputException(metrics + ": first column is '" + first
                    + "'; expected 'step' (nclab solve) or 'epoch' (nclab train)");
        };
        Path configFile = dir.resolve("config.yaml");
        Map<String, Object> config = Files.isRegularFile(configFile) ? ConfigReader.readYamlMap(configFile) : Map.of();
        return new RunData(dir, kind, config, readJson(dir.resolve("provenance.json")),
                readJson(dir.resolve("summary.json")), columns);
    }

    /** Name of the x column: {@code step} or {@code epoch}. */
    public String xColumn() {
        return columns.keySet().iterator().next();
    }

    /** The x values (steps or epochs; a copy). */
    public double[] x() {
        return columns.get(xColumn()).clone();
    }

    /** Number of metrics rows. */
    public int rows() {
        return columns.get(xColumn()).length;
    }

    /** Whether the metrics have this column. */
    public boolean has(String column) {
        return columns.containsKey(column);
    }

    /** The values of one column (a copy). */
    public double[] column(String name) {
        double[] values = columns.get(name);
        InvalidInputException.require(values != null, dir.resolve(METRICS) + ": no column '" + name + "'");
        return values.clone();
    }

    /** Column names in file order. */
    public List<String> columnNames() {
        return List.copyOf(columns.keySet());
    }

    /** The run's status from summary.json ("completed", "diverged", ...), or "unknown". */
    public String status() {
        return String.valueOf(summary.getOrDefault("status", "unknown"));
    }

    /** The run's message from summary.json, or "". */
    public String message() {
        return String.valueOf(summary.getOrDefault("message", ""));
    }

    /** The last finite value of a column, or NaN when it has none or the column is missing. */
    public double lastFinite(String name) {
        double[] v = columns.get(name);
        if (v != null) {
            for (int i = v.length - 1; i >= 0; i--) {
                if (Double.isFinite(v[i])) {
                    return v[i];
                }
            }
        }
        return Double.NaN;
    }

    /** The first finite value of a column, or NaN when it has none or the column is missing. */
    public double firstFinite(String name) {
        double[] v = columns.get(name);
        if (v != null) {
            for (double value : v) {
                if (Double.isFinite(value)) {
                    return value;
                }
            }
        }
        return Double.NaN;
    }

    static Map<String, double[]> readCsv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        InvalidInputException.require(!lines.isEmpty() && !lines.get(0).isBlank(), file + ": empty (no header)");
        String[] header = lines.get(0).strip().split(",", -1);
        List<double[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            InvalidInputException.require(cells.length == header.length, file + ": line " + (i + 1) + " has "
                    + cells.length + " values, the header has " + header.length);
            double[] row = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                row[c] = parse(cells[c], file, i + 1, header[c]);
            }
            rows.add(row);
        }
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (int c = 0; c < header.length; c++) {
            String name = header[c].strip();
            InvalidInputException.require(!name.isEmpty(), file + ": empty column name at position " + (c + 1));
            InvalidInputException.require(!columns.containsKey(name), file + ": duplicate column '" + name + "'");
            double[] values = new double[rows.size()];
            for (int r = 0; r < values.length; r++) {
                values[r] = rows.get(r)[c];
            }
            columns.put(name, values);
        }
        return columns;
    }

    private static double parse(String cell, Path file, int line, String column) {
        String s = cell.strip();
        if (s.isEmpty() || s.equalsIgnoreCase("nan") || s.equals("null")) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(file + ": line " + line + ", column '" + column + "': '" + s
                    + "' is not a number");
        }
    }

    private static Map<String, Object> readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            Map<String, Object> map = new ObjectMapper().readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() { });
            return map == null ? Map.of() : map;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidInputException(file + ": malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
