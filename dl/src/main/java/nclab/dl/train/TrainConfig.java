package nclab.dl.train;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.experiment.ConfigReader;
import nclab.experiment.SizesSpec;
import nclab.io.AtomicFiles;

/**
 * One deep-network training run, as read from a {@code config.yaml} (snake_case keys, {@link #KEYS}) or from
 * the flags of {@code nclab train}, validated and with defaults filled in. {@link #write} stores it fully
 * resolved; reading that file back gives an equal config.
 *
 * <p>The training objective per minibatch B is
 * ℓ(B) = (1/|B|) Σ_{i∈B} loss(W h_i + b, y_i) + (λ_H/2)(1/|B|) Σ_{i∈B} ‖h_i‖², with h_i the penultimate
 * (classifier-input) features; weight decay adds wd·θ to the gradient of every parameter θ, with wd = λ_W for the
 * classifier weight and bias and {@code weight_decay} for the rest (seed 001 §5.2 separates λ_W and the feature
 * decay λ_H; seeds 000/003 use one weight decay on all parameters).
 *
 * @param dataset         {@code fashion-mnist} (default), {@code mnist}, {@code cifar10} or {@code synthetic}
 * @param dataDir         directory of the dataset files ({@code data_dir}), null = the dataset's default
 * @param sizes           training class sizes (one of {@code sizes}, {@code step}, {@code majority},
 *                        {@code long_tail}); null = the whole training split
 * @param oversample      minority oversampling rate w_r ≥ 1 (seed 003 eq. 17; {@code oversample}, default 1)
 * @param testPerClass    test images per class used for test accuracy ({@code test_per_class}), null = all
 * @param model           {@code mlp}, {@code cnn}, {@code resnet18}, {@code vgg11}, {@code vgg13} ({@code model})
 * @param depth           hidden layers of the MLP ({@code depth}, default 6)
 * @param width           MLP hidden width / CNN base width ({@code width}, default 1024)
 * @param batchNorm       batch norm after each convolution / hidden linear layer ({@code batch_norm}; default true
 *                        for cnn, resnet18, vgg11, vgg13 (seed 003: "VGG with batch norm"), false for mlp)
 * @param bias            classifier bias ({@code bias}, default true)
 * @param headLayers      extra fully connected layers L between features and classifier ({@code head_layers},
 *                        default 0; seeds 002, 004)
 * @param headActivation  {@code linear} or {@code relu} for the head ({@code head_activation}, default linear)
 * @param widthMultiplier channel multiplier of ResNet/VGG ({@code width_multiplier}, default 1)
 * @param loss            {@code ce} or {@code mse} ({@code loss}, default ce; MSE = ½‖z − e_y‖², seed 004)
 * @param optimizer       {@code sgd} or {@code adam} ({@code optimizer}, default sgd)
 * @param lr              learning rate ({@code lr} &gt; 0, default 0.1)
 * @param momentum        SGD heavy-ball momentum in [0,1) ({@code momentum}, default 0.9)
 * @param weightDecay     weight decay of every non-classifier parameter ({@code weight_decay}, default 5e-4)
 * @param lambdaW         weight decay of the classifier ({@code lambda_w}), null = {@code weight_decay}
 * @param lambdaH         feature decay λ_H ≥ 0 ({@code lambda_h}, default 0)
 * @param schedule        {@code constant}, {@code step} or {@code cosine} ({@code schedule}, default step)
 * @param milestones      epochs where the step schedule multiplies lr by gamma ({@code milestones}; default
 *                        ⌊E/3⌋, ⌊2E/3⌋ as in seed 003)
 * @param gamma           step factor in (0,1] ({@code gamma}, default 0.1)
 * @param epochs          epochs ({@code epochs} ≥ 1, required)
 * @param batch           minibatch size ({@code batch}, default 128)
 * @param seed            seed of subset choice, initialisation and batch order ({@code seed}, default 1)
 * @param logPoints       number of log-spaced logged epochs ({@code log_points} ≥ 2, default 12)
 * @param logEvery        log every this many epochs instead ({@code log_every}), null = log-spaced
 * @param checkpointSeconds checkpoint at the first epoch end this many seconds after the last one
 *                        ({@code checkpoint_seconds}, default 60)
 * @param out             run directory ({@code out}), null = given on the command line
 */
