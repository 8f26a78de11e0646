package nclab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny real solve sweep through child JVMs (nclab.cli.Main on the test class path) with 2 workers. */
class SweepCommandTest {
    @TempDir
    Path tmp;

    private static final String BASE = "kind: solve\n"
            + "base: {model: ufm, sizes: [3, 3, 2], lambda_w: 0.005, lambda_h: 0.005, optimizer: gd, lr: 0.5, steps: 300, log_points: 5}\n";

    @Test
    void runsAGridInChildJvmsSkipsFinishedRunsOnRerunAndIsolatesABadRun() throws IOException {
        Path sweep = tmp.resolve("grid.yaml");
        Files.writeString(sweep, BASE + "axes:\n  d: [4, 6]\n  seed: {seeds: 2}\nmetric: loss\n");
        Path out = tmp.resolve("grid");

        CliRun list = CliRun.of("sweep", sweep.toString(), "--list");
        assertEquals(0, list.code(), list.err());
        assertTrue(list.out().startsWith("4 runs (grid mode; axes d (2) x seed (2))"), list.out());
        assertTrue(list.out().contains("d=6_seed=2-"), list.out());

        CliRun first = CliRun.of("sweep", sweep.toString(), "--out", out.toString(), "--workers", "2");
        assertEquals(0, first.code(), first.out() + first.err());
        assertTrue(first.err().contains("4 runs of solve in " + out + " (0 finished earlier), 2 workers"), first.err());
        assertTrue(first.err().contains("[4/4] 0 failed"), first.err());
        assertTrue(first.out().contains("4 runs: 4 completed, 0 failed or diverged; 4 launched"), first.out());
        List<String> rows = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(5, rows.size(), String.join("\n", rows));
        assertTrue(Files.size(out.resolve("results.parquet")) > 0, "the table as Parquet too (read back in the spark module)");
        List<String> header = Arrays.asList(rows.get(0).split(","));
        assertEquals(List.of("id", "d", "seed", "status", "message", "seconds", "step"), header.subList(0, 7));
        int loss = header.indexOf("loss");
        assertTrue(loss > 0 && header.contains("nc1_pinv") && header.contains("dist_etf_mean"), rows.get(0));
        List<String> expectedOrder = List.of("4,1", "4,2", "6,1", "6,2");
        for (int i = 1; i <= 4; i++) {
            String[] f = rows.get(i).split(",");
            assertEquals(expectedOrder.get(i - 1), f[1] + "," + f[2]);
            assertEquals("completed", f[3]);
            assertEquals("300", f[6], "the final row is that of step 300");
            assertTrue(Double.parseDouble(f[loss]) > 0 && Double.parseDouble(f[loss]) < Math.log(3), rows.get(i));
            Path dir = out.resolve("runs").resolve(f[0]);
            assertTrue(Files.exists(dir.resolve("summary.json")) && Files.exists(dir.resolve("log.txt"))
                    && Files.exists(dir.resolve("config-input.yaml")), dir.toString());
            assertTrue(Files.readString(dir.resolve("config.yaml")).contains("d: " + f[1]));
        }
        assertTrue(Files.exists(out.resolve("sweep.yaml")) && Files.exists(out.resolve("metric-loss.csv")));
        assertTrue(first.out().contains("loss, mean over the completed runs at each axis value:"), first.out());
        Path png = out.resolve("plots").resolve("metric-loss-vs-d.png");
        assertTrue(first.out().contains("plot: " + png), first.out());
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 4);
        assertEquals("\u0089PNG", new String(head, java.nio.charset.StandardCharsets.ISO_8859_1), "a PNG image");
        String svg = Files.readString(out.resolve("plots").resolve("metric-loss-vs-d.svg"));
        assertTrue(svg.startsWith("<svg") || svg.startsWith("<?xml"), svg.substring(0, 40));
        assertTrue(svg.contains("mean over runs") && svg.contains("runs"), "legend of the mean line and the run markers");
        assertFalse(Files.exists(out.resolve("plots").resolve("metric-loss-vs-seed.png")), "no plot against the seed axis");

