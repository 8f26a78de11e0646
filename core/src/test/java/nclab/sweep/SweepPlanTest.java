package nclab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.InvalidInputException;
import nclab.experiment.ConfigReader;
import nclab.experiment.SolveConfig;

class SweepPlanTest {
    static final Map<String, List<String>> KINDS = Map.of("solve", SolveConfig.KEYS, "train", List.of("dataset", "lr", "seed", "out"));

    @TempDir
    Path tmp;

    private SweepConfig sweep(String yaml) throws IOException {
        Path f = tmp.resolve("s" + System.nanoTime() + ".yaml");
        Files.writeString(f, yaml);
        return SweepConfig.read(f, KINDS);
    }

    private String error(String yaml) {
        return assertThrows(InvalidInputException.class, () -> sweep(yaml)).getMessage();
    }

    private static final String BASE = "kind: solve\nbase: {model: ufm, sizes: [4, 4, 2], d: 8, lr: 0.5, steps: 10, lambda_w: 0.001, lambda_h: 0.001}\n";

    @Test
    void gridIsTheCartesianProductFirstAxisOutermost() throws IOException {
        SweepPlan plan = SweepPlan.expand(sweep(BASE + "axes:\n  d: [4, 8, 16]\n  seed: {seeds: 2}\n"));
        assertEquals(6, plan.size());
        List<String> got = new ArrayList<>();
        for (SweepRun r : plan.runs()) {
            got.add(r.params().get("d") + "/" + r.params().get("seed"));
            assertEquals(r.params().get("d"), r.config().get("d"));
            assertEquals(r.params().get("seed"), r.config().get("seed"));
            assertEquals("ufm", r.config().get("model"));
        }
        assertEquals(List.of("4/1", "4/2", "8/1", "8/2", "16/1", "16/2"), got);
        for (int i = 0; i < plan.size(); i++) {
            assertEquals(i, plan.runs().get(i).index());
        }
    }

    @Test
    void zipPairsTheIthValuesAndNeedsEqualLengths() throws IOException {
        SweepPlan plan = SweepPlan.expand(sweep(BASE + "mode: zip\naxes:\n  d: [4, 8, 16]\n  lr: [0.1, 0.2, 0.3]\n"));
        assertEquals(3, plan.size());
        assertEquals(8, plan.runs().get(1).params().get("d"));
        assertEquals(0.2, plan.runs().get(1).params().get("lr"));
        assertEquals("mode zip needs axes of equal length: d has 3 values, lr has 2",
                error(BASE + "mode: zip\naxes:\n  d: [4, 8, 16]\n  lr: [0.1, 0.2]\n").replaceFirst("^s\\d+\\.yaml: ", ""));
    }

    @Test
    void logRangeIsGeometricWithEndpointsExact() throws IOException {
        SweepAxis a = sweep(BASE + "axes:\n  lambda_w: {log_range: [1.0e-4, 1.0e-1, 4]}\n").axes().get(0);
        assertEquals(List.of(1.0e-4, 1.0e-3, 1.0e-2, 1.0e-1), a.values());
        SweepAxis b = sweep(BASE + "axes:\n  lambda_w: {log_range: [0.0009765625, 0.25, 3]}\n").axes().get(0);
        // 2^-10, 2^-6, 2^-2: the middle value is the geometric mean
        assertEquals(Math.sqrt(0.0009765625 * 0.25), (double) b.values().get(1), 1e-15);
        assertTrue(error(BASE + "axes:\n  lambda_w: {log_range: [0, 1, 3]}\n").contains("axes.lambda_w in"));
        assertTrue(error(BASE + "axes:\n  lambda_w: {log_range: [1, 2, 1]}\n").contains("count must be a whole number >= 2"));
    }

