package nclab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.cli.report.Check;
import nclab.cli.report.RunData;
import nclab.data.ClassSizes;
import nclab.metrics.Centring;
import nclab.metrics.CollapseMetrics;
import nclab.metrics.FeatureRows;
import nclab.theory.ReluUfmGeometry;

class ReluUfmMlpTest {
    @TempDir
    Path tmp;

    private static final ClassSizes SIZES = ClassSizes.of(ReluUfmMlp.SIZES);

    private static String describe(List<Check> checks) {
        StringBuilder s = new StringBuilder();
        for (Check c : checks) {
            s.append(c.pass() ? "PASS " : "FAIL ").append(c.claim()).append(" | ").append(c.predicted()).append(" | ")
                    .append(c.measured()).append('\n');
        }
        return s.toString();
    }

    @Test
    void configsFollowTheQuickAndPaperYamlFiles() {
        Map<String, Object> quick = ReluUfmMlp.trainConfig(Reproduction.Profile.QUICK);
        assertEquals("fashion-mnist", quick.get("dataset"));
        assertEquals(256, quick.get("width"));
        assertEquals(false, quick.get("bias"));
        assertEquals(1e-5, quick.get("lambda_h"));
        Map<String, Object> paper = ReluUfmMlp.trainConfig(Reproduction.Profile.PAPER);
        assertEquals("cifar10", paper.get("dataset"));
        assertEquals(4000, paper.get("epochs"));
        assertEquals(1024, paper.get("width"));
        assertEquals(List.of(2000), paper.get("milestones"));
        // both validate as nclab train configs
        nclab.dl.train.TrainConfig.fromMap(quick, "quick");
        nclab.dl.train.TrainConfig.fromMap(paper, "paper");
    }

    /** A two-epoch synthetic run: the last-epoch NC1, NC2, NC3 recomputed from the exported files equal the metrics columns. */
    @Test
    void tinySyntheticRunGivesConsistentMetricsAndPassesTheFileChecks() {
        Map<String, Object> config = new LinkedHashMap<>(ReluUfmMlp.trainConfig(Reproduction.Profile.QUICK));
        config.put("dataset", "synthetic");
        config.remove("test_per_class");
        config.put("width", 32);
        config.put("depth", 2);
        config.put("epochs", 2);
        config.put("milestones", List.of(1));
        config.put("log_points", 3);
        RunData run = ReproRuns.train(config, tmp.resolve("runs/mlp"));
        ReluUfmMlp.Final last = ReluUfmMlp.Final.read(run.dir(), SIZES, ReluUfmMlp.LAMBDA_W, ReluUfmMlp.ufmLambdaH());
        List<Check> checks = ReluUfmMlp.checks(run, last);
        assertEquals(6, checks.size());
        assertTrue(checks.get(4).pass(), describe(checks)); // post-ReLU features
        assertTrue(checks.get(5).pass(), describe(checks)); // files = metrics columns
        TidyCsv curves = ReluUfmMlp.curves(run);
        assertEquals(run.rows(), curves.column("epoch").length);
        assertEquals(2, ReluUfmMlp.charts(curves).size());
    }

    @Test
    void finalMetricsVanishAtTheorem1GeometryAndTheGramCheckPasses() {
        ReluUfmGeometry t = ReluUfmGeometry.of(SIZES, ReluUfmMlp.LAMBDA_W, ReluUfmMlp.ufmLambdaH());
        int d = 16;
        double[][] means = t.classMeans(d);
        int[] labels = labels(SIZES);
        double[][] h = new double[labels.length][];
        for (int i = 0; i < h.length; i++) {
            h[i] = means[labels[i]].clone();
        }
        ReluUfmMlp.Final f = ReluUfmMlp.Final.of(h, labels, t.classifier(d), t);
        assertEquals(0, f.nc1(), 1e-12);
        assertEquals(0, f.nc2(), 1e-9);
        assertEquals(0, f.nc3(), 1e-9);
        assertEquals(0, f.minFeature());
        assertEquals(0, ReluUfmMlp.Final.distance(f.normalisedGram(), f.predictedGram()), 1e-12);
        RunData run = fakeRun(new double[] {5, f.nc1()}, f);
        List<Check> checks = ReluUfmMlp.checks(run, f);
        assertTrue(checks.stream().allMatch(Check::pass), describe(checks));
    }

