package nclab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import nclab.data.ClassSizes;
import nclab.metrics.Centring;
import nclab.model.ParameterLayout;
import nclab.theory.Etf;
import nclab.theory.TheoryParameters;

class StepMetricsTest {
    private static ModelSetup setup(int[] labels, int k, int d, boolean bias, List<TheoryTarget> targets) {
        TinyUfm f = new TinyUfm(labels, k, d, 0.1, 0.1, bias, 1);
        return new ModelSetup(f, labels, LastLayer.fromLayout(f.layout()), targets);
    }

    @Test
    void accuracyAndMinMarginFromHandComputedLogits() {
        // K = 2, d = 1, W = [1; -1], b = [0.25, 0]: logits z = (h + 0.25, -h)
        int[] labels = {0, 0, 1, 1};
        ModelSetup s = setup(labels, 2, 1, true, List.of());
        ParameterLayout layout = s.objective().layout();
        double[] x = new double[layout.size()];
        layout.set(x, "W", new double[][] {{1}, {-1}});
        layout.set(x, "H", new double[][] {{2}, {0.5}, {-1}, {0.1}});
        layout.set(x, "b", new double[][] {{0.25}, {0}});
        Map<String, Object> row = StepMetrics.row(s, x, 12, 5, 0.75);
        assertEquals(12L, row.get("step"));
        assertEquals(2L, row.get("epoch"));
        assertEquals(0.75, row.get("loss"));
        // margins z_y − z_other: 4.25, 1.25, then for class 1 (−h) − (h + 0.25): 1.75, −0.45
        assertEquals(0.75, (double) row.get("accuracy"), 0);
        assertEquals(-0.45, (double) row.get("min_margin"), 1e-15);
        assertTrue(row.containsKey("nc1_pinv"));
        assertTrue(row.containsKey("sv_W_0"));
        assertFalse(row.containsKey("centring"));
    }

    @Test
    void exactSimplexEtfHasZeroDistanceToTheEtfPrediction() {
        // K = 3 classes of 2 samples at the vertices of a simplex ETF in d = 2, W equal to the means
        double[][] m = new double[3][2];
        for (int c = 0; c < 3; c++) {
            m[c][0] = Math.cos(2 * Math.PI * c / 3);
            m[c][1] = Math.sin(2 * Math.PI * c / 3);
        }
        int[] labels = ModelSetup.orderedLabels(new int[] {2, 2, 2});
        ModelSetup s = setup(labels, 3, 2, false, List.of(new TheoryTarget(
                Etf.predict(TheoryParameters.of(ClassSizes.balanced(3, 2))), Centring.CLASS_BALANCED)));
        ParameterLayout layout = s.objective().layout();
        double[] x = new double[layout.size()];
        layout.set(x, "W", m);
        layout.set(x, "H", new double[][] {m[0], m[0], m[1], m[1], m[2], m[2]});
        Map<String, Object> row = StepMetrics.row(s, x, 0, 1, 0);
        assertEquals(0, (double) row.get("dist_etf_classifier"), 1e-12);
        assertEquals(0, (double) row.get("dist_etf_embedding"), 1e-12);
        assertEquals(0, (double) row.get("dist_etf_logits"), 1e-12);
        assertEquals(0, (double) row.get("dist_etf_mean"), 1e-12);
        assertEquals(1.0, (double) row.get("accuracy"), 0);
        assertEquals(1.5, (double) row.get("min_margin"), 1e-12); // 1 − cos(120°)
    }

    @Test
    void selDistanceIsZeroOnScaledSelLogitsAndMatchesAHandComputedCase() {
        int[] labels = {0, 1, 2, 2};
        double[][] sel = new double[4][3];
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 3; c++) {
                sel[i][c] = 7.5 * ((c == labels[i] ? 1 : 0) - 1.0 / 3);
            }
        }
        assertEquals(0, StepMetrics.selDistance(sel, labels), 1e-15);
        // K = 2, one-hot logits: cos(Z, SEL) = 1/sqrt(2), distance sqrt(2 - sqrt(2)).
        assertEquals(Math.sqrt(2 - Math.sqrt(2)),
                StepMetrics.selDistance(new double[][] {{1, 0}, {0, 1}}, new int[] {0, 1}), 1e-15);
        assertTrue(Double.isNaN(StepMetrics.selDistance(new double[2][2], new int[] {0, 1})));
    }
}
