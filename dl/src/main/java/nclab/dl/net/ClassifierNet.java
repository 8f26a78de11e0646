package nclab.dl.net;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import nclab.InvalidInputException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classifier network split the way neural-collapse analysis needs it: a backbone
 * {@code x ↦ z_0 ∈ R^{d}}, an optional head {@code z_{l+1} = σ(W_l z_l)} (l = 0..L−1, square d×d, no bias,
 * σ = identity or ReLU; seeds 002 and 004), and a linear classifier {@code logits = W z_L + b} with
 * {@code W ∈ R^{K×d}} (b optional). The "penultimate features" h of the papers are {@code z_L}, the input of
 * the classifier ({@link Forward#features()}); {@link Forward#layerInputs()} gives every {@code z_l} for the
 * per-layer (deep neural collapse) metrics.
 *
 * <p>Batch norm is DJL's ({@code momentum 0.9} in DJL's convention, which the PyTorch engine applies as
 * torch's {@code momentum = 0.1}: running = 0.9·running + 0.1·batch, unbiased batch variance; checked
 * here), {@code epsilon 1e-5}.
 *
 * <p>All blocks are DJL blocks in float32; {@link #block()} chains them into one {@link SequentialBlock}
 * (backbone, then each head layer and its activation, then the classifier) whose forward gives the logits,
 * for DJL's save/load. Parameter arrays live in the {@link NDManager} given to {@link #initialize}; close that
 * manager to free them.
 */
public final class ClassifierNet {

    /** Name prefix of the backbone's parameters in {@link #namedParameters()}. */
    public static final String BACKBONE = "backbone.";
    /** Name prefix of head layer l (1-based) in {@link #namedParameters()}: {@code head1.weight}, ... */
    public static final String HEAD = "head";
    /** Name of the classifier weight W (K×d) in {@link #namedParameters()}. */
    public static final String CLASSIFIER_WEIGHT = "classifier.weight";
    /** Name of the classifier bias b (K) in {@link #namedParameters()}, present only with a bias. */
    public static final String CLASSIFIER_BIAS = "classifier.bias";

    /**
     * One forward pass.
     *
     * @param features    the classifier's input z_L, N×d (the penultimate features)
     * @param layerInputs z_0 (backbone output), z_1, ..., z_L: the input of each head layer, then of the
     *                    classifier (L+1 arrays, N×d each; one array, equal to features, when L = 0)
     * @param logits      W z_L + b, N×K
     */
    public record Forward(NDArray features, List<NDArray> layerInputs, NDArray logits) { }

    private final NetworkSpec spec;
    private final int classes;
    private final Shape imageShape;
    private final Block backbone;
    private final int featureDim;
    private final List<Linear> head;
    private final Linear classifier;
    private final SequentialBlock root;
    private final Map<String, Parameter> named;

    private ClassifierNet(NetworkSpec spec, int classes, Shape imageShape, Backbones.Backbone backbone) {
        this.spec = spec;
        this.classes = classes;
        this.imageShape = imageShape;
        this.backbone = backbone.block();
        this.featureDim = backbone.featureDim();
        List<Linear> layers = new ArrayList<>();
        for (int l = 0; l < spec.headLayers(); l++) {
            layers.add(Linear.builder().setUnits(featureDim).optBias(false).build());
        }
        this.head = List.copyOf(layers);
        this.classifier = Linear.builder().setUnits(classes).optBias(spec.classifierBias()).build();
        this.root = new SequentialBlock().add(this.backbone);
        for (Linear layer : head) {
            root.add(layer);
            if (headRelu()) {
                root.add(Activation.reluBlock());
            }
        }
        root.add(classifier);
        Map<String, Parameter> names = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : this.backbone.getParameters()) {
            names.put(BACKBONE + p.getKey(), p.getValue());
        }
        for (int l = 0; l < head.size(); l++) {
            names.put(HEAD + (l + 1) + ".weight", weightOf(head.get(l)));
        }
        names.put(CLASSIFIER_WEIGHT, weightOf(classifier));
        if (spec.classifierBias()) {
            names.put(CLASSIFIER_BIAS, classifier.getParameters().get("bias"));
        }
        this.named = Collections.unmodifiableMap(names);
    }

    /**
     * Builds (does not initialise) the network for images of {@code channels}×{@code height}×{@code width}
     * (28×28×1 and 32×32×3 are the supported datasets; other sizes work where the architecture allows).
     */
    public static ClassifierNet build(NetworkSpec spec, int classes, int channels, int height, int width) {
        InvalidInputException.require(spec != null, "network spec is missing");
        InvalidInputException.require(classes >= 2, "number of classes must be >= 2, got " + classes);
        InvalidInputException.require(channels >= 1, "image channels must be >= 1, got " + channels);
        InvalidInputException.require(height >= 1 && width >= 1,
                "image size must be >= 1x1, got " + height + "x" + width);
        return new ClassifierNet(spec, classes, new Shape(channels, height, width),
                Backbones.build(spec, channels, height, width));
    }

    /**
     * Initialises every parameter in {@code manager} (float32), deterministically in {@code seed}: it calls
     * {@code Engine.getInstance().setRandomSeed(Long.hashCode(seed))} (DJL takes an int seed; this is the
     * engine's global generator, i.e. torch's {@code manual_seed}, so seeds equal in their 32-bit fold
     * {@code (int) (seed ^ (seed >>> 32))} give the same weights) and then draws the weights in a fixed order, so the same seed gives identical
     * parameters. Weights of convolutions and of the backbone's linear layers are He-normal, N(0, 2/fan_in); the
     * head and classifier weights follow PyTorch's {@code nn.Linear} default, U(−1/√d, 1/√d); biases and batch-norm shifts 0, batch-norm scales 1, running mean 0, running var 1.
     * Calling it again discards the current parameters and draws new ones.
     */
    public void initialize(NDManager manager, long seed) {
        if (root.isInitialized()) {
            root.clear();
        }
        Engine.getInstance().setRandomSeed(Long.hashCode(seed));
        root.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2f), Parameter.Type.WEIGHT);
        // fully connected layers that read the features: PyTorch's nn.Linear default, U(±1/√fan_in). He-normal
        // there made the initial logits of a full-width ResNet-18 ~10x too large (initial CE ≈ 15–20 instead of
        // ≈ 2.3) and SGD at lr 0.01 diverged in the first epoch.
        float bound = (float) (1 / Math.sqrt(featureDim));
        for (Linear layer : head) {
            layer.setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
        }
        classifier.setInitializer(new UniformInitializer(bound), Parameter.Type.WEIGHT);
        root.initialize(manager, DataType.FLOAT32, new Shape(1, imageShape.get(0), imageShape.get(1),
                imageShape.get(2)));
    }

    /** Whether {@link #initialize} has run. */
    public boolean isInitialized() {
        return root.isInitialized();
    }

    /**
     * Runs the network on an N×C×H×W float32 batch. The returned arrays belong to {@code images}' manager
     * (use a per-batch sub-manager). {@code training} selects batch statistics (and updates the running
     * ones) in batch norm; {@code false} gives the deterministic evaluation pass.
     */
    public Forward forward(ParameterStore ps, NDArray images, boolean training) {
        requireInitialized();
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != imageShape.get(0) || s.get(2) != imageShape.get(1)
                || s.get(3) != imageShape.get(2)) {
            throw new IllegalArgumentException("expected images of shape N x " + imageShape.get(0) + " x "
                    + imageShape.get(1) + " x " + imageShape.get(2) + ", got " + s);
        }
        NDArray z = backbone.forward(ps, new NDList(images), training).singletonOrThrow();
        List<NDArray> inputs = new ArrayList<>(head.size() + 1);
        inputs.add(z);
        for (Linear layer : head) {
            z = layer.forward(ps, new NDList(z), training).singletonOrThrow();
            if (headRelu()) {
                z = Activation.relu(z);
            }
            inputs.add(z);
        }
        NDArray logits = classifier.forward(ps, new NDList(z), training).singletonOrThrow();
        return new Forward(z, List.copyOf(inputs), logits);
    }

    /** The spec this network was built from. */
    public NetworkSpec spec() {
        return spec;
    }

    /** Number K of classes (rows of the classifier). */
    public int classes() {
        return classes;
    }

    /** Dimension d of the classifier's input (= the backbone's output dimension; head layers are d×d). */
    public int featureDim() {
        return featureDim;
    }

    /** Image shape C×H×W the network was built for. */
    public Shape imageShape() {
        return imageShape;
    }

    /** The whole network as one DJL block (image → logits), e.g. for {@code saveParameters}. */
    public Block block() {
        return root;
    }

    /** The backbone (image → z_0). */
    public Block backbone() {
        return backbone;
    }

    /** The head layers (without their activations), in order. */
    public List<Block> headLayers() {
        return List.copyOf(head);
    }

    /** The classifier block (z_L → logits). */
    public Block classifier() {
        return classifier;
    }

    /** Classifier weight W as K×d doubles (row k = class k's classifier vector w_k). */
    public double[][] classifierWeights() {
        requireInitialized();
        return toMatrix(weightOf(classifier).getArray());
    }

    /** Classifier bias b (length K), or null when the classifier has no bias. */
    public double[] classifierBias() {
        if (!spec.classifierBias()) {
            return null;
        }
        requireInitialized();
        float[] b = named.get(CLASSIFIER_BIAS).getArray().toFloatArray();
        double[] out = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i];
        }
        return out;
    }

    /** Head weights W_0..W_{L−1} as d×d doubles (z_{l+1} = σ(W_l z_l)); empty when L = 0. */
    public List<double[][]> headWeights() {
        requireInitialized();
        List<double[][]> out = new ArrayList<>(head.size());
        for (Linear layer : head) {
            out.add(toMatrix(weightOf(layer).getArray()));
        }
        return out;
    }

    /**
     * Every parameter by a stable name, in a fixed order: the backbone's (prefix {@value #BACKBONE}, then
     * DJL's path of child blocks, e.g. {@code backbone.01Linear_weight}), then {@code head1.weight} ...
     * {@code headL.weight}, then {@value #CLASSIFIER_WEIGHT} and, with a bias, {@value #CLASSIFIER_BIAS}.
     * Includes batch-norm running statistics (not trainable: {@code requiresGradient() == false}).
     */
    public Map<String, Parameter> namedParameters() {
        return named;
    }

    /** The values of {@link #namedParameters()}, same order. */
    public List<Parameter> parameters() {
        return List.copyOf(named.values());
    }

    /** The classifier's parameters W (and b): the ones that take λ_W weight decay. */
    public List<Parameter> classifierParameters() {
        List<Parameter> out = new ArrayList<>(2);
        out.add(named.get(CLASSIFIER_WEIGHT));
        if (spec.classifierBias()) {
            out.add(named.get(CLASSIFIER_BIAS));
        }
        return out;
    }

    /** Whether {@code p} is one of {@link #classifierParameters()}. */
    public boolean isClassifierParameter(Parameter p) {
        return classifierParameters().stream().anyMatch(c -> c == p);
    }

    /** All parameters except the classifier's (backbone and head), in {@link #namedParameters()} order. */
    public List<Parameter> featureParameters() {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : named.values()) {
            if (!isClassifierParameter(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Number of trainable scalars (batch-norm running statistics excluded); needs {@link #initialize}. */
    public long parameterCount() {
        requireInitialized();
        long n = 0;
        for (Parameter p : named.values()) {
            if (p.requiresGradient()) {
                n += p.getArray().getShape().size();
            }
        }
        return n;
    }

    private boolean headRelu() {
        return spec.headActivation().equals("relu");
    }

    private void requireInitialized() {
        if (!root.isInitialized()) {
            throw new IllegalStateException("the network has no parameters yet: call initialize(manager, seed)");
        }
    }

    private static Parameter weightOf(Linear layer) {
        return layer.getParameters().get("weight");
    }

    /** A 2-D array (e.g. {@link Forward#features()}, N×d) copied into doubles, row by row. */
    public static double[][] toMatrix(NDArray a) {
        if (a.getShape().dimension() != 2) {
            throw new IllegalArgumentException("expected a 2-D array, got shape " + a.getShape());
        }
        Shape s = a.getShape();
        int rows = (int) s.get(0);
        int cols = (int) s.get(1);
        float[] v = a.toFloatArray();
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i][j] = v[i * cols + j];
            }
        }
        return out;
    }
}
