package nclab.cli;

import java.util.List;
import java.util.Map;

/**
 * Plain-text rendering of numbers, vectors, matrices and nested maps for terminal output.
 * Undefined values (NaN) print as "undef".
 */
final class TextFormat {
    private TextFormat() {
    }

    static String number(double x) {
        if (Double.isNaN(x)) {
            return "undef";
        }
        if (x == 0) {
            return "0";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(x);
        if (a >= 1e-4 && a < 1e6) {
            String s = String.format("%.6f", x);
            s = s.replaceAll("0+$", "");
            return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        }
        return String.format("%.5e", x);
    }

    static String vector(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(number(v[i]));
        }
        return sb.append(']').toString();
    }

    /** A K×K (or any) matrix as aligned columns, rows and columns labelled 1..n. */
    static String matrix(String title, double[][] m) {
        StringBuilder sb = new StringBuilder(title).append('\n');
        int cols = m.length == 0 ? 0 : m[0].length;
        String[][] cells = new String[m.length][cols];
        int width = 6;
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < cols; j++) {
                cells[i][j] = number(m[i][j]);
                width = Math.max(width, cells[i][j].length());
            }
        }
        sb.append(pad("", 5));
        for (int j = 0; j < cols; j++) {
            sb.append(' ').append(pad(String.valueOf(j + 1), width));
        }
        sb.append('\n');
        for (int i = 0; i < m.length; i++) {
            sb.append(pad(String.valueOf(i + 1), 5));
            for (int j = 0; j < cols; j++) {
                sb.append(' ').append(pad(cells[i][j], width));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** key: value lines; nested maps indented, matrices as tables. */
    static void details(StringBuilder sb, Map<String, ?> map, String indent) {
        for (Map.Entry<String, ?> e : map.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> nested) {
                sb.append(indent).append(e.getKey()).append(":\n");
                @SuppressWarnings("unchecked")
                Map<String, ?> typed = (Map<String, ?>) nested;
                details(sb, typed, indent + "  ");
            } else if (v instanceof double[][] m) {
                sb.append(indent).append(matrix(e.getKey() + ":", m).replace("\n", "\n" + indent).stripTrailing()).append('\n');
            } else {
                sb.append(indent).append(e.getKey()).append(": ").append(value(v)).append('\n');
            }
        }
    }

    static String value(Object v) {
        if (v == null) {
            return "undef";
        }
        if (v instanceof Double d) {
            return number(d);
        }
        if (v instanceof Float f) {
            return number(f);
        }
        if (v instanceof double[] a) {
            return vector(a);
        }
        if (v instanceof int[] a) {
            return java.util.Arrays.toString(a);
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(value(list.get(i)));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(v);
    }
}
