package nclab.dl.net;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkSpecTest {

    private static String message(Runnable r) {
        return assertThrows(InvalidInputException.class, r::run).getMessage();
    }

    @Test
    void unknownArchitectureListsTheKnownOnes() {
        assertEquals("unknown architecture 'resnet50'; known: mlp, cnn, resnet18, vgg11, vgg13",
                message(() -> new NetworkSpec("resnet50", 1, 8, false, true, 0, "linear", 1.0)));
        assertEquals("unknown architecture 'null'; known: mlp, cnn, resnet18, vgg11, vgg13",
                message(() -> new NetworkSpec(null, 1, 8, false, true, 0, "linear", 1.0)));
    }

    @Test
    void badNumbersAreNamed() {
        assertEquals("network depth must be >= 1, got 0", message(() -> NetworkSpec.mlp(0, 8)));
        assertEquals("network width must be >= 1, got -3", message(() -> NetworkSpec.mlp(2, -3)));
        assertEquals("cnn depth (number of conv blocks) must be <= 4, got 5", message(() -> NetworkSpec.cnn(5, 8)));
        assertEquals("head layers must be >= 0, got -1", message(() -> NetworkSpec.mlp(1, 8).withHead(-1, "relu")));
        assertEquals("unknown head activation 'tanh'; known: linear, relu",
                message(() -> NetworkSpec.mlp(1, 8).withHead(2, "tanh")));
        assertEquals("width multiplier must be a finite number > 0, got 0.0", message(() -> NetworkSpec.resnet18(0)));
        assertEquals("width multiplier must be a finite number > 0, got NaN",
                message(() -> NetworkSpec.vgg11(Double.NaN)));
    }

    @Test
    void factoriesAndWithers() {
        NetworkSpec r = NetworkSpec.resnet18(0.25);
        assertEquals("resnet18", r.architecture());
        assertTrue(r.batchNorm());
        assertTrue(r.classifierBias());
        assertEquals(16, r.scaledChannels(64));
        assertEquals(128, r.scaledChannels(512));
        assertEquals(1, NetworkSpec.vgg13(0.001).scaledChannels(64));
        NetworkSpec m = NetworkSpec.mlp(3, 64).withClassifierBias(false).withHead(2, "relu").withBatchNorm(true);
        assertEquals(new NetworkSpec("mlp", 3, 64, true, false, 2, "relu", 1.0), m);
        assertFalse(NetworkSpec.mlp(3, 64).batchNorm());
    }

    @Test
    void buildRejectsBadShapes() {
        assertEquals("number of classes must be >= 2, got 1",
                message(() -> ClassifierNet.build(NetworkSpec.mlp(1, 4), 1, 1, 28, 28)));
        assertEquals("image channels must be >= 1, got 0",
                message(() -> ClassifierNet.build(NetworkSpec.mlp(1, 4), 10, 0, 28, 28)));
        assertEquals("image size must be >= 1x1, got 0x28",
                message(() -> ClassifierNet.build(NetworkSpec.mlp(1, 4), 10, 1, 0, 28)));
        assertEquals("a cnn of depth 4 halves the image 4 times; 8x8 is too small (needs at least 16x16)",
                message(() -> ClassifierNet.build(NetworkSpec.cnn(4, 4), 10, 1, 8, 8)));
    }
}
