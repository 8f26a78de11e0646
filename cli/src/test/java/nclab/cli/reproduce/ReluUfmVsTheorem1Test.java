package nclab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.cli.report.Check;
import nclab.cli.report.RunData;
import nclab.data.ClassSizes;
import nclab.theory.ReluUfmGeometry;

class ReluUfmVsTheorem1Test {
    @TempDir
    Path tmp;

    private static String describe(List<Check> checks) {
        StringBuilder s = new StringBuilder();
        for (Check c : checks) {
            s.append(c.pass() ? "PASS " : "FAIL ").append(c.claim()).append(" | ").append(c.predicted()).append(" | ")
                    .append(c.measured()).append('\n');
        }
        return s.toString();
    }

    @Test
    void quickRunSolvesEveryPointAndPassesItsChecks() throws IOException {
        Path dir = tmp.resolve("rep");
        ReproduceCommand.Written written = ReproduceCommand.write(new ReluUfmVsTheorem1(), Reproduction.Profile.QUICK, dir);
        List<Check> checks = written.result().checks();
        System.out.print(describe(checks));
        assertTrue(written.result().passes(), describe(checks));
        assertEquals(3 * 5 + 5 + 1 + 2 + 4, checks.size(), describe(checks));
        assertTrue(Files.isRegularFile(dir.resolve("report.html")));
        assertEquals(6, written.result().charts().size());
        assertEquals(3, written.result().heatMaps().size());
        // every solve left a finished run directory that nclab report can read
        RunData p1 = RunData.read(dir.resolve("runs/point-P1"));
        assertEquals("solve", p1.kind());
        assertEquals("completed", p1.status());
        assertTrue(Files.isRegularFile(dir.resolve("runs/sweep-R040.0/final.npz")));
        List<String> lines = Files.readAllLines(dir.resolve(ReluUfmVsTheorem1.SOLVED_CSV));
        assertEquals(String.join(",", ReluUfmVsTheorem1.SWEEP_COLUMNS), lines.get(0));
        assertEquals(ReluUfmVsTheorem1.QUICK_R.length + 1, lines.size());
        assertEquals(ReluUfmVsTheorem1.LINE_MAX_R * ReluUfmVsTheorem1.N_B - ReluUfmVsTheorem1.N_B + 2,
                Files.readAllLines(dir.resolve(ReluUfmVsTheorem1.THEORY_CSV)).size());
        // the solver's own loss column agrees with the objective evaluated from final.npz
        ReluUfmSolution s = ReluUfmSolution.read(dir.resolve("runs/point-P1"), ClassSizes.of(100, 100, 20, 20), 1e-3, 1e-3);
        assertEquals(p1.lastFinite("loss"), s.objective(), 1e-12);
        // a second run reuses the finished run directories and gives the same checks
        ReproduceCommand.Written again = ReproduceCommand.write(new ReluUfmVsTheorem1(), Reproduction.Profile.QUICK, dir);
        assertEquals(describe(checks), describe(again.result().checks()));
    }

    @Test
    void sweepThresholdsFollowFromTheCollapseSize() {
        double[] th = ReluUfmVsTheorem1.sweepThresholds();
        assertEquals(4.0, th[0], 1e-12);
        assertEquals((23 + Math.sqrt(525)) / 2, th[1], 1e-12);
        // at the threshold sizes n_B (resp. n_A) equals C = N^2 K/(K-1) lambda_w lambda_h
        ClassSizes atMinority = ReluUfmVsTheorem1.sweepSizes(40);
        assertEquals(10, ReluUfmGeometry.of(atMinority, 0.05, 0.015).collapseSize(), 1e-9);
        double nA = th[1] * 10;
        double n = 2 * nA + 20;
        assertEquals(nA, n * n * 4 / 3 * 0.05 * 0.015, 1e-9);
        assertTrue(ReluUfmVsTheorem1.thresholdChecks(ReluUfmVsTheorem1.theoryLine()).stream().allMatch(Check::pass));
    }

