package nclab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.cli.report.Check;
import nclab.cli.report.LineChart;
import nclab.io.Npy;

/** lpm-oversampling: the Proposition 1 checks in full, the deep checks on made-up data, one tiny oversampled run. */
class LpmOversamplingTest {
    @TempDir
    Path tmp;

    @Test
    void theoryChecksPassAndTheCurveReachesTheBalancedValue() throws Exception {
        List<Check> checks = new ArrayList<>();
        List<LineChart> charts = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        LpmOversampling.theory(tmp, checks, charts, files);
        assertEquals(6, checks.size());
        assertTrue(checks.stream().allMatch(Check::pass), checks.toString());
        assertEquals(1, charts.size());
        List<String[]> rows = ReproduceCommandTest.csv(files.get(0));
        assertEquals(LpmOversampling.THEORY_COLUMNS, List.of(rows.get(0)));
        assertEquals(LpmOversampling.THEORY_W.length + 1, rows.size());
        // w_r = 1 at R = 100: collapsed (Theorem 5 regime, pitfalls.md: cosine 1 at R = 100)
        assertEquals(1.0, Double.parseDouble(rows.get(1)[3]), 1e-6);
        // w_r = 100: balanced
        assertEquals(-1.0 / 9, Double.parseDouble(rows.get(rows.size() - 1)[3]), 1e-6);
    }

    @Test
    void perExampleSolveSeesTheOversamplingWeight() {
        // without oversampling, n_A = 40 and n_B = 2 is R = 20 (collapsed), far from R/w_r = 10 (0.517496): the
        // per-example comparison of the check distinguishes w_r = 1 from w_r = 2
        LpmOversampledSampleLevel plain = LpmOversampledSampleLevel.solve(5, 5, 40, 2, 1, 1, 5, 3000, 1);
        assertTrue(Math.abs(plain.minorityCosine() - 0.517496) > 0.2, "" + plain.minorityCosine());
        // a wrong step budget (10 steps) does not pass the check's tolerance
        LpmOversampledSampleLevel early = LpmOversampledSampleLevel.solve(5, 5, 40, 2, 2, 1, 5, 10, 1);
        assertTrue(Math.abs(early.minorityCosine() - 0.517496) > LpmOversampling.SAMPLE_COS_TOLERANCE);
    }

    @Test
    void deepChecksPassWhenOversamplingHelpsAndFailOtherwise() {
        List<Check> ok = LpmOversampling.deepChecks("mlp", 5, List.of(LpmDeepMinorityCollapseTest.made(100, 1, 0.7, 0.1),
                LpmDeepMinorityCollapseTest.made(100, 10, 0.3, 0.3), LpmDeepMinorityCollapseTest.made(100, 100, 0.0, 0.25)));
        assertTrue(ok.stream().allMatch(Check::pass), ok.toString());
        assertTrue(ok.get(1).measured().contains("w_r = 10"), ok.get(1).measured());
        List<Check> bad = LpmOversampling.deepChecks("mlp", 5, List.of(LpmDeepMinorityCollapseTest.made(100, 1, 0.7, 0.1),
                LpmDeepMinorityCollapseTest.made(100, 10, 0.6, 0.09), LpmDeepMinorityCollapseTest.made(100, 100, 0.6, 0.1)));
        assertFalse(bad.get(0).pass());
        assertFalse(bad.get(1).pass());
    }

    @Test
    void oversampledRunRepeatsTheMinorityImages() {
        List<LpmOversampling.Panel> panels = List.of(new LpmOversampling.Panel(LpmDeepMinorityCollapseTest.tiny(),
                new int[] {5}, 20, 10, new int[] {1, 3}));
        List<Check> checks = new ArrayList<>();
        List<LineChart> charts = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        LpmOversampling.deep(panels, tmp, false, checks, charts, files);
        assertTrue(checks.isEmpty());
        assertEquals(2, charts.size());
        int[] labels = Npy.read(tmp.resolve("runs/mlp-ka5-kb5-na20-r10-w3/labels.npy")).toIntVector();
        int minority = 0;
        for (int y : labels) {
            minority += y >= 5 ? 1 : 0;
        }
        assertEquals(5 * 2 * 3, minority, "n_B = 2 images per minority class, each repeated w_r = 3 times");
        assertEquals(5 * 20 + 30, labels.length);
    }
}
