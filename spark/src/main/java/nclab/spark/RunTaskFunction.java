package nclab.spark;

import java.nio.file.Path;

import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import nclab.io.Json;
import nclab.sweep.ChildProcessLauncher;
import nclab.sweep.RunOutcome;

/**
 * The body of a Spark task: launches one run with {@link ChildProcessLauncher} (a child JVM of the nclab jar,
 * {@code nclab.cli.Main KIND ...}, resumed with {@code --resume} when its directory holds a started run) on the
 * executor, and returns its summary as a row {@link SparkRunLauncher#COLUMNS}: index, id, status, message, seconds,
 * and the final metrics row as compact JSON (the same JSON the run wrote in summary.json). A failed run is a row
 * with status failed, not an exception, so Spark does not retry it.
 *
 * @param childClassPath class path of the child JVM on the executor (null = the executor's own)
 * @param threadsPerRun  native threads per run (0 = leave unset)
 */
public record RunTaskFunction(String childClassPath, int threadsPerRun) implements Function<RunTask, Row> {
    private static final long serialVersionUID = 1L;

    @Override
    public Row call(RunTask task) throws Exception {
        RunOutcome o = new ChildProcessLauncher(ChildProcessLauncher.MAIN, threadsPerRun, childClassPath)
                .launch(task.run(), Path.of(task.dir()));
        return RowFactory.create(task.index(), task.id(), o.status(), o.message(), o.seconds(), Json.toCompactString(o.finalRow()));
    }
}
