package nclab.dl.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.dl.data.Datasets;
import nclab.dl.data.ImageSet;
import nclab.dl.data.Normalization;
import nclab.dl.data.Split;
import nclab.dl.net.ClassifierNet;
import nclab.experiment.RunDiverged;
import nclab.io.Json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small CPU runs on the synthetic Gaussian-mixture images (a few seconds each). */
class DeepTrainerTest {
    static Map<String, Object> tiny() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", "synthetic");
        m.put("sizes", "40,40,40,40,40,8,8,8,8,8");
        m.put("test_per_class", 20);
        m.put("model", "mlp");
        m.put("depth", 2);
        m.put("width", 32);
        m.put("epochs", 6);
        m.put("batch", 32);
        m.put("lr", 0.05);
        m.put("log_every", 1);
        m.put("seed", 7);
        return m;
    }

    /** Thrown by a progress listener to stop a run as a kill would, right after an epoch's checkpoint. */
    static final class Killed extends RuntimeException {
        Killed() {
            super("killed");
        }
    }

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        Map<String, Object> m = tiny();
        m.put("checkpoint_seconds", 1e-9); // checkpoint at every epoch end
        m.put("head_layers", 1);
        m.put("batch_norm", true);
        TrainConfig config = TrainConfig.fromMap(m, "test");
        Path whole = dir.resolve("whole");
        DeepTrainer.start(config, whole, TrainProgress.Listener.NONE);

        Path killed = dir.resolve("killed");
        assertThrows(Killed.class, () -> DeepTrainer.start(config, killed, p -> {
            if (p.epoch() == 3.0 && !p.done()) {
                throw new Killed();
            }
        }));
        assertTrue(Files.exists(killed.resolve("checkpoint.npz")));
        assertFalse(Files.exists(killed.resolve("summary.json")));
        Map<String, Object> summary = DeepTrainer.resume(killed, TrainProgress.Listener.NONE);
        assertEquals("completed", summary.get("status"));

        List<String> a = Files.readAllLines(whole.resolve("metrics.csv"));
        List<String> b = Files.readAllLines(killed.resolve("metrics.csv"));
        assertEquals(config.epochs() + 2, a.size()); // header, epoch 0..E
        assertEquals(stripTimes(a), stripTimes(b));
        assertArrayEquals(Files.readAllBytes(whole.resolve("final.npz")), Files.readAllBytes(killed.resolve("final.npz")));
        assertArrayEquals(Files.readAllBytes(whole.resolve("features.npy")), Files.readAllBytes(killed.resolve("features.npy")));
        assertFalse(Files.exists(killed.resolve("checkpoint.npz")));
        assertTrue(Json.read(killed.resolve("provenance.json")).containsKey("resumed"));
    }

    /** Drops the wall-time columns (they differ between runs by nature). */
    private static List<String> stripTimes(List<String> lines) {
        List<String> header = List.of(lines.get(0).split(","));
        int train = header.indexOf("seconds_train");
        int metrics = header.indexOf("seconds_metrics");
        return lines.stream().map(line -> {
            String[] cells = line.split(",", -1);
            cells[train] = "";
            cells[metrics] = "";
            return String.join(",", cells);
        }).toList();
    }

    @Test
    void collapseProgressesAndEveryColumnIsWritten(@TempDir Path dir) throws Exception {
        Map<String, Object> m = tiny();
        m.put("epochs", 12);
        m.put("milestones", "100");
        m.put("log_every", null);
        m.put("log_points", 4);
        TrainConfig config = TrainConfig.fromMap(m, "test");
        Map<String, Object> summary = DeepTrainer.start(config, dir.resolve("run"), TrainProgress.Listener.NONE);
        assertEquals("completed", summary.get("status"));
        List<Map<String, Double>> rows = csv(dir.resolve("run").resolve("metrics.csv"));
        Map<String, Double> first = rows.get(0);
        Map<String, Double> last = rows.get(rows.size() - 1);
        assertEquals(5, rows.size());
        assertEquals(0.0, first.get("epoch"));
        assertEquals(12.0, last.get("epoch"));
        double nc1First = ((Number) first.get("nc1_pinv")).doubleValue();
        double nc1Last = ((Number) last.get("nc1_pinv")).doubleValue();
        assertTrue(nc1Last < 0.5 * nc1First, "NC1 " + nc1First + " -> " + nc1Last);
        assertEquals(1.0, ((Number) last.get("train_acc")).doubleValue());
        for (String key : List.of("test_acc_minority", "dist_etf_mean", "dist_seli_mean", "dist_lpm_mean",
                "lpm_minority_cos_W", "minority_cos_W_avg")) {
            assertTrue(Double.isFinite(((Number) last.get(key)).doubleValue()), key);
        }
    }

    /** metrics.csv as rows of column → value. */
    static List<Map<String, Double>> csv(Path file) throws java.io.IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split(",");
        List<Map<String, Double>> rows = new java.util.ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            Map<String, Double> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], Double.parseDouble(cells[i]));
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void divergenceStopsWithSummaryAndKeepsCheckpoint(@TempDir Path dir) {
        Map<String, Object> m = tiny();
        m.put("lr", 1e6);
        m.put("momentum", 0.99);
        TrainConfig config = TrainConfig.fromMap(m, "test");
        Path run = dir.resolve("run");
        RunDiverged e = assertThrows(RunDiverged.class, () -> DeepTrainer.start(config, run, TrainProgress.Listener.NONE));
        assertTrue(e.getMessage().startsWith("training loss became"), e.getMessage());
        assertEquals("diverged", Json.read(run.resolve("summary.json")).get("status"));
        // the last good state (here: before the diverging epoch) is saved although no timed checkpoint was due
        nclab.experiment.Checkpoint saved = nclab.experiment.Checkpoint.read(run.resolve("checkpoint.npz"));
        assertTrue(java.util.Arrays.stream(saved.x()).allMatch(Double::isFinite));
        assertTrue(e.getMessage().contains("checkpoint.npz holds the state after epoch " + saved.step()), e.getMessage());
    }

    @Test
    void featurePassEqualsDirectForward() {
        ImageSet set = Datasets.load("synthetic", null, Split.TEST).subset(range(300));
        Normalization norm = Normalization.of(set);
        TrainConfig config = TrainConfig.fromMap(Map.of("dataset", "synthetic", "epochs", 1, "model", "mlp",
                "depth", 2, "width", 16, "head_layers", 2, "head_activation", "relu"), "test");
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierNet net = DeepTrainer.network(config, 10, 1, 28, 28);
            net.initialize(manager, 3);
            FeaturePass pass = FeaturePass.run(net, set, norm, manager, true);
            assertEquals(3, pass.layerInputs().size());
            NDArray x = Batches.images(set, null, 0, set.size(), norm, manager);
            ClassifierNet.Forward direct = net.forward(new ParameterStore(manager, false), x, false);
            assertMatrixClose(ClassifierNet.toMatrix(direct.features()), pass.features());
            assertMatrixClose(ClassifierNet.toMatrix(direct.logits()), pass.logits());
            for (int l = 0; l < 3; l++) {
                assertMatrixClose(ClassifierNet.toMatrix(direct.layerInputs().get(l)), pass.layerInputs().get(l));
            }
            float[] weight = net.classifier().getParameters().get("weight").getArray().toFloatArray();
            double[][] w = net.classifierWeights();
            for (int k = 0; k < w.length; k++) {
                for (int j = 0; j < w[k].length; j++) {
                    assertEquals(weight[k * w[k].length + j], w[k][j], 0.0);
                }
            }
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i * 7 % 2000;
        }
        return r;
    }

    private static void assertMatrixClose(double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], actual[i][j], 1e-5 * Math.max(1, Math.abs(expected[i][j])), i + "," + j);
            }
        }
    }
}