public record TrainConfig(String dataset, String dataDir, SizesSpec sizes, int oversample, Integer testPerClass,
                          String model, int depth, int width, boolean batchNorm, boolean bias, int headLayers,
                          String headActivation, double widthMultiplier, String loss, String optimizer, double lr,
                          double momentum, double weightDecay, Double lambdaW, double lambdaH, String schedule,
                          long[] milestones, double gamma, int epochs, int batch, long seed, int logPoints,
                          Integer logEvery, double checkpointSeconds, String out) {

    /** Every accepted key, in the order {@link #write} uses. */
    public static final List<String> KEYS = List.of("dataset", "data_dir", "sizes", "step", "majority", "long_tail",
            "oversample", "test_per_class", "model", "depth", "width", "batch_norm", "bias", "head_layers",
            "head_activation", "width_multiplier", "loss", "optimizer", "lr", "momentum", "weight_decay", "lambda_w",
            "lambda_h", "schedule", "milestones", "gamma", "epochs", "batch", "seed", "log_points", "log_every",
            "checkpoint_seconds", "out");
    public static final List<String> DATASETS = List.of("fashion-mnist", "mnist", "cifar10", "synthetic");
    public static final List<String> MODELS = List.of("mlp", "cnn", "resnet18", "vgg11", "vgg13");
    public static final List<String> LOSSES = List.of("ce", "mse");
    public static final List<String> OPTIMIZERS = List.of("sgd", "adam");
    public static final List<String> SCHEDULES = List.of("constant", "step", "cosine");
    public static final List<String> HEAD_ACTIVATIONS = List.of("linear", "relu");

    public TrainConfig {
        oneOf("dataset", dataset, DATASETS);
        InvalidInputException.require(oversample >= 1, "oversample must be >= 1, got oversample = " + oversample);
        InvalidInputException.require(testPerClass == null || testPerClass >= 1,
                "test_per_class must be >= 1, got test_per_class = " + testPerClass);
        oneOf("model", model, MODELS);
        InvalidInputException.require(depth >= 1, "depth must be >= 1, got depth = " + depth);
        InvalidInputException.require(width >= 1, "width must be >= 1, got width = " + width);
        InvalidInputException.require(headLayers >= 0, "head_layers must be >= 0, got head_layers = " + headLayers);
        oneOf("head_activation", headActivation, HEAD_ACTIVATIONS);
        InvalidInputException.requirePositive("width_multiplier", widthMultiplier);
        oneOf("loss", loss, LOSSES);
        oneOf("optimizer", optimizer, OPTIMIZERS);
        InvalidInputException.requirePositive("lr", lr);
        InvalidInputException.require(Double.isFinite(momentum) && momentum >= 0 && momentum < 1,
                "momentum must lie in [0, 1), got momentum = " + momentum);
        InvalidInputException.requireNonNegative("weight_decay", weightDecay);
        if (lambdaW != null) {
            InvalidInputException.requireNonNegative("lambda_w", lambdaW);
        }
        InvalidInputException.requireNonNegative("lambda_h", lambdaH);
        oneOf("schedule", schedule, SCHEDULES);
        InvalidInputException.require(epochs >= 1, "epochs must be >= 1, got epochs = " + epochs);
        milestones = milestones == null ? defaultMilestones(epochs) : milestones.clone();
        for (int i = 0; i < milestones.length; i++) {
            InvalidInputException.require(milestones[i] >= 1 && (i == 0 || milestones[i] > milestones[i - 1]),
                    "milestones must be increasing epochs >= 1, got " + Arrays.toString(milestones));
        }
        InvalidInputException.require(Double.isFinite(gamma) && gamma > 0 && gamma <= 1,
                "gamma must lie in (0, 1], got gamma = " + gamma);
        InvalidInputException.require(batch >= 1, "batch must be >= 1, got batch = " + batch);
        InvalidInputException.require(sizes == null || batch <= sizes.toClassSizes().total() * (long) oversample,
                "batch = " + batch + " is larger than the training set");
        InvalidInputException.require(logPoints >= 2, "log_points must be >= 2, got log_points = " + logPoints);
        InvalidInputException.require(logEvery == null || logEvery >= 1, "log_every must be >= 1, got log_every = " + logEvery);
        InvalidInputException.requirePositive("checkpoint_seconds", checkpointSeconds);
    }

    private static void oneOf(String key, String value, List<String> allowed) {
        InvalidInputException.require(value != null && allowed.contains(value),
                key + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }

    /** ⌊E/3⌋ and ⌊2E/3⌋ (those ≥ 1, distinct): seed 003's 116 and 233 for 350 epochs. */
    static long[] defaultMilestones(int epochs) {
        return Arrays.stream(new long[] {epochs / 3, 2L * epochs / 3}).filter(m -> m >= 1).distinct().toArray();
    }

    @Override
    public long[] milestones() {
        return milestones.clone();
    }

    /** The requested training class sizes, or null for the whole split. */
    public ClassSizes classSizes() {
        return sizes == null ? null : sizes.toClassSizes();
    }

    /** Weight decay of the classifier: {@code lambda_w}, else {@code weight_decay}. */
    public double classifierDecay() {
        return lambdaW != null ? lambdaW : weightDecay;
    }

    /** This config with the run directory replaced. */
    public TrainConfig withOut(String newOut) {
        Map<String, Object> m = toMap();
        m.put("out", newOut);
        return fromMap(m, "config");
    }

    // ----------------------------------------------------------------------------------------- reading

    /** Reads and validates a YAML config file; messages name the file and the key. */
    public static TrainConfig read(Path file) {
        return fromMap(ConfigReader.readYamlMap(file), ConfigReader.sourceName(file));
    }

    /** Validates a key → value map (null = not given); {@code source} is named in messages. */
    public static TrainConfig fromMap(Map<String, ?> map, String source) {
        ConfigReader.requireKnownKeys(map, KEYS, source);
        ConfigReader r = new ConfigReader(map, source);
        SizesSpec sizes = null;
        for (String form : SizesSpec.FORMS) {
            double[] v = r.numbers(form);
            if (v != null) {
                if (sizes != null) {
                    throw new InvalidInputException("give class sizes once: both " + sizes.form() + " and " + form
                            + " are set in " + source);
                }
                sizes = new SizesSpec(form, v);
            }
        }
        Integer epochs = r.integer("epochs");
        InvalidInputException.require(epochs != null, "epochs is required in " + source);
        double[] ms = r.numbers("milestones");
        long[] milestones = ms == null ? null : Arrays.stream(ms).mapToLong(x -> r.whole("milestones", x)).toArray();
        String optimizer = r.string("optimizer", "sgd");
        try {
            String model = r.string("model", "mlp");
            return new TrainConfig(r.string("dataset", "fashion-mnist"), r.string("data_dir", null), sizes,
                    r.integerOr("oversample", 1), r.integer("test_per_class"), model,
                    r.integerOr("depth", 6), r.integerOr("width", 1024), r.bool("batch_norm", !model.equals("mlp")),
                    r.bool("bias", true), r.integerOr("head_layers", 0), r.string("head_activation", "linear"),
                    r.numberOr("width_multiplier", 1.0), r.string("loss", "ce"), optimizer,
                    r.numberOr("lr", optimizer.equals("adam") ? 1e-3 : 0.1),
                    r.numberOr("momentum", optimizer.equals("adam") ? 0.0 : 0.9), r.numberOr("weight_decay", 5e-4),
                    r.number("lambda_w"), r.numberOr("lambda_h", 0.0), r.string("schedule", "step"), milestones,
                    r.numberOr("gamma", 0.1), epochs, r.integerOr("batch", 128), r.longOr("seed", 1L),
                    r.integerOr("log_points", 12), r.integer("log_every"), r.numberOr("checkpoint_seconds", 60.0),
                    r.string("out", null));
        } catch (InvalidInputException e) {
            throw new InvalidInputException(source + ": " + e.getMessage(), e);
        }
    }

    // ----------------------------------------------------------------------------------------- writing

    /** Every key with its resolved value (null = not given), in {@link #KEYS} order; one class-size form. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("data_dir", dataDir);
        if (sizes != null) {
            m.put(sizes.form(), sizes.yamlValues());
        }
        m.put("oversample", oversample);
        m.put("test_per_class", testPerClass);
        m.put("model", model);
        m.put("depth", depth);
        m.put("width", width);
        m.put("batch_norm", batchNorm);
        m.put("bias", bias);
        m.put("head_layers", headLayers);
        m.put("head_activation", headActivation);
        m.put("width_multiplier", widthMultiplier);
        m.put("loss", loss);
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("weight_decay", weightDecay);
        m.put("lambda_w", lambdaW);
        m.put("lambda_h", lambdaH);
        m.put("schedule", schedule);
        m.put("milestones", Arrays.stream(milestones).boxed().toList());
        m.put("gamma", gamma);
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("seed", seed);
        m.put("log_points", logPoints);
        m.put("log_every", logEvery);
        m.put("checkpoint_seconds", checkpointSeconds);
        m.put("out", out);
        return m;
    }

    /** The resolved config as YAML text. */
    public String toYaml() {
        return "# nclab train config, fully resolved (null = not given)\n" + ConfigReader.yaml(toMap());
    }

    /** Atomically writes {@link #toYaml()} to {@code file}. */
    public void write(Path file) {
        AtomicFiles.writeString(file, toYaml());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainConfig c && c.toMap().equals(toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }
}
