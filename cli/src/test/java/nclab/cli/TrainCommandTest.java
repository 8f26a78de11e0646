package nclab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code nclab train} end to end on the synthetic images (CPU, seconds). */
class TrainCommandTest {
    private static final String[] TINY = {"train", "--dataset", "synthetic", "--sizes", "40,40,40,40,40,8,8,8,8,8",
        "--test-per-class", "20", "--model", "mlp", "--depth", "2", "--width", "32", "--epochs", "5", "--batch", "32",
        "--lr", "0.05", "--log-points", "3", "--seed", "3", "--no-progress"};

    @Test
    void lastMetricsRowEqualsAnalyzeOfTheExportedFiles(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        CliRun train = CliRun.of(concat(TINY, "--out", run.toString()));
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().startsWith("completed: trained 5 epochs"), train.out());
        for (String f : List.of("config.yaml", "provenance.json", "metrics.csv", "summary.json", "final.npz",
                "features.npy", "labels.npy", "W.npy", "b.npy")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        CliRun analyze = CliRun.of("analyze", "--features", run.resolve("features.npy").toString(), "--labels",
                run.resolve("labels.npy").toString(), "--weights", run.resolve("W.npy").toString(), "--bias",
                run.resolve("b.npy").toString(), "--json");
        assertEquals(0, analyze.code(), analyze.err());
        JsonNode j = analyze.json();
        Map<String, String> last = lastRow(run.resolve("metrics.csv"));
        assertEquals(5.0, Double.parseDouble(last.get("epoch")));
        int compared = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = j.get("metrics").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNumber() && last.containsKey(e.getKey())) {
                assertClose(e.getValue().asDouble(), Double.parseDouble(last.get(e.getKey())), e.getKey());
                compared++;
            }
        }
        assertTrue(compared >= 20, "compared only " + compared + " metrics");
        for (JsonNode d : j.get("distances")) {
            String model = d.get("model").asText();
            if (model.equals("lpm")) {
                continue; // train bounds the LPM solve per epoch (EpochMetrics.LPM_ITERATIONS); analyze does not
            }
            for (String part : List.of("classifier", "embedding", "logits")) {
                assertClose(d.get(part).asDouble(), Double.parseDouble(last.get("dist_" + model + "_" + part)),
                        model + " " + part);
            }
        }
    }

    /** A child JVM is killed (SIGKILL) mid-run; resuming its directory ends with the uninterrupted run's numbers. */
    @Test
    void resumeAfterKillEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        String[] args = {"train", "--dataset", "synthetic", "--sizes", "24,24,24,24,24,6,6,6,6,6", "--test-per-class", "10",
            "--model", "mlp", "--depth", "1", "--width", "16", "--epochs", "60", "--batch", "16", "--lr", "0.05",
            "--log-points", "6", "--seed", "5", "--checkpoint-seconds", "1e-6", "--no-progress"};
        Path killed = dir.resolve("killed");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        java.util.List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true"));
        command.addAll(nclab.linalg.RowKernels.childJvmOptions());
        command.addAll(List.of("-cp", cp, Main.class.getName()));
        command.addAll(List.of(concat(args, "--out", killed.toString())));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(killed.resolve("checkpoint.npz")) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(200); // mid-epoch, past a checkpoint
        } finally {
            child.destroyForcibly();
            child.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertTrue(Files.exists(killed.resolve("checkpoint.npz")), "no checkpoint: " + Files.readString(dir.resolve("child.log")));
        assertTrue(!Files.exists(killed.resolve("summary.json")), "the child finished before it was killed");
        CliRun resumed = CliRun.of("train", "--resume", killed.toString());
        assertEquals(0, resumed.code(), resumed.err());

        Path whole = dir.resolve("whole");
        assertEquals(0, CliRun.of(concat(args, "--out", whole.toString())).code());
        // Within one process a resumed run is bit-identical (DeepTrainerTest). Here the first epochs ran in another
        // process, where libtorch's float32 CPU kernels may round differently (measured: ~1e-7 relative in the
        // features, last bits of some parameters): parameters and metrics agree to float32 precision.
        Map<String, nclab.io.NpyArray> p = nclab.io.Npz.read(whole.resolve("final.npz"));
        Map<String, nclab.io.NpyArray> q = nclab.io.Npz.read(killed.resolve("final.npz"));
        assertEquals(p.keySet(), q.keySet());
        for (String name : p.keySet()) {
            double[] u = p.get(name).toVector();
            double[] v = q.get(name).toVector();
            double max = 0;
            for (double x : u) {
                max = Math.max(max, Math.abs(x));
            }
            for (int i = 0; i < u.length; i++) {
                assertEquals(u[i], v[i], 1e-5 * Math.max(max, 1e-3), name + "[" + i + "]");
            }
        }
        List<String> a = withoutTimes(Files.readAllLines(whole.resolve("metrics.csv")));
        List<String> b = withoutTimes(Files.readAllLines(killed.resolve("metrics.csv")));
        assertEquals(a.size(), b.size());
        assertEquals(a.get(0), b.get(0));
        String[] header = a.get(0).split(",");
        for (int r = 1; r < a.size(); r++) {
            String[] x = a.get(r).split(",", -1);
            String[] y = b.get(r).split(",", -1);
            for (int c = 0; c < x.length; c++) {
                if (x[c].isEmpty() || x[c].equals(y[c])) {
                    continue;
                }
                double u = Double.parseDouble(x[c]);
                double v = Double.parseDouble(y[c]);
                double scale = header[c].startsWith("lpm_rel_gap") ? 1 : Math.max(1e-3, Math.abs(u));
                assertEquals(u, v, 1e-4 * scale, "row " + r + " " + header[c]);
            }
        }
    }

    private static List<String> withoutTimes(List<String> lines) {
        List<String> header = List.of(lines.get(0).split(","));
        int a = header.indexOf("seconds_train");
        int b = header.indexOf("seconds_metrics");
        return lines.stream().map(l -> {
            String[] c = l.split(",", -1);
            c[a] = "";
            c[b] = "";
            return String.join(",", c);
        }).toList();
    }

    @Test
    void badInputExitsTwoWithTheMessage(@TempDir Path dir) {
        CliRun unknownModel = CliRun.of("train", "--dataset", "synthetic", "--model", "resnet50", "--epochs", "1",
                "--out", dir.resolve("a").toString());
        assertEquals(2, unknownModel.code());
        assertTrue(unknownModel.err().contains("model must be one of mlp, cnn, resnet18, vgg11, vgg13, got 'resnet50'"),
                unknownModel.err());
        CliRun mnist = CliRun.of("train", "--dataset", "mnist", "--epochs", "1", "--out", dir.resolve("b").toString());
        assertEquals(2, mnist.code());
        assertTrue(mnist.err().contains("--data-dir"), mnist.err());
        CliRun tooMany = CliRun.of("train", "--dataset", "synthetic", "--sizes", "5000,10,10,10,10,10,10,10,10,10",
                "--epochs", "1", "--out", dir.resolve("c").toString());
        assertEquals(2, tooMany.code());
        assertTrue(tooMany.err().contains("5000 requested"), tooMany.err());
    }

    @Test
    void resumeOfAFinishedRunReportsIt(@TempDir Path dir) {
        Path run = dir.resolve("run");
        String[] args = concat(TINY, "--out", run.toString());
        args[java.util.Arrays.asList(args).indexOf("--epochs") + 1] = "1";
        assertEquals(0, CliRun.of(args).code());
        CliRun again = CliRun.of("train", "--resume", run.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().startsWith("completed"), again.out());
        CliRun twice = CliRun.of(args);
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("already holds a run"), twice.err());
    }

    private static void assertClose(double expected, double actual, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
            return;
        }
        assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
    }

    private static Map<String, String> lastRow(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        String[] cells = lines.get(lines.size() - 1).split(",", -1);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
            row.put(header[i], cells[i]);
        }
        return row;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
