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
import nclab.cli.report.RunData;
import nclab.dl.train.TrainConfig;
import nclab.io.Npy;
import nclab.metrics.CollapseAnalysis;
import nclab.metrics.FeatureRows;
import nclab.theory.GeometryPrediction;
import nclab.theory.LayerPeeledGeometry;

/**
 * The deep seed-003 pieces shared by lpm-deep-minority-collapse and lpm-test-accuracy, on tiny synthetic runs
 * (a 1×32 MLP, 2 epochs): what is measured from a run against the train command's own metrics, run reuse, and
 * the checks passing and failing on made-up measurements.
 */
class LpmDeepMinorityCollapseTest {
    @TempDir
    Path tmp;

    /** A setup that trains in about a second. */
    static LpmDeepSetup tiny() {
        return new LpmDeepSetup("synthetic", "mlp", 1, 32, 20, 0.05, 2, 32, 2, 1);
    }

    static LpmDeepMeasurement made(double r, int w, double minorityCos, double testMinority) {
        return new LpmDeepMeasurement(5, 5, 600, r, w, minorityCos, -0.1, 0.01, 1, 100, minorityCos, 0, true, 1, 0.8,
                0.9, testMinority, Path.of("x"));
    }

    @Test
    void measurementAgreesWithTheTrainMetricsAndWithCollapseAnalysis() {
        LpmDeepMeasurement m = LpmDeepMeasurement.train(tiny(), 5, 5, 20, 10, 1, tmp);
        RunData run = RunData.read(m.runDir());
        // the train command computes these with CollapseMetrics (another code path) on the same files
        assertEquals(run.lastFinite("minority_cos_W_avg"), m.minorityCosine(), 1e-9);
        assertEquals(run.lastFinite("majority_cos_W_avg"), m.majorityCosine(), 1e-9);
        assertEquals(run.lastFinite("norm_variation_W"), m.normVariation(), 1e-9);
        assertEquals(run.lastFinite("test_acc_minority"), m.testMinority(), 1e-12);
        assertEquals(run.lastFinite("test_acc_majority"), m.testMajority(), 1e-12);
        assertEquals(run.lastFinite("test_acc"), m.testAccuracy(), 1e-12);
        // E_W, E_H as CollapseAnalysis measures them for its own LPM comparison
        double[][] w = Npy.read(m.runDir().resolve("W.npy")).toMatrix();
        double[][] h = Npy.read(m.runDir().resolve("features.npy")).toMatrix();
        int[] labels = Npy.read(m.runDir().resolve("labels.npy")).toIntVector();
        CollapseAnalysis a = CollapseAnalysis.run(FeatureRows.of(h), labels, w, null, CollapseAnalysis.Options.none(), 1000);
        LayerPeeledGeometry lpm = null;
        for (GeometryPrediction p : a.predictions()) {
            if (p instanceof LayerPeeledGeometry g) {
                lpm = g;
            }
        }
        assertEquals(lpm.eW(), m.eW(), 1e-9 * lpm.eW());
        assertEquals(lpm.eH(), m.eH(), 1e-9 * lpm.eH());
        assertTrue(m.lpmConverged(), "relative gap " + m.lpmRelativeGap());
        assertTrue(m.lpmMinorityCosine() > -1 && m.lpmMinorityCosine() <= 1 + 1e-9, "" + m.lpmMinorityCosine());
        assertEquals(m.runDir(), tmp.resolve("mlp-ka5-kb5-na20-r10-w1"));
    }

    @Test
    void balancedRunIsMeasuredOnTheSameClassesByIndex() {
        LpmDeepMeasurement m = LpmDeepMeasurement.train(tiny(), 5, 5, 20, 1, 1, tmp);
        RunData run = RunData.read(m.runDir());
        assertTrue(Double.isNaN(run.lastFinite("test_acc_minority")), "balanced: the train metrics name no minority");
        double sum = 0;
        for (int c = 5; c < 10; c++) {
            sum += run.lastFinite("test_acc_" + c);
        }
        assertEquals(sum / 5, m.testMinority(), 1e-12);
        assertTrue(Double.isFinite(m.minorityCosine()));
        // Theorem 1 at any energies: the LPM predicts the simplex ETF at R = 1
        assertEquals(-1.0 / 9, m.lpmMinorityCosine(), 1e-6);
    }

    @Test
    void runTrainsOncePerConfigAndWritesCsvsAndCharts() throws Exception {
        List<LpmDeepMinorityCollapse.Panel> panels = List.of(
                new LpmDeepMinorityCollapse.Panel(tiny(), new int[] {5}, 20, new double[] {1, 10}));
        Reproduction.Result r = LpmDeepMinorityCollapse.run(panels, tmp, false);
        assertEquals(2, r.charts().size());
        assertTrue(r.checks().isEmpty());
        List<String[]> rows = ReproduceCommandTest.csv(tmp.resolve(LpmDeepMinorityCollapse.CSV));
        assertEquals(LpmDeepMinorityCollapse.COLUMNS, List.of(rows.get(0)));
        assertEquals(3, rows.size());
        assertEquals(3, ReproduceCommandTest.csv(tmp.resolve(LpmDeepMinorityCollapse.TABLE_CSV)).size());
        Path summary = tmp.resolve("runs/mlp-ka5-kb5-na20-r10-w1/summary.json");
        long before = Files.getLastModifiedTime(summary).toMillis();
        LpmDeepMinorityCollapse.run(panels, tmp, false);
        assertEquals(before, Files.getLastModifiedTime(summary).toMillis(), "a finished run is reused, not retrained");
    }

