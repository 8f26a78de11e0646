package nclab.cli.report;

import java.util.List;

import nclab.InvalidInputException;

/**
 * What one line chart shows, independent of the output format: title, axis labels and scales, and the
 * series (already restricted to points the axes can show: finite, and positive on a log axis).
 *
 * @param id      short identifier, used in file names and HTML ids (letters, digits, '-', '_')
 * @param title   chart title
 * @param xLabel  x-axis label
 * @param yLabel  y-axis label
 * @param logX    base-10 logarithmic x axis
 * @param logY    base-10 logarithmic y axis
 * @param series  at least one series, each with at least one point
 * @param caption text shown under the chart (what was left out, what the styles mean)
 */
public record LineChart(String id, String title, String xLabel, String yLabel, boolean logX, boolean logY,
        List<Series> series, String caption) {

    public LineChart {
        InvalidInputException.require(id != null && id.matches("[A-Za-z0-9_-]+"), "chart id must be letters, digits, '-' or '_': " + id);
        InvalidInputException.require(!series.isEmpty(), "chart '" + id + "' has no series");
        series = List.copyOf(series);
        for (Series s : series) {
            InvalidInputException.require(s.size() > 0, "chart '" + id + "': series '" + s.label() + "' has no points");
            for (int i = 0; i < s.size(); i++) {
                InvalidInputException.require(Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])
                        && (!logX || s.x()[i] > 0) && (!logY || s.y()[i] > 0),
                        "chart '" + id + "': series '" + s.label() + "' point " + i + " cannot be shown on these axes");
            }
        }
    }
}
