package nclab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.cli.report.Check;
import nclab.linalg.Linalg;
import nclab.linalg.Svd;
import nclab.metrics.GeometryDistance;
import nclab.metrics.GeometryDistance.Distances;
import nclab.optim.NuclearNormCrossEntropy;

class SeliRegularizationPathTest {
    @TempDir
    Path tmp;

    @Test
    void quickRunPassesEveryCheckAndWritesTheCsv() throws IOException {
        SeliRegularizationPath repro = new SeliRegularizationPath();
        Reproduction.Result result = repro.run(Reproduction.Profile.QUICK, tmp);
        for (Check c : result.checks()) {
            assertTrue(c.pass(), c.claim() + ": " + c.measured());
        }
        assertEquals(4, result.charts().size());
        assertEquals(4, result.heatMaps().size());
        assertEquals(4 * 16 + 1, Files.readAllLines(tmp.resolve(SeliRegularizationPath.GRAM_CSV)).size());
        List<String> lines = Files.readAllLines(tmp.resolve(SeliRegularizationPath.CSV));
        assertEquals(String.join(",", SeliRegularizationPath.COLUMNS), lines.get(0));
        int perR = SeliRegularizationPath.lambdas(Reproduction.Profile.QUICK).length;
        assertEquals(3 * perR + 1, lines.size());
        // R = 1 rows below lambda = 1 are the ETF; at lambda >= 1 (= ||Z||_2) the minimiser is 0, distances NaN
        int lam = SeliRegularizationPath.COLUMNS.indexOf("lambda");
        int dW = SeliRegularizationPath.COLUMNS.indexOf("dist_seli_classifier");
        for (String line : lines.subList(1, 1 + perR)) {
            String[] row = line.split(",");
            double lambda = Double.parseDouble(row[lam]);
            if (lambda < 1) {
                assertEquals(0, Double.parseDouble(row[dW]), 1e-8, line);
            } else {
                assertEquals("NaN", row[dW], line);
            }
        }
    }

    @Test
    void classifierDistanceEqualsAnExplicitSvdOfTheLogitMatrices() {
        // independent route: G_W = U Σ Uᵀ from the SVD of the K×N logits (eq. 8), SELI's from the SVD of the SEL matrix
        var sizes = SeliRegularizationPath.sizes(10);
        var sol = NuclearNormCrossEntropy.solve(sizes, 0.05);
        SeliRegularizationPath.Point p = SeliRegularizationPath.measure(10, sol);
        double[][] gw = leftGram(sol.logits());
        double[][] gSeli = leftGram(SeliGeometryVsR.selMatrix(sizes));
        assertEquals(GeometryDistance.normalisedFrobenius(gw, gSeli), p.seli().classifier(), 1e-9);
        double[][] etf = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                etf[i][j] = (i == j ? 1 : 0) - 0.25;
            }
        }
        assertEquals(GeometryDistance.normalisedFrobenius(gw, etf), p.etf().classifier(), 1e-9);
        assertTrue(p.seli().classifier() > 0.05 && p.seli().classifier() < p.etf().classifier());
    }

    /** U diag(s) Uᵀ of a K×N matrix (its classifier Gram by eq. 8). */
    private static double[][] leftGram(double[][] z) {
        Svd svd = Linalg.svd(Linalg.matrix(z));
        double[][] u = Linalg.array(svd.u());
        double[] s = svd.s();
        int k = z.length;
        double[][] g = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                for (int q = 0; q < s.length; q++) {
                    g[i][j] += u[i][q] * s[q] * u[j][q];
                }
            }
        }
        return g;
    }

    @Test
    void checksFailOnWrongData() {
        double[] lambdas = {0.3, 0.1, 0.01};
        List<List<SeliRegularizationPath.Point>> good = new ArrayList<>();
        for (double r : SeliRegularizationPath.RS) {
            good.add(SeliRegularizationPath.path(r, lambdas));
        }
        // a path whose SELI distance rises as lambda falls, and ends far from SELI (closer to ETF)
        List<List<SeliRegularizationPath.Point>> bad = new ArrayList<>(good);
        List<SeliRegularizationPath.Point> r10 = new ArrayList<>(good.get(1));
        SeliRegularizationPath.Point last = r10.get(r10.size() - 1);
        r10.set(r10.size() - 1, new SeliRegularizationPath.Point(last.r(), last.lambda(), last.solution(),
                new Distances(0.9, 0.9, 0.9), new Distances(0.1, 0.1, 0.1), last.prop3()));
        bad.set(1, r10);
        List<Check> checks = SeliRegularizationPath.checks(bad);
        assertTrue(checks.stream().anyMatch(c -> !c.pass() && c.claim().startsWith("R = 10: distances to SELI")));
        assertTrue(checks.stream().anyMatch(c -> !c.pass() && c.claim().startsWith("R = 10, smallest lambda")));
        assertTrue(checks.stream().anyMatch(c -> !c.pass() && c.claim().contains("closer to SELI than to the ETF")));
        // a balanced path that is not an ETF
        List<SeliRegularizationPath.Point> r1 = new ArrayList<>(good.get(0));
        SeliRegularizationPath.Point first = r1.get(0);
        r1.set(0, new SeliRegularizationPath.Point(1, first.lambda(), first.solution(), first.seli(),
                new Distances(1e-3, 0, 0), first.prop3()));
        bad.set(0, r1);
        assertFalse(SeliRegularizationPath.checks(bad).stream().filter(c -> c.claim().startsWith("R = 1 (balanced)"))
                .allMatch(Check::pass));
        // unconverged solves are reported as uncertified
        var sizes = SeliRegularizationPath.sizes(10);
        var rough = NuclearNormCrossEntropy.solve(sizes, 1e-3, NuclearNormCrossEntropy.Options.defaults().withMaxIterations(3));
        List<List<SeliRegularizationPath.Point>> rough1 = new ArrayList<>(good);
        rough1.set(1, List.of(SeliRegularizationPath.measure(10, rough)));
        assertFalse(SeliRegularizationPath.checks(rough1).get(0).pass());
    }
}
