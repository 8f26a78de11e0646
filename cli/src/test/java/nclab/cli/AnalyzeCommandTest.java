package nclab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import nclab.data.ClassSizes;
import nclab.data.SyntheticCollapse;
import nclab.io.Npy;
import nclab.theory.Etf;
import nclab.theory.SeliGeometry;
import nclab.theory.TheoryParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {
    @TempDir
    Path dir;

    private static final ClassSizes SIZES = ClassSizes.step(4, 10, 0.5, 20);

    private Path[] write(SyntheticCollapse data) throws IOException {
        Path h = dir.resolve("H.npy");
        Path y = dir.resolve("y.npy");
        Path w = dir.resolve("W.npy");
        Npy.write(h, data.features());
        Npy.write(y, data.labels());
        Npy.write(w, data.weights());
        return new Path[] {h, y, w};
    }

    private CliRun analyze(Path[] f, String... extra) {
        String[] base = {"analyze", "--features", f[0].toString(), "--labels", f[1].toString(),
            "--weights", f[2].toString(), "--json"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    private static JsonNode distance(JsonNode j, String model) {
        for (JsonNode d : j.get("distances")) {
            if (d.get("model").asText().equals(model)) {
                return d;
            }
        }
        throw new AssertionError("no distance for " + model + " in " + j);
    }

    @Test
    void exactSeliFeaturesAreAtZeroSeliDistanceAndFarFromTheEtf() throws IOException {
        var seli = SeliGeometry.predict(TheoryParameters.of(SIZES)).geometry();
        CliRun run = analyze(write(SyntheticCollapse.generate(seli, SIZES, 12, 0.0, 3)));
        assertEquals(0, run.code(), run.err());
        JsonNode j = run.json();
        assertEquals("seli", j.get("closest").asText());
        JsonNode s = distance(j, "seli");
        assertEquals(0, s.get("classifier").asDouble(), 1e-9);
        assertEquals(0, s.get("embedding").asDouble(), 1e-9);
        assertEquals(0, s.get("logits").asDouble(), 1e-9);
        JsonNode e = distance(j, "etf");
        assertTrue(e.get("classifier").asDouble() > 0.05, e.toString());
        assertTrue(e.get("embedding").asDouble() > 0.05, e.toString());
        assertEquals(0, j.get("metrics").get("nc1_pinv").asDouble(), 1e-12);
        assertEquals(SIZES.total(), j.get("N").asLong());
    }

    @Test
    void exactEtfFeaturesHaveZeroCollapseMetrics() throws IOException {
        ClassSizes balanced = ClassSizes.balanced(5, 8);
        var etf = Etf.predict(TheoryParameters.of(balanced)).geometry();
        CliRun run = analyze(write(SyntheticCollapse.generate(etf, balanced, 10, 0.0, 5)));
        assertEquals(0, run.code(), run.err());
        JsonNode m = run.json().get("metrics");
        assertEquals(0, m.get("nc1_pinv").asDouble(), 1e-10);
        assertEquals(0, m.get("nc2_etf_err").asDouble(), 1e-8);
        assertEquals(0, m.get("W_M_dist").asDouble(), 1e-8);
        assertEquals(0, distance(run.json(), "etf").get("classifier").asDouble(), 1e-8);
        // Balanced sizes: SELI and the Layer-Peeled optimum are the ETF too, whatever the energies.
        assertEquals(0, distance(run.json(), "seli").get("mean").asDouble(), 1e-8);
        assertEquals(0, distance(run.json(), "lpm").get("mean").asDouble(), 1e-6);
    }

    @Test
    void regularisedModelsAreAddedWhenBothLambdasAreGiven() throws IOException {
        var seli = SeliGeometry.predict(TheoryParameters.of(SIZES)).geometry();
        Path[] f = write(SyntheticCollapse.generate(seli, SIZES, 12, 0.1, 3));
        CliRun run = analyze(f, "--lambda-w", "1e-3", "--lambda-h", "1e-3");
        assertEquals(0, run.code(), run.err());
        distance(run.json(), "relu-ufm");
        distance(run.json(), "lext");
        CliRun half = analyze(f, "--lambda-w", "1e-3");
        assertEquals(2, half.code());
        assertTrue(half.err().contains("give both --lambda-w and --lambda-h"), half.err());
    }

    @Test
    void textOutputNamesTheClosestGeometry() throws IOException {
        var seli = SeliGeometry.predict(TheoryParameters.of(SIZES)).geometry();
        Path[] f = write(SyntheticCollapse.generate(seli, SIZES, 12, 0.1, 3));
        CliRun run = CliRun.of("analyze", "--features", f[0].toString(), "--labels", f[1].toString(),
                "--weights", f[2].toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("closest: seli"), run.out());
        assertTrue(run.out().contains("nc1_pinv"), run.out());
    }

    @Test
    void inconsistentFilesAreRejectedByName() throws IOException {
        var seli = SeliGeometry.predict(TheoryParameters.of(SIZES)).geometry();
        Path[] f = write(SyntheticCollapse.generate(seli, SIZES, 12, 0.1, 3));
        Path shortLabels = dir.resolve("short.npy");
        Npy.write(shortLabels, new int[] {0, 1, 2, 3});
        assertRejected(analyze(new Path[] {f[0], shortLabels, f[2]}), "rows but the labels have length 4");

        Path badLabels = dir.resolve("bad.npy");
        int[] y = new int[(int) SIZES.total()];
        y[7] = 9;
        Npy.write(badLabels, y);
        assertRejected(analyze(new Path[] {f[0], badLabels, f[2]}), "label 9 at index 7 is outside 0..3");

        Path missingClass = dir.resolve("missing.npy");
        Npy.write(missingClass, new int[(int) SIZES.total()]);
        assertRejected(analyze(new Path[] {f[0], missingClass, f[2]}), "class 1 has no samples");

        Path narrowW = dir.resolve("narrow.npy");
        Npy.write(narrowW, new double[4][5]);
        assertRejected(analyze(new Path[] {f[0], f[1], narrowW}), "columns but W has 5");

        Path bias = dir.resolve("b.npy");
        Npy.write(bias, new double[] {1, 2});
        assertRejected(analyze(f, "--bias", bias.toString()), "bias has length 2 but W has K = 4 rows");

        assertRejected(analyze(new Path[] {dir.resolve("nope.npy"), f[1], f[2]}), "nope.npy");

        Path garbage = dir.resolve("garbage.npy");
        Files.writeString(garbage, "not a numpy file");
        assertRejected(analyze(new Path[] {garbage, f[1], f[2]}), "garbage.npy");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        CliRun run = CliRun.of("analyze", "--features", "H.npy");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("Missing required option"), run.err());
    }

    private static void assertRejected(CliRun run, String message) {
        assertEquals(2, run.code(), run.out() + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
        assertTrue(!run.err().contains("\tat "), "no stack trace expected: " + run.err());
    }
}
