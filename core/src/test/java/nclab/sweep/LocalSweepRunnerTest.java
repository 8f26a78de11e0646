package nclab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.experiment.RunDirectory;
import nclab.io.Json;

/** The local runner with in-process fake launchers that write a run's summary.json as nclab solve does. */
class LocalSweepRunnerTest {
    @TempDir
    Path tmp;

    private SweepPlan plan(String axes) throws IOException {
        Path f = tmp.resolve("sweep.in.yaml");
        Files.writeString(f, "kind: solve\nbase: {model: ufm, sizes: [4, 4], d: 8, lr: 0.5, steps: 10}\nmetric: loss\naxes:\n" + axes);
        return SweepPlan.expand(SweepConfig.read(f, SweepPlanTest.KINDS));
    }

    /** A launcher that "completes" each run with loss = d + seed/10, writing summary.json (final_metrics). */
    static class Fake implements RunLauncher {
        final AtomicInteger launches = new AtomicInteger();
        final List<String> launched = Collections.synchronizedList(new ArrayList<>());

        @Override
        public RunOutcome launch(SweepRun run, Path dir) throws Exception {
            launches.incrementAndGet();
            launched.add(run.id());
            return complete(run, dir);
        }

        RunOutcome complete(SweepRun run, Path dir) throws IOException {
            Files.createDirectories(dir);
            double loss = ((Number) run.params().get("d")).doubleValue() + ((Number) run.params().get("seed")).doubleValue() / 10;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", 10);
            row.put("loss", loss);
            row.put("note", "text columns are left out");
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("status", "completed");
            s.put("message", "completed 10 steps");
            s.put("wall_seconds", 0.5);
            s.put("final_metrics", row);
            Json.write(dir.resolve(RunDirectory.SUMMARY), s);
            return RunSummaries.read(dir).orElseThrow();
        }
    }

    @Test
    void resultsTableHasOneRowPerRunWithAxesStatusAndNumericFinalColumns() throws IOException {
        SweepPlan plan = plan("  d: [4, 8]\n  seed: {seeds: 3}\n");
        Fake fake = new Fake();
        List<SweepProgress> progress = Collections.synchronizedList(new ArrayList<>());
        SweepReport report = new LocalSweepRunner(fake, 2).listener(progress::add).run(plan, tmp.resolve("out"));
        assertEquals(6, fake.launches.get());
        assertEquals(6, report.launched());
        assertTrue(report.allCompleted());
        assertEquals(6, progress.size());
        assertEquals(6, progress.stream().mapToInt(SweepProgress::done).max().orElseThrow());
        assertTrue(progress.get(0).line().startsWith("[1/6] 0 failed, ETA "), progress.get(0).line());

        List<String> lines = Files.readAllLines(tmp.resolve("out/results.csv"));
        assertEquals("id,d,seed,status,message,seconds,step,loss", lines.get(0));
        assertEquals(7, lines.size());
        for (int i = 0; i < 6; i++) {
            SweepRun run = plan.runs().get(i);
            String[] f = lines.get(i + 1).split(",");
            assertEquals(run.id(), f[0], "rows in plan order");
            assertEquals(run.params().get("d").toString(), f[1]);
            assertEquals(run.params().get("seed").toString(), f[2]);
            assertEquals("completed", f[3]);
            assertEquals(((Number) run.params().get("d")).doubleValue() + ((Number) run.params().get("seed")).doubleValue() / 10,
                    Double.parseDouble(f[7]), 1e-12);
        }
        assertTrue(Files.readString(tmp.resolve("out/sweep.yaml")).contains("seed:\n  - 1\n  - 2\n  - 3"),
                Files.readString(tmp.resolve("out/sweep.yaml")));

        List<List<Object>> byAxis = SweepResults.byAxis(plan, report.records(), "loss");
        assertEquals(List.of("d", "4", 3), byAxis.get(0).subList(0, 3));
        assertEquals(4.2, (double) byAxis.get(0).get(3), 1e-12); // mean of 4.1, 4.2, 4.3
        assertEquals(List.of("seed", "2", 2), byAxis.get(3).subList(0, 3));
        assertEquals(6.2, (double) byAxis.get(3).get(3), 1e-12); // mean of 4.2, 8.2
        Path metricFile = SweepResults.writeByAxis(tmp.resolve("out"), plan, report.records(), "loss");
        assertEquals("axis,value,runs,mean,min,max", Files.readAllLines(metricFile).get(0));
    }