    @Test
    void nc1MatchesTheMetricsLibraryOnRandomFeatures() {
        SplittableRandom rnd = new SplittableRandom(5);
        int[] labels = labels(SIZES);
        double[][] h = new double[labels.length][12];
        for (int i = 0; i < h.length; i++) {
            for (int j = 0; j < 12; j++) {
                h[i][j] = Math.max(0, rnd.nextGaussian() + (j == labels[i] ? 2 : 0));
            }
        }
        double[][] w = new double[10][12];
        for (double[] row : w) {
            for (int j = 0; j < 12; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        ReluUfmGeometry t = ReluUfmGeometry.of(SIZES, ReluUfmMlp.LAMBDA_W, ReluUfmMlp.ufmLambdaH());
        ReluUfmMlp.Final f = ReluUfmMlp.Final.of(h, labels, w, t);
        Map<String, Object> m = CollapseMetrics.compute(FeatureRows.of(h), labels, w, null, Centring.CLASS_BALANCED, t.m());
        assertEquals((double) m.get("nc1_pinv_weighted"), f.nc1(), 1e-9 * f.nc1());
        assertEquals((double) m.get("relu_nc2"), f.nc2(), 1e-12);
        assertEquals((double) m.get("relu_nc3"), f.nc3(), 1e-12);
    }

    @Test
    void checksFailOnWrongData() {
        ReluUfmGeometry t = ReluUfmGeometry.of(SIZES, ReluUfmMlp.LAMBDA_W, ReluUfmMlp.ufmLambdaH());
        int[] labels = labels(SIZES);
        // centred simplex-ETF features e_c - 1/K (negative entries), the two smallest classes halved
        double[][] h = new double[labels.length][10];
        for (int i = 0; i < h.length; i++) {
            for (int j = 0; j < 10; j++) {
                h[i][j] = ((j == labels[i] ? 1.0 : 0.0) - 0.1) * (labels[i] < 2 ? 0.5 : 1);
            }
        }
        double[][] w = new double[10][10];
        for (int c = 0; c < 10; c++) {
            w[c][c] = 1;
        }
        ReluUfmMlp.Final f = ReluUfmMlp.Final.of(h, labels, w, t);
        // NC1 that does not fall tenfold
        List<Check> checks = ReluUfmMlp.checks(fakeRun(new double[] {1.0, 0.2}, f), f);
        assertFalse(checks.get(0).pass(), describe(checks));
        assertFalse(checks.get(1).pass(), describe(checks));
        assertFalse(checks.get(2).pass(), describe(checks));
        assertFalse(checks.get(3).pass(), describe(checks)); // equal norms: ratio 1
        assertFalse(checks.get(4).pass(), describe(checks));
        // metrics columns that disagree with the files
        RunData right = fakeRun(new double[] {1.0, f.nc1()}, f);
        assertTrue(ReluUfmMlp.checks(right, f).get(5).pass());
        Map<String, double[]> columns = new LinkedHashMap<>(right.columns());
        columns.put("relu_nc2", new double[] {1, f.nc2() * 1.01});
        RunData wrong = new RunData(Path.of("fake"), "train", Map.of(), Map.of(), Map.of(), columns);
        assertFalse(ReluUfmMlp.checks(wrong, f).get(5).pass());
    }

    private static RunData fakeRun(double[] nc1, ReluUfmMlp.Final f) {
        Map<String, double[]> columns = new LinkedHashMap<>();
        columns.put("epoch", new double[] {0, 1});
        columns.put("nc1_pinv_weighted", nc1);
        columns.put("relu_nc2", new double[] {1, f.nc2()});
        columns.put("relu_nc3", new double[] {1, f.nc3()});
        return new RunData(Path.of("fake"), "train", Map.of(), Map.of(), Map.of(), columns);
    }

    private static int[] labels(ClassSizes sizes) {
        int[] y = new int[Math.toIntExact(sizes.total())];
        int i = 0;
        for (int c = 0; c < sizes.k(); c++) {
            for (int s = 0; s < sizes.count(c); s++) {
                y[i++] = c;
            }
        }
        return y;
    }
}
