package nclab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.sweep.ParentWatch;

/**
 * A sweep JVM killed with SIGKILL (no shutdown hook runs) leaves no child run behind: each child sees that its
 * parent is gone ({@link ParentWatch}) and stops; rerunning the sweep then resumes and finishes both runs.
 */
class SweepKillTest {
    @TempDir
    Path tmp;

    @Test
    void childrenOfASweepKilledWithSigkillStopAndTheSweepResumes() throws Exception {
        Path sweep = tmp.resolve("kill.yaml");
        Files.writeString(sweep, "kind: solve\nbase: {model: deep-ufm, sizes: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5], layers: 2,"
                + " lambda: 0.0009765625, optimizer: gd, lr: 0.5, steps: 12000, log_points: 4, d: 10}\naxes:\n  seed: {seeds: 2}\n");
        Path out = tmp.resolve("out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC"));
        command.addAll(nclab.linalg.RowKernels.childJvmOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "nclab.cli.Main", "sweep", sweep.toString(),
                "--out", out.toString(), "--workers", "2"));
        Process sweepJvm = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("sweep.log").toFile()).start();
        List<ProcessHandle> children = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 90_000;
        try {
            while (System.currentTimeMillis() < deadline) { // both runs started: two children, each with its config.yaml
                children = sweepJvm.toHandle().children().toList();
                if (children.size() == 2 && startedRuns(out) == 2) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(2, children.size(), "two runs at a time: " + Files.readString(tmp.resolve("sweep.log")));
            assertEquals(2, startedRuns(out));
            assertTrue(children.stream().allMatch(ProcessHandle::isAlive), "the runs are still going when the sweep is killed");
            sweepJvm.destroyForcibly(); // SIGKILL
            sweepJvm.waitFor();
            assertEquals(137, sweepJvm.exitValue(), "killed by SIGKILL");
            long until = System.currentTimeMillis() + 5_000;
            while (children.stream().anyMatch(ProcessHandle::isAlive) && System.currentTimeMillis() < until) {
                Thread.sleep(50);
            }
            for (ProcessHandle c : children) {
                assertFalse(c.isAlive(), "child " + c.pid() + " outlived its sweep by 5 s");
            }
        } finally {
            sweepJvm.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        }
        for (File run : out.resolve("runs").toFile().listFiles()) {
            String log = Files.readString(run.toPath().resolve("log.txt"));
            assertTrue(log.contains("the sweep that started this run (pid " + sweepJvm.pid() + ") is gone; stopping"), log);
            assertFalse(Files.exists(run.toPath().resolve("summary.json")), "the run was stopped before it finished");
        }

        CliRun resumed = CliRun.of("sweep", sweep.toString(), "--out", out.toString(), "--workers", "2");
        assertEquals(0, resumed.code(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("2 runs: 2 completed, 0 failed or diverged; 2 launched"), resumed.out());
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(3, rows.size());
        assertTrue(Files.size(out.resolve("results.parquet")) > 0);
        for (File run : out.resolve("runs").toFile().listFiles()) {
            assertTrue(Files.readString(run.toPath().resolve("summary.json")).contains("\"status\" : \"completed\""));
        }
    }

    private static long startedRuns(Path out) throws Exception {
        Path runs = out.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return 0;
        }
        try (var dirs = Files.list(runs)) {
            return dirs.filter(d -> Files.exists(d.resolve("config.yaml"))).count();
        }
    }
}
