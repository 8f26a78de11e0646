package nclab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nclab.InvalidInputException;
import nclab.io.Json;
import nclab.io.NpyArray;
import nclab.io.Npz;

class SolveRunnerTest extends SolveRunFixture {
    @Test
    void writesEveryFileOfARun() throws Exception {
        Path dir = tmp.resolve("run");
        List<Progress> reports = new ArrayList<>();
        RunResult r = runner().progress(reports::add).start(config(""), dir);
        assertTrue(r.completed(), r.message());
        assertEquals(2000, r.steps());
        assertTrue(reports.get(reports.size() - 1).done());

        assertEquals(config(""), SolveConfig.read(dir.resolve("config.yaml")));
        Map<String, Object> prov = Json.read(dir.resolve("provenance.json"));
        for (String key : List.of("seed", "nclab_version", "java_version", "os", "host", "cores", "solver_kernels",
                "native_kernels", "native_blas", "git_commit", "start_time")) {
            assertTrue(prov.containsKey(key), key);
        }
        assertEquals(nclab.linalg.NativeKernels.available(), prov.get("native_kernels"));
        assertEquals(7, ((Number) prov.get("seed")).intValue());

        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        String[] header = lines.get(0).split(",");
        List<String> cols = List.of(header);
        assertEquals(List.of("step", "epoch", "loss", "accuracy", "min_margin"), cols.subList(0, 5));
        for (String c : List.of("nc1_pinv", "W_M_dist", "nc4_agree", "sv_W_0", "sv_W_2", "rank_W",
                "dist_etf_classifier", "dist_etf_mean", "dist_seli_logits")) {
            assertTrue(cols.contains(c), c + " in " + cols);
        }
        long[] expectedSteps = LogSchedule.logSpaced(2000, 40).steps();
        assertEquals(expectedSteps.length + 1, lines.size());
        for (int i = 0; i < expectedSteps.length; i++) {
            assertEquals(Long.toString(expectedSteps[i]), lines.get(i + 1).split(",")[0]);
        }
        // the loss column is f(x) of the logged state: it must fall, and training separates the classes
        String[] first = lines.get(1).split(",");
        String[] last = lines.get(lines.size() - 1).split(",");
        assertTrue(Double.parseDouble(last[2]) < Double.parseDouble(first[2]));
        assertEquals(1.0, Double.parseDouble(last[3]));
        assertTrue(Double.parseDouble(last[4]) > 0);

        Map<String, NpyArray> fin = Npz.read(dir.resolve("final.npz"));
        assertEquals(List.of("W", "H", "b"), List.copyOf(fin.keySet()));
        assertArrayEquals(new int[] {3, 4}, fin.get("W").shape());
        assertArrayEquals(new int[] {12, 4}, fin.get("H").shape());
        assertArrayEquals(new int[] {3, 1}, fin.get("b").shape());
        // the last row's loss is f at the parameters saved in final.npz
        ModelSetup setup = TestModels.registry().solver(config("")).setup();
        double[] xf = new double[setup.objective().layout().size()];
        fin.forEach((name, a) -> setup.objective().layout().set(xf, name, a.toMatrix()));
        assertEquals(Double.parseDouble(last[2]), setup.objective().value(xf), 0);
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(dir.resolve("final.npz").toFile())) {
            zip.stream().forEach(e -> assertEquals(java.time.LocalDateTime.of(1980, 1, 1, 0, 0), e.getTimeLocal(), e.getName()));
        }

        Map<String, Object> summary = Json.read(dir.resolve("summary.json"));
        assertEquals("completed", summary.get("status"));
        assertEquals(2000, ((Number) summary.get("steps")).intValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> fm = (Map<String, Object>) summary.get("final_metrics");
        assertEquals(2000, ((Number) fm.get("step")).intValue());
        assertFalse(Files.exists(dir.resolve("checkpoint.npz")));

        String again = assertThrows(InvalidInputException.class, () -> runner().start(config(""), dir)).getMessage();
        assertTrue(again.contains("already holds a run; use --resume"), again);
        String done = assertThrows(InvalidInputException.class, () -> runner().resume(dir)).getMessage();
        assertTrue(done.contains("has already finished (status completed)"), done);
    }

