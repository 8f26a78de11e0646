package nclab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.cli.report.Check;
import nclab.data.ClassSizes;
import nclab.theory.LExtendedGeometry;

class LextGdVsTheoremsTest {
    @TempDir
    Path tmp;

    @Test
    void measuredObjectiveEqualsTheSolversLossAndTheClosedForm() {
        ClassSizes sizes = LextGdVsTheorems.sizes(5);
        assertEquals(List.of(200, 116, 68, 40), java.util.Arrays.stream(sizes.counts()).boxed().toList());
        var cfg = LextSolvedRun.config(sizes, 2, true, 5e-3, 5e-3, 64, 0.5, 8000, 1);
        LextSolvedRun m = LextSolvedRun.solve(cfg, tmp.resolve("run"));
        assertTrue(Files.isRegularFile(tmp.resolve("run/summary.json")));
        // two independent evaluations of eq. (4.3): the solver's logged loss and LextSolvedRun's re-evaluation
        assertEquals(m.loggedLoss(), m.objective(), 1e-12 * m.objective());
        LExtendedGeometry g = LExtendedGeometry.of(sizes, 2, 5e-3, 5e-3, true);
        assertEquals(g.objective(), m.objective(), 1e-9 * g.objective());
        assertTrue(LextSolvedRun.maxAbsDiff(m.productSv(), g.productSingularValues()) < 1e-6);
        assertTrue(LextSolvedRun.maxAbsDiff(m.featureSv(), g.featureSingularValues()) < 1e-6);
        assertTrue(LextSolvedRun.maxAbsDiff(m.outputSv(), g.outputSingularValues()) < 1e-6);
        assertTrue(LextSolvedRun.maxAbsDiff(m.biasVector(), sizes.fractions()) < 1e-8);
        assertTrue(m.globalMeanNorm() < 1e-8 && m.withinClassMax() < 1e-8);
        // a reused run directory is read, not recomputed
        LextSolvedRun again = LextSolvedRun.solve(cfg, tmp.resolve("run"));
        assertEquals(m.objective(), again.objective(), 0);
    }

    @Test
    void convergedRunsPassEveryCheckAndWriteTidyCsvs() throws Exception {
        var result = new LextGdVsTheorems().run(tmp.resolve("ok"), new double[] {1, 4}, new int[] {1}, 6000);
        assertEquals(8, result.checks().size());
        for (Check c : result.checks()) {
            assertTrue(c.pass(), c.claim() + ": " + c.measured());
        }
        List<String> lines = Files.readAllLines(tmp.resolve("ok").resolve(LextGdVsTheorems.CSV));
        assertEquals(String.join(",", LextGdVsTheorems.columns()), lines.get(0));
        assertEquals(1 + 4, lines.size());
        assertEquals(3, result.charts().size()); // sv(A), sv(E) for the one L, and f*
        assertTrue(Files.isDirectory(tmp.resolve("ok/runs/L1-bias-R4")), "run directories under runs/");
    }

    @Test
    void unconvergedGradientDescentFailsTheChecks() {
        var result = new LextGdVsTheorems().run(tmp.resolve("short"), new double[] {1, 4}, new int[] {2}, 30);
        Check objective = result.checks().get(0);
        assertTrue(objective.claim().contains("global minimum"), objective.claim());
        assertFalse(objective.pass(), objective.measured());
        assertFalse(result.checks().get(1).pass(), "singular values after 30 steps");
        assertFalse(result.passes());
    }

    @Test
    void balancedCheckFailsWithoutAnRatioOfOne() {
        // no R = 1 among the ratios: the balanced check has nothing to measure and must not pass
        var result = new LextGdVsTheorems().run(tmp.resolve("nobal"), new double[] {4}, new int[] {1}, 30);
        assertTrue(result.checks().get(3).claim().contains("R = 1 (balanced)"));
        assertFalse(result.checks().get(3).pass());
        assertEquals("NaN", result.checks().get(3).measured());
    }

    @Test
    void distancesToEtfAndFrameAreZeroOnlyOnTheirOwnGram() {
        double[][] etf = LextSolvedRun.simplexGram(4);
        double[][] eye = LextSolvedRun.identityGram(4);
        assertEquals(0, LextSolvedRun.normalisedDistance(etf, etf), 1e-15);
        assertTrue(LextSolvedRun.normalisedDistance(etf, eye) > 0.2);
        assertEquals(List.of(3.0, 2.0, 1.0), java.util.Arrays.stream(LextGdVsTheorems.sorted(new double[] {1, 3, 2})).boxed().toList());
    }
}
