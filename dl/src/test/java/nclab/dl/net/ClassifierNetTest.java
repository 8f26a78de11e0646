package nclab.dl.net;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassifierNetTest {

    private static final int K = 10;

    private static NDArray images(NDManager m, long seed, int n, int c, int h, int w) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n * c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextDouble(-1, 1);
        }
        return m.create(v, new Shape(n, c, h, w));
    }

    private static double[][] matrix(NDArray a) {
        long[] s = a.getShape().getShape();
        assertEquals(2, s.length, "expected a matrix, got " + a.getShape());
        float[] v = a.toFloatArray();
        double[][] out = new double[(int) s[0]][(int) s[1]];
        for (int i = 0; i < s[0]; i++) {
            for (int j = 0; j < s[1]; j++) {
                out[i][j] = v[(int) (i * s[1] + j)];
            }
        }
        return out;
    }

    /** rows of z times Wᵀ (+ b), optionally through ReLU, in double. */
    private static double[][] affine(double[][] z, double[][] w, double[] b, boolean relu) {
        double[][] out = new double[z.length][w.length];
        for (int n = 0; n < z.length; n++) {
            for (int k = 0; k < w.length; k++) {
                double s = b == null ? 0 : b[k];
                for (int j = 0; j < z[n].length; j++) {
                    s += z[n][j] * w[k][j];
                }
                out[n][k] = relu ? Math.max(0, s) : s;
            }
        }
        return out;
    }

    private static void assertClose(double[][] expected, double[][] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length);
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], actual[i][j], tol * Math.max(1, Math.abs(expected[i][j])),
                        "entry " + i + "," + j);
            }
        }
    }

    private static List<NetworkSpec> quickSpecs() {
        return List.of(NetworkSpec.mlp(2, 32), NetworkSpec.mlp(1, 16).withBatchNorm(true),
                NetworkSpec.cnn(3, 8), NetworkSpec.cnn(2, 4).withBatchNorm(false),
                NetworkSpec.resnet18(0.25), NetworkSpec.vgg11(0.25), NetworkSpec.vgg13(0.125));
    }

    private static int expectedFeatureDim(NetworkSpec s) {
        return switch (s.architecture()) {
            case "mlp" -> s.width();
            case "cnn" -> s.width() << (s.depth() - 1);
            default -> s.scaledChannels(512);
        };
    }

    @Test
    void shapesOfEveryArchitectureOnGreyAndColourImages() {
        int[][] inputs = {{1, 28, 28}, {3, 32, 32}};
        try (NDManager manager = NDManager.newBaseManager()) {
            for (NetworkSpec spec : quickSpecs()) {
                for (int[] in : inputs) {
                    ClassifierNet net = ClassifierNet.build(spec, K, in[0], in[1], in[2]);
                    net.initialize(manager, 1);
                    int d = expectedFeatureDim(spec);
                    assertEquals(d, net.featureDim(), spec.toString());
                    List<NDArray> produced = new ArrayList<>();
                    try (NDManager batch = manager.newSubManager()) {
                        ParameterStore ps = new ParameterStore(batch, false);
                        for (boolean training : new boolean[] {true, false}) {
                            ClassifierNet.Forward f = net.forward(ps, images(batch, 3, 2, in[0], in[1], in[2]), training);
                            String what = spec + " on " + Arrays.toString(in) + " training=" + training;
                            assertEquals(new Shape(2, d), f.features().getShape(), what);
                            assertEquals(new Shape(2, K), f.logits().getShape(), what);
                            assertEquals(1, f.layerInputs().size(), what);
                            assertEquals(new Shape(2, d), f.layerInputs().get(0).getShape(), what);
                            for (float v : f.logits().toFloatArray()) {
                                assertTrue(Float.isFinite(v), what);
                            }
                            produced.add(f.features());
                            produced.add(f.logits());
                        }
                    }
                    // everything a forward pass makes lives in the images' (per-batch) manager
                    for (NDArray a : produced) {
                        assertTrue(a.isReleased(), spec + ": an output outlived its batch manager");
                    }
                    assertFalse(net.parameters().get(0).getArray().isReleased());
                    assertEquals(K, net.classifierWeights().length);
                    assertEquals(d, net.classifierWeights()[0].length);
                    assertEquals(K, net.classifierBias().length);
                }
            }
        }
    }

    @Test
    void logitsAreFeaturesTimesClassifierWeightsPlusBias() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (NetworkSpec spec : List.of(NetworkSpec.mlp(2, 24), NetworkSpec.cnn(2, 4),
                    NetworkSpec.mlp(1, 12).withClassifierBias(false), NetworkSpec.vgg11(0.125).withHead(1, "relu"))) {
                ClassifierNet net = ClassifierNet.build(spec, K, 1, 28, 28);
                net.initialize(manager, 5);
                if (spec.classifierBias()) {
                    // initial biases are zero; make them nonzero so that the test sees them
                    NDArray b = net.namedParameters().get(ClassifierNet.CLASSIFIER_BIAS).getArray();
                    b.set(manager.arange(K).toType(b.getDataType(), false).mul(0.1f).toFloatArray());
                }
                try (NDManager batch = manager.newSubManager()) {
                    ParameterStore ps = new ParameterStore(batch, false);
                    ClassifierNet.Forward f = net.forward(ps, images(batch, 11, 3, 1, 28, 28), false);
                    double[][] expected = affine(matrix(f.features()), net.classifierWeights(),
                            net.classifierBias(), false);
                    assertClose(expected, matrix(f.logits()), 1e-5);
                    assertTrue(Arrays.deepEquals(matrix(f.features()), ClassifierNet.toMatrix(f.features())));
                    // the chained DJL block gives the same logits
                    NDArray whole = net.block().forward(ps, new NDList(images(batch, 11, 3, 1, 28, 28)), false)
                            .singletonOrThrow();
                    assertClose(matrix(f.logits()), matrix(whole), 1e-6);
                }
            }
        }
    }

    @Test
    void headLayerInputsChainThroughTheHeadWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String activation : List.of("linear", "relu")) {
                NetworkSpec spec = NetworkSpec.mlp(2, 16).withHead(3, activation);
                ClassifierNet net = ClassifierNet.build(spec, 4, 1, 28, 28);
                net.initialize(manager, 9);
                List<double[][]> w = net.headWeights();
                assertEquals(3, w.size());
                for (double[][] wl : w) {
                    assertEquals(16, wl.length);
                    assertEquals(16, wl[0].length);
                }
                try (NDManager batch = manager.newSubManager()) {
                    ClassifierNet.Forward f = net.forward(new ParameterStore(batch, false),
                            images(batch, 2, 5, 1, 28, 28), false);
                    List<NDArray> z = f.layerInputs();
                    assertEquals(4, z.size());
                    for (int l = 0; l < 3; l++) {
                        double[][] next = affine(matrix(z.get(l)), w.get(l), null, activation.equals("relu"));
                        assertClose(next, matrix(z.get(l + 1)), 1e-5);
                    }
                    assertArrayEquals(z.get(3).toFloatArray(), f.features().toFloatArray());
                    assertClose(affine(matrix(z.get(3)), net.classifierWeights(), net.classifierBias(), false),
                            matrix(f.logits()), 1e-5);
                    // a linear head keeps negative entries; a ReLU head does not
                    boolean anyNegative = false;
                    for (float v : z.get(3).toFloatArray()) {
                        anyNegative |= v < 0;
                    }
                    assertEquals(activation.equals("linear"), anyNegative);
                }
            }
        }
    }

    private static List<float[]> values(ClassifierNet net) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            out.add(p.getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void sameSeedGivesIdenticalParametersAndAnotherSeedDifferentOnes() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (NetworkSpec spec : List.of(NetworkSpec.mlp(2, 16).withHead(1, "relu"), NetworkSpec.resnet18(0.125))) {
                ClassifierNet a = ClassifierNet.build(spec, K, 3, 32, 32);
                ClassifierNet b = ClassifierNet.build(spec, K, 3, 32, 32);
                a.initialize(manager, 42);
                List<float[]> first = values(a);
                b.initialize(manager, 7);
                List<float[]> other = values(b);
                b.initialize(manager, 42); // re-initialising draws afresh
                List<float[]> second = values(b);
                assertEquals(List.copyOf(a.namedParameters().keySet()), List.copyOf(b.namedParameters().keySet()));
                assertEquals(first.size(), second.size());
                for (int i = 0; i < first.size(); i++) {
                    assertArrayEquals(first.get(i), second.get(i), "parameter " + i + " of " + spec);
                }
                int differing = 0;
                for (int i = 0; i < first.size(); i++) {
                    if (!Arrays.equals(first.get(i), other.get(i))) {
                        differing++;
                    }
                }
                // every weight matrix differs; biases / batch-norm statistics start at constants
                long weights = a.namedParameters().values().stream()
                        .filter(p -> p.getType() == Parameter.Type.WEIGHT).count();
                assertEquals(weights, differing, spec.toString());
            }
        }
    }

    @Test
    void batchNormTrainingDiffersFromTheDeterministicEvalPass() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (NetworkSpec spec : List.of(NetworkSpec.cnn(2, 4), NetworkSpec.mlp(2, 16).withBatchNorm(true))) {
                ClassifierNet net = ClassifierNet.build(spec, K, 1, 28, 28);
                net.initialize(manager, 3);
                try (NDManager batch = manager.newSubManager()) {
                    ParameterStore ps = new ParameterStore(batch, false);
                    NDArray x = images(batch, 4, 4, 1, 28, 28);
                    float[] eval1 = net.forward(ps, x, false).logits().toFloatArray();
                    float[] eval2 = net.forward(ps, x, false).logits().toFloatArray();
                    assertArrayEquals(eval1, eval2);
                    float[] train = net.forward(ps, x, true).logits().toFloatArray();
                    double diff = 0;
                    for (int i = 0; i < train.length; i++) {
                        diff = Math.max(diff, Math.abs(train[i] - eval1[i]));
                    }
                    assertTrue(diff > 1e-3, spec + ": training and eval logits differ by only " + diff);
                    // batch statistics: in training mode the backbone's last batch-norm output has mean 0
                    // over the batch before the ReLU, so the features differ from eval ones
                    assertFalse(Arrays.equals(net.forward(ps, x, false).features().toFloatArray(),
                            net.forward(ps, x, true).features().toFloatArray()));
                }
            }
        }
    }

    @Test
    void noBiasMeansNullBiasAndOnlyTheWeightIsAClassifierParameter() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierNet net = ClassifierNet.build(NetworkSpec.mlp(1, 8).withClassifierBias(false).withHead(2, "linear"),
                    3, 1, 28, 28);
            net.initialize(manager, 1);
            assertNull(net.classifierBias());
            assertEquals(List.of("backbone.02Linear_weight", "backbone.02Linear_bias", "head1.weight",
                    "head2.weight", ClassifierNet.CLASSIFIER_WEIGHT), List.copyOf(net.namedParameters().keySet()));
            assertEquals(1, net.classifierParameters().size());
            assertTrue(net.isClassifierParameter(net.classifierParameters().get(0)));
            assertEquals(4, net.featureParameters().size());
            // 784·8 + 8 + 2·8·8 + 3·8, counted independently
            assertEquals(784 * 8 + 8 + 2 * 64 + 3 * 8, net.parameterCount());
        }
    }

    @Test
    void classifierAndFeatureParametersPartitionAllParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierNet net = ClassifierNet.build(NetworkSpec.cnn(2, 4), K, 3, 32, 32);
            net.initialize(manager, 1);
            Set<Parameter> all = new HashSet<>(net.parameters());
            Set<Parameter> split = new HashSet<>(net.featureParameters());
            assertEquals(net.parameters().size() - 2, split.size());
            split.addAll(net.classifierParameters());
            assertEquals(all, split);
            assertEquals(ClassifierNet.CLASSIFIER_BIAS, List.copyOf(net.namedParameters().keySet()).get(all.size() - 1));
            assertEquals(new Shape(K, 8), net.namedParameters().get(ClassifierNet.CLASSIFIER_WEIGHT).getArray().getShape());
        }
    }

    @Test
    void mlpParameterCountMatchesTheLayerFormula() {
        try (NDManager manager = NDManager.newBaseManager()) {
            int depth = 3;
            int w = 20;
            ClassifierNet net = ClassifierNet.build(NetworkSpec.mlp(depth, w).withBatchNorm(true), K, 1, 28, 28);
            net.initialize(manager, 1);
            long expected = (784L * w + w) + (depth - 1) * ((long) w * w + w) + depth * 2L * w + (long) K * w + K;
            assertEquals(expected, net.parameterCount());
        }
    }

    @Test
    void gradientsReachTheClassifierAndTheBackbone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierNet net = ClassifierNet.build(NetworkSpec.cnn(2, 4), K, 1, 28, 28);
            net.initialize(manager, 1);
            try (NDManager batch = manager.newSubManager()) {
                ParameterStore ps = new ParameterStore(batch, false);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    ClassifierNet.Forward f = net.forward(ps, images(batch, 1, 4, 1, 28, 28), true);
                    gc.backward(f.logits().square().sum());
                }
                for (Parameter p : List.of(net.namedParameters().get(ClassifierNet.CLASSIFIER_WEIGHT),
                        net.parameters().get(0))) {
                    NDArray g = p.getArray().getGradient();
                    assertNotNull(g);
                    assertTrue(g.abs().sum().getFloat() > 0, p.getName());
                }
            }
        }
    }

    @Test
    void usingItBeforeInitializeFailsClearly() {
        ClassifierNet net = ClassifierNet.build(NetworkSpec.mlp(1, 4), K, 1, 28, 28);
        IllegalStateException e = assertThrows(IllegalStateException.class, net::classifierWeights);
        assertEquals("the network has no parameters yet: call initialize(manager, seed)", e.getMessage());
    }

    @Test
    void wrongImageShapeIsRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierNet net = ClassifierNet.build(NetworkSpec.mlp(1, 4), K, 1, 28, 28);
            net.initialize(manager, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.forward(new ParameterStore(manager, false), images(manager, 1, 2, 3, 32, 32), false));
            assertEquals("expected images of shape N x 1 x 28 x 28, got (2, 3, 32, 32)", e.getMessage());
        }
    }

    private static long conv(long in, long out, long k) {
        return in * out * k * k;
    }

    private static long bn(long c) {
        return 2 * c; // scale and shift; running statistics are not trainable
    }

    /** CIFAR ResNet-18 with base width c (64 in the paper), bias-free convs, K classes. */
    private static long resnet18Count(int c, int inChannels, int classes) {
        long n = conv(inChannels, c, 3) + bn(c);
        long in = c;
        for (int stage = 0; stage < 4; stage++) {
            long out = (long) c << stage;
            n += conv(in, out, 3) + bn(out) + conv(out, out, 3) + bn(out);
            if (in != out) {
                n += conv(in, out, 1) + bn(out);
            }
            n += 2 * (conv(out, out, 3) + bn(out));
            in = out;
        }
        return n + in * classes + classes;
    }

    @Test
    void resnet18HasThePapersParameterCount() {
        assertEquals(11_173_962L, resnet18Count(64, 3, 10)); // the figure usually quoted for CIFAR-10
        try (NDManager manager = NDManager.newBaseManager()) {
            ClassifierNet full = ClassifierNet.build(NetworkSpec.resnet18(1.0), 10, 3, 32, 32);
            full.initialize(manager, 1);
            assertEquals(512, full.featureDim());
            assertEquals(11_173_962L, full.parameterCount());
            ClassifierNet quarter = ClassifierNet.build(NetworkSpec.resnet18(0.25), 10, 1, 28, 28);
            quarter.initialize(manager, 1);
            assertEquals(resnet18Count(16, 1, 10), quarter.parameterCount());
        }
    }

    @Test
    void vggDropsThePoolThatWouldEmptyA28By28Map() {
        for (String arch : List.of("vgg11", "vgg13")) {
            NetworkSpec spec = new NetworkSpec(arch, 1, 1, true, true, 0, "linear", 0.125);
            int at28 = ClassifierNet.build(spec, K, 1, 28, 28).backbone().getChildren().size();
            int at32 = ClassifierNet.build(spec, K, 3, 32, 32).backbone().getChildren().size();
            assertEquals(at32 - 1, at28, arch);
        }
    }
}