    @Test
    void sameSeedGivesIdenticalFilesAndOtherSeedDiffers() throws Exception {
        runner().start(config("checkpoint_steps: 700\n"), tmp.resolve("a"));
        runner().start(config(""), tmp.resolve("b"));
        runner().start(config("checkpoint_seconds: 1e-9\n"), tmp.resolve("c")); // checkpoints at every time check
        assertArrayEquals(bytes(tmp.resolve("a/metrics.csv")), bytes(tmp.resolve("c/metrics.csv")));
        assertArrayEquals(bytes(tmp.resolve("a/final.npz")), bytes(tmp.resolve("c/final.npz")));
        assertArrayEquals(bytes(tmp.resolve("a/metrics.csv")), bytes(tmp.resolve("b/metrics.csv")));
        assertArrayEquals(bytes(tmp.resolve("a/final.npz")), bytes(tmp.resolve("b/final.npz")));
        Path other = Files.createTempFile(tmp, "cfg", ".yaml");
        Files.writeString(other, CONFIG.replace("seed: 7", "seed: 8"));
        runner().start(SolveConfig.read(other), tmp.resolve("d"));
        assertFalse(java.util.Arrays.equals(bytes(tmp.resolve("a/metrics.csv")), bytes(tmp.resolve("d/metrics.csv"))));
    }

    @Test
    void hugeLearningRateDivergesKeepingTheLastGoodState() throws Exception {
        Path dir = tmp.resolve("div");
        RunResult r = runner().start(SolveConfig.read(write("lr: 1000\n")), dir);
        assertEquals("diverged", r.status());
        assertTrue(r.message().startsWith("diverged at step "), r.message());
        assertTrue(r.message().contains("kept the last good state, step " + r.steps() + ", in final.npz"), r.message());
        Map<String, Object> summary = Json.read(dir.resolve("summary.json"));
        assertEquals("diverged", summary.get("status"));
        assertEquals(r.message(), summary.get("message"));
        Map<String, NpyArray> fin = Npz.read(dir.resolve("final.npz"));
        for (NpyArray a : fin.values()) {
            for (double[] row : a.toMatrix()) {
                for (double v : row) {
                    assertTrue(Double.isFinite(v));
                }
            }
        }
        // the kept state is the last logged one: its loss is the last row of metrics.csv
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        String[] last = lines.get(lines.size() - 1).split(",");
        assertEquals(Long.toString(r.steps()), last[0]);
        assertNotEquals("NaN", last[2]);
    }

    /** Stands for the optimisers' own divergence exception, recognised by its simple name. */
    static final class DivergenceException extends RuntimeException {
        DivergenceException(String message) {
            super(message);
        }
    }

    @Test
    void divergenceReportedByTheOptimiserKeepsTheLastLoggedState() throws Exception {
        for (boolean own : new boolean[] {true, false}) {
            ModelRegistry registry = TestModels.registry().optimizer("gd", (c, f) -> {
                MomentumGd gd = new MomentumGd(f, c.lr(), c.momentum());
                return new nclab.optim.Optimizer() {
                    public double step(double[] x) {
                        if (gd.steps() == 150) {
                            throw own ? new RunDiverged("gradient norm 1e300") : new DivergenceException("NaN in Adam moment");
                        }
                        return gd.step(x);
                    }

                    public long steps() {
                        return gd.steps();
                    }

                    public Map<String, double[]> state() {
                        return gd.state();
                    }

                    public void restore(Map<String, double[]> state) {
                        gd.restore(state);
                    }
                };
            });
            Path dir = tmp.resolve("opt-div-" + own);
            RunResult r = new SolveRunner(registry).start(config(""), dir);
            assertEquals("diverged", r.status());
            long lastLogged = LogSchedule.logSpaced(2000, 40).step(LogSchedule.logSpaced(2000, 40).indexAfter(150) - 1);
            assertEquals(lastLogged, r.steps());
            assertEquals("diverged: " + (own ? "gradient norm 1e300" : "NaN in Adam moment")
                    + "; kept the last good state, step " + lastLogged + ", in final.npz", r.message());
            // final.npz holds the state of the last logged row: its loss reproduces that row
            List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
            String[] last = lines.get(lines.size() - 1).split(",");
            assertEquals(Long.toString(lastLogged), last[0]);
            ModelSetup setup = registry.solver(config("")).setup();
            double[] x = new double[setup.objective().layout().size()];
            Npz.read(dir.resolve("final.npz")).forEach((name, a) -> setup.objective().layout().set(x, name, a.toMatrix()));
            assertEquals(Double.parseDouble(last[2]), setup.objective().value(x), 0);
        }
    }

    private Path write(String extra) throws Exception {
        Path f = Files.createTempFile(tmp, "cfg", ".yaml");
        Files.writeString(f, CONFIG.replace("lr: 0.5\n", "") + extra);
        return f;
    }
}
