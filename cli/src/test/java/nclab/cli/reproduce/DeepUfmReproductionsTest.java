package nclab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.cli.report.Check;
import nclab.cli.report.RunData;
import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import nclab.theory.DeepUfmGeometry;

/**
 * The seed-002 reproductions in pieces (their quick profiles take minutes): the structure reader on exact
 * patterns and on small solved runs (against the solver's own metrics), and every id's checks on right and on
 * wrong outcomes.
 */
class DeepUfmReproductionsTest {
    @TempDir
    Path tmp;

    static double[][] simplex(int k, double alpha) {
        double[][] m = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                m[i][j] = alpha * ((i == j ? 1.0 : 0.0) - 1.0 / k);
            }
        }
        return m;
    }

    /** Eq. (5) pattern β·(I ⊗ [[1,−1],[−1,1]]) with the classes relabelled by {@code perm}. */
    static double[][] pairs(int k, double beta, int[] perm) {
        double[][] m = new double[k][k];
        for (int p = 0; p + 1 < k; p += 2) {
            int a = perm[p];
            int b = perm[p + 1];
            m[a][a] = beta;
            m[b][b] = beta;
            m[a][b] = -beta;
            m[b][a] = -beta;
        }
        return m;
    }

    static int[] identity(int k) {
        int[] p = new int[k];
        for (int i = 0; i < k; i++) {
            p[i] = i;
        }
        return p;
    }

    static DeepUfmRuns.Outcome outcome(double[][] logits, double loss, long seed) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("seed", seed);
        RunData run = new RunData(Path.of("run" + seed), "solve", config, Map.of(), Map.of("status", "completed"),
                Map.of("step", new double[] {0, 1}, "loss", new double[] {1, loss}));
        double[] sv = Linalg.singularValues(Linalg.matrix(logits));
        int rank = DeepUfmRuns.rank(sv);
        double etf = DeepUfmRuns.etfDistance(logits);
        return new DeepUfmRuns.Outcome(run, loss, logits, sv, rank, etf, DeepUfmRuns.structure(logits, rank, etf));
    }

    @Test
    void structureReaderLabelsSimplexPairsAndMixtures() {
        double[][] s = simplex(10, 7);
        assertEquals(0, DeepUfmRuns.etfDistance(s), 1e-14);
        assertEquals(9, DeepUfmRuns.rank(Linalg.singularValues(Linalg.matrix(s))));
        assertEquals("dnc", DeepUfmRuns.structure(s, 9, DeepUfmRuns.etfDistance(s)));

        int[] perm = {3, 7, 0, 9, 1, 2, 8, 4, 6, 5};
        double[][] p = pairs(10, 7, perm);
        // ETF distance of the pairs Gram, independently: sqrt(2 - 2K/(sqrt(2K) sqrt(K-1))) (metrics.md)
        assertEquals(Math.sqrt(2 - 20 / (Math.sqrt(20) * 3)), DeepUfmRuns.etfDistance(p), 1e-12);
        int rank = DeepUfmRuns.rank(Linalg.singularValues(Linalg.matrix(p)));
        assertEquals(5, rank);
        assertEquals("pairs", DeepUfmRuns.structure(p, rank, DeepUfmRuns.etfDistance(p)));

        // restricted simplex on 6 classes + 2 pairs (App. D mixture): rank 5 + 2 = 7
        double[][] mixed = new double[10][10];
        double[][] s6 = simplex(6, 7);
        for (int i = 0; i < 6; i++) {
            System.arraycopy(s6[i], 0, mixed[i], 0, 6);
        }
        double[][] p4 = pairs(4, 7, identity(4));
        for (int i = 0; i < 4; i++) {
            System.arraycopy(p4[i], 0, mixed[6 + i], 6, 4);
        }
        int mixedRank = DeepUfmRuns.rank(Linalg.singularValues(Linalg.matrix(mixed)));
        assertEquals(7, mixedRank);
        assertEquals("rank 7", DeepUfmRuns.structure(mixed, mixedRank, DeepUfmRuns.etfDistance(mixed)));
        // rank 5 but no pair partners (a rank-5 block of simplices is not Eq. 5)
        double[][] notPairs = new double[10][10];
        double[][] s3 = simplex(3, 7);
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    notPairs[3 * b + i][3 * b + j] = s3[i][j];
                }
            }
        }
        double[][] p4b = pairs(4, 7, identity(4));
        for (int i = 0; i < 4; i++) {
            System.arraycopy(p4b[i], 0, notPairs[6 + i], 6, 4);
        }
        int r2 = DeepUfmRuns.rank(Linalg.singularValues(Linalg.matrix(notPairs)));
        assertEquals(2 + 2 + 2, r2);
        assertFalse(DeepUfmRuns.pairedUp(notPairs));
    }

    @Test
    void classMeansAndLogitsOfSolvedRunsAgreeWithTheSolversMetrics() {
        for (boolean relu : new boolean[] {false, true}) {
            Map<String, Object> config = DeepUfmRuns.config(4, 3, 6, 3, 0x1p-7, relu, null, 0.2, 4000, 2, 5);
            RunData run = ReproRuns.solve(config, tmp.resolve("relu-" + relu));
            DeepUfmRuns.Outcome o = DeepUfmRuns.outcome(run, 4, 3, 3, relu);
            Map<?, ?> fin = (Map<?, ?>) run.summary().get("final_metrics");
            // the solver's W_L M~^T (centred means of the features after L-1 layers) against our forward pass
            List<double[][]> means = DeepUfmRuns.layerMeans(run.dir(), 4, 3, 3, relu);
            double[][] last = means.get(2);
            double[][] centred = new double[last.length][4];
            for (int a = 0; a < last.length; a++) {
                double mean = (last[a][0] + last[a][1] + last[a][2] + last[a][3]) / 4;
                for (int c = 0; c < 4; c++) {
                    centred[a][c] = last[a][c] - mean;
                }
            }
            double[] svM = Linalg.singularValues(Linalg.matrix(centred));
            for (int i = 0; i < 4; i++) {
                double expected = ((Number) fin.get("sv_M_" + i)).doubleValue();
                assertEquals(expected, svM[i], 1e-9 * Math.max(1, expected), "relu " + relu + " sv_M_" + i);
            }
            double lossFromMetrics = ((Number) fin.get("loss")).doubleValue();
            assertEquals(lossFromMetrics, o.loss(), 1e-15);
            assertEquals(4, o.meanLogits().length);
            if (relu) {
                for (double[] row : means.get(1)) {
                    for (double v : row) {
                        assertTrue(v >= 0, "post-ReLU class means are non-negative");
                    }
                }
            }
        }
    }

    @Test
    void smallLinearRunReachesAClosedFormStructure() {
        // K = 4, n = 2, d = 6, L = 2, lambda = 2^-7: GD ends at DNC or pairs, with the closed-form loss
        Map<String, Object> config = DeepUfmRuns.config(4, 2, 6, 2, 0x1p-7, false, null, 0.5, 20_000, 1, 5);
        DeepUfmRuns.Outcome o = DeepUfmRuns.outcome(ReproRuns.solve(config, tmp.resolve("k4")), 4, 2, 2, false);
        DeepUfmGeometry theory = DeepUfmGeometry.of(ClassSizes.balanced(4, 2), 2, 0x1p-7);
        assertTrue(o.isDnc() || o.isPairs(), o.structure());
        double expected = o.isDnc() ? theory.dnc().loss() : theory.lowRank().loss();
        assertEquals(expected, o.loss(), 1e-8, o.structure());
    }

    @Test
    void figureOneChecksPassOnTheClosedFormsAndFailOnWrongOutcomes() {
        DeepUfmGeometry theory = DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 2, 0x1p-10);
        double alpha = theory.dnc().scale();
        double beta = theory.lowRank().scale();
        DeepUfmRuns.Outcome dnc = outcome(simplex(10, alpha), theory.dnc().loss(), 3);
        DeepUfmRuns.Outcome pairs = outcome(pairs(10, beta, identity(10)), theory.lowRank().loss(), 1);
        List<Check> good = DeepUfmDncVsLowRank.checks(theory, new DeepUfmDncVsLowRank.Scan(List.of(pairs, dnc), dnc, pairs));
        assertEquals(10, good.size());
        assertTrue(good.stream().allMatch(Check::pass), good.toString());

        // a DNC run whose loss is off by 1e-4, and a pairs run at the wrong scale
        DeepUfmRuns.Outcome offLoss = outcome(simplex(10, alpha), theory.dnc().loss() + 1e-4, 3);
        DeepUfmRuns.Outcome offScale = outcome(pairs(10, 1.01 * beta, identity(10)), theory.lowRank().loss(), 1);
        List<Check> bad = DeepUfmDncVsLowRank.checks(theory,
                new DeepUfmDncVsLowRank.Scan(List.of(offScale, offLoss), offLoss, offScale));
        assertEquals(List.of(true, true, true, true, false, true, true, true, true, false),
                bad.stream().map(Check::pass).toList());
        // no DNC run found
        List<Check> none = DeepUfmDncVsLowRank.checks(theory, new DeepUfmDncVsLowRank.Scan(List.of(pairs), null, pairs));
        assertFalse(none.get(2).pass());
        assertFalse(none.stream().allMatch(Check::pass));
    }

    @Test
    void prevalenceChecksFollowTheMeasuredTrend() {
        double lambda = 0x1p-10;
        DeepUfmGeometry theory = DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 2, lambda);
        DeepUfmRuns.Outcome d = outcome(simplex(10, theory.dnc().scale()), theory.dnc().loss(), 1);
        DeepUfmRuns.Outcome p = outcome(pairs(10, theory.lowRank().scale(), identity(10)), theory.lowRank().loss(), 1);
        int[] widths = {10, 140};
        double[] lambdas = {0x1p-8, lambda};
        // the paper's trend: pairs at small width, DNC at large width
        List<DeepUfmPrevalence.Point> trend = new ArrayList<>();
        for (double l : lambdas) {
            for (int seed = 1; seed <= 2; seed++) {
                trend.add(new DeepUfmPrevalence.Point(10, l, seed, p, theory.dnc().loss(), theory.lowRank().loss()));
                trend.add(new DeepUfmPrevalence.Point(140, l, seed, d, theory.dnc().loss(), theory.lowRank().loss()));
            }
        }
        List<Check> good = DeepUfmPrevalence.checks(trend, widths, lambdas);
        assertTrue(good.stream().allMatch(Check::pass), good.toString());
        // reversed: DNC at small width
        List<DeepUfmPrevalence.Point> reversed = new ArrayList<>();
        for (DeepUfmPrevalence.Point q : trend) {
            reversed.add(new DeepUfmPrevalence.Point(q.d() == 10 ? 140 : 10, q.lambda(), q.seed(), q.outcome(), q.dncLoss(),
                    q.pairsLoss()));
        }
        List<Check> bad = DeepUfmPrevalence.checks(reversed, widths, lambdas);
        assertFalse(bad.get(0).pass());
        assertFalse(bad.get(1).pass());
        assertFalse(bad.get(2).pass());
        // a DNC-labelled run whose loss is not the DNC optimum fails the consistency check
        List<DeepUfmPrevalence.Point> wrongLoss = new ArrayList<>(trend);
        wrongLoss.set(1, new DeepUfmPrevalence.Point(140, lambdas[0], 1, d, theory.dnc().loss() + 1e-3, theory.lowRank().loss()));
        assertFalse(DeepUfmPrevalence.checks(wrongLoss, widths, lambdas).get(3).pass());
        // DNC only at the larger lambda: both lambda-trend checks fail
        List<DeepUfmPrevalence.Point> byLambda = new ArrayList<>();
        for (DeepUfmPrevalence.Point q : trend) {
            boolean dncHere = q.lambda() == lambdas[0] && q.d() == 140;
            byLambda.add(new DeepUfmPrevalence.Point(q.d(), q.lambda(), q.seed(), dncHere ? d : p, q.dncLoss(), q.pairsLoss()));
        }
        List<Check> lambdaTrend = DeepUfmPrevalence.checks(byLambda, widths, lambdas);
        assertEquals(6, lambdaTrend.size());
        assertFalse(lambdaTrend.get(4).pass());
        assertFalse(lambdaTrend.get(5).pass());
    }

    @Test
    void reluChecksFailAboveTheBoundOrAtFullRank() {
        double bound = DeepUfmGeometry.of(ClassSizes.balanced(10, 5), 3, 0x1p-9).dnc().loss();
        DeepUfmRuns.Outcome low = outcome(pairs(10, 7, identity(10)), bound - 0.002, 1);
        assertTrue(DeepUfmRelu.checks(low, bound, 5).stream().allMatch(Check::pass));
        assertFalse(DeepUfmRelu.checks(low, bound, 9).get(4).pass());
        DeepUfmRuns.Outcome above = outcome(pairs(10, 7, identity(10)), bound + 0.01, 1);
        assertFalse(DeepUfmRelu.checks(above, bound, 5).get(2).pass());
        DeepUfmRuns.Outcome full = outcome(simplex(10, 7), bound - 0.002, 1);
        assertFalse(DeepUfmRelu.checks(full, bound, 5).get(3).pass());
    }

    @Test
    void networkHeadAnalysisOnATinySyntheticRun() throws Exception {
        Map<String, Object> config = DeepUfmNetworkHead.config(Reproduction.Profile.QUICK);
        config.put("dataset", "synthetic");
        config.put("sizes", List.of(30, 30, 30, 30, 30, 30, 30, 30, 30, 30));
        config.put("test_per_class", 10);
        config.put("epochs", 2);
        config.put("milestones", List.of(1));
        config.put("log_points", 2);
        config.put("width", 16);
        RunData run = ReproRuns.train(config, tmp.resolve("head"));
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Reproduction.Result r = DeepUfmNetworkHead.analyse(run, out);
        assertEquals(3, r.checks().size());
        assertEquals(2, r.charts().size());
        assertEquals(1, r.heatMaps().size());
        for (Path f : r.csvFiles()) {
            assertTrue(Files.size(f) > 0, f.toString());
        }
        // the per-layer rank CSV has one row per logged epoch and layer (layers 1..4)
        List<String> lines = Files.readAllLines(out.resolve(DeepUfmNetworkHead.CSV_RANK));
        assertEquals(1 + 4 * run.rows(), lines.size());
        // wrong data must fail: a full-rank classifier input and full-rank logits
        double[] fullRank = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0.5};
        List<Check> bad = DeepUfmNetworkHead.checks(run, new int[] {9, 9, 9, 9}, fullRank);
        assertFalse(bad.get(1).pass());
        assertFalse(bad.get(2).pass());
        List<Check> good = DeepUfmNetworkHead.checks(run, new int[] {9, 6, 4, 3}, new double[] {5, 4, 3, 1e-9, 0, 0, 0, 0, 0, 0});
        assertTrue(good.get(1).pass() && good.get(2).pass());
        // class-mean logits, independently: mean over each class of W h + b
        double[][] h = {{1, 0}, {3, 2}, {0, 1}};
        double[][] w = {{1, 2}, {-1, 1}};
        double[][] z = DeepUfmNetworkHead.meanLogits(h, new int[] {0, 0, 1}, w, new double[] {0.5, -0.5});
        assertEquals(1 * 2 + 2 * 1 + 0.5, z[0][0], 1e-15);
        assertEquals(-1 * 2 + 1 * 1 - 0.5, z[1][0], 1e-15);
        assertEquals(2 + 0.5, z[0][1], 1e-15);
    }
}
