package nclab.spark;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point for {@code spark-submit}: {@code spark-submit --class nclab.spark.SparkSweepMain --master spark://HOST:7077
 * --jars /shared/nclab.jar nclab-spark.jar SWEEP.yaml --out /shared/sweeps/NAME [--workers N]} runs
 * {@code nclab sweep SWEEP.yaml --engine spark ...} in the driver (the same options, output and exit codes), with the
 * master and configuration spark-submit gives. The nclab jar (the command line, {@code nclab.cli.Main}) must be on
 * the driver's class path ({@code --jars}) and at the same path on every node, as must the sweep directory; each
 * task starts its run with {@code java -cp <nclab jar> nclab.cli.Main ...}. {@code -Dnclab.jar=PATH}
 * (spark.driver.extraJavaOptions) names the jar when it cannot be found from the class path.
 */
public final class SparkSweepMain {
    private SparkSweepMain() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs {@code nclab sweep ARGS --engine spark} and returns its exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add("sweep");
        argv.addAll(Arrays.asList(args));
        if (!argv.contains("--engine") && argv.stream().noneMatch(a -> a.startsWith("--engine="))) {
            argv.add("--engine");
            argv.add(SparkSweepEngine.NAME);
        }
        Class<?> main;
        try {
            main = Class.forName("nclab.cli.Main");
        } catch (ClassNotFoundException e) {
            err.println("nclab sweep: nclab.cli.Main is not on the class path: give the nclab jar to spark-submit with "
                    + "--jars /path/to/nclab.jar (built by ./nclab or `mvn -B -ntp -pl cli -am package -DskipTests`: cli/target/nclab.jar)");
            err.flush();
            return 2;
        }
        Method execute = main.getMethod("execute", String[].class, PrintWriter.class, PrintWriter.class);
        return (int) execute.invoke(null, argv.toArray(String[]::new), out, err);
    }
}
