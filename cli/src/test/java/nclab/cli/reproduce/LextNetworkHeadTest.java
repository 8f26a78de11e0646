package nclab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.cli.report.Check;
import nclab.data.ClassSizes;
import nclab.theory.LExtendedGeometry;

class LextNetworkHeadTest {
    @TempDir
    Path tmp;

    /** A tiny synthetic config: 10 classes, 2 epochs, narrow MLP, a 1-layer linear head. */
    static Map<String, Object> tiny() {
        Map<String, Object> c = LextNetworkHead.config(Reproduction.Profile.QUICK, 1);
        c.put("dataset", "synthetic");
        c.put("sizes", List.of(30, 30, 24, 24, 18, 18, 12, 12, 6, 6));
        c.put("test_per_class", 20);
        c.put("depth", 2);
        c.put("width", 32);
        c.put("epochs", 2);
        c.put("log_points", 2);
        return c;
    }

    @Test
    void trainsWritesRunDirectoryCurvesAndSingularValues() throws Exception {
        Map<String, Object> cfg = tiny();
        var result = new LextNetworkHead().run(List.of(cfg), tmp);
        assertTrue(Files.isRegularFile(tmp.resolve("runs/head1/summary.json")));
        assertTrue(Files.isRegularFile(tmp.resolve("runs/head1/features.npy")));
        assertEquals(4, result.checks().size());
        assertEquals(3, result.charts().size());
        List<String> sv = Files.readAllLines(tmp.resolve(LextNetworkHead.SV_CSV));
        assertEquals(1 + 10, sv.size());
        // the measured class-mean singular values: E = centred H̄·D has rank <= K-1 (sample-weighted centring)
        String[] lastRow = sv.get(10).split(",");
        assertTrue(Double.parseDouble(lastRow[2]) < 1e-4 * Double.parseDouble(sv.get(1).split(",")[2]), sv.get(10));
        // the prediction uses the spec §4.3 normalisation lambda_H = lambda_h / N
        LExtendedGeometry g = LextNetworkHead.prediction(cfg);
        assertEquals(1e-4 / 180, g.lambdaH(), 1e-18);
        assertEquals(ClassSizes.of(30, 30, 24, 24, 18, 18, 12, 12, 6, 6), g.sizes());
    }

    @Test
    void decisiveChecksFailWhenNothingCollapses() {
        assertTrue(LextNetworkHead.decisiveChecks("t", 1.4, 0.3, 5.0, 0.01).stream().allMatch(Check::pass));
        List<Check> stuck = LextNetworkHead.decisiveChecks("t", 1.4, 0.6, 5.0, 0.2);
        assertFalse(stuck.get(0).pass());
        assertFalse(stuck.get(1).pass());
        // small but not fallen by the factor (it started small): fails
        assertFalse(LextNetworkHead.decisiveChecks("t", 0.5, 0.35, 5.0, 0.01).get(0).pass());
    }

    @Test
    void equalNormMeansGiveTheBalancedSpectrum() {
        // balanced sizes: the centred simplex has K-1 equal singular values and one zero
        double[] r = LextNetworkHead.equalNormRatios(ClassSizes.balanced(4, 10));
        assertEquals(1, r[1], 1e-12);
        assertEquals(1, r[2], 1e-12);
        assertEquals(0, r[3], 1e-12);
        // imbalanced: the spectrum spreads (python/numpy reference for the paper's CIFAR sizes: 0.4472 for k = 9)
        double[] c = LextNetworkHead.equalNormRatios(ClassSizes.of(LextNetworkHead.SIZES));
        assertEquals(0.4472, c[8], 1e-4);
    }
}
