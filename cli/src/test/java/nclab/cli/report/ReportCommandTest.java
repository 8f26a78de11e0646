package nclab.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.cli.Main;

class ReportCommandTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result nclab(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void reportOfARealSolveRun() throws IOException {
        Path run = tmp.resolve("solve");
        Result solve = nclab("solve", "--model", "ufm", "--step", "4,10,0.5,2", "--d", "8", "--lambda-w", "5e-4",
                "--lambda-h", "5e-4", "--optimizer", "sgd", "--lr", "0.4", "--batch", "4", "--epochs", "30",
                "--out", run.toString(), "--no-progress");
        assertEquals(0, solve.code(), solve.err());

        Result report = nclab("report", run.toString());
        assertEquals(0, report.code(), report.err());
        Path html = run.resolve("report.html");
        assertTrue(report.out().startsWith("report: " + html + " (1 run, "), report.out());
        String page = Files.readString(html);
        RunData data = RunData.read(run);
        int plots = Plots.standardCharts(data).size();
        assertTrue(plots >= 7, "NC1, three distance panels, accuracy, loss, norm ratios, cosines: " + plots);
        assertTrue(report.out().contains(plots + " plots, 2 of 2 checks passed"), report.out());
        assertEquals(plots, page.split("<img class=\"plot\"", -1).length - 1);
        assertTrue(page.contains("<table id=\"checks\">"));
        assertTrue(page.contains("NC1 decreases") && page.contains("closest predicted geometry"));
        assertTrue(page.contains("<tr><th>optimizer</th><td>sgd</td></tr>"), "settings from config.yaml");
        assertTrue(page.contains("<tr><th>git_commit</th>"), "provenance");
        assertTrue(page.contains("step = 0 (the initialisation) is not shown on the log x axis"),
                "log-spaced steps span > 2 decades: log x axis");
    }

    @Test
    void severalRunsToOneFileAndFailingChecksExitFive() throws IOException {
        Path good = RunFixtures.solveRun(tmp.resolve("good"), true);
        Path bad = RunFixtures.solveRun(tmp.resolve("bad"), false);
        Path out = tmp.resolve("both.html");
        Result ok = nclab("report", good.toString(), "--out", out.toString());
        assertEquals(0, ok.code(), ok.err());
        Result failed = nclab("report", good.toString(), bad.toString(), "--out", out.toString());
        assertEquals(ReportCommand.CHECK_FAILED, failed.code());
        assertEquals(5, ReportCommand.CHECK_FAILED);
        assertEquals("nclab report: 1 check failed; see the checks table in " + out + "\n", failed.err());
        assertTrue(failed.out().startsWith("report: " + out + " (2 runs, "), failed.out());
        String page = Files.readString(out);
        assertTrue(page.contains("<section class=\"run\" id=\"run-2\">"));
        assertEquals(1, page.split("<td class=\"result\">FAIL</td>", -1).length - 1);
        assertFalse(Files.exists(good.resolve("report.html")), "--out given: nothing written into the run directory");
    }

    @Test
    void notARunDirectoryExitsTwo() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Result r = nclab("report", empty.toString());
        assertEquals(2, r.code());
        assertEquals("nclab report: " + empty + ": not a run directory (no metrics.csv)\n", r.err());
        assertFalse(Files.exists(empty.resolve("report.html")));
        Result none = nclab("report");
        assertEquals(2, none.code(), "DIR is required");
    }
}
