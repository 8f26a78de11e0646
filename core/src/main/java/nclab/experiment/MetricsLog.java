package nclab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.io.AtomicFiles;

/**
 * The rows of {@code metrics.csv}, held in memory and rewritten atomically after every appended row, so
 * that a killed run leaves a complete table. CSV conventions as {@link nclab.io.CsvWriter}: header line,
 * comma-separated fields, {@code \n} line ends, doubles by {@link Double#toString} ({@code NaN},
 * {@code Infinity}), integers as integers. The header is the key order of the first row; later rows must
 * have the same keys.
 */
public final class MetricsLog {
    private final Path file;
    private List<String> header;
    private final List<String> lines = new ArrayList<>();

    private MetricsLog(Path file) {
        this.file = file;
    }

    /** An empty log for {@code file} (nothing is written until the first row). */
    public static MetricsLog create(Path file) {
        return new MetricsLog(file);
    }

    /**
     * Re-opens a log written by an earlier session, keeping its header and only its first {@code rows} data
     * rows (rows logged after the checkpoint are dropped: the resumed run recomputes them identically).
     */
    public static MetricsLog resume(Path file, int rows) {
        MetricsLog log = new MetricsLog(file);
        if (rows == 0) {
            return log;
        }
        List<String> all;
        try {
            all = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        InvalidInputException.require(all.size() >= rows + 1, file + " has " + Math.max(0, all.size() - 1)
                + " rows but the checkpoint needs " + rows);
        log.header = List.of(all.get(0).split(",", -1));
        log.lines.addAll(all.subList(1, rows + 1));
        return log;
    }

    /** Number of data rows. */
    public int rows() {
        return lines.size();
    }

    /** Appends a row and rewrites the file atomically. */
    public void append(Map<String, Object> row) {
        if (header == null) {
            header = List.copyOf(row.keySet());
        }
        if (!header.equals(new ArrayList<>(row.keySet()))) {
            throw new IllegalStateException("metrics row columns changed: " + row.keySet() + " vs " + header);
        }
        StringBuilder line = new StringBuilder();
        for (Object value : row.values()) {
            if (line.length() > 0) {
                line.append(',');
            }
            line.append(value instanceof Double d ? Double.toString(d) : String.valueOf(value));
        }
        lines.add(line.toString());
        write();
    }

    private void write() {
        StringBuilder text = new StringBuilder(String.join(",", header)).append('\n');
        for (String l : lines) {
            text.append(l).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }

    /** The first row parsed back (column → Double, or Long for whole-number text), empty when none. */
    public Map<String, Object> firstRow() {
        return lines.isEmpty() ? Map.of() : parse(lines.get(0));
    }

    /** The last row parsed back (column → Double, or Long for whole-number text), empty when none. */
    public Map<String, Object> lastRow() {
        return lines.isEmpty() ? Map.of() : parse(lines.get(lines.size() - 1));
    }

    private Map<String, Object> parse(String line) {
        String[] f = line.split(",", -1);
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String v = f[i];
            Object value;
            try {
                value = v.matches("-?[0-9]+") ? (Object) Long.parseLong(v) : (Object) Double.parseDouble(v);
            } catch (NumberFormatException e) {
                value = v;
            }
            m.put(header.get(i), value);
        }
        return m;
    }
}
