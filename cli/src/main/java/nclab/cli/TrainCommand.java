package nclab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import nclab.dl.train.DeepTrainer;
import nclab.dl.train.TrainConfig;
import nclab.experiment.ConfigReader;
import nclab.experiment.RunDiverged;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nclab train [CONFIG.yaml] [flags]}: trains a deep network on (imbalanced) real data with DJL/PyTorch and
 * tracks the collapse metrics per logged epoch ({@link DeepTrainer}); {@code nclab train --resume DIR} continues a
 * killed run. Flags override the config file's keys (each flag is the key with '-' for '_'). Exit codes:
 * 0 completed, 2 bad config or data, 3 diverged (the last checkpoint is kept).
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a deep network on imbalanced data, tracking neural-collapse metrics over epochs.",
            "Writes DIR/config.yaml, provenance.json, metrics.csv, final.npz, features.npy, labels.npy, W.npy, b.npy,",
            "summary.json (and checkpoint.npz while running). Ready-made configs: configs/*.yaml."},
        footer = {"", "Exit codes: 0 completed, 2 bad config or data, 3 diverged.", "", "Examples:",
            "  nclab train configs/seli-quick.yaml --out runs/seli",
            "  nclab train --dataset fashion-mnist --step 10,10,0.5,50 --model mlp --depth 3 --width 256 --epochs 30 --lr 0.05 --out runs/a",
            "  nclab train --resume runs/a"})
