package nclab.cli.reproduce;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import nclab.cli.report.HtmlReport;
import nclab.cli.report.Plot;
import nclab.cli.report.Plots;
import nclab.cli.report.ReportCommand;
import nclab.cli.report.RunData;
import nclab.cli.report.RunSection;
import nclab.io.AtomicFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nclab reproduce --list} and {@code nclab reproduce ID [--profile quick|paper] [--out DIR]}: recomputes one
 * figure of a seed paper ({@link Catalogue}) and writes DIR/settings.json, the tidy CSVs, DIR/plots/*.png and *.svg
 * and DIR/report.html (plots and a checks table: claim, predicted, measured, tolerance, pass).
 *
 * <p>Exit codes: 0 every check passes; 2 unknown id or bad option; 5 written but a check failed (as
 * {@code nclab report}).
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Recompute a figure of a seed paper: CSVs, PNG/SVG plots and report.html with a checks table.",
            "Exit codes: 0 all checks pass, 2 unknown id, 5 written but a check failed."},
        footer = {"", "Examples:", "  nclab reproduce --list", "  nclab reproduce seli-geometry-vs-r",
            "  nclab reproduce lpm-minority-cosine-vs-r --profile paper --out runs/lpm"})
public final class ReproduceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--list", description = "list the reproductions (id, paper, figure, description)")
    boolean list;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "reproduction id (see --list)")
    String id;

    @Option(names = "--profile", paramLabel = "quick|paper", defaultValue = "quick",
            description = "quick (2 CPU cores, minutes) or paper (the paper's settings); default ${DEFAULT-VALUE}")
    String profile;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default runs/reproduce/ID)")
    Path out;

    /** The reproductions offered; package-private so tests can add one. */
    List<Reproduction> catalogue = Catalogue.all();

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (list) {
            for (Reproduction r : catalogue) {
                o.println(r.id() + "\tseed " + r.paper() + " " + r.figure() + "\t" + r.description());
            }
            return 0;
        }
        if (id == null) {
            err.println("nclab reproduce: give an ID or --list; ids: " + String.join(", ", Catalogue.ids(catalogue)));
            return 2;
        }
        var found = Catalogue.find(catalogue, id);
        if (found.isEmpty()) {
            err.println("nclab reproduce: unknown id '" + id + "'; ids: " + String.join(", ", Catalogue.ids(catalogue)));
            return 2;
        }
        Reproduction.Profile p;
        try {
            p = Reproduction.Profile.parse(profile);
        } catch (nclab.InvalidInputException e) {
            err.println("nclab reproduce: " + e.getMessage());
            return 2;
        }
        Path dir = out != null ? out : Path.of("runs", "reproduce", id);
        Written written = write(found.get(), p, dir);
        Path report = written.report();
        Reproduction.Result result = written.result();
        long failed = result.checks().stream().filter(c -> !c.pass()).count();
        o.println("report: " + report + " (" + (result.charts().size() + result.heatMaps().size()) + " plots, " + (result.checks().size() - failed) + " of "
                + result.checks().size() + " checks passed)");
        if (failed > 0) {
            err.println("nclab reproduce: " + failed + (failed == 1 ? " check failed" : " checks failed")
                    + "; see the checks table in " + report);
            return ReportCommand.CHECK_FAILED;
        }
        return 0;
    }

    /** What {@link #write} produced: the report's path and the reproduction's result. */
    record Written(Path report, Reproduction.Result result) {
    }

    /** Runs one reproduction into {@code dir} and writes settings.json, plots/ and report.html. */
    static Written write(Reproduction r, Reproduction.Profile p, Path dir) {
        try {
            Files.createDirectories(dir.resolve("plots"));
            Map<String, Object> settings = r.settings(p);
            AtomicFiles.writeString(dir.resolve("settings.json"),
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(settings) + "\n");
            Reproduction.Result result = r.run(p, dir);
            List<Plot> plots = new ArrayList<>();
            result.charts().forEach(chart -> plots.add(Plots.render(chart)));
            result.heatMaps().forEach(map -> plots.add(Plots.render(map)));
            for (Plot plot : plots) {
                AtomicFiles.write(dir.resolve("plots").resolve(plot.id() + ".png"), plot.png());
                AtomicFiles.writeString(dir.resolve("plots").resolve(plot.id() + ".svg"), plot.svg());
            }
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("paper", "seed " + r.paper());
            provenance.put("figure", r.figure());
            provenance.put("profile", p.name().toLowerCase());
            provenance.put("csv", String.join(", ", result.csvFiles().stream().map(f -> f.getFileName().toString()).toList()));
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("status", "completed");
            summary.put("message", r.description());
            Map<String, double[]> rows = new LinkedHashMap<>();
            long csvRows = 0;
            for (Path csv : result.csvFiles()) {
                try (var lines = Files.lines(csv)) {
                    csvRows += Math.max(0, lines.count() - 1);
                }
            }
            rows.put("row", new double[Math.toIntExact(csvRows)]); // the page's run list counts these as its rows
            RunData run = new RunData(dir, "reproduce", settings, provenance, summary, rows);
            Path report = dir.resolve("report.html");
            HtmlReport.write(report, "nclab reproduce " + r.id() + " (seed " + r.paper() + ", " + r.figure() + ")",
                    List.of(new RunSection(r.id(), run, plots, result.checks())), "nclab reproduce " + r.id(),
                    "seed " + r.paper() + " " + r.figure() + ", " + p.name().toLowerCase() + " profile");
            return new Written(report, result);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
