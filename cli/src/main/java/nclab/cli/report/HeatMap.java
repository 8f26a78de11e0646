package nclab.cli.report;

import nclab.InvalidInputException;

/**
 * A K×K matrix drawn as coloured cells (row 0 at the top) on a diverging scale symmetric about 0, with
 * majority/minority separator lines after the first {@code split} rows and columns (classes ordered
 * majorities first, as {@code ClassSizes.step} orders them). Used for Gram matrices such as the class-mean
 * cosines μ̂_iᵀμ̂_j.
 *
 * @param id      identifier (letters, digits, '-', '_')
 * @param title   title
 * @param values  square matrix; non-finite entries are drawn grey
 * @param split   number of majority classes (0 or K: no separator)
 * @param caption text under the plot
 */
public record HeatMap(String id, String title, double[][] values, int split, String caption) {
    public HeatMap {
        InvalidInputException.require(id != null && id.matches("[A-Za-z0-9_-]+"), "heat map id must be letters, digits, '-' or '_': " + id);
        int k = values.length;
        InvalidInputException.require(k >= 1, "heat map '" + id + "': empty matrix");
        double[][] copy = new double[k][];
        for (int i = 0; i < k; i++) {
            InvalidInputException.require(values[i].length == k, "heat map '" + id + "': row " + i + " has "
                    + values[i].length + " entries, expected " + k + " (square matrix)");
            copy[i] = values[i].clone();
        }
        values = copy;
        InvalidInputException.require(split >= 0 && split <= k, "heat map '" + id + "': split " + split + " outside 0.." + k);
    }

    /** Half-width of the colour scale: max |value| over finite entries (1 when there is none or it is 0). */
    public double scale() {
        double m = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    m = Math.max(m, Math.abs(v));
                }
            }
        }
        return m > 0 ? m : 1;
    }

    /** The diverging colour of a value in [−scale, scale]: blue (negative) – white – red (positive); grey for NaN. */
    public static int[] rgb(double v, double scale) {
        if (!Double.isFinite(v)) {
            return new int[] {200, 200, 200};
        }
        double t = Math.max(-1, Math.min(1, v / scale));
        int[] blue = {33, 102, 172};
        int[] red = {178, 24, 43};
        int[] end = t < 0 ? blue : red;
        double a = Math.abs(t);
        int[] c = new int[3];
        for (int i = 0; i < 3; i++) {
            c[i] = (int) Math.round(255 + a * (end[i] - 255));
        }
        return c;
    }
}
