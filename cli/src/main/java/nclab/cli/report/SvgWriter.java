package nclab.cli.report;

import java.util.Locale;

/**
 * Writes charts as standalone SVG 1.1 documents (no scripts, no external resources): axes with ticks
 * and grid lines, one {@code <polyline>} per series (a markers-only series is a polyline without stroke
 * whose vertices carry an SVG {@code marker}), and a legend; heat maps as a grid of {@code <rect>} cells
 * with separator lines and a colour bar.
 */
final class SvgWriter {
    static final int WIDTH = 640;
    static final int HEIGHT = 400;
    private static final int LEFT = 70;
    private static final int TOP = 36;
    private static final int PLOT_RIGHT = 620;
    private static final int PLOT_BOTTOM = 320;
    /** Legend rows start below the x-axis label. */
    private static final int LEGEND_TOP = 370;
    private static final int LEGEND_ROW = 16;

    private SvgWriter() {
    }

    static String lineChart(LineChart chart) {
        double[] xr = range(chart, true);
        double[] yr = range(chart, false);
        Axis xAxis = Axis.covering(xr[0], xr[1], chart.logX());
        Axis yAxis = Axis.covering(yr[0], yr[1], chart.logY());
        int[][] legend = legendLayout(chart);
        int rows = legend.length == 0 ? 0 : legend[legend.length - 1][1] + 1;
        StringBuilder s = header(chart.title(), Math.max(HEIGHT, LEGEND_TOP + rows * LEGEND_ROW));
        s.append("<defs>\n");
        for (int i = 0; i < chart.series().size(); i++) {
            Series ser = chart.series().get(i);
            if (ser.markers()) {
                s.append("<marker id=\"").append(chart.id()).append("-m").append(i)
                        .append("\" viewBox=\"0 0 10 10\" refX=\"5\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\""
                                + " markerUnits=\"userSpaceOnUse\"><circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"")
                        .append(ser.colour()).append("\"/></marker>\n");
            }
        }
        s.append("</defs>\n");
        // frame, grid and ticks
        for (double t : xAxis.ticks()) {
            double px = px(xAxis, t);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#ddd\"/>%n", px, TOP, px, PLOT_BOTTOM));
            s.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, PLOT_BOTTOM + 16, esc(Axis.label(t))));
        }
        for (double t : yAxis.ticks()) {
            double py = py(yAxis, t);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\" stroke=\"#ddd\"/>%n", LEFT, py, PLOT_RIGHT, py));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\">%s</text>%n", LEFT - 5, py + 4, esc(Axis.label(t))));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                (LEFT + PLOT_RIGHT) / 2, PLOT_BOTTOM + 36, esc(chart.xLabel() + (chart.logX() ? " (log)" : ""))));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>%n",
                (TOP + PLOT_BOTTOM) / 2, (TOP + PLOT_BOTTOM) / 2, esc(chart.yLabel() + (chart.logY() ? " (log)" : ""))));
        s.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(PLOT_RIGHT - LEFT)
                .append("\" height=\"").append(PLOT_BOTTOM - TOP).append("\" fill=\"none\" stroke=\"#444\"/>\n");
        // series
        for (int i = 0; i < chart.series().size(); i++) {
            Series ser = chart.series().get(i);
            s.append("<polyline class=\"series\" fill=\"none\" points=\"");
            for (int p = 0; p < ser.size(); p++) {
                s.append(String.format(Locale.ROOT, "%s%.2f,%.2f", p == 0 ? "" : " ", px(xAxis, ser.x()[p]), py(yAxis, ser.y()[p])));
            }
            s.append("\" ").append(stroke(ser));
            if (ser.markers()) {
                String ref = "url(#" + chart.id() + "-m" + i + ")";
                s.append(" marker-start=\"").append(ref).append("\" marker-mid=\"").append(ref).append("\" marker-end=\"").append(ref).append('"');
            }
            s.append("><title>").append(esc(ser.label())).append("</title></polyline>\n");
        }
        // legend, in rows below the plot
        for (int i = 0; i < chart.series().size(); i++) {
            Series ser = chart.series().get(i);
            int lx = legend[i][0];
            int ly = LEGEND_TOP + legend[i][1] * LEGEND_ROW;
            if (ser.hasLine()) {
                s.append("<line x1=\"").append(lx).append("\" y1=\"").append(ly).append("\" x2=\"").append(lx + 28)
                        .append("\" y2=\"").append(ly).append("\" ").append(stroke(ser)).append("/>\n");
            }
            if (ser.markers()) {
                s.append("<circle cx=\"").append(lx + 14).append("\" cy=\"").append(ly).append("\" r=\"3.5\" fill=\"")
                        .append(ser.colour()).append("\"/>\n");
            }
            s.append("<text x=\"").append(lx + 34).append("\" y=\"").append(ly + 4).append("\">").append(esc(ser.label())).append("</text>\n");
        }
        return s.append("</svg>\n").toString();
    }

    static String heatMap(HeatMap map) {
        int k = map.values().length;
        double scale = map.scale();
        int size = PLOT_BOTTOM - TOP;
        double cell = (double) size / k;
        int x0 = LEFT + 40;
        StringBuilder s = header(map.title());
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                int[] c = HeatMap.rgb(map.values()[i][j], scale);
                s.append(String.format(Locale.ROOT, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"rgb(%d,%d,%d)\"><title>[%d][%d] = %s</title></rect>%n",
                        x0 + j * cell, TOP + i * cell, cell, cell, c[0], c[1], c[2], i, j, esc(String.valueOf(map.values()[i][j]))));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.2f\" text-anchor=\"end\">%d</text>%n", x0 - 4, TOP + (i + 0.5) * cell + 4, i));
            s.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x0 + (i + 0.5) * cell, TOP + size + 16, i));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", x0, TOP, size, size));
        if (map.split() > 0 && map.split() < k) {
            double at = map.split() * cell;
            s.append(String.format(Locale.ROOT, "<line class=\"separator\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"black\" stroke-width=\"2\"/>%n", x0 + at, TOP, x0 + at, TOP + size));
            s.append(String.format(Locale.ROOT, "<line class=\"separator\" x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\" stroke=\"black\" stroke-width=\"2\"/>%n", x0, TOP + at, x0 + size, TOP + at));
        }
        // colour bar
        int bx = x0 + size + 30;
        int steps = 40;
        for (int t = 0; t < steps; t++) {
            double v = scale * (1 - 2.0 * (t + 0.5) / steps);
            int[] c = HeatMap.rgb(v, scale);
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.2f\" width=\"16\" height=\"%.2f\" fill=\"rgb(%d,%d,%d)\"/>%n",
                    bx, TOP + t * (double) size / steps, size / (double) steps + 0.5, c[0], c[1], c[2]));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", bx + 20, TOP + 8, esc(Axis.label(scale))));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">0</text>%n", bx + 20, TOP + size / 2 + 4));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", bx + 20, TOP + size, esc(Axis.label(-scale))));
        return s.append("</svg>\n").toString();
    }

    /** For each series its legend entry's x and row: entries flow left to right, about 6.5 px per character. */
    private static int[][] legendLayout(LineChart chart) {
        int[][] at = new int[chart.series().size()][];
        int x = LEFT;
        int row = 0;
        for (int i = 0; i < at.length; i++) {
            int width = 34 + (int) Math.ceil(6.5 * chart.series().get(i).label().length()) + 18;
            if (x > LEFT && x + width > WIDTH - 10) {
                x = LEFT;
                row++;
            }
            at[i] = new int[] {x, row};
            x += width;
        }
        return at;
    }

    private static StringBuilder header(String title) {
        return header(title, HEIGHT);
    }

    private static StringBuilder header(String title, int height) {
        StringBuilder s = new StringBuilder(8192);
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<text x=\"").append(WIDTH / 2).append("\" y=\"22\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">")
                .append(esc(title)).append("</text>\n");
        return s;
    }

    private static String stroke(Series ser) {
        if (!ser.hasLine()) {
            return "stroke=\"none\"";
        }
        StringBuilder s = new StringBuilder("stroke=\"").append(ser.colour()).append("\" stroke-width=\"1.8\"");
        float[] dash = ser.dash().pattern();
        if (dash != null) {
            s.append(" stroke-dasharray=\"");
            for (int i = 0; i < dash.length; i++) {
                s.append(i == 0 ? "" : ",").append((int) dash[i]);
            }
            s.append('"');
        }
        return s.toString();
    }

    private static double px(Axis a, double v) {
        return LEFT + a.fraction(v) * (PLOT_RIGHT - LEFT);
    }

    private static double py(Axis a, double v) {
        return PLOT_BOTTOM - a.fraction(v) * (PLOT_BOTTOM - TOP);
    }

    static double[] range(LineChart chart, boolean x) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : chart.series()) {
            for (double v : x ? s.x() : s.y()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return new double[] {min, max};
    }

    static String esc(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> s.append("&amp;");
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '"' -> s.append("&quot;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }
}
