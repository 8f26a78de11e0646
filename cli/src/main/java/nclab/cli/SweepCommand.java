package nclab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import nclab.InvalidInputException;
import nclab.dl.train.TrainConfig;
import nclab.experiment.SolveConfig;
import nclab.sweep.ChildProcessLauncher;
import nclab.sweep.LocalSweepRunner;
import nclab.sweep.RunSummaries;
import nclab.sweep.SweepConfig;
import nclab.sweep.SweepEngine;
import nclab.sweep.SweepPlan;
import nclab.sweep.SweepProgress;
import nclab.sweep.SweepReport;
import nclab.sweep.SweepResults;
import nclab.sweep.SweepRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nclab sweep SWEEP.yaml}: expands a sweep ({@link SweepConfig}: base config of {@code solve} or
 * {@code train} plus axes) into runs with stable ids ({@link SweepPlan}) and runs them on a local pool of
 * workers, one child JVM per run ({@link LocalSweepRunner}, {@link ChildProcessLauncher}). Runs already finished
 * in OUT/runs/&lt;id&gt; are skipped, so rerunning a killed sweep resumes it. Writes OUT/sweep.yaml,
 * OUT/results.csv (one row per run) and, with {@code metric}, OUT/metric-&lt;metric&gt;.csv (its mean per axis
 * value). Exit codes: 0 every run completed, 2 bad sweep file, 4 some runs failed or diverged (see results.csv).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a sweep of solve or train runs over a grid / zip / random sample of config values, in parallel.",
            "Writes OUT/sweep.yaml, OUT/runs/<id>/ (one run directory each, plus log.txt), OUT/results.csv",
            "(id, axis values, status, message, seconds, final metrics), the same table as OUT/results.parquet and",
            "OUT/metric-<metric>.csv. Format: docs/sweeps.md."},
        footer = {"", "Exit codes: 0 all runs completed, 2 bad sweep file, 4 some runs failed or diverged (see results.csv).",
            "Rerun the same command to resume a killed sweep: finished runs are skipped, started ones resumed.", "",
            "Examples:",
            "  nclab sweep configs/sweeps/deep-ufm-prevalence-quick.yaml --list",
            "  nclab sweep configs/sweeps/deep-ufm-prevalence-quick.yaml --workers 2 --out runs/prevalence",
            "  nclab sweep configs/sweeps/deep-ufm-prevalence-quick.yaml --engine spark --master 'local[2]'"})
public final class SweepCommand implements Callable<Integer> {
    /** Exit code when some runs failed or diverged. */
    public static final int SOME_FAILED = 4;

