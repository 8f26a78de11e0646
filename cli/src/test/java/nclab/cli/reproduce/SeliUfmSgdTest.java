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
import nclab.cli.report.RunData;
import nclab.experiment.RunDirectory;
import nclab.io.Npz;
import nclab.metrics.GeometryDistance;
import nclab.metrics.GeometryDistance.Distances;
import nclab.theory.SeliGeometry;

class SeliUfmSgdTest {
    @TempDir
    static Path tmp;

    @Test
    void quickRunPassesAndLeavesRunDirectories() throws IOException {
        SeliUfmSgd repro = new SeliUfmSgd();
        Reproduction.Result result = repro.run(Reproduction.Profile.QUICK, tmp);
        for (Check c : result.checks()) {
            assertTrue(c.pass(), c.claim() + ": " + c.measured());
        }
        List<SeliUfmSgd.RunSpec> specs = SeliUfmSgd.runs(Reproduction.Profile.QUICK);
        for (SeliUfmSgd.RunSpec s : specs) {
            Path dir = tmp.resolve("runs").resolve(s.name());
            assertTrue(Files.isRegularFile(dir.resolve(RunDirectory.SUMMARY)), dir.toString());
            assertTrue(Files.isRegularFile(dir.resolve(RunDirectory.FINAL)), dir.toString());
        }
        List<String> fin = Files.readAllLines(tmp.resolve(SeliUfmSgd.FINAL_CSV));
        assertEquals(String.join(",", SeliUfmSgd.FINAL_COLUMNS), fin.get(0));
        assertEquals(specs.size() + 1, fin.size());

        // independent: the final classifier distance to SELI recomputed from final.npz (W of fig5-R10) and the
        // SELI classifier Gram of the explicit SEL-matrix SVD equals the logged metric
        SeliUfmSgd.RunSpec r10 = specs.get(1);
        assertEquals(10, r10.r());
        double[][] w = Npz.read(tmp.resolve("runs").resolve(r10.name()).resolve(RunDirectory.FINAL)).get("W").toMatrix();
        double[][] gw = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                for (int q = 0; q < w[0].length; q++) {
                    gw[i][j] += w[i][q] * w[j][q];
                }
            }
        }
        double[][] seli = SeliGeometry.of(r10.sizes()).geometry().classifierGram();
        RunData d = RunData.read(tmp.resolve("runs").resolve(r10.name()));
        double[] logged = d.column("dist_seli_classifier");
        assertEquals(GeometryDistance.normalisedFrobenius(gw, seli), logged[logged.length - 1], 1e-9);

        // a second call reuses the finished runs and gives the same checks
        Reproduction.Result again = repro.run(Reproduction.Profile.QUICK, tmp);
        assertEquals(result.checks(), again.checks());
    }

    @Test
    void paperProfileConfigsAreValidSolveConfigs() {
        List<SeliUfmSgd.RunSpec> paper = SeliUfmSgd.runs(Reproduction.Profile.PAPER);
        assertEquals(List.of(1, 5, 10, 100, 10, 10), paper.stream().map(SeliUfmSgd.RunSpec::r).toList());
        for (SeliUfmSgd.RunSpec s : paper) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(SeliUfmSgd.config(s, 100_000, 100));
            m.put("out", tmp.resolve("unused").toString());
            nclab.experiment.SolveConfig c = nclab.experiment.SolveConfig.fromMap(m, "test");
            assertEquals(s.sizes(), c.classSizes());
            if (s.variant() == SeliUfmSgd.Variant.PLAIN) {
                // n about 400 (spec 000 §7.3)
                assertTrue(Math.abs(s.sizes().total() - 400) <= 4, s.name());
            }
        }
    }

    @Test
    void checksFailOnWrongData() {
        // R = 1 spec paired with an imbalanced run: SELI and ETF distances differ, so "SELI = ETF" must fail;
        // a lambda-SELI distance far from 0 must fail the Fig. 9 check
        List<SeliUfmSgd.RunSpec> specs = SeliUfmSgd.runs(Reproduction.Profile.QUICK);
        Path base = tmp.resolve("runs");
        if (!Files.isDirectory(base)) {
            new SeliUfmSgd().run(Reproduction.Profile.QUICK, tmp);
        }
        List<RunData> data = new ArrayList<>();
        for (SeliUfmSgd.RunSpec s : specs) {
            data.add(RunData.read(base.resolve(s.name())));
        }
        List<RunData> swapped = new ArrayList<>(data);
        swapped.set(0, data.get(2));
        swapped.set(2, data.get(0));
        List<Distances> ls = new ArrayList<>();
        for (SeliUfmSgd.RunSpec s : specs) {
            ls.add(s.variant() == SeliUfmSgd.Variant.WEIGHT_DECAY ? new Distances(0.3, 0.3, 0.3)
                    : new Distances(Double.NaN, Double.NaN, Double.NaN));
        }
        List<Check> checks = SeliUfmSgd.checks(specs, swapped, ls, Reproduction.Profile.QUICK);
        assertFalse(checks.stream().filter(c -> c.claim().contains("SELI = ETF")).allMatch(Check::pass));
        assertFalse(checks.stream().filter(c -> c.claim().contains("fig5-R100") && c.claim().contains("closer to SELI"))
                .allMatch(Check::pass));
        assertFalse(checks.stream().filter(c -> c.claim().contains("lambda-SELI")).allMatch(Check::pass));
    }
}
