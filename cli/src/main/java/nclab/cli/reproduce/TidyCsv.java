package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import nclab.io.AtomicFiles;

/** A tidy CSV table built row by row (numbers in full precision, NaN as {@code NaN}), written atomically. */
final class TidyCsv {
    private final List<String> columns;
    private final List<double[]> rows = new ArrayList<>();

    TidyCsv(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    void add(double... row) {
        nclab.InvalidInputException.require(row.length == columns.size(),
                "row has " + row.length + " values for " + columns.size() + " columns");
        rows.add(row.clone());
    }

    List<String> columns() {
        return columns;
    }

    /** Values of one column. */
    double[] column(String name) {
        int c = columns.indexOf(name);
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rows.get(i)[c];
        }
        return v;
    }

    /** Values of one column in the rows where every column named in {@code where} holds the given value. */
    double[] column(String name, Map<String, Double> where) {
        int c = columns.indexOf(name);
        return rows.stream().filter(row -> where.entrySet().stream()
                        .allMatch(w -> row[columns.indexOf(w.getKey())] == w.getValue()))
                .mapToDouble(row -> row[c]).toArray();
    }

    Path write(Path file) {
        StringBuilder s = new StringBuilder(String.join(",", columns)).append('\n');
        for (double[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    s.append(',');
                }
                double v = row[c];
                s.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%d", (long) v)
                        : Double.isNaN(v) ? "NaN" : Double.toString(v));
            }
            s.append('\n');
        }
        AtomicFiles.writeString(file, s.toString());
        return file;
    }

    /** Log-spaced grid: n values from lo to hi (n ≥ 2). */
    static double[] logGrid(double lo, double hi, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = lo * Math.pow(hi / lo, i / (double) (n - 1));
        }
        g[0] = lo;
        g[n - 1] = hi;
        return g;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }
}
