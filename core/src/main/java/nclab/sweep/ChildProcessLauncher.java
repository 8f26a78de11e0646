package nclab.sweep;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import nclab.experiment.ConfigReader;
import nclab.experiment.RunDirectory;
import nclab.io.AtomicFiles;

/**
 * Runs each sweep run in its own child JVM: {@code java -cp CP nclab.cli.Main KIND DIR/config-input.yaml --out DIR
 * --no-progress}, or {@code KIND --resume DIR} when DIR holds a started, unfinished run (its config.yaml
 * exists; the run continues from its checkpoint, or from the start without one). Child processes keep runs
 * isolated (a crash or an out-of-memory is one failed run), deterministic (DJL's random seed is global to a
 * JVM) and killable; they are destroyed when this JVM exits.
 *
 * <p>The child gets this JVM's java executable, this JVM's class path (or the one given, e.g. the nclab jar when this
 * JVM also holds Spark), the system properties {@code ai.djl.*} and {@code nclab.*}, {@code -Dnclab.parent.pid=} this
 * JVM's pid (the child stops when this JVM is gone, even after a SIGKILL that skips the shutdown hook:
 * {@link ParentWatch}), {@value #TRANSPARENT_HUGE_PAGES} when this JVM has it on, this process's environment (so
 * {@code MALLOC_*}, {@code DJL_CACHE_DIR} pass through) and,
 * unless already set, {@code OMP_NUM_THREADS}/{@code MKL_NUM_THREADS}/{@code OPENBLAS_NUM_THREADS} =
 * threads per run, so that parallel runs do not oversubscribe the cores; with one thread per run also {@code
 * -Dnclab.solverThreads=1} (the UFM solver's full-batch step then keeps to one thread). Its stdout and stderr go to
 * {@code DIR/log.txt} (appended to on resumption).
 *
 * <p>Outcome: exit 0 → the status in summary.json; exit 3 → diverged (summary.json's message); exit 2 → failed,
 * bad config or input; any other exit → failed. A failure's message is the tail of log.txt.
 */