    @Test
    void rangeIsInclusiveAndWholeWhenTheInputsAre() throws IOException {
        assertEquals(List.of(10L, 20L, 30L, 40L), sweep(BASE + "axes:\n  d: {range: [10, 40, 10]}\n").axes().get(0).values());
        assertEquals(List.of(0.1, 0.2, 0.3), sweep(BASE + "axes:\n  lr: {range: [0.1, 0.3, 0.1]}\n").axes().get(0).values());
        assertEquals(List.of(3L, 2L, 1L), sweep(BASE + "axes:\n  d: {range: [3, 1, -1]}\n").axes().get(0).values());
        assertTrue(error(BASE + "axes:\n  d: {range: [1, 3, -1]}\n").contains("does not lead from 1.0 to 3.0"));
        assertTrue(error(BASE + "axes:\n  d: {range: [1, 3, 0]}\n").contains("axes.d in s"));
    }

    @Test
    void seedsAreOneToN() throws IOException {
        assertEquals(List.of(1L, 2L, 3L), sweep(BASE + "axes:\n  seed: {seeds: 3}\n").axes().get(0).values());
        assertTrue(error(BASE + "axes:\n  seed: {seeds: 0}\n").contains("seeds must be a whole number >= 1"));
    }

    @Test
    void randomDrawsFromTheListsReproduciblyAndRunsDuplicatesOnce() throws IOException {
        String yaml = BASE + "mode: {random: {samples: 40, seed: 7}}\naxes:\n  d: [4, 8, 16]\n  lr: [0.1, 0.2, 0.3, 0.4]\n";
        SweepPlan a = SweepPlan.expand(sweep(yaml));
        SweepPlan b = SweepPlan.expand(sweep(yaml));
        assertEquals(ids(a), ids(b));
        assertTrue(a.size() <= 12 && a.size() >= 8, "40 draws from 12 points cover most of them: " + a.size());
        assertEquals(a.size(), new HashSet<>(ids(a)).size());
        for (SweepRun r : a.runs()) {
            assertTrue(List.of(4, 8, 16).contains(r.params().get("d")));
            assertTrue(List.of(0.1, 0.2, 0.3, 0.4).contains(r.params().get("lr")));
        }
        SweepPlan c = SweepPlan.expand(sweep(yaml.replace("seed: 7", "seed: 8")));
        assertNotEquals(ids(a), ids(c));
        SweepPlan two = SweepPlan.expand(sweep(yaml.replace("samples: 40", "samples: 2")));
        assertTrue(two.size() >= 1 && two.size() <= 2);
        assertTrue(error(BASE + "mode: random\naxes:\n  d: [4]\n").contains("needs its draws"));
    }

    @Test
    void idsAreReadableStableFilesystemSafeAndUnique() throws IOException {
        String yaml = BASE + "axes:\n  majority: [[2, 1, 4, 1], [2, 1, 4, 2]]\n  lambda_w: [0.001, 1.0e-4]\n  seed: {seeds: 2}\n";
        SweepPlan a = SweepPlan.expand(sweep(yaml));
        SweepPlan b = SweepPlan.expand(sweep(yaml));
        assertEquals(ids(a), ids(b));
        assertEquals(8, new HashSet<>(ids(a)).size());
        String first = a.runs().get(0).id();
        assertTrue(first.matches("majority=2-1-4-1_lambda_w=0\\.001_seed=1-[0-9a-f]{8}"), first);
        for (String id : ids(a)) {
            assertTrue(id.matches("[A-Za-z0-9.+=_-]+"), id);
        }
        // a size axis replaces the base's size form
        assertEquals(null, a.runs().get(0).config().get("sizes"));
        assertEquals(List.of(2, 1, 4, 1), a.runs().get(0).config().get("majority"));
        // the hash covers the base: another base gives other ids, same readable part
        SweepPlan c = SweepPlan.expand(sweep(yaml.replace("steps: 10", "steps: 20")));
        assertNotEquals(first, c.runs().get(0).id());
        assertEquals(first.substring(0, first.length() - 8), c.runs().get(0).id().substring(0, first.length() - 8));
        assertEquals(tmp.resolve("out/runs/" + first), SweepPlan.runDir(tmp.resolve("out"), a.runs().get(0)));
    }

