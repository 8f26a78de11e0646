package nclab.cli.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import nclab.experiment.ConfigReader;

/**
 * A sweep directory of {@code nclab sweep} (results.csv and runs/) in a report: a first section with the sweep file's
 * settings, how many runs completed, and the sweep's metric-vs-axis plots (OUT/plots/*.png with their .svg), followed
 * by the standard section of every run directory under runs/ that holds a metrics.csv, in name order.
 */
public final class SweepSection {
    private SweepSection() {
    }

    /** Whether {@code dir} is a sweep directory (results.csv and a runs/ folder). */
    public static boolean isSweep(Path dir) {
        return Files.isRegularFile(dir.resolve("results.csv")) && Files.isDirectory(dir.resolve("runs"));
    }

    /** The run directories of a sweep that hold a metrics.csv, sorted by name. */
    public static List<Path> runDirs(Path sweep) {
        try (Stream<Path> s = Files.list(sweep.resolve("runs"))) {
            return s.filter(d -> Files.isRegularFile(d.resolve(RunData.METRICS))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sweep's own section: settings of sweep.yaml, the number of runs (rows of results.csv) and how many of its
     * run directories {@code runs} (read from {@link #runDirs}) completed, and its plots.
     */
    public static RunSection of(Path sweep, List<RunData> runs) {
        try {
            Map<String, Object> settings = Files.isRegularFile(sweep.resolve("sweep.yaml"))
                    ? ConfigReader.readYamlMap(sweep.resolve("sweep.yaml")) : Map.of();
            List<String> rows = Files.readAllLines(sweep.resolve("results.csv"));
            long planned = Math.max(0, rows.size() - 1);
            long completed = runs.stream().filter(r -> "completed".equals(r.summary().get("status"))).count();
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("sweep", sweep.toString());
            provenance.put("table", sweep.resolve("results.csv") + " (also results.parquet)");
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("status", completed + " of " + planned + " runs completed");
            summary.put("message", "the sections below are the sweep's run directories");
            Map<String, double[]> columns = new LinkedHashMap<>();
            columns.put("run", new double[Math.toIntExact(planned)]);
            RunData data = new RunData(sweep, "sweep", settings, provenance, summary, columns);
            return new RunSection("sweep " + sweep, data, plots(sweep), List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Plot> plots(Path sweep) throws IOException {
        Path dir = sweep.resolve("plots");
        List<Plot> plots = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return plots;
        }
        List<Path> pngs;
        try (Stream<Path> s = Files.list(dir)) {
            pngs = s.filter(p -> p.getFileName().toString().endsWith(".png")).sorted().toList();
        }
        for (Path png : pngs) {
            String id = png.getFileName().toString().replaceFirst("\\.png$", "");
            Path svg = dir.resolve(id + ".svg");
            plots.add(new Plot(id, id, "nclab sweep's plot " + png.getFileName() + " (markers: runs; lines: means)",
                    Files.readAllBytes(png), Files.isRegularFile(svg) ? Files.readString(svg) : ""));
        }
        return plots;
    }
}
