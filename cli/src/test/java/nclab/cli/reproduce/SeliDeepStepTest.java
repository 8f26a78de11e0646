package nclab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.cli.report.Check;
import nclab.cli.report.RunData;
import nclab.data.ClassSizes;
import nclab.experiment.RunDirectory;

class SeliDeepStepTest {
    @TempDir
    static Path tmp;
    static List<SeliDeepStep.RunSpec> specs;
    static List<RunData> data;

    /** Two tiny synthetic runs (R = 1 and R = 10, 2 epochs) through the same ReproRuns.train path as the reproduction. */
    @BeforeAll
    static void train() {
        specs = List.of(new SeliDeepStep.RunSpec("mlp", 1, 55), new SeliDeepStep.RunSpec("mlp", 10, 10));
        data = new ArrayList<>();
        for (SeliDeepStep.RunSpec s : specs) {
            Map<String, Object> c = new LinkedHashMap<>(SeliDeepStep.config(s, Reproduction.Profile.QUICK));
            c.put("dataset", "synthetic");
            c.put("depth", 1);
            c.put("width", 32);
            c.put("epochs", 2);
            c.put("milestones", List.of(1));
            c.put("batch", 64);
            c.put("log_points", 2);
            c.put("test_per_class", 20);
            data.add(ReproRuns.train(c, tmp.resolve("runs").resolve(s.name())));
        }
    }

    @Test
    void quickSettingsFollowThePapersFixedNRuleAndSeliQuickYaml() {
        List<SeliDeepStep.RunSpec> quick = SeliDeepStep.runs(Reproduction.Profile.QUICK);
        assertEquals(List.of(new SeliDeepStep.RunSpec("mlp", 1, 275), new SeliDeepStep.RunSpec("mlp", 10, 50)), quick);
        assertEquals(2750, quick.get(0).sizes().total());
        assertEquals(2750, quick.get(1).sizes().total());
        // paper: n = 25250 at R = 100 exactly (5·5000 + 5·50), n_min 2525, 842, 459, 50
        List<SeliDeepStep.RunSpec> paper = SeliDeepStep.runs(Reproduction.Profile.PAPER);
        assertEquals(8, paper.size());
        assertEquals(List.of(2525, 842, 459, 50), paper.subList(0, 4).stream().map(SeliDeepStep.RunSpec::nMin).toList());
        assertEquals(25250, paper.get(3).sizes().total());
        Map<String, Object> c = SeliDeepStep.config(paper.get(0), Reproduction.Profile.PAPER);
        assertEquals("resnet18", c.get("model"));
        assertEquals(350, c.get("epochs"));
        assertEquals(false, c.get("bias"));
        assertEquals(List.of(120, 240), c.get("milestones"));
        // every config of both profiles is a valid nclab train config
        for (Reproduction.Profile p : Reproduction.Profile.values()) {
            for (SeliDeepStep.RunSpec s : SeliDeepStep.runs(p)) {
                Map<String, Object> m = new LinkedHashMap<>(SeliDeepStep.config(s, p));
                m.put("out", tmp.resolve("unused").toString());
                nclab.dl.train.TrainConfig.fromMap(m, "test " + s.name());
            }
        }
        // quick = configs/seli-quick.yaml except the STEP sizes
        Map<String, Object> q = SeliDeepStep.config(quick.get(1), Reproduction.Profile.QUICK);
        assertEquals(List.of(10, 10, 0.5, 50), q.get("step"));
        assertEquals(120, q.get("epochs"));
        assertEquals(5.0e-4, q.get("lambda_h"));
    }

    @Test
    void resultWritesCsvsChartsAndChecksFromRunDirectories() throws IOException {
        for (SeliDeepStep.RunSpec s : specs) {
            assertTrue(Files.isRegularFile(tmp.resolve("runs").resolve(s.name()).resolve(RunDirectory.SUMMARY)));
        }
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Reproduction.Result r = SeliDeepStep.result(specs, data, out);
        assertEquals(6, r.charts().size());
        assertEquals(2, r.heatMaps().size()); // measured and SELI classifier Grams of the R = 10 run
        assertEquals(2 * 100 + 1, Files.readAllLines(out.resolve(SeliDeepStep.GRAM_CSV)).size());
        List<String> table = Files.readAllLines(out.resolve(SeliDeepStep.TABLE_CSV));
        assertEquals(String.join(",", SeliDeepStep.TABLE_COLUMNS), table.get(0));
        assertEquals(3, table.size());
        // R = 1: SELI and ETF references coincide, so the measured distances to both are equal whatever was learnt
        Check balanced = r.checks().stream().filter(c -> c.claim().contains("SELI = ETF")).findFirst().orElseThrow();
        assertTrue(balanced.pass(), balanced.measured());
        // Table 3 errors: the mean over classes of 1 - test_acc_c, in %
        double[] e = SeliDeepStep.testErrors(data.get(1), ClassSizes.step(10, 10, 0.5, 10));
        double sum = 0;
        for (int c = 0; c < 10; c++) {
            sum += 1 - data.get(1).lastFinite("test_acc_" + c);
        }
        assertEquals(10 * sum, e[0], 1e-9);
        assertEquals((e[1] + e[2]) / 2, e[0], 1e-9);
    }

    @Test
    void checksFailOnWrongData() {
        // the R = 1 check fed the R = 10 run: SELI and ETF distances differ
        List<Check> swapped = SeliDeepStep.checks(specs, List.of(data.get(1), data.get(0)));
        assertFalse(swapped.stream().filter(c -> c.claim().contains("SELI = ETF")).allMatch(Check::pass));
        // two epochs of a tiny network are far from collapse: the NC1 fall check must fail
        assertFalse(SeliDeepStep.checks(specs, data).stream().filter(c -> c.claim().contains("NC1")).allMatch(Check::pass));
    }
}
