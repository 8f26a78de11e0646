package nclab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.InvalidInputException;

class SolveConfigTest {
    @TempDir
    Path tmp;

    private Path yaml(String text) throws Exception {
        Path f = tmp.resolve("config.yaml");
        Files.writeString(f, text);
        return f;
    }

    private String error(String text) throws Exception {
        Path f = yaml(text);
        return assertThrows(InvalidInputException.class, () -> SolveConfig.read(f)).getMessage();
    }

    private static final String BASE = "model: ufm\nstep: [4, 10, 0.5, 5]\nd: 64\nlambda_w: 5e-4\nlambda_h: 0.0005\n"
            + "optimizer: sgd\nlr: 0.4\nbatch: 4\nepochs: 100000\nseed: 1\n";

    @Test
    void readsTheIssueExampleAndFillsDefaults() throws Exception {
        SolveConfig c = SolveConfig.read(yaml(BASE));
        assertEquals("ufm", c.model());
        assertArrayEquals(new int[] {50, 50, 5, 5}, c.classSizes().counts());
        assertEquals(110, c.n());
        assertEquals(64, c.d());
        assertEquals(5e-4, c.lambdaW());
        assertEquals(5e-4, c.lambdaH());
        assertNull(c.lambda());
        assertEquals("sgd", c.optimizer());
        assertEquals(0.4, c.lr());
        assertEquals(4, c.batch());
        assertEquals(28, c.stepsPerEpoch()); // ceil(110/4)
        assertEquals(2_800_000L, c.totalSteps());
        assertEquals("constant", c.schedule());
        assertEquals(0.0, c.momentum());
        assertEquals(100, c.logPoints());
        assertEquals(60.0, c.checkpointSeconds());
        assertEquals(1, c.layers());
    }

    @Test
    void writtenConfigReadsBackEqualAndComplete() throws Exception {
        SolveConfig c = SolveConfig.read(yaml(BASE + "schedule: step\nmilestones: [10, 20]\ngamma: 0.5\nbias: true\n"));
        Path out = tmp.resolve("resolved.yaml");
        c.write(out);
        String text = Files.readString(out);
        for (String key : SolveConfig.KEYS) {
            if (!key.equals("sizes") && !key.equals("majority") && !key.equals("long_tail")) {
                org.junit.jupiter.api.Assertions.assertTrue(text.contains("\n" + key + ":"), key + " missing in\n" + text);
            }
        }
        SolveConfig back = SolveConfig.read(out);
        assertEquals(c, back);
        assertArrayEquals(new long[] {10, 20}, back.milestones());
        assertEquals(c.toYaml(), back.toYaml());
    }

    @Test
    void fullBatchDefaultsToN() throws Exception {
        SolveConfig c = SolveConfig.read(yaml("model: ufm\nsizes: 3,2,1\nd: 2\nlr: 0.1\nsteps: 10\n"));
        assertEquals(6, c.batch());
        assertEquals(1, c.stepsPerEpoch());
        assertEquals(10, c.totalSteps());
        assertEquals("gd", c.optimizer());
    }

    @Test
    void majorityForm() throws Exception {
        SolveConfig c = SolveConfig.read(yaml("model: lpm\nmajority: [2, 3, 100, 10]\nd: 8\nlr: 0.1\nsteps: 10\n"));
        assertArrayEquals(new int[] {100, 100, 10, 10, 10}, c.classSizes().counts());
    }

    @Test
    void unknownKeyIsNamedWithSuggestion() throws Exception {
        assertEquals("unknown key 'lamda_w' in config.yaml (did you mean lambda_w?)", error(BASE + "lamda_w: 1\n"));
        assertEquals("unknown key 'learning-rate' in config.yaml (known keys: " + String.join(", ", SolveConfig.KEYS) + ")",
                error(BASE + "learning-rate: 1\n"));
    }

    @Test
    void negativeLambdaIsNamed() throws Exception {
        assertEquals("config.yaml: lambda_h must be a finite number >= 0, got -0.001",
                error(BASE.replace("lambda_h: 0.0005", "lambda_h: -1e-3")));
        assertEquals("config.yaml: lambda must be a finite number >= 0, got -2.0", error(BASE + "lambda: -2\n"));
    }

    @Test
    void batchLargerThanNIsRejected() throws Exception {
        assertEquals("config.yaml: batch = 111 is larger than the number of samples N = 110",
                error(BASE.replace("batch: 4", "batch: 111")));
    }

    @Test
    void otherBadValuesNameTheirKey() throws Exception {
        assertEquals("config.yaml: optimizer gd is full-batch (batch = N = 110); use optimizer sgd for batch = 4",
                error(BASE.replace("optimizer: sgd", "optimizer: gd")));
        assertEquals("config.yaml: optimizer must be one of gd, sgd, adam, got 'lbfgs'",
                error(BASE.replace("optimizer: sgd", "optimizer: lbfgs")));
        assertEquals("config.yaml: give epochs or steps, not both", error(BASE + "steps: 5\n"));
        assertEquals("lr is required in config.yaml (learning rate)", error(BASE.replace("lr: 0.4\n", "")));
        assertEquals("lr in config.yaml must be a number, got 'fast'", error(BASE.replace("lr: 0.4", "lr: fast")));
        assertEquals("config.yaml: lr must be a finite number > 0, got 0.0", error(BASE.replace("lr: 0.4", "lr: 0")));
        assertEquals("give class sizes once: both sizes and step are set in config.yaml", error(BASE + "sizes: [1, 2]\n"));
        assertEquals("config.yaml: momentum must lie in [0, 1), got momentum = 1.0", error(BASE + "momentum: 1\n"));
        assertEquals("batch in config.yaml must be a whole number, got 4.5", error(BASE.replace("batch: 4", "batch: 4.5")));
    }

    @Test
    void dimensionCheckIsTheModelsHook() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "test-ufm");
        m.put("sizes", "5,5,5,5");
        m.put("d", 2);
        m.put("lambda_w", 0.01);
        m.put("lambda_h", 0.01);
        m.put("lr", 0.1);
        m.put("steps", 10);
        SolveConfig c = SolveConfig.fromMap(m, "flags");
        String msg = assertThrows(InvalidInputException.class, () -> TestModels.registry().validate(c)).getMessage();
        assertEquals("d = 2 must be >= K - 1 = 3 for model test-ufm", msg);
        m.put("model", "nope");
        String unknown = assertThrows(InvalidInputException.class,
                () -> TestModels.registry().validate(SolveConfig.fromMap(m, "flags"))).getMessage();
        assertEquals("unknown model 'nope'; known models: test-ufm", unknown);
    }

    @Test
    void logScheduleIsLogSpacedWithEnds() {
        long[] s = LogSchedule.logSpaced(1000, 4).steps();
        assertArrayEquals(new long[] {0, 1, 10, 100, 1000}, s);
        assertArrayEquals(new long[] {0, 3, 6, 7}, LogSchedule.every(7, 3).steps());
        assertEquals(2, LogSchedule.logSpaced(1000, 4).indexAfter(1));
        assertEquals(3, LogSchedule.logSpaced(1000, 4).indexAfter(50));
    }
}