public final class ChildProcessLauncher implements RunLauncher {
    /** The run config the child reads, in the run directory. */
    public static final String INPUT = "config-input.yaml";
    /** The child's stdout and stderr, in the run directory. */
    public static final String LOG = "log.txt";
    /** The command-line entry point. */
    public static final String MAIN = "nclab.cli.Main";

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }, "sweep-child-reaper"));
    }

    private final String mainClass;
    private final int threadsPerRun;
    /** The system property that caps the solver's threads (read by the UFM kernel's helper thread). */
    public static final String SOLVER_THREADS = "nclab.solverThreads";
    private final String classPath;

    /** @param threadsPerRun native threads per child (OpenMP/BLAS), 0 = leave unset */
    public ChildProcessLauncher(int threadsPerRun) {
        this(MAIN, threadsPerRun);
    }

    /** @param mainClass the child's main class (its first argument is the run kind) */
    public ChildProcessLauncher(String mainClass, int threadsPerRun) {
        this(mainClass, threadsPerRun, null);
    }

    /**
     * @param mainClass     the child's main class (its first argument is the run kind)
     * @param threadsPerRun native threads per child (OpenMP/BLAS), 0 = leave unset
     * @param classPath     the child's class path, null = this JVM's (entries made absolute)
     */
    public ChildProcessLauncher(String mainClass, int threadsPerRun, String classPath) {
        this.mainClass = mainClass;
        this.threadsPerRun = threadsPerRun;
        this.classPath = classPath;
    }

    @Override
    public RunOutcome launch(SweepRun run, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        boolean resume = Files.isRegularFile(dir.resolve(RunDirectory.CONFIG));
        if (!resume) {
            AtomicFiles.writeString(dir.resolve(INPUT), "# run " + run.id() + " of an nclab sweep\n"
                    + ConfigReader.yaml(new java.util.LinkedHashMap<>(run.config())));
        }
        ProcessBuilder pb = new ProcessBuilder(command(run.kind(), dir, resume));
        pb.redirectErrorStream(true);
        File log = dir.resolve(LOG).toFile();
        pb.redirectOutput(resume ? ProcessBuilder.Redirect.appendTo(log) : ProcessBuilder.Redirect.to(log));
        Map<String, String> env = pb.environment();
        if (threadsPerRun > 0) {
            for (String v : List.of("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")) {
                env.putIfAbsent(v, Integer.toString(threadsPerRun));
            }
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        LIVE.add(p);
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        } finally {
            LIVE.remove(p);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        RunOutcome summary = RunSummaries.read(dir).orElse(null);
        if ((exit == 0 || exit == 3) && summary != null) {
            return new RunOutcome(summary.status(), summary.message(), summary.finalRow(), seconds);
        }
        String tail = logTail(dir.resolve(LOG));
        String what = switch (exit) {
            case 0 -> "exit 0 but no summary.json";
            case 2 -> "bad config or input (exit 2)";
            case 3 -> "diverged (exit 3) without summary.json";
            default -> "exit " + exit + (exit > 128 ? " (killed by signal " + (exit - 128) + ")" : "");
        };
        return RunOutcome.failed(what + (tail.isEmpty() ? "" : ": " + tail), seconds);
    }

    /** The JVM option the launcher gives long runs where the kernel offers transparent huge pages (see nclab). */
    static final String TRANSPARENT_HUGE_PAGES = "-XX:+UseTransparentHugePages";

    /**
     * Whether this JVM runs with {@value #TRANSPARENT_HUGE_PAGES}: the children then get it too (the launcher
     * checked that the kernel offers them; pages change no number, only the full-batch step's time).
     */
    static boolean usesTransparentHugePages() {
        try {
            return Boolean.parseBoolean(java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("UseTransparentHugePages").getValue());
        } catch (RuntimeException notHotSpot) { // another JVM: no such option, the children keep the default
            return false;
        }
    }

    /** The child's command line. */
    public List<String> command(String kind, Path dir, boolean resume) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:-UsePerfData");
        cmd.addAll(nclab.linalg.RowKernels.childJvmOptions());
        if (usesTransparentHugePages()) {
            cmd.add(TRANSPARENT_HUGE_PAGES);
        }
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> (k.startsWith("ai.djl.") || k.startsWith("nclab.")) && !k.equals(ParentWatch.PROPERTY))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        if (threadsPerRun == 1) { // after the copied properties: the last -D wins
            cmd.add("-D" + SOLVER_THREADS + "=1");
        }
        cmd.add("-D" + ParentWatch.PROPERTY + "=" + ProcessHandle.current().pid());
        cmd.add("-cp");
        cmd.add(classPath != null ? classPath : classPath());
        cmd.add(mainClass);
        cmd.add(kind);
        if (resume) {
            cmd.add("--resume");
            cmd.add(dir.toString());
        } else {
            cmd.add(dir.resolve(INPUT).toString());
            cmd.add("--out");
            cmd.add(dir.toString());
        }
        cmd.add("--no-progress");
        return cmd;
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** This JVM's class path with absolute entries (the child may resolve them elsewhere). */
    public static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                parts.add(Path.of(e).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, parts);
    }

    /**
     * The last lines of a log that say what went wrong: the lines starting with "nclab " (the CLI's error
     * lines) if any, else the last three non-blank lines; at most 500 characters.
     */
    static String logTail(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
        List<String> nonBlank = lines.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        List<String> errors = nonBlank.stream().filter(s -> s.startsWith("nclab ")).toList();
        List<String> pick = !errors.isEmpty() ? errors : nonBlank.subList(Math.max(0, nonBlank.size() - 3), nonBlank.size());
        String text = String.join(" | ", pick.subList(Math.max(0, pick.size() - 3), pick.size()));
        return text.length() <= 500 ? text : "..." + text.substring(text.length() - 497);
    }
}
