package nclab.experiment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.io.AtomicFiles;
import nclab.theory.TheoryParameters;

/**
 * One solver run, as read from a {@code config.yaml} (snake_case keys, listed in {@link #KEYS}) or from the
 * flags of {@code nclab solve}, validated and resolved (defaults filled in). {@link #write} stores it
 * fully resolved; reading that file back gives an equal config.
 *
 * @param model             model id of the {@link ModelRegistry} ({@code model}), e.g. {@code ufm}
 * @param sizes             class sizes, in the form given ({@code sizes} | {@code step} | {@code majority} |
 *                          {@code long_tail}; exactly one)
 * @param d                 feature dimension ({@code d} ≥ 1; models that need d ≥ K−1 check it themselves)
 * @param lambdaW           ridge strength on W ({@code lambda_w} ≥ 0), null = not given
 * @param lambdaH           ridge strength on H ({@code lambda_h} ≥ 0), null = not given
 * @param lambda            single regularisation strength of the deep UFM ({@code lambda} ≥ 0), null = not given
 * @param bias              whether the model has a bias b ({@code bias}, default false)
 * @param nonNegative       non-negative features, projected ({@code non_negative}, default false)
 * @param layers            number of layers L ({@code layers} ≥ 1, default 1)
 * @param relu              ReLU between the layers of a deep model ({@code relu}, default false)
 * @param eW                Layer-Peeled classifier energy E_W ({@code e_w} &gt; 0), null = not given
 * @param eH                Layer-Peeled feature energy E_H ({@code e_h} &gt; 0), null = not given
 * @param oversample        oversampling weight w_r ≥ 1 of the minority classes ({@code oversample}, default 1)
 * @param initScale         std of the random initialisation ({@code init_scale} &gt; 0), null = the model's default
 * @param optimizer         {@code gd} (full batch), {@code sgd} or {@code adam} ({@code optimizer}, default gd)
 * @param lr                learning rate ({@code lr} &gt; 0, required)
 * @param momentum          heavy-ball momentum in [0, 1) ({@code momentum}, default 0)
 * @param batch             minibatch size 1 ≤ batch ≤ N ({@code batch}, default N; gd needs N)
 * @param replacement       minibatches drawn with replacement ({@code replacement}, default false)
 * @param schedule          learning-rate schedule {@code constant}, {@code step} or {@code cosine}
 *                          ({@code schedule}, default constant)
 * @param milestones        epochs at which the step schedule multiplies lr by gamma ({@code milestones},
 *                          increasing, default none)
 * @param gamma             step-schedule factor in (0, 1] ({@code gamma}, default 0.1)
 * @param epochs            number of epochs ({@code epochs}); exactly one of epochs and steps is given
 * @param steps             number of optimiser steps ({@code steps})
 * @param seed              seed of every random choice ({@code seed}, default 1)
 * @param logPoints         number of log-spaced logged steps ({@code log_points} ≥ 2, default 100)
 * @param logEvery          log every this many steps instead ({@code log_every} ≥ 1), null = log-spaced
 * @param checkpointSteps   checkpoint every this many steps ({@code checkpoint_steps} ≥ 1), null = by time only
 * @param checkpointSeconds checkpoint when this many seconds passed since the last one
 *                          ({@code checkpoint_seconds} &gt; 0, default 60)
 * @param out               run directory ({@code out}), null = given on the command line
 */
