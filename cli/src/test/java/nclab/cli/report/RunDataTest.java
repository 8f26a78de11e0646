package nclab.cli.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.InvalidInputException;

class RunDataTest {
    @TempDir
    Path tmp;

    @Test
    void readsColumnsConfigProvenanceAndSummary() throws IOException {
        Path dir = RunFixtures.solveRun(tmp.resolve("run"), true);
        RunData run = RunData.read(dir);
        assertEquals("solve", run.kind());
        assertEquals("step", run.xColumn());
        assertEquals(11, run.rows());
        assertArrayEquals(new double[] {0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}, run.x());
        assertEquals(List.of("step", "epoch", "loss"), run.columnNames().subList(0, 3));
        double[] acc = run.column("accuracy");
        assertTrue(Double.isNaN(acc[3]), "NaN in metrics.csv reads as NaN");
        assertEquals(0.25, acc[0], 1e-15);
        assertEquals(1.0, acc[10], 1e-15);
        assertEquals(3.0, run.firstFinite("nc1_pinv"), 1e-15);
        assertEquals(3 * Math.pow(0.5, 10), run.lastFinite("nc1_pinv"), 1e-15);
        assertEquals("ufm", run.config().get("model"));
        assertEquals(List.of(4, 10, 0.5, 5), run.config().get("step"));
        assertTrue(run.config().containsKey("init_scale"));
        assertEquals(7, run.provenance().get("seed"));
        assertEquals("completed", run.status());
        assertEquals("completed 1000 steps", run.message());
        assertTrue(run.summary().get("final_metrics") instanceof Map<?, ?>);
    }

    @Test
    void trainRunsStartWithEpochAndEmptyCellsAreNaN() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("train"));
        Files.writeString(dir.resolve("metrics.csv"), "epoch,loss,train_acc\n0,NaN,0.1\n1,2.5,\n2,1.25,0.75\n");
        RunData run = RunData.read(dir);
        assertEquals("train", run.kind());
        assertTrue(Double.isNaN(run.column("loss")[0]));
        assertTrue(Double.isNaN(run.column("train_acc")[1]));
        assertEquals(1.25, run.lastFinite("loss"));
        assertEquals(2.5, run.firstFinite("loss"));
        assertEquals("unknown", run.status(), "no summary.json");
        assertTrue(run.config().isEmpty());
        assertFalse(run.has("nc1_pinv"));
        assertTrue(Double.isNaN(run.lastFinite("nc1_pinv")));
    }

    @Test
    void columnCopiesDoNotChangeTheRun() throws IOException {
        RunData run = RunData.read(RunFixtures.solveRun(tmp.resolve("run"), true));
        run.column("loss")[0] = 99;
        assertTrue(run.column("loss")[0] < 3);
    }

    @Test
    void clearErrors() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(empty + ": not a run directory (no metrics.csv)",
                assertThrows(InvalidInputException.class, () -> RunData.read(empty)).getMessage());
        Path missing = tmp.resolve("missing");
        assertEquals(missing + ": not a run directory (no such directory)",
                assertThrows(InvalidInputException.class, () -> RunData.read(missing)).getMessage());

        Path sweep = Files.createDirectories(tmp.resolve("sweep").resolve("runs"));
        Files.writeString(sweep.getParent().resolve("results.csv"), "id,status\n");
        assertEquals(sweep.getParent() + ": not a run directory but a sweep (results.csv, runs/): pass its run directories, " + sweep + "/*",
                assertThrows(InvalidInputException.class, () -> RunData.read(sweep.getParent())).getMessage());

        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("metrics.csv"), "time,loss\n0,1\n");
        assertEquals(other.resolve("metrics.csv") + ": first column is 'time'; expected 'step' (nclab solve) or 'epoch' (nclab train)",
                assertThrows(InvalidInputException.class, () -> RunData.read(other)).getMessage());

        Files.writeString(other.resolve("metrics.csv"), "step,loss\n0,1\n1,abc\n");
        assertEquals(other.resolve("metrics.csv") + ": line 3, column 'loss': 'abc' is not a number",
                assertThrows(InvalidInputException.class, () -> RunData.read(other)).getMessage());

        Files.writeString(other.resolve("metrics.csv"), "step,loss\n0,1,2\n");
        assertEquals(other.resolve("metrics.csv") + ": line 2 has 3 values, the header has 2",
                assertThrows(InvalidInputException.class, () -> RunData.read(other)).getMessage());

        Files.writeString(other.resolve("metrics.csv"), "");
        assertEquals(other.resolve("metrics.csv") + ": empty (no header)",
                assertThrows(InvalidInputException.class, () -> RunData.read(other)).getMessage());

        Files.writeString(other.resolve("metrics.csv"), "step,loss\n0,1\n");
        Files.writeString(other.resolve("summary.json"), "{\"status\": ");
        assertTrue(assertThrows(InvalidInputException.class, () -> RunData.read(other)).getMessage()
                .startsWith(other.resolve("summary.json") + ": malformed JSON"));

        RunData ok = RunData.read(RunFixtures.solveRun(tmp.resolve("run"), true));
        assertEquals(tmp.resolve("run").resolve("metrics.csv") + ": no column 'nope'",
                assertThrows(InvalidInputException.class, () -> ok.column("nope")).getMessage());
    }
}
