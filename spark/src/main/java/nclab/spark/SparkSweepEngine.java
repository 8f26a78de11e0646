package nclab.spark;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import nclab.InvalidInputException;
import nclab.sweep.ChildProcessLauncher;
import nclab.sweep.LocalSweepRunner;
import nclab.sweep.SweepEngine;
import nclab.sweep.SweepPlan;
import nclab.sweep.SweepProgress;
import nclab.sweep.SweepReport;

/**
 * {@code nclab sweep --engine spark}: a {@link LocalSweepRunner} on the driver whose launcher is a
 * {@link SparkRunLauncher}, so each run is one Spark task (a child JVM of the nclab jar on some executor) and the
 * driver writes the same sweep directory as the local pool: sweep.yaml, results.csv and results.parquet after every
 * run, finished runs skipped, started ones resumed. The sweep directory must be on a file system every node sees at
 * the same path (local mode: any directory).
 *
 * <ul>
 *   <li>Master: {@code options.master()}, else {@code spark.master} from the configuration (as spark-submit sets
 *       it), else {@code local[*]}.</li>
 *   <li>Runs at a time: {@code options.workers()}, else the cluster's default parallelism / {@code spark.task.cpus}.</li>
 *   <li>Native threads per run: {@code options.threadsPerRun()} if &gt; 0, else {@code spark.task.cpus}.</li>
 *   <li>Child class path: {@code options.childClassPath()}, else the system property {@code nclab.jar}, else the jar
 *       holding {@code nclab.cli.Main} when it is the self-contained nclab.jar, else the driver's class path. It must
 *       exist at the same path on every node.</li>
 * </ul>
 * A session that already exists (spark-submit, a notebook) is used and left running; one created here is stopped at
 * the end. Unless a log4j2 configuration is given, Spark logs warnings and errors only.
 */
public final class SparkSweepEngine implements SweepEngine {
    /** The engine's name. */
    public static final String NAME = "spark";
    /** System property: the nclab jar the executors start the runs from. */
    public static final String NCLAB_JAR = "nclab.jar";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe(Options options) {
        return "spark, master " + master(options) + (options.workers() == null ? "" : ", " + options.workers() + " runs at a time");
    }

    @Override
    public SweepReport run(SweepPlan plan, Path out, Options options, SweepProgress.Listener listener) {
        QuietLogs.applyUnlessConfigured();
        boolean existing = SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
        SparkSession.Builder builder = SparkSession.builder().appName("nclab sweep " + out.getFileName());
        if (options.master() != null || new SparkConf().getOption("spark.master").isEmpty()) {
            builder.master(master(options));
        }
        SparkSession spark = builder.getOrCreate();
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int taskCpus = sc.getConf().getInt("spark.task.cpus", 1);
            int workers = options.workers() != null ? options.workers() : Math.max(1, sc.defaultParallelism() / taskCpus);
            int threads = options.threadsPerRun() > 0 ? options.threadsPerRun() : taskCpus;
            RunTaskFunction task = new RunTaskFunction(childClassPath(options), threads);
            return new LocalSweepRunner(new SparkRunLauncher(sc, task), workers).listener(listener).run(plan, out.toAbsolutePath());
        } finally {
            if (!existing) {
                spark.stop();
            }
        }
    }

    private static String master(Options options) {
        if (options.master() != null) {
            return options.master();
        }
        return new SparkConf().get("spark.master", "local[*]");
    }

    /** The child JVMs' class path (see the class comment). */
    static String childClassPath(Options options) {
        if (options.childClassPath() != null) {
            return options.childClassPath();
        }
        String jar = System.getProperty(NCLAB_JAR);
        if (jar != null && !jar.isBlank()) {
            InvalidInputException.require(Files.isRegularFile(Path.of(jar)), "-D" + NCLAB_JAR + "=" + jar + ": no such file");
            return Path.of(jar).toAbsolutePath().toString();
        }
        Path selfContained = nclabJar();
        return selfContained != null ? selfContained.toString() : ChildProcessLauncher.classPath();
    }

    /** The jar holding {@code nclab.cli.Main} if it is the self-contained nclab.jar (Main-Class nclab.cli.Main). */
    static Path nclabJar() {
        URL main = SparkSweepEngine.class.getClassLoader().getResource(ChildProcessLauncher.MAIN.replace('.', '/') + ".class");
        if (main == null || !"jar".equals(main.getProtocol())) {
            return null;
        }
        String spec = main.getPath(); // file:/path/nclab.jar!/nclab/cli/Main.class
        int bang = spec.indexOf("!/");
        try {
            Path jar = Path.of(new URL(spec.substring(0, bang)).toURI()).toAbsolutePath();
            try (JarFile f = new JarFile(jar.toFile())) {
                var manifest = f.getManifest();
                String mainClass = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
                return ChildProcessLauncher.MAIN.equals(mainClass) && jar.toString().endsWith(".jar") ? jar : null;
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
