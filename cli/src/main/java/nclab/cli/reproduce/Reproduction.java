package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import nclab.cli.report.Check;
import nclab.cli.report.HeatMap;
import nclab.cli.report.LineChart;

/**
 * One reproducible figure or table of a seed paper, recomputed by {@code nclab reproduce ID}: a stable id,
 * the paper (seed 000..004) and figure it reproduces, every setting used, and a run that writes tidy CSVs
 * and returns the charts and the checks (paper claim, predicted, measured, tolerance, pass).
 */
public interface Reproduction {

    /** How much work a run does: {@code QUICK} fits 2 CPU cores in minutes, {@code PAPER} uses the paper's settings. */
    enum Profile {
        QUICK, PAPER;

        /** Parses "quick" or "paper" (any case). */
        public static Profile parse(String text) {
            for (Profile p : values()) {
                if (p.name().equalsIgnoreCase(text)) {
                    return p;
                }
            }
            throw new nclab.InvalidInputException("profile must be quick or paper, got '" + text + "'");
        }
    }

    /**
     * What a run produced.
     *
     * @param charts   the plotted charts (rendered to PNG and SVG by the command)
     * @param heatMaps the heat maps (e.g. a Gram or logit matrix, majority/minority separator), after the charts
     * @param checks   the checks of the paper's claims
     * @param csvFiles the tidy CSV files written (every plotted series and every heat map's matrix)
     */
    record Result(List<LineChart> charts, List<HeatMap> heatMaps, List<Check> checks, List<Path> csvFiles) {
        public Result {
            charts = List.copyOf(charts);
            heatMaps = List.copyOf(heatMaps);
            checks = List.copyOf(checks);
            csvFiles = List.copyOf(csvFiles);
        }

        /** A result without heat maps. */
        public Result(List<LineChart> charts, List<Check> checks, List<Path> csvFiles) {
            this(charts, List.of(), checks, csvFiles);
        }

        /** Whether every check passes. */
        public boolean passes() {
            return checks.stream().allMatch(Check::pass);
        }
    }

    /** Identifier on the command line, e.g. {@code seli-geometry-vs-r}. */
    String id();

    /** The seed paper, "000".."004". */
    String paper();

    /** The figure or table reproduced, e.g. "Figs. 3, 8". */
    String figure();

    /** One paragraph: what is computed and what to compare it with. */
    String description();

    /** Every setting used, in order, including the choices made where the paper is silent. */
    Map<String, Object> settings(Profile profile);

    /** Runs the reproduction, writing its CSV files into {@code outDir} (which exists). */
    Result run(Profile profile, Path outDir);

    /** The first settings of every reproduction: id, paper and figure, profile (in this order). */
    default Map<String, Object> commonSettings(Profile profile) {
        Map<String, Object> s = new java.util.LinkedHashMap<>();
        s.put("id", id());
        s.put("paper", "seed " + paper() + " " + figure());
        s.put("profile", profile.name().toLowerCase());
        return s;
    }
}
