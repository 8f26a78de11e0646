package nclab.cli.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nclab report DIR... [--out FILE]}: one self-contained HTML page ({@link HtmlReport}) with the
 * settings, provenance, standard plots ({@link Plots#standardPanels}) and checks ({@link Checks#standard}) of
 * run directories of {@code nclab solve} and {@code nclab train}; a sweep directory of {@code nclab sweep} adds its
 * own section ({@link SweepSection}: settings, run counts, metric-vs-axis plots) followed by each of its runs.
 *
 * <p>Exit codes: 0 every check passes; 2 a directory is not a run directory (or is malformed); 5 the page
 * was written but at least one check failed.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Self-contained HTML report (plots, settings, checks) of run directories of nclab solve / train / sweep.",
            "Exit codes: 0 all checks pass, 2 not a run directory, 5 report written but a check failed."},
        footer = {"", "Examples:",
            "  nclab report runs/solve-step",
            "  nclab report runs/a runs/b --out report.html",
            "  nclab report runs/sweeps/deep-ufm-prevalence-quick     # the sweep's plots, then every run"})
public final class ReportCommand implements Callable<Integer> {
    /** Exit code when the report was written but a check failed. */
    public static final int CHECK_FAILED = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "run directories (with metrics.csv) or sweep directories (results.csv, runs/)")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "FILE",
            description = "HTML file to write (default: DIR/report.html for one directory, ./report.html for several)")
    Path out;

    @Override
    public Integer call() {
        Headless.ensure();
        List<RunData> runs = new ArrayList<>();
        List<RunSection> sections = new ArrayList<>();
        for (Path dir : dirs) {
            if (SweepSection.isSweep(dir)) {
                List<RunData> sweepRuns = SweepSection.runDirs(dir).stream().map(RunData::read).toList();
                sections.add(SweepSection.of(dir, sweepRuns));
                for (RunData data : sweepRuns) {
                    runs.add(data);
                    sections.add(RunSection.standard(data));
                }
            } else {
                RunData data = RunData.read(dir);
                runs.add(data);
                sections.add(RunSection.standard(data));
            }
        }
        Path target = out != null ? out : dirs.size() == 1 ? dirs.get(0).resolve("report.html") : Path.of("report.html");
        String title = "nclab report: " + (dirs.size() == 1 ? dirs.get(0).toString() : dirs.size() + " runs");
        HtmlReport.write(target, title, sections);
        int plots = sections.stream().mapToInt(s -> s.plots().size()).sum();
        long checks = sections.stream().mapToLong(s -> s.checks().size()).sum();
        long failed = sections.stream().flatMap(s -> s.checks().stream()).filter(c -> !c.pass()).count();
        var o = spec.commandLine().getOut();
        o.println("report: " + target + " (" + runs.size() + (runs.size() == 1 ? " run, " : " runs, ") + plots + " plots, "
                + (checks - failed) + " of " + checks + " checks passed)");
        if (failed > 0) {
            spec.commandLine().getErr().println("nclab report: " + failed + (failed == 1 ? " check failed" : " checks failed")
                    + "; see the checks table in " + target);
            return CHECK_FAILED;
        }
        return 0;
    }
}