    @Test
    void failuresAreRecordedWithTheirErrorAndDoNotStopTheOthers() throws IOException {
        SweepPlan plan = plan("  d: [4, 8, 16]\n  seed: {seeds: 2}\n");
        Fake fake = new Fake() {
            @Override
            public RunOutcome launch(SweepRun run, Path dir) throws Exception {
                launches.incrementAndGet();
                if (run.params().get("d").equals(8) && run.params().get("seed").equals(1L)) {
                    throw new IllegalStateException("boom, with a comma\nand a second line");
                }
                if (run.params().get("d").equals(16) && run.params().get("seed").equals(2L)) {
                    return RunOutcome.failed("bad config or input (exit 2): nclab solve: d must be >= 1", 0.1);
                }
                if (run.params().get("d").equals(4) && run.params().get("seed").equals(2L)) {
                    Files.createDirectories(dir);
                    Json.write(dir.resolve(RunDirectory.SUMMARY), Map.of("status", "diverged", "message", "loss is NaN at step 7",
                            "wall_seconds", 0.2, "final_metrics", Map.of("loss", 3.0)));
                    return RunSummaries.read(dir).orElseThrow();
                }
                return complete(run, dir);
            }
        };
        SweepReport report = new LocalSweepRunner(fake, 2).run(plan, tmp.resolve("out"));
        assertEquals(6, fake.launches.get());
        assertEquals(3, report.completed());
        assertFalse(report.allCompleted());
        List<String> lines = Files.readAllLines(tmp.resolve("out/results.csv"));
        assertEquals(7, lines.size());
        String thrown = lines.stream().filter(l -> l.startsWith(plan.runs().get(2).id())).findFirst().orElseThrow();
        assertTrue(thrown.contains(",failed,\"IllegalStateException: boom, with a comma and a second line\","), thrown);
        String bad = lines.stream().filter(l -> l.startsWith(plan.runs().get(5).id())).findFirst().orElseThrow();
        assertTrue(bad.contains(",failed,bad config or input (exit 2): nclab solve: d must be >= 1,"), bad);
        String diverged = lines.stream().filter(l -> l.startsWith(plan.runs().get(1).id())).findFirst().orElseThrow();
        assertTrue(diverged.contains(",diverged,loss is NaN at step 7,"), diverged);

        // a rerun relaunches only the failed runs (no summary.json); the diverged one is final
        Fake again = new Fake();
        SweepReport second = new LocalSweepRunner(again, 2).run(plan, tmp.resolve("out"));
        assertEquals(List.of(plan.runs().get(2).id(), plan.runs().get(5).id()).stream().sorted().toList(),
                again.launched.stream().sorted().toList());
        assertEquals(2, second.launched());
        assertEquals(5, second.completed());
    }

    /** Simulates a kill: an Error after k launches stops the sweep, like a killed JVM. */
    static final class Killed extends Error {
        Killed() {
            super("killed");
        }
    }

    @Test
    void aKilledSweepResumesWithoutRedoingFinishedRuns() throws IOException {
        SweepPlan plan = plan("  d: [4, 8, 16, 32]\n  seed: {seeds: 3}\n");
        int k = 5;
        Fake dying = new Fake() {
            @Override
            public RunOutcome launch(SweepRun run, Path dir) throws Exception {
                if (launches.incrementAndGet() > k) {
                    throw new Killed();
                }
                RunOutcome o = complete(run, dir);
                launched.add(run.id());
                return o;
            }
        };
        assertThrows(Killed.class, () -> new LocalSweepRunner(dying, 2).run(plan, tmp.resolve("out")));
        long finished = plan.runs().stream().filter(r -> RunSummaries.finished(SweepPlan.runDir(tmp.resolve("out"), r))).count();
        assertEquals(k, finished, "exactly the runs that returned before the kill are finished");
        assertEquals(k + 1, Files.readAllLines(tmp.resolve("out/results.csv")).size(), "the table holds the finished runs");

        Fake rest = new Fake();
        SweepReport report = new LocalSweepRunner(rest, 2).run(plan, tmp.resolve("out"));
        assertEquals(plan.size() - k, rest.launches.get());
        assertEquals(plan.size() - k, report.launched());
        assertEquals(plan.size(), report.completed());
        assertEquals(k, report.records().stream().filter(SweepRecord::skipped).count());
        assertEquals(plan.size() + 1, Files.readAllLines(tmp.resolve("out/results.csv")).size());
        for (SweepRun r : plan.runs()) {
            assertFalse(rest.launched.contains(r.id()) && dying.launched.contains(r.id()),
                    "no run is done twice: " + r.id());
        }

        Fake none = new Fake();
        assertEquals(0, new LocalSweepRunner(none, 2).run(plan, tmp.resolve("out")).launched());
        assertEquals(0, none.launches.get());
    }
}
