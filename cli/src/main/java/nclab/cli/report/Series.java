package nclab.cli.report;

import java.util.Objects;

import nclab.InvalidInputException;

/**
 * One plotted series: points (x[i], y[i]) with a line style and optional markers. By the report's
 * convention theory is drawn as lines and measurement as markers (or as a line with markers when it is a
 * trajectory over steps or epochs).
 *
 * @param label   legend text
 * @param x       x values
 * @param y       y values, as many as x
 * @param dash    line style; {@link Dash#NONE} draws markers only
 * @param markers whether each point gets a circle marker
 * @param colour  CSS hex colour, {@code #rrggbb}
 */
public record Series(String label, double[] x, double[] y, Dash dash, boolean markers, String colour) {

    /** Line styles, with their SVG {@code stroke-dasharray} (null = solid). */
    public enum Dash {
        SOLID(null), DASHED(new float[] {7, 4}), DOTTED(new float[] {2, 3}), DASH_DOT(new float[] {8, 3, 2, 3}),
        LONG_DASH(new float[] {14, 5}), NONE(null);

        private final float[] pattern;

        Dash(float[] pattern) {
            this.pattern = pattern;
        }

        /** The dash pattern in pixels (on, off, ...), or null for a solid line or no line. */
        public float[] pattern() {
            return pattern == null ? null : pattern.clone();
        }
    }

    public Series {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(dash, "dash");
        InvalidInputException.require(x.length == y.length, "series '" + label + "': " + x.length + " x values but "
                + y.length + " y values");
        InvalidInputException.require(colour != null && colour.matches("#[0-9a-fA-F]{6}"),
                "series '" + label + "': colour must be #rrggbb, got " + colour);
        InvalidInputException.require(dash != Dash.NONE || markers, "series '" + label + "': neither line nor markers");
        x = x.clone();
        y = y.clone();
    }

    /** A solid line without markers (theory, or a long measured trajectory). */
    public static Series line(String label, double[] x, double[] y, String colour) {
        return new Series(label, x, y, Dash.SOLID, false, colour);
    }

    /** Markers only (a measurement). */
    public static Series markers(String label, double[] x, double[] y, String colour) {
        return new Series(label, x, y, Dash.NONE, true, colour);
    }

    /** The same series with another line style. */
    public Series withDash(Dash newDash) {
        return new Series(label, x, y, newDash, markers, colour);
    }

    /** The same series with or without markers. */
    public Series withMarkers(boolean on) {
        return new Series(label, x, y, dash, on, colour);
    }

    /** Whether a line is drawn. */
    public boolean hasLine() {
        return dash != Dash.NONE;
    }

    /** Number of points. */
    public int size() {
        return x.length;
    }
}
