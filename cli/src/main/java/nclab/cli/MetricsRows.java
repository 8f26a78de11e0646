package nclab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The first and last rows of a run's metrics.csv, as column → text (for summaries printed by commands). */
final class MetricsRows {
    private MetricsRows() {
    }

    static Map<String, String> first(Path csv) {
        List<String> lines = lines(csv);
        return row(lines.get(0), lines.size() > 1 ? lines.get(1) : "");
    }

    static Map<String, String> last(Path csv) {
        List<String> lines = lines(csv);
        return row(lines.get(0), lines.get(lines.size() - 1));
    }

    private static List<String> lines(Path csv) {
        try {
            return Files.readAllLines(csv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> row(String header, String line) {
        String[] keys = header.split(",");
        String[] cells = line.split(",", -1);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < keys.length && i < cells.length; i++) {
            row.put(keys[i], cells[i]);
        }
        return row;
    }
}
