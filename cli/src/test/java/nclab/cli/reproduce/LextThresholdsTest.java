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
import nclab.theory.LExtendedGeometry;

class LextThresholdsTest {
    @TempDir
    Path tmp;

    @Test
    void scalesSitOnTheRightSideOfEachThreshold() {
        for (int layers : LextThresholds.LAYERS) {
            for (boolean bias : new boolean[] {true, false}) {
                int k = LextThresholds.direction(bias);
                LExtendedGeometry below = LextThresholds.geometry(layers, bias, LextThresholds.BELOW);
                LExtendedGeometry above = LextThresholds.geometry(layers, bias, LextThresholds.ABOVE);
                // the critical scale of the swept direction, recomputed from the threshold condition a_k < a*_L
                assertEquals(1 / LextThresholds.BELOW, below.criticalScales()[k], 1e-9);
                assertTrue(below.x()[k] > 0 && above.x()[k] == 0);
                assertTrue(LextThresholds.sweptPrediction(below, bias) > 0.3);
                assertEquals(0, LextThresholds.sweptPrediction(above, bias));
            }
        }
    }

    @Test
    void gradientDescentFollowsTheThresholdForL1() throws Exception {
        var result = new LextThresholds().run(tmp, new double[] {LextThresholds.BELOW, LextThresholds.ABOVE}, new int[] {1},
                6000, 1);
        assertEquals(4, result.checks().size());
        for (Check c : result.checks()) {
            assertTrue(c.pass(), c.claim() + ": " + c.measured());
        }
        List<String> lines = Files.readAllLines(tmp.resolve(LextThresholds.CSV));
        assertEquals(1 + 4, lines.size());
        assertEquals(2, result.charts().size());
    }

    @Test
    void pointChecksFailOnWrongMeasurements() {
        double[] below = {2.0, 2.0, 1e-12, 0.5};
        double[] above = {0.0, 0.0, 1e-12, 0.0};
        assertTrue(LextThresholds.pointChecks(2, true, below, above).stream().allMatch(Check::pass));
        // still active above the threshold (a metastable local minimum): fails
        double[] metastable = {2.3, 0.0, 2e-3, 0.5};
        assertFalse(LextThresholds.pointChecks(2, true, below, metastable).get(1).pass());
        // collapsed below the threshold (the all-zero local minimum): fails
        double[] dead = {0.0, 2.0, 0.01, 0.0};
        assertFalse(LextThresholds.pointChecks(2, true, dead, above).get(0).pass());
        // bias-free: the class mean must vanish too
        double[] meanAlive = {0.0, 0.0, 1e-12, 0.3};
        assertFalse(LextThresholds.pointChecks(1, false, below, meanAlive).get(1).pass());
    }
}