        CliRun report = CliRun.of("report", out.toString());
        assertEquals(0, report.code(), report.out() + report.err());
        assertTrue(report.out().startsWith("report: " + out.resolve("report.html") + " (4 runs, "), report.out());
        String page = Files.readString(out.resolve("report.html"));
        assertTrue(page.contains("metric-loss-vs-d"), "the sweep's plot is on the page");
        assertTrue(page.contains("4 of 4 runs completed"), "the sweep's run count");
        for (String row : rows.subList(1, rows.size())) {
            assertTrue(page.contains(row.split(",")[0]), "a section per run: " + row.split(",")[0]);
        }

        CliRun again = CliRun.of("sweep", sweep.toString(), "--out", out.toString(), "--workers", "2");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("(4 finished earlier)"), again.err());
        assertTrue(again.out().contains("4 runs: 4 completed, 0 failed or diverged; 0 launched"), again.out());
        assertEquals(rows.subList(0, 1), Files.readAllLines(out.resolve("results.csv")).subList(0, 1));

        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, BASE.replace("lr: 0.5, ", "") + "mode: zip\naxes:\n  lr: [0.5, -1]\n  seed: [1, 2]\n  d: [4, 4]\n");
        CliRun mixed = CliRun.of("sweep", bad.toString(), "--out", tmp.resolve("bad").toString(), "--workers", "2");
        assertEquals(SweepCommand.SOME_FAILED, mixed.code(), mixed.out() + mixed.err());
        assertTrue(mixed.out().contains("2 runs: 1 completed, 1 failed or diverged"), mixed.out());
        List<String> badRows = Files.readAllLines(tmp.resolve("bad").resolve("results.csv"));
        assertEquals(3, badRows.size());
        String failed = badRows.stream().filter(r -> r.contains("lr=-1_")).findFirst().orElseThrow();
        assertTrue(failed.contains(",failed,\"bad config or input (exit 2): nclab solve: config-input.yaml: lr must be"), failed);
        assertEquals(1, badRows.stream().filter(r -> r.contains(",completed,")).count());
    }

    @Test
    void aBadSweepFileIsExitCode2WithTheKeyNamed() throws IOException {
        Path sweep = tmp.resolve("typo.yaml");
        Files.writeString(sweep, BASE + "axes:\n  lamda_w: [0.1]\n");
        CliRun run = CliRun.of("sweep", sweep.toString(), "--list");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("unknown axis key 'lamda_w' in typo.yaml: not a solve config key (did you mean lambda_w?)"),
                run.err());
        Path train = tmp.resolve("train.yaml");
        Files.writeString(train, "kind: train\nbase: {dataset: synthetic}\naxes:\n  width: [8, 16]\n  lr: [0.1]\n");
        CliRun ok = CliRun.of("sweep", train.toString(), "--list");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("2 runs"), ok.out());
        CliRun noOut = CliRun.of("sweep", train.toString());
        assertEquals(2, noOut.code());
        assertTrue(noOut.err().contains("give the sweep directory: --out DIR"), noOut.err());
        CliRun noSpark = CliRun.of("sweep", train.toString(), "--out", tmp.resolve("s").toString(), "--engine", "spark");
        assertEquals(2, noSpark.code(), "the spark module is not on the cli's class path");
        assertTrue(noSpark.err().contains("the spark engine is not on the class path: build it with `mvn -B -ntp -pl spark -am"
                + " package -DskipTests`"), noSpark.err());
        CliRun badEngine = CliRun.of("sweep", train.toString(), "--list", "--engine", "flink");
        assertEquals(2, badEngine.code());
        assertTrue(badEngine.err().contains("--engine must be local or spark, got 'flink'"), badEngine.err());
        CliRun masterAlone = CliRun.of("sweep", train.toString(), "--list", "--master", "local[2]");
        assertEquals(2, masterAlone.code());
        assertTrue(masterAlone.err().contains("--master needs --engine spark"), masterAlone.err());
    }
}