    @Test
    void baseConfigIsReadRelativeToTheSweepFileAndBaseOverridesIt() throws IOException {
        Path sub = Files.createDirectories(tmp.resolve("sweeps"));
        Files.writeString(tmp.resolve("run.yaml"), "model: ufm\nsizes: [4, 4]\nd: 8\nlr: 0.5\nsteps: 10\nout: runs/x\n");
        Files.writeString(sub.resolve("s.yaml"), "kind: solve\nbase_config: ../run.yaml\nbase: {lr: 0.25, step: [2, 2, 0.5, 2]}\naxes:\n  seed: [1]\n");
        SweepConfig c = SweepConfig.read(sub.resolve("s.yaml"), KINDS);
        assertEquals(0.25, c.base().get("lr"));
        assertEquals(null, c.base().get("sizes"), "base's size form replaces base_config's");
        assertEquals(null, c.base().get("out"));
        assertEquals("ufm", c.base().get("model"));
    }

    @Test
    void badKeysAreNamed() {
        assertEquals("unknown axis key 'lamda_w' in " + "X" + ": not a solve config key (did you mean lambda_w?)",
                error(BASE + "axes:\n  lamda_w: [1]\n").replaceFirst("in s\\d+\\.yaml", "in X"));
        assertTrue(error(BASE + "axes:\n  out: [a, b]\n").startsWith("unknown axis key 'out'"));
        assertTrue(error("kind: solve\nbase: {modl: ufm}\naxes:\n  d: [1]\n").startsWith("unknown key 'modl' in base of s"));
        assertTrue(error("kind: fit\nbase: {}\naxes:\n  d: [1]\n").contains("kind in s"));
        assertTrue(error("kind: fit\nbase: {}\naxes:\n  d: [1]\n").contains("got 'fit'"));
        assertTrue(error(BASE + "axis:\n  d: [1]\n").startsWith("unknown key 'axis' in s"));
        assertTrue(error(BASE).contains("axes in s"));
        assertTrue(error("kind: train\nbase: {dataset: mnist}\naxes:\n  depth: [1, 2]\n")
                .startsWith("unknown axis key 'depth' in s"), "train keys come from the caller");
        assertTrue(error(BASE + "axes:\n  d: []\n").contains("axes.d in s"));
        assertTrue(error(BASE + "axes:\n  d: {grid: [1, 2]}\n").contains("unknown axis form 'grid'"));
        assertTrue(error(BASE + "workers: 0\naxes:\n  d: [1]\n").contains("workers must be >= 1, got workers = 0"));
        assertTrue(error("kind: solve\nbase: {out: x}\naxes:\n  d: [1]\n").startsWith("base.out in s"));
        assertTrue(error(BASE + "mode: spiral\naxes:\n  d: [1]\n").contains("mode must be grid, zip or random"));
        assertTrue(error(BASE + "axes:\n  sizes: [[1, 1]]\n  step: [[2, 2, 0.5, 1]]\n").contains("more than one class-size form"));
    }

    @Test
    void resolvedSweepReadsBackToTheSamePlan() throws IOException {
        SweepConfig c = sweep(BASE + "out: o\nmetric: loss\nmode: {random: {samples: 5, seed: 3}}\naxes:\n  lr: {log_range: [0.01, 1, 3]}\n  seed: {seeds: 4}\n");
        Path f = tmp.resolve("resolved.yaml");
        Files.writeString(f, c.toYaml());
        SweepConfig back = SweepConfig.read(f, KINDS);
        assertEquals(ids(SweepPlan.expand(c)), ids(SweepPlan.expand(back)));
        assertEquals("loss", back.metric());
        Map<String, Object> m = new LinkedHashMap<>(ConfigReader.readYamlMap(f));
        assertEquals(List.of(0.01, 0.1, 1.0), ((Map<?, ?>) m.get("axes")).get("lr"));
    }

    private static List<String> ids(SweepPlan p) {
        List<String> ids = new ArrayList<>();
        for (SweepRun r : p.runs()) {
            ids.add(r.id());
        }
        return ids;
    }

    @SuppressWarnings("unused")
    private static Set<String> set(List<String> l) {
        return new HashSet<>(l);
    }
}