    /** The config keys of each run kind a sweep can launch. */
    static final Map<String, List<String>> KINDS = Map.of("solve", SolveConfig.KEYS, "train", TrainConfig.KEYS);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "the sweep (keys: docs/sweeps.md)")
    Path sweepFile;

    @Option(names = "--workers", paramLabel = "N", description = "runs at a time (default: key workers, else the number of cores)")
    Integer workers;

    @Option(names = "--out", paramLabel = "DIR", description = "sweep directory (key out)")
    Path out;

    @Option(names = "--list", description = "print the planned run ids and parameters, run nothing")
    boolean list;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "local",
            description = "local (a pool of child JVMs here; default) or spark (Apache Spark schedules the runs; needs the spark module)")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "with --engine spark: the Spark master (default: spark.master, else local[*])")
    String master;

    /** How to get the spark engine onto the class path, for the message when it is missing. */
    static final String SPARK_HELP = "the spark engine is not on the class path: build it with "
            + "`mvn -B -ntp -pl spark -am package -DskipTests` (the first build downloads Spark, about 280 MB) and run "
            + "`./nclab sweep SWEEP.yaml --engine spark`, which puts spark/target/nclab-spark.jar and spark/target/lib/* on "
            + "the class path (see docs/sweeps.md)";

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SweepConfig config = SweepConfig.read(sweepFile, KINDS);
        if (out != null) {
            config = config.withOut(out.toString());
        }
        InvalidInputException.require(workers == null || workers >= 1, "--workers must be >= 1, got " + workers);
        InvalidInputException.require("local".equals(engine) || "spark".equals(engine) || SweepEngine.find(engine).isPresent(),
                "--engine must be local or spark, got '" + engine + "'");
        InvalidInputException.require(master == null || !"local".equals(engine), "--master needs --engine spark");
        SweepPlan plan = SweepPlan.expand(config);
        if (list) {
            stdout.printf("%d runs (%s mode; axes %s)%n", plan.size(), config.mode().name(),
                    config.axes().stream().map(a -> a.key() + " (" + a.size() + ")").collect(Collectors.joining(" x ")));
            for (SweepRun r : plan.runs()) {
                stdout.println(r.id() + "  " + r.params().entrySet().stream()
                        .map(e -> e.getKey() + "=" + SweepPlan.text(e.getValue())).collect(Collectors.joining(" ")));
            }
            return 0;
        }
        InvalidInputException.require(config.out() != null, "give the sweep directory: --out DIR (or out: in " + sweepFile + ")");
        Path dir = Path.of(config.out());
        int cores = Runtime.getRuntime().availableProcessors();
        long finished = plan.runs().stream().filter(r -> RunSummaries.finished(SweepPlan.runDir(dir, r))).count();
        SweepProgress.Listener progress = p -> {
            err.println(p.line());
            err.flush();
        };
        long t0 = System.nanoTime();
        SweepReport report;
        if ("local".equals(engine)) {
            int n = workers != null ? workers : config.workers() != null ? config.workers() : cores;
            err.printf("nclab sweep: %d runs of %s in %s (%d finished earlier), %d worker%s%n", plan.size(), config.kind(), dir,
                    finished, n, n == 1 ? "" : "s");
            err.flush();
            LocalSweepRunner runner = new LocalSweepRunner(new ChildProcessLauncher(Math.max(1, cores / n)), n).listener(progress);
            report = runner.run(plan, dir);
        } else {
            SweepEngine found = SweepEngine.find(engine).orElseThrow(() -> new InvalidInputException(SPARK_HELP));
            Integer n = workers != null ? workers : config.workers();
            SweepEngine.Options options = new SweepEngine.Options(master, n, 0, null);
            err.printf("nclab sweep: %d runs of %s in %s (%d finished earlier), on %s%n", plan.size(), config.kind(), dir,
                    finished, found.describe(options));
            err.flush();
            report = found.run(plan, dir.toAbsolutePath(), options, progress);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (config.metric() != null) {
            Path table = SweepResults.writeByAxis(dir, plan, report.records(), config.metric());
            printMetric(stdout, plan, report, config.metric());
            stdout.println("per-axis table: " + table);
            for (Path png : SweepPlots.write(dir, plan, report.records(), config.metric())) {
                stdout.println("plot: " + png);
            }
        }
        stdout.printf(Locale.ROOT, "%d runs: %d completed, %d failed or diverged; %d launched in %.1f s; results in %s%n",
                report.records().size(), report.completed(), report.notCompleted(), report.launched(), seconds,
                dir.resolve(SweepResults.FILE));
        return report.allCompleted() ? 0 : SOME_FAILED;
    }

    /** The metric's mean per axis value, with a bar for a quick look. */
    private static void printMetric(PrintWriter out, SweepPlan plan, SweepReport report, String metric) {
        List<List<Object>> rows = SweepResults.byAxis(plan, report.records(), metric);
        double max = rows.stream().mapToDouble(r -> Math.abs((double) r.get(3))).filter(Double::isFinite).max().orElse(0);
        out.println(metric + ", mean over the completed runs at each axis value:");
        for (List<Object> r : rows) {
            double mean = (double) r.get(3);
            int bar = max > 0 && Double.isFinite(mean) ? (int) Math.round(30 * Math.abs(mean) / max) : 0;
            out.printf(Locale.ROOT, "  %-10s %-12s %3d runs  mean %-12.6g min %-12.6g max %-12.6g %s%n", r.get(0), r.get(1),
                    (int) r.get(2), mean, (double) r.get(4), (double) r.get(5), "#".repeat(bar));
        }
    }
}