    @Test
    void pointChecksPassOnTheExplicitMinimiserAndFailOffIt() {
        ReluUfmVsTheorem1.Point p1 = ReluUfmVsTheorem1.POINTS.get(0);
        ReluUfmGeometry t = ReluUfmGeometry.of(p1.classSizes(), p1.lambdaW(), p1.lambdaH());
        int d = p1.d();
        double[][] w = t.classifier(d);
        double[][] means = t.classMeans(d);
        double[][] h = features(p1.classSizes(), means, 1.0);
        assertTrue(ReluUfmVsTheorem1.pointChecks(p1, t, ReluUfmSolution.of(p1.classSizes(), w, h, 1e-3, 1e-3)).stream()
                .allMatch(Check::pass));
        // features 1 % longer: objective and geometry checks fail
        List<Check> off = ReluUfmVsTheorem1.pointChecks(p1, t, ReluUfmSolution.of(p1.classSizes(), w,
                features(p1.classSizes(), means, 1.01), 1e-3, 1e-3));
        assertFalse(off.get(0).pass(), describe(off));
        assertFalse(off.get(1).pass(), describe(off));
        assertTrue(off.get(2).pass(), describe(off));
    }

    @Test
    void aSpuriousStationaryPointFromASmallInitialisationFailsTheChecks() {
        // pitfalls.md: from init scale 0.1 (plain GD, d = 8) the minority means of P1 stay at 0
        ReluUfmVsTheorem1.Point p1 = ReluUfmVsTheorem1.POINTS.get(0);
        Map<String, Object> config = new LinkedHashMap<>(ReluUfmVsTheorem1.solveConfig(p1.classSizes(), 8, 1e-3, 1e-3, 60_000, 0));
        config.put("init_scale", 0.1);
        Path dir = tmp.resolve("stuck");
        ReproRuns.solve(config, dir);
        ReluUfmSolution s = ReluUfmSolution.read(dir, p1.classSizes(), 1e-3, 1e-3);
        ReluUfmGeometry t = ReluUfmGeometry.of(p1.classSizes(), 1e-3, 1e-3);
        List<Check> checks = ReluUfmVsTheorem1.pointChecks(p1, t, s);
        System.out.print(describe(checks));
        assertFalse(checks.get(0).pass(), describe(checks));
        assertFalse(checks.get(1).pass(), describe(checks));
        assertTrue(s.objective() > t.objective() + 0.1, "f = " + s.objective());
    }

    @Test
    void sweepChecksFailWhenTheMinorityDoesNotCollapse() {
        // the explicit minimiser of R = 3.5 placed at every R: the minority never collapses, W never vanishes
        Map<Double, ReluUfmSolution> fake = new LinkedHashMap<>();
        for (double r : ReluUfmVsTheorem1.QUICK_R) {
            ClassSizes sizes = ReluUfmVsTheorem1.sweepSizes((int) Math.round(r * 10));
            ReluUfmGeometry below = ReluUfmGeometry.of(ReluUfmVsTheorem1.sweepSizes(35), 0.05, 0.015);
            fake.put(r, ReluUfmSolution.of(sizes, below.classifier(4), features(sizes, below.classMeans(4), 1), 0.05, 0.015));
        }
        List<Check> checks = ReluUfmVsTheorem1.sweepChecks(fake);
        assertTrue(checks.get(0).pass(), describe(checks));
        assertFalse(checks.get(1).pass(), describe(checks));
        assertFalse(checks.get(3).pass(), describe(checks));
    }

    private static double[][] features(ClassSizes sizes, double[][] means, double factor) {
        double[][] h = new double[Math.toIntExact(sizes.total())][];
        int row = 0;
        for (int c = 0; c < sizes.k(); c++) {
            for (int s = 0; s < sizes.count(c); s++) {
                h[row] = means[c].clone();
                for (int j = 0; j < h[row].length; j++) {
                    h[row][j] *= factor;
                }
                row++;
            }
        }
        return h;
    }
}
