package nclab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import nclab.io.Json;
import nclab.linalg.RowKernels;

/** Resuming runs: after a kill (child JVM), and without a checkpoint. */
class RunResumeTest extends SolveRunFixture {
    @Test
    void resumeAfterKillEndsWithTheUninterruptedNumbers() throws Exception {
        Path cfg = tmp.resolve("kill.yaml");
        Files.writeString(cfg, CONFIG + "checkpoint_steps: 500\n");
        Path killed = tmp.resolve("killed");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(RowKernels.childJvmOptions()); // the same SIMD or scalar kernels as this JVM: the same numbers
        command.addAll(List.of("-Dnclab.test.stepDelayMillis=1", "-cp", cp, ChildRun.class.getName(), cfg.toString(),
                killed.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(killed.resolve("checkpoint.npz")) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(300); // let it log past the checkpoint, so that resuming must drop those rows
        } finally {
            child.destroyForcibly();
            child.waitFor(20, TimeUnit.SECONDS);
        }
        assertTrue(Files.exists(killed.resolve("checkpoint.npz")),
                "child wrote no checkpoint: " + Files.readString(tmp.resolve("child.log")));
        assertFalse(Files.exists(killed.resolve("summary.json")), "child finished before it was killed");
        Checkpoint c = Checkpoint.read(killed.resolve("checkpoint.npz"));
        assertTrue(c.step() >= 500 && c.step() < 2000 && c.step() % 500 == 0, "checkpoint step " + c.step());

        RunResult resumed = runner().resume(killed);
        assertTrue(resumed.completed(), resumed.message());

        Path clean = tmp.resolve("clean");
        runner().start(SolveConfig.read(cfg), clean);
        assertEquals(Files.readString(clean.resolve("metrics.csv")), Files.readString(killed.resolve("metrics.csv")));
        assertArrayEquals(bytes(clean.resolve("final.npz")), bytes(killed.resolve("final.npz")));
        Map<String, Object> prov = Json.read(killed.resolve("provenance.json"));
        List<?> resumes = (List<?>) prov.get("resumes");
        assertEquals(1, resumes.size());
        assertEquals(c.step(), ((Number) ((Map<?, ?>) resumes.get(0)).get("from_step")).longValue());
    }

    @Test
    void realSgdWithMomentumResumesBitIdentically() throws Exception {
        // The real model and optimiser: minibatch order from (seed, epoch), velocity in the checkpoint.
        killResumeAndCompare("sgd", "model: ufm\nsizes: [40, 40, 4, 4]\nd: 8\noptimizer: sgd\nlr: 0.4\nbatch: 4\n"
                + "momentum: 0.5\nepochs: 20000\nseed: 11\ncheckpoint_steps: 40000\nlog_points: 60\n");
    }

    @Test
    void largeFullBatchGradientDescentResumesBitIdentically() throws Exception {
        // N·K·d above the products threshold: the native step where the kernels load, whose steps after the first
        // read H once, carrying a bound from step to step; the resumed run's first step carries nothing
        Path clean = killResumeAndCompare("gd", "model: ufm\nsizes: [600, 400, 103]\nd: 100\nlambda_w: 5e-4\n"
                + "lambda_h: 5e-4\noptimizer: gd\nlr: 0.5\nsteps: 20000\nseed: 12\ncheckpoint_steps: 2000\n"
                + "log_points: 40\n");
        Map<String, Object> prov = Json.read(clean.resolve("provenance.json"));
        assertEquals(nclab.linalg.NativeKernels.available(), prov.get("native_kernels"));
    }

    /**
     * Runs the standard registry's config {@code yaml} in a child JVM, kills it once its first checkpoint exists,
     * resumes it here and runs it again from the start: metrics.csv and final.npz must be the same bytes. Returns
     * the clean run's directory.
     */
    private Path killResumeAndCompare(String name, String yaml) throws Exception {
        Path cfg = tmp.resolve(name + ".yaml");
        Files.writeString(cfg, yaml);
        Path killed = tmp.resolve("killed-" + name);
        Path log = tmp.resolve("child-" + name + ".log");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(RowKernels.childJvmOptions());
        command.addAll(List.of("-cp", cp, ChildRun.class.getName(), cfg.toString(), killed.toString(), "standard"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(killed.resolve("checkpoint.npz")) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(20, TimeUnit.SECONDS);
        }
        assertTrue(Files.exists(killed.resolve("checkpoint.npz")), "child wrote no checkpoint: " + Files.readString(log));
        assertFalse(Files.exists(killed.resolve("summary.json")), "child finished before it was killed");
        SolveRunner standard = new SolveRunner(StandardRegistry.create());
        assertTrue(standard.resume(killed).completed());
        Path clean = tmp.resolve("clean-" + name);
        standard.start(SolveConfig.read(cfg), clean);
        assertEquals(Files.readString(clean.resolve("metrics.csv")), Files.readString(killed.resolve("metrics.csv")));
        assertArrayEquals(bytes(clean.resolve("final.npz")), bytes(killed.resolve("final.npz")));
        return clean;
    }

    @Test
    void resumeWithoutCheckpointStartsOver() throws Exception {
        Path dir = tmp.resolve("fresh");
        // a run directory whose session died before its first checkpoint
        Files.createDirectories(dir);
        config("").write(dir.resolve("config.yaml"));
        Files.writeString(dir.resolve("metrics.csv"), "garbage\n", StandardCharsets.UTF_8);
        assertTrue(runner().resume(dir).completed());
        runner().start(config(""), tmp.resolve("ref"));
        assertArrayEquals(bytes(tmp.resolve("ref/metrics.csv")), bytes(dir.resolve("metrics.csv")));
    }

}
