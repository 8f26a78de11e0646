package nclab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import nclab.experiment.ModelRegistry;
import nclab.experiment.RunResult;
import nclab.experiment.SolveConfig;
import nclab.experiment.SolveRunner;
import nclab.experiment.StandardRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nclab solve [CONFIG.yaml] [flags]}: runs a model's solver and writes a run directory
 * ({@link nclab.experiment.RunDirectory}); {@code nclab solve --resume DIR} continues a killed run. Flags
 * override the config file's keys (each flag is the key with '-' for '_'). Exit codes: 0 completed,
 * 2 bad config, 3 diverged (the last good state is kept).
 */
@Command(name = "solve", mixinStandardHelpOptions = true,
        description = {"Solve a model from random initialisation, tracking collapse metrics on a log-spaced schedule.",
            "Writes DIR/config.yaml, provenance.json, metrics.csv, final.npz, summary.json (and checkpoint.npz while running)."},
        footer = {"", "Exit codes: 0 completed, 2 bad config, 3 diverged.", "", "Examples:",
            "  nclab solve run.yaml --out runs/a",
            "  nclab solve --model ufm --step 4,10,0.5,5 --d 64 --lambda-w 5e-4 --lambda-h 5e-4 --optimizer sgd --lr 0.4 --batch 4 --epochs 100000 --seed 1 --out runs/b",
            "  nclab solve --resume runs/b"})
public final class SolveCommand implements Callable<Integer> {
    /** Exit code of a diverged run. */
    public static final int DIVERGED = 3;

    private final ModelRegistry registry;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "run config (keys: see docs); flags override it")
    Path configFile;

    @CommandLine.Mixin
    RunDirOptions run = new RunDirOptions();

    @CommandLine.Mixin
    SizeFlags sizeFlags = new SizeFlags();

    @Option(names = "--model", paramLabel = "ID") String model;
    @Option(names = "--d", paramLabel = "D", description = "feature dimension") Integer d;
    @Option(names = "--lambda-w", paramLabel = "X") Double lambdaW;
    @Option(names = "--lambda-h", paramLabel = "X") Double lambdaH;
    @Option(names = "--lambda", paramLabel = "X") Double lambda;
    @Option(names = "--bias", description = "model with a bias b") Boolean bias;
    @Option(names = "--non-negative", description = "non-negative (projected) features") Boolean nonNegative;
    @Option(names = "--layers", paramLabel = "L") Integer layers;
    @Option(names = "--relu", description = "ReLU between layers") Boolean relu;
    @Option(names = {"--e-w", "--ew"}, paramLabel = "X", description = "Layer-Peeled E_W") Double eW;
    @Option(names = {"--e-h", "--eh"}, paramLabel = "X", description = "Layer-Peeled E_H") Double eH;
    @Option(names = "--oversample", paramLabel = "W") Double oversample;
    @Option(names = "--init-scale", paramLabel = "S", description = "initialisation std (default: the model's)") Double initScale;
    @Option(names = "--optimizer", paramLabel = "NAME", description = "gd (default), sgd or adam") String optimizer;
    @Option(names = "--lr", paramLabel = "ETA") Double lr;
    @Option(names = "--momentum", paramLabel = "MU") Double momentum;
    @Option(names = "--batch", paramLabel = "B") Integer batch;
    @Option(names = "--replacement", description = "draw minibatches with replacement") Boolean replacement;
    @Option(names = "--schedule", paramLabel = "NAME", description = "constant (default), step or cosine") String schedule;
    @Option(names = "--milestones", paramLabel = "E1,E2,...", description = "epochs of the step schedule") String milestones;
    @Option(names = "--gamma", paramLabel = "G") Double gamma;
    @Option(names = "--epochs", paramLabel = "E") Long epochs;
    @Option(names = "--steps", paramLabel = "T") Long steps;
    @Option(names = "--seed", paramLabel = "S") Long seed;
    @Option(names = "--log-points", paramLabel = "P", description = "log-spaced logged steps (default 100)") Integer logPoints;
    @Option(names = "--log-every", paramLabel = "S", description = "log every S steps instead") Long logEvery;
    @Option(names = "--checkpoint-steps", paramLabel = "S") Long checkpointSteps;
    @Option(names = "--checkpoint-seconds", paramLabel = "T", description = "default 60") Double checkpointSeconds;

    /** The command with the standard models and optimisers. */
    public SolveCommand() {
        this(StandardRegistry.create());
    }

    /** The command with the given registry (tests). */
    public SolveCommand(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        StatusLine line = new StatusLine(err, run.showProgress());
        SolveRunner runner = new SolveRunner(registry).progress(line);
        RunResult result;
        if (run.resume != null) {
            run.requireResumeAlone(configFile, flags());
            result = runner.resume(run.resume);
        } else {
            SolveConfig config = config();
            Path dir = run.newRunDir(config.out());
            result = runner.start(config.withOut(dir.toString()), dir);
        }
        line.finish();
        if (result.completed()) {
            spec.commandLine().getOut().printf("%s: %d steps in %.1f s; results in %s%n", result.status(), result.steps(),
                    result.wallSeconds(), result.dir());
            return 0;
        }
        err.println("nclab solve: " + result.message());
        err.println("nclab solve: the run is in " + result.dir() + " (summary.json status " + result.status() + ")");
        return DIVERGED;
    }

    private SolveConfig config() {
        Map<String, Object> map = configFile != null ? SolveConfig.readMap(configFile) : new LinkedHashMap<>();
        ConfigFlags.overlay(map, flags(), java.util.List.of("epochs", "steps"));
        String source = configFile != null ? SolveConfig.sourceName(configFile) : "command line";
        return SolveConfig.fromMap(map, source);
    }

    /** Config keys given as flags (null flags are left out). */
    private Map<String, Object> flags() {
        Map<String, Object> m = new LinkedHashMap<>();
        ConfigFlags.put(m, "model", model);
        sizeFlags.putInto(m);
        ConfigFlags.put(m, "d", d);
        ConfigFlags.put(m, "lambda_w", lambdaW);
        ConfigFlags.put(m, "lambda_h", lambdaH);
        ConfigFlags.put(m, "lambda", lambda);
        ConfigFlags.put(m, "bias", bias);
        ConfigFlags.put(m, "non_negative", nonNegative);
        ConfigFlags.put(m, "layers", layers);
        ConfigFlags.put(m, "relu", relu);
        ConfigFlags.put(m, "e_w", eW);
        ConfigFlags.put(m, "e_h", eH);
        ConfigFlags.put(m, "oversample", oversample);
        ConfigFlags.put(m, "init_scale", initScale);
        ConfigFlags.put(m, "optimizer", optimizer);
        ConfigFlags.put(m, "lr", lr);
        ConfigFlags.put(m, "momentum", momentum);
        ConfigFlags.put(m, "batch", batch);
        ConfigFlags.put(m, "replacement", replacement);
        ConfigFlags.put(m, "schedule", schedule);
        ConfigFlags.put(m, "milestones", milestones);
        ConfigFlags.put(m, "gamma", gamma);
        ConfigFlags.put(m, "epochs", epochs);
        ConfigFlags.put(m, "steps", steps);
        ConfigFlags.put(m, "seed", seed);
        ConfigFlags.put(m, "log_points", logPoints);
        ConfigFlags.put(m, "log_every", logEvery);
        ConfigFlags.put(m, "checkpoint_steps", checkpointSteps);
        ConfigFlags.put(m, "checkpoint_seconds", checkpointSeconds);
        return m;
    }
}