    @Test
    void aSiblingIdsFinishedRunOfTheSameConfigIsCopiedNotRetrained() throws Exception {
        Path first = tmp.resolve("lpm-deep-minority-collapse/runs");
        LpmDeepMeasurement a = LpmDeepMeasurement.train(tiny(), 5, 5, 20, 10, 1, first);
        Path second = tmp.resolve("lpm-oversampling/runs");
        LpmDeepMeasurement b = LpmDeepMeasurement.train(tiny(), 5, 5, 20, 10, 1, second);
        assertEquals(second.resolve("mlp-ka5-kb5-na20-r10-w1"), b.runDir());
        assertEquals(Files.readString(a.runDir().resolve("metrics.csv")), Files.readString(b.runDir().resolve("metrics.csv")));
        assertEquals(Files.getLastModifiedTime(a.runDir().resolve("summary.json")).toMillis(),
                Files.getLastModifiedTime(b.runDir().resolve("summary.json")).toMillis(), "copied, not retrained");
        assertEquals(a.minorityCosine(), b.minorityCosine(), 0);
        // another config under the same name (a different learning rate) is not shared
        LpmDeepSetup other = new LpmDeepSetup("synthetic", "mlp", 1, 32, 20, 0.02, 2, 32, 2, 1);
        assertEquals(null, LpmDeepMeasurement.finishedSibling(tmp.resolve("lpm-test-accuracy/runs"),
                "mlp-ka5-kb5-na20-r10-w1", other.config(5, 5, 20, 10, 1)));
        assertEquals(a.runDir(), LpmDeepMeasurement.finishedSibling(tmp.resolve("lpm-test-accuracy/runs"),
                "mlp-ka5-kb5-na20-r10-w1", tiny().config(5, 5, 20, 10, 1)));
    }

    @Test
    void riseChecksPassOnARiseAndFailOtherwise() {
        List<Check> ok = LpmDeepMinorityCollapse.riseChecks("mlp", 5,
                List.of(made(1, 1, -0.10, 0.8), made(10, 1, 0.2, 0.5), made(100, 1, 0.6, 0.1)));
        assertEquals(3, ok.size());
        assertTrue(ok.stream().allMatch(Check::pass), ok.toString());
        List<Check> flat = LpmDeepMinorityCollapse.riseChecks("mlp", 5,
                List.of(made(1, 1, -0.10, 0.8), made(10, 1, 0.0, 0.5), made(100, 1, 0.05, 0.1)));
        assertTrue(flat.get(0).pass());
        assertTrue(flat.get(1).pass());
        assertFalse(flat.get(2).pass(), "a rise below the margin fails");
        List<Check> bumpy = LpmDeepMinorityCollapse.riseChecks("mlp", 5,
                List.of(made(1, 1, -0.25, 0.8), made(10, 1, 0.5, 0.5), made(100, 1, 0.4, 0.1)));
        assertFalse(bumpy.get(0).pass(), "R = 1 far from -1/9 fails");
        assertFalse(bumpy.get(1).pass(), "a fall with R fails");
    }

    @Test
    void dropCheckOfFig5() {
        assertTrue(LpmTestAccuracy.dropCheck("mlp", 5, made(1, 1, -0.1, 0.6), made(100, 1, 0.6, 0.2)).pass());
        assertFalse(LpmTestAccuracy.dropCheck("mlp", 5, made(1, 1, -0.1, 0.6), made(100, 1, 0.6, 0.55)).pass());
    }

    @Test
    void testAccuracyRunsShareTheRunOfTheMinorityCollapseId() {
        List<LpmTestAccuracy.Panel> panels = List.of(new LpmTestAccuracy.Panel(tiny(), new int[] {5}, 2, 10));
        Reproduction.Result r = LpmTestAccuracy.run(panels, tmp);
        assertEquals(1, r.charts().size());
        assertEquals(1, r.checks().size());
        // R = 10 with n_B = 2 is n_A = 20: the run directory lpm-deep-minority-collapse writes for (n_A, R) = (20, 10)
        assertTrue(Files.isRegularFile(tmp.resolve("runs/mlp-ka5-kb5-na20-r10-w1/summary.json")));
        // R = 1 with 2 images per class: 20 images, trained as one batch of 20
        RunData balanced = RunData.read(tmp.resolve("runs/mlp-ka5-kb5-na2-r1-w1"));
        assertEquals(20, ((Number) balanced.config().get("batch")).intValue());
        assertEquals(20, Npy.read(balanced.dir().resolve("labels.npy")).toIntVector().length);
    }

    @Test
    void everyProfileConfigIsAValidTrainConfig() {
        for (Reproduction.Profile p : Reproduction.Profile.values()) {
            for (LpmDeepMinorityCollapse.Panel panel : LpmDeepMinorityCollapse.panels(p)) {
                for (double r : panel.rs()) {
                    Map<String, Object> c = panel.setup().config(5, 5, panel.nA(), r, 1);
                    TrainConfig t = TrainConfig.fromMap(c, "test");
                    assertEquals(panel.setup().epochs(), t.epochs());
                }
            }
            for (LpmOversampling.Panel panel : LpmOversampling.panels(p)) {
                for (int w : panel.ws()) {
                    TrainConfig t = TrainConfig.fromMap(panel.setup().config(3, 7, panel.nA(), panel.r(), w), "test");
                    assertEquals(w, t.oversample());
                }
            }
        }
        assertEquals("vgg11", LpmDeepMinorityCollapse.panels(Reproduction.Profile.PAPER).get(0).setup().model());
        assertEquals(350, LpmDeepMinorityCollapse.panels(Reproduction.Profile.PAPER).get(0).setup().epochs());
    }
}
