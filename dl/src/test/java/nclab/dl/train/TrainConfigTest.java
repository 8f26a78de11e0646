package nclab.dl.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import nclab.InvalidInputException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainConfigTest {
    private static Map<String, Object> minimal() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", 350);
        return m;
    }

    @Test
    void defaultsFollowSeed003() {
        TrainConfig c = TrainConfig.fromMap(minimal(), "test");
        assertEquals("fashion-mnist", c.dataset());
        assertEquals("sgd", c.optimizer());
        assertEquals(0.1, c.lr());
        assertEquals(0.9, c.momentum());
        assertEquals(5e-4, c.weightDecay());
        assertEquals(5e-4, c.classifierDecay());
        assertEquals(128, c.batch());
        assertArrayEquals(new long[] {116, 233}, c.milestones());
        assertNull(c.classSizes());
        assertEquals(false, c.batchNorm());
        Map<String, Object> resnet = minimal();
        resnet.put("model", "resnet18");
        assertEquals(true, TrainConfig.fromMap(resnet, "test").batchNorm(), "ResNet/VGG/CNN have batch norm by default");
    }

    @Test
    void writtenConfigReadsBackEqual(@TempDir Path dir) {
        Map<String, Object> m = minimal();
        m.put("step", "10,10,0.5,50");
        m.put("lambda_w", 1e-4);
        m.put("lambda_h", 1e-5);
        m.put("model", "resnet18");
        m.put("width_multiplier", 0.25);
        m.put("milestones", "100,200");
        TrainConfig c = TrainConfig.fromMap(m, "test");
        Path file = dir.resolve("config.yaml");
        c.write(file);
        assertEquals(c, TrainConfig.read(file));
        assertEquals(1e-4, c.classifierDecay());
        assertEquals(2750, c.classSizes().total());
    }

    @Test
    void badValuesNameTheKey(@TempDir Path dir) throws Exception {
        assertMessage("test: model must be one of mlp, cnn, resnet18, vgg11, vgg13, got 'resnet50'", "model", "resnet50");
        assertMessage("test: momentum must lie in [0, 1), got momentum = 1.0", "momentum", 1.0);
        assertMessage("test: loss must be one of ce, mse, got 'hinge'", "loss", "hinge");
        assertMessage("test: oversample must be >= 1, got oversample = 0", "oversample", 0);
        Map<String, Object> m = minimal();
        m.put("epoch", 3);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainConfig.fromMap(m, "test"));
        assertEquals("unknown key 'epoch' in test (did you mean epochs?)", e.getMessage());
        InvalidInputException none = assertThrows(InvalidInputException.class,
                () -> TrainConfig.fromMap(new LinkedHashMap<>(), "test"));
        assertEquals("epochs is required in test", none.getMessage());
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "epochs: [1,\n");
        InvalidInputException yaml = assertThrows(InvalidInputException.class, () -> TrainConfig.read(bad));
        assertTrue(yaml.getMessage().startsWith(bad + ": malformed YAML"), yaml.getMessage());
    }

    private static void assertMessage(String expected, String key, Object value) {
        Map<String, Object> m = minimal();
        m.put(key, value);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainConfig.fromMap(m, "test"));
        assertEquals(expected, e.getMessage());
    }
}
