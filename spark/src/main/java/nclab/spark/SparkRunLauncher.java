package nclab.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import nclab.sweep.RunLauncher;
import nclab.sweep.RunOutcome;
import nclab.sweep.SweepRun;

/**
 * A {@link RunLauncher} that runs each run as a one-task Spark job ({@link RunTaskFunction} on an executor) and turns
 * the row it returns back into a {@link RunOutcome}. {@link nclab.sweep.LocalSweepRunner} calls it from as many
 * threads as runs may go at once, so the driver keeps the local pool's bookkeeping (finished runs skipped,
 * results.csv and results.parquet rewritten after every run, progress lines) while Spark decides where each run
 * goes. Jobs are named after their run in Spark's UI.
 */
public final class SparkRunLauncher implements RunLauncher {
    /** The columns of a task's row. */
    public static final List<String> COLUMNS = List.of("index", "id", "status", "message", "seconds", "final_json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JavaSparkContext sc;
    private final RunTaskFunction function;

    public SparkRunLauncher(JavaSparkContext sc, RunTaskFunction function) {
        this.sc = sc;
        this.function = function;
    }

    @Override
    public RunOutcome launch(SweepRun run, Path dir) throws Exception {
        sc.setJobGroup("nclab-" + run.id(), "nclab run " + run.id(), true);
        List<Row> rows = sc.parallelize(List.of(RunTask.of(run, dir.toAbsolutePath().toString())), 1).map(function).collect();
        if (rows.size() != 1) {
            return RunOutcome.failed("the Spark task returned " + rows.size() + " rows", Double.NaN);
        }
        return outcome(rows.get(0));
    }

    /** The outcome in a task's row. */
    static RunOutcome outcome(Row row) throws Exception {
        Map<String, Object> finalRow = JSON.readValue(row.getString(5), new TypeReference<LinkedHashMap<String, Object>>() { });
        return new RunOutcome(row.getString(2), row.getString(3), finalRow, row.getDouble(4));
    }
}
