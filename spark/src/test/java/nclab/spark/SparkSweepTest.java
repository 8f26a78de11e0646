package nclab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.experiment.SolveConfig;
import nclab.sweep.ChildProcessLauncher;
import nclab.sweep.LocalSweepRunner;
import nclab.sweep.SweepConfig;
import nclab.sweep.SweepEngine;
import nclab.sweep.SweepPlan;
import nclab.sweep.SweepReport;
import nclab.sweep.SweepResults;

/**
 * The seed 002 prevalence sweep (deep linear UFM, K = 10 classes of 5, L = 2, λ = 2^-10, GD lr 0.5) at a reduced size
 * (2 widths × 2 seeds, 1500 steps), run by the local pool and by Spark with master local[2]: both give the same table
 * (every column but the wall seconds, row by row), and Spark reads each results.parquet back equal to its results.csv.
 * Each run is a real child JVM of {@code nclab.cli.Main solve}.
 */
class SparkSweepTest {
    @TempDir
    Path tmp;

    private static final String SWEEP = "kind: solve\n"
            + "base:\n  model: deep-ufm\n  sizes: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5]\n  layers: 2\n  lambda: 0.0009765625\n"
            + "  optimizer: gd\n  lr: 0.5\n  steps: 1500\n  log_points: 3\n"
            + "axes:\n  d: [10, 20]\n  seed: {seeds: 2}\nmetric: rank_WM\n";

    @Test
    void localPoolAndSparkGiveTheSameTableAndSparkReadsTheParquetAsTheCsv() throws Exception {
        Path file = tmp.resolve("prevalence-tiny.yaml");
        Files.writeString(file, SWEEP);
        SweepPlan plan = SweepPlan.expand(SweepConfig.read(file, Map.of("solve", SolveConfig.KEYS)));
        assertEquals(4, plan.size());

        Path local = tmp.resolve("local");
        SweepReport byPool = new LocalSweepRunner(new ChildProcessLauncher(1), 2).run(plan, local);
        assertTrue(byPool.allCompleted(), byPool.records().toString());

        SweepEngine engine = SweepEngine.find("spark").orElseThrow();
        assertTrue(engine instanceof SparkSweepEngine);
        Path spark = tmp.resolve("spark");
        SweepEngine.Options options = new SweepEngine.Options("local[2]", null, 1, null);
        assertEquals("spark, master local[2]", engine.describe(options));
        List<String> progress = new ArrayList<>();
        SweepReport bySpark = engine.run(plan, spark, options, p -> progress.add(p.line()));
        assertTrue(bySpark.allCompleted(), bySpark.records().toString());
        assertEquals(4, bySpark.launched());
        assertEquals(4, progress.size());
        assertTrue(progress.get(3).startsWith("[4/4] 0 failed"), progress.toString());

        List<String> localCsv = Files.readAllLines(local.resolve(SweepResults.FILE));
        List<String> sparkCsv = Files.readAllLines(spark.resolve(SweepResults.FILE));
        assertEquals(5, sparkCsv.size());
        assertEquals(localCsv.get(0), sparkCsv.get(0), "same columns");
        int seconds = List.of(localCsv.get(0).split(",")).indexOf("seconds");
        int rank = List.of(localCsv.get(0).split(",")).indexOf("rank_WM");
        assertTrue(seconds > 0 && rank > 0, localCsv.get(0));
        for (int i = 1; i < localCsv.size(); i++) {
            List<String> a = new ArrayList<>(List.of(localCsv.get(i).split(",", -1)));
            List<String> b = new ArrayList<>(List.of(sparkCsv.get(i).split(",", -1)));
            assertTrue(Double.parseDouble(b.get(seconds)) > 0);
            a.remove(seconds);
            b.remove(seconds);
            assertEquals(a, b, "row " + i + " equal but for the wall seconds");
            assertTrue(Integer.parseInt(a.get(rank - 1)) >= 1, "a rank was measured: " + a);
        }
        for (Path dir : List.of(local, spark)) {
            try (var runs = Files.list(dir.resolve(SweepPlan.RUNS))) {
                assertEquals(4, runs.filter(r -> Files.exists(r.resolve("summary.json"))).count(), dir.toString());
            }
        }

        SparkSession session = SparkSession.builder().master("local[1]").appName("read back").getOrCreate();
        try {
            for (Path dir : List.of(local, spark)) {
                assertParquetEqualsCsv(session, dir);
            }
            // the engine leaves a session it did not create running, and skips finished runs on a rerun
            SweepReport again = engine.run(plan, spark, options, p -> { });
            assertEquals(0, again.launched());
            assertFalse(session.sparkContext().isStopped());
            assertEquals(sparkCsv.subList(0, 1), Files.readAllLines(spark.resolve(SweepResults.FILE)).subList(0, 1));
        } finally {
            session.stop();
        }
    }

    /** Reads results.parquet with Spark and compares every cell with results.csv, by the Parquet column's type. */
    private static void assertParquetEqualsCsv(SparkSession session, Path dir) throws IOException {
        List<String> csv = Files.readAllLines(dir.resolve(SweepResults.FILE));
        String[] header = csv.get(0).split(",");
        Dataset<Row> table = session.read().parquet(dir.resolve(SweepResults.PARQUET_FILE).toString());
        StructField[] fields = table.schema().fields();
        assertEquals(List.of(header), List.of(table.columns()), "same columns in the same order");
        Map<String, DataType> expectedTypes = Map.of("id", DataTypes.StringType, "d", DataTypes.LongType,
                "seed", DataTypes.LongType, "status", DataTypes.StringType, "seconds", DataTypes.DoubleType,
                "step", DataTypes.LongType, "rank_WM", DataTypes.LongType, "loss", DataTypes.DoubleType);
        for (StructField f : fields) {
            if (expectedTypes.containsKey(f.name())) {
                assertEquals(expectedTypes.get(f.name()), f.dataType(), f.name());
            }
        }
        List<Row> rows = table.collectAsList();
        assertEquals(csv.size() - 1, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = csv.get(i + 1).split(",", -1);
            assertEquals(header.length, cells.length, "no quoted commas in this table: " + csv.get(i + 1));
            Row row = rows.get(i);
            for (int c = 0; c < header.length; c++) {
                String cell = cells[c];
                String where = dir.getFileName() + " row " + i + " column " + header[c];
                if (cell.isEmpty()) {
                    assertNull(row.get(c), where);
                } else if (fields[c].dataType().equals(DataTypes.LongType)) {
                    assertEquals(Long.parseLong(cell), row.getLong(c), where);
                } else if (fields[c].dataType().equals(DataTypes.DoubleType)) {
                    assertEquals(Double.doubleToLongBits(Double.parseDouble(cell)), Double.doubleToLongBits(row.getDouble(c)), where);
                } else {
                    assertEquals(cell, row.getString(c), where);
                }
            }
        }
    }

    @Test
    void sparkSubmitMainRunsTheSweepCommandWithTheSparkEngine() throws Exception {
        Path file = tmp.resolve("prevalence-tiny.yaml");
        Files.writeString(file, SWEEP);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkSweepMain.run(new String[] {file.toString(), "--list"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().startsWith("4 runs (grid mode; axes d (2) x seed (2))"), out.toString());
        int bad = SparkSweepMain.run(new String[] {file.toString(), "--list", "--engine", "nope"}, new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertEquals(2, bad);
        assertTrue(err.toString().contains("--engine must be local or spark, got 'nope'"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }
}