public record SolveConfig(String model, SizesSpec sizes, int d, Double lambdaW, Double lambdaH, Double lambda,
                          boolean bias, boolean nonNegative, int layers, boolean relu, Double eW, Double eH,
                          double oversample, Double initScale, String optimizer, double lr, double momentum,
                          int batch, boolean replacement, String schedule, long[] milestones, double gamma,
                          Long epochs, Long steps, long seed, int logPoints, Long logEvery, Long checkpointSteps,
                          double checkpointSeconds, String out) {

    /** Every accepted config key, in the order {@link #write} uses. */
    public static final List<String> KEYS = List.of("model", "sizes", "step", "majority", "long_tail", "d",
            "lambda_w", "lambda_h", "lambda", "bias", "non_negative", "layers", "relu", "e_w", "e_h", "oversample",
            "init_scale", "optimizer", "lr", "momentum", "batch", "replacement", "schedule", "milestones", "gamma",
            "epochs", "steps", "seed", "log_points", "log_every", "checkpoint_steps", "checkpoint_seconds", "out");

    /** Accepted values of {@code optimizer}. */
    public static final List<String> OPTIMIZERS = List.of("gd", "sgd", "adam");
    /** Accepted values of {@code schedule}. */
    public static final List<String> SCHEDULES = List.of("constant", "step", "cosine");

    public SolveConfig {
        InvalidInputException.require(model != null && !model.isBlank(), "model is required (e.g. model: ufm)");
        InvalidInputException.require(sizes != null, "class sizes are required: give sizes, step, majority or long_tail");
        ClassSizes classes = sizes.toClassSizes();
        long n = classes.total();
        InvalidInputException.require(d >= 1, "d must be >= 1, got d = " + d);
        nonNegativeOrNull("lambda_w", lambdaW);
        nonNegativeOrNull("lambda_h", lambdaH);
        nonNegativeOrNull("lambda", lambda);
        InvalidInputException.require(layers >= 1, "layers must be >= 1, got layers = " + layers);
        positiveOrNull("e_w", eW);
        positiveOrNull("e_h", eH);
        InvalidInputException.require(Double.isFinite(oversample) && oversample >= 1,
                "oversample must be >= 1, got oversample = " + oversample);
        positiveOrNull("init_scale", initScale);
        InvalidInputException.require(OPTIMIZERS.contains(optimizer),
                "optimizer must be one of " + String.join(", ", OPTIMIZERS) + ", got '" + optimizer + "'");
        InvalidInputException.requirePositive("lr", lr);
        InvalidInputException.require(Double.isFinite(momentum) && momentum >= 0 && momentum < 1,
                "momentum must lie in [0, 1), got momentum = " + momentum);
        InvalidInputException.require(batch >= 1, "batch must be >= 1, got batch = " + batch);
        InvalidInputException.require(batch <= n,
                "batch = " + batch + " is larger than the number of samples N = " + n);
        InvalidInputException.require(!optimizer.equals("gd") || batch == n,
                "optimizer gd is full-batch (batch = N = " + n + "); use optimizer sgd for batch = " + batch);
        InvalidInputException.require(SCHEDULES.contains(schedule),
                "schedule must be one of " + String.join(", ", SCHEDULES) + ", got '" + schedule + "'");
        milestones = milestones == null ? new long[0] : milestones.clone();
        for (int i = 0; i < milestones.length; i++) {
            InvalidInputException.require(milestones[i] >= 1 && (i == 0 || milestones[i] > milestones[i - 1]),
                    "milestones must be increasing epochs >= 1, got " + Arrays.toString(milestones));
        }
        InvalidInputException.require(Double.isFinite(gamma) && gamma > 0 && gamma <= 1,
                "gamma must lie in (0, 1], got gamma = " + gamma);
        InvalidInputException.require((epochs == null) != (steps == null),
                epochs == null ? "give the run length: epochs or steps" : "give epochs or steps, not both");
        InvalidInputException.require(epochs == null || epochs >= 1, "epochs must be >= 1, got epochs = " + epochs);
        InvalidInputException.require(steps == null || steps >= 1, "steps must be >= 1, got steps = " + steps);
        InvalidInputException.require(logPoints >= 2, "log_points must be >= 2, got log_points = " + logPoints);
        InvalidInputException.require(logEvery == null || logEvery >= 1, "log_every must be >= 1, got log_every = " + logEvery);
        InvalidInputException.require(checkpointSteps == null || checkpointSteps >= 1,
                "checkpoint_steps must be >= 1, got checkpoint_steps = " + checkpointSteps);
        InvalidInputException.requirePositive("checkpoint_seconds", checkpointSeconds);
        long perEpoch = (n + batch - 1) / batch;
        long total = epochs != null ? epochs : steps;
        InvalidInputException.require(epochs == null || total <= Long.MAX_VALUE / perEpoch,
                "epochs = " + epochs + " is too many steps");
    }

    private static void nonNegativeOrNull(String key, Double v) {
        if (v != null) {
            InvalidInputException.requireNonNegative(key, v);
        }
    }

    private static void positiveOrNull(String key, Double v) {
        if (v != null) {
            InvalidInputException.requirePositive(key, v);
        }
    }

    @Override
    public long[] milestones() {
        return milestones.clone();
    }

    /** The class sizes n_1..n_K. */
    public ClassSizes classSizes() {
        return sizes.toClassSizes();
    }

    /** Number of samples N. */
    public int n() {
        return Math.toIntExact(classSizes().total());
    }

    /** Optimiser steps per epoch: ⌈N / batch⌉ (1 for full-batch gd). */
    public long stepsPerEpoch() {
        return (n() + batch - 1L) / batch;
    }

    /** Total optimiser steps: {@code steps}, or {@code epochs} × steps per epoch. */
    public long totalSteps() {
        return steps != null ? steps : epochs * stepsPerEpoch();
    }

    /** The theory parameters of this config, for the model's predictions. */
    public TheoryParameters theoryParameters() {
        return new TheoryParameters(classSizes(), lambdaW, lambdaH, lambda, eW, eH, oversample, layers, bias);
    }

    /**
     * Fails (naming the key) unless d ≥ K−1; a hook for models whose theory needs it
     * ({@link ModelFactory#validate}).
     */
    public void requireDimensionAtLeastKMinus1() {
        int k = classSizes().k();
        InvalidInputException.require(d >= k - 1, "d = " + d + " must be >= K - 1 = " + (k - 1) + " for model " + model);
    }

    /** Fails unless the named λ (yaml key) is given and > 0. */
    public double requirePositive(String key, Double value) {
        InvalidInputException.require(value != null, "model " + model + " needs " + key);
        return InvalidInputException.requirePositive(key, value);
    }

    /** This config with the run directory replaced. */
    public SolveConfig withOut(String newOut) {
        Map<String, Object> m = toMap();
        m.put("out", newOut);
        return fromMap(m, "config");
    }

    // ----------------------------------------------------------------------------------------- reading

    /** Reads and validates a YAML config file; messages name the file and the key. */
    public static SolveConfig read(Path file) {
        return fromMap(readMap(file), sourceName(file));
    }

    /** The file name used in messages about {@code file}. */
    public static String sourceName(Path file) {
        return ConfigReader.sourceName(file);
    }

    /**
     * The raw key → value map of a YAML config file (not yet validated), e.g. to overlay command-line
     * flags before {@link #fromMap}.
     */
    public static Map<String, Object> readMap(Path file) {
        return ConfigReader.readYamlMap(file);
    }

    /**
     * Validates a map of config keys (as a YAML file or the command line gives them). A null value means
     * "not given". Numbers may be given as text.
     *
     * @param source named in messages ("unknown key 'x' in SOURCE")
     */
    public static SolveConfig fromMap(Map<String, ?> map, String source) {
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
        InvalidInputException.require(sizes != null, "class sizes are required in " + source
                + ": give sizes, step, majority or long_tail");
        String optimizer = r.string("optimizer", "gd");
        Integer batch = r.integer("batch");
        int n = Math.toIntExact(sizes.toClassSizes().total());
        Integer d = r.integer("d");
        InvalidInputException.require(d != null, "d is required in " + source + " (feature dimension)");
        Double lr = r.number("lr");
        InvalidInputException.require(lr != null, "lr is required in " + source + " (learning rate)");
        double[] ms = r.numbers("milestones");
        long[] milestones = ms == null ? new long[0] : Arrays.stream(ms).mapToLong(x -> r.whole("milestones", x)).toArray();
        try {
            return build(r, sizes, optimizer, d, lr, batch == null ? n : batch, milestones);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(source + ": " + e.getMessage(), e);
        }
    }

    private static SolveConfig build(ConfigReader r, SizesSpec sizes, String optimizer, int d, double lr, int batch,
                                     long[] milestones) {
        return new SolveConfig(r.string("model", null), sizes, d, r.number("lambda_w"), r.number("lambda_h"),
                r.number("lambda"), r.bool("bias", false), r.bool("non_negative", false), r.integerOr("layers", 1),
                r.bool("relu", false), r.number("e_w"), r.number("e_h"), r.numberOr("oversample", 1.0),
                r.number("init_scale"), optimizer, lr, r.numberOr("momentum", 0.0), batch,
                r.bool("replacement", false), r.string("schedule", "constant"), milestones, r.numberOr("gamma", 0.1),
                r.longValue("epochs"), r.longValue("steps"), r.longOr("seed", 1L), r.integerOr("log_points", 100),
                r.longValue("log_every"), r.longValue("checkpoint_steps"), r.numberOr("checkpoint_seconds", 60.0),
                r.string("out", null));
    }

    /** The known key within edit distance 2 of {@code key} (or equal ignoring '-'/'_' and case), else null. */
    static String closestKey(String key) {
        return ConfigReader.closestKey(key, KEYS);
    }


    // ----------------------------------------------------------------------------------------- writing

    /** Every key with its resolved value (null = not given), in {@link #KEYS} order; one class-size form. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        for (String form : SizesSpec.FORMS) {
            if (form.equals(sizes.form())) {
                m.put(form, sizes.yamlValues());
            }
        }
        m.put("d", d);
        m.put("lambda_w", lambdaW);
        m.put("lambda_h", lambdaH);
        m.put("lambda", lambda);
        m.put("bias", bias);
        m.put("non_negative", nonNegative);
        m.put("layers", layers);
        m.put("relu", relu);
        m.put("e_w", eW);
        m.put("e_h", eH);
        m.put("oversample", oversample);
        m.put("init_scale", initScale);
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("batch", batch);
        m.put("replacement", replacement);
        m.put("schedule", schedule);
        m.put("milestones", Arrays.stream(milestones).boxed().toList());
        m.put("gamma", gamma);
        m.put("epochs", epochs);
        m.put("steps", steps);
        m.put("seed", seed);
        m.put("log_points", logPoints);
        m.put("log_every", logEvery);
        m.put("checkpoint_steps", checkpointSteps);
        m.put("checkpoint_seconds", checkpointSeconds);
        m.put("out", out);
        return m;
    }

    /** The resolved config as YAML text (every key; null for values not given). */
    public String toYaml() {
        return "# nclab solve config, fully resolved (null = not given)\n"
                + "# class sizes " + java.util.Arrays.toString(classSizes().counts()) + ", N = " + n() + ", "
                + stepsPerEpoch() + " steps per epoch, " + totalSteps() + " steps\n"
                + ConfigReader.yaml(toMap());
    }

    /** Atomically writes {@link #toYaml()} to {@code file}. */
    public void write(Path file) {
        AtomicFiles.writeString(file, toYaml());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SolveConfig c && c.toMap().equals(toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }
}