public final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "run config; flags override it")
    Path configFile;

    @CommandLine.Mixin
    RunDirOptions run = new RunDirOptions();

    @CommandLine.Mixin
    SizeFlags sizeFlags = new SizeFlags();

    @Option(names = "--dataset", paramLabel = "NAME", description = "fashion-mnist (default), mnist, cifar10, synthetic") String dataset;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "dataset files (default for fashion-mnist: /usr/share/datasets/fashion-mnist)") String dataDir;
    @Option(names = "--oversample", paramLabel = "W", description = "repeat minority samples W times (seed 003 eq. 17)") Integer oversample;
    @Option(names = "--test-per-class", paramLabel = "N", description = "test images per class (default all)") Integer testPerClass;
    @Option(names = "--model", paramLabel = "NAME", description = "mlp (default), cnn, resnet18, vgg11, vgg13") String model;
    @Option(names = "--depth", paramLabel = "L", description = "MLP hidden layers (default 6)") Integer depth;
    @Option(names = "--width", paramLabel = "W", description = "MLP width / CNN base width (default 1024)") Integer width;
    @Option(names = "--batch-norm", negatable = true, description = "batch norm (default: on for cnn/resnet18/vgg, off for mlp)") Boolean batchNorm;
    @Option(names = "--bias", negatable = true, description = "classifier bias (default true)") Boolean bias;
    @Option(names = "--head-layers", paramLabel = "L", description = "extra FC layers before the classifier") Integer headLayers;
    @Option(names = "--head-activation", paramLabel = "A", description = "linear (default) or relu") String headActivation;
    @Option(names = "--width-multiplier", paramLabel = "M", description = "ResNet/VGG channel multiplier (default 1)") Double widthMultiplier;
    @Option(names = "--loss", paramLabel = "NAME", description = "ce (default) or mse") String loss;
    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd (default) or adam") String optimizer;
    @Option(names = "--lr", paramLabel = "ETA") Double lr;
    @Option(names = "--momentum", paramLabel = "MU") Double momentum;
    @Option(names = "--weight-decay", paramLabel = "X") Double weightDecay;
    @Option(names = "--lambda-w", paramLabel = "X", description = "classifier weight decay (default: --weight-decay)") Double lambdaW;
    @Option(names = "--lambda-h", paramLabel = "X", description = "feature decay on the classifier input") Double lambdaH;
    @Option(names = "--schedule", paramLabel = "NAME", description = "step (default), cosine or constant") String schedule;
    @Option(names = "--milestones", paramLabel = "E1,E2,...", description = "epochs of the step schedule") String milestones;
    @Option(names = "--gamma", paramLabel = "G") Double gamma;
    @Option(names = "--epochs", paramLabel = "E") Integer epochs;
    @Option(names = "--batch", paramLabel = "B") Integer batch;
    @Option(names = "--seed", paramLabel = "S") Long seed;
    @Option(names = "--log-points", paramLabel = "P", description = "log-spaced logged epochs (default 12)") Integer logPoints;
    @Option(names = "--log-every", paramLabel = "E", description = "log every E epochs instead") Integer logEvery;
    @Option(names = "--checkpoint-seconds", paramLabel = "T", description = "default 60") Double checkpointSeconds;

    @Override
    public Integer call() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true"); // libtorch comes from the Maven jar; never download it
        }
        PrintWriter err = spec.commandLine().getErr();
        StatusLine line = new StatusLine(err, run.showProgress());
        Map<String, Object> summary;
        Path dir = run.resume;
        try {
            if (run.resume != null) {
                run.requireResumeAlone(configFile, flags());
                summary = DeepTrainer.resume(run.resume, line);
            } else {
                TrainConfig config = config();
                dir = run.newRunDir(config.out());
                summary = DeepTrainer.start(config.withOut(dir.toString()), dir, line);
            }
        } catch (RunDiverged e) {
            line.finish();
            err.println("nclab train: " + e.getMessage());
            return SolveCommand.DIVERGED;
        }
        line.finish();
        spec.commandLine().getOut().printf("%s: %s in %.1f s (metrics %.0f%% of this session); results in %s%n",
                summary.get("status"), summary.get("message"), ((Number) summary.get("wall_seconds")).doubleValue(),
                100 * ((Number) summary.get("metric_share_this_session")).doubleValue(), dir);
        return 0;
    }

    private TrainConfig config() {
        Map<String, Object> map = configFile != null ? ConfigReader.readYamlMap(configFile) : new LinkedHashMap<>();
        ConfigFlags.overlay(map, flags(), List.of());
        String source = configFile != null ? ConfigReader.sourceName(configFile) : "command line";
        return TrainConfig.fromMap(map, source);
    }

    /** Config keys given as flags (null flags are left out). */
    private Map<String, Object> flags() {
        Map<String, Object> m = new LinkedHashMap<>();
        ConfigFlags.put(m, "dataset", dataset);
        ConfigFlags.put(m, "data_dir", dataDir);
        sizeFlags.putInto(m);
        ConfigFlags.put(m, "oversample", oversample);
        ConfigFlags.put(m, "test_per_class", testPerClass);
        ConfigFlags.put(m, "model", model);
        ConfigFlags.put(m, "depth", depth);
        ConfigFlags.put(m, "width", width);
        ConfigFlags.put(m, "batch_norm", batchNorm);
        ConfigFlags.put(m, "bias", bias);
        ConfigFlags.put(m, "head_layers", headLayers);
        ConfigFlags.put(m, "head_activation", headActivation);
        ConfigFlags.put(m, "width_multiplier", widthMultiplier);
        ConfigFlags.put(m, "loss", loss);
        ConfigFlags.put(m, "optimizer", optimizer);
        ConfigFlags.put(m, "lr", lr);
        ConfigFlags.put(m, "momentum", momentum);
        ConfigFlags.put(m, "weight_decay", weightDecay);
        ConfigFlags.put(m, "lambda_w", lambdaW);
        ConfigFlags.put(m, "lambda_h", lambdaH);
        ConfigFlags.put(m, "schedule", schedule);
        ConfigFlags.put(m, "milestones", milestones);
        ConfigFlags.put(m, "gamma", gamma);
        ConfigFlags.put(m, "epochs", epochs);
        ConfigFlags.put(m, "batch", batch);
        ConfigFlags.put(m, "seed", seed);
        ConfigFlags.put(m, "log_points", logPoints);
        ConfigFlags.put(m, "log_every", logEvery);
        ConfigFlags.put(m, "checkpoint_seconds", checkpointSeconds);
        return m;
    }
}
