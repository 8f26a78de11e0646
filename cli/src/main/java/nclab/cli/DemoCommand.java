package nclab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import nclab.data.ClassSizes;
import nclab.data.SyntheticCollapse;
import nclab.io.Npy;
import nclab.metrics.CollapseAnalysis;
import nclab.theory.GeometryPrediction;
import nclab.theory.SeliGeometry;
import nclab.theory.TheoryParameters;
import nclab.cli.report.ReportCommand;
import nclab.cli.reproduce.Catalogue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nclab demo}: a short tour. (1) The SELI geometry of a STEP-imbalanced example (k = 4, R = 10,
 * ρ = 1/2); (2) one line per model of what its theory predicts on a paper's example; (3) a synthetic
 * dataset that realises the SELI geometry with noise, written as {@code .npy} files and analysed as a
 * user's network output would be; (4) every {@code nclab reproduce} id with its checks and report; (5) unless
 * {@code --quick}, {@code configs/seli-quick.yaml}'s training on real Fashion-MNIST and its report. Exit 0, or 5
 * when a reproduction's check fails.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"A tour: SELI theory, every model's prediction, an analysis of generated features, the paper figures",
            "of nclab reproduce with their checks, and a real network trained on imbalanced Fashion-MNIST (about a minute)."})
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/demo",
            description = "where the generated .npy files go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the generated data (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--quick", description = "skip the deep-network step (seconds instead of about a minute)")
    boolean quick;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        ClassSizes step = ClassSizes.step(4, 10, 0.5, 1);
        o.println("== 1. SELI geometry (seed 000) for STEP imbalance k = 4, R = 10, rho = 1/2 ==");
        o.println("   nclab theory seli --step 4,10,0.5,1");
        o.println();
        GeometryPrediction seli = SeliGeometry.predict(TheoryParameters.of(step));
        o.print(PredictionOutput.toText(seli, TheoryModel.SELI.description));
        o.println();
        o.println("== 2. What each model predicts on a paper's example ==");
        o.print(ModelSummary.table());
        o.println();

        ClassSizes sizes = ClassSizes.step(4, 10, 0.5, 50);
        o.println("== 3. nclab analyze on generated features that realise SELI for sizes " + sizes + " ==");
        SyntheticCollapse data = SyntheticCollapse.generate(SeliGeometry.predict(TheoryParameters.of(sizes)).geometry(),
                sizes, 32, 0.2, seed);
        Files.createDirectories(out);
        Path h = out.resolve("features.npy");
        Path y = out.resolve("labels.npy");
        Path w = out.resolve("weights.npy");
        Npy.writeFloat32(h, data.features());
        Npy.write(y, data.labels());
        Npy.write(w, data.weights());
        o.println("   wrote " + h + ", " + y + ", " + w);
        o.println("   nclab analyze --features " + h + " --labels " + y + " --weights " + w);
        o.println();
        CollapseAnalysis analysis = AnalysisInputs.load(h, y, w, null).analyse(CollapseAnalysis.Options.none());
        o.print(AnalysisText.of(analysis));
        o.println();

        o.println("== 4. Paper figures recomputed, with checks (nclab reproduce) ==");
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        for (String id : Catalogue.ids(Catalogue.all())) {
            Path dir = out.resolve("reproduce").resolve(id);
            o.println("   nclab reproduce " + id + " --out " + dir);
            int code = Main.execute(new String[] {"reproduce", id, "--out", dir.toString()}, o, err);
            failed += code == 0 ? 0 : 1;
        }
        o.println();
        if (quick) {
            o.println("(--quick: the deep-network step is skipped)");
            return failed == 0 ? 0 : ReportCommand.CHECK_FAILED;
        }

        o.println("== 5. A real network on imbalanced Fashion-MNIST, measured against SELI and ETF (about a minute) ==");
        Path train = out.resolve("train-seli-quick");
        if (Files.exists(train.resolve("summary.json"))) {
            o.println("   (already trained in " + train + "; delete it to train again)");
        } else {
            if (Files.exists(train)) {
                o.println("   " + train + " holds an unfinished run: continuing it");
            }
            String[] args = Files.exists(train.resolve("config.yaml"))
                    ? new String[] {"train", "--resume", train.toString()}
                    : concat(new String[] {"train"}, SELI_QUICK, new String[] {"--out", train.toString()});
            o.println("   nclab " + String.join(" ", args));
            int code = Main.execute(args, o, err);
            if (code != 0) {
                o.println("   the training step did not complete (exit " + code + "); the rest of the demo stands");
                return code;
            }
        }
        Map<String, String> first = MetricsRows.first(train.resolve("metrics.csv"));
        Map<String, String> last = MetricsRows.last(train.resolve("metrics.csv"));
        o.printf("   NC1 %s -> %s; distance of the classifiers to SELI %s vs ETF %s; of the class means %s vs %s%n",
                fmt(first, "nc1_pinv"), fmt(last, "nc1_pinv"), fmt(last, "dist_seli_classifier"),
                fmt(last, "dist_etf_classifier"), fmt(last, "dist_seli_embedding"), fmt(last, "dist_etf_embedding"));
        Main.execute(new String[] {"report", train.toString()}, o, err);
        o.println();
        o.println("Reports: " + out.resolve("reproduce") + "/*/report.html and " + train.resolve("report.html"));
        return failed == 0 ? 0 : ReportCommand.CHECK_FAILED;
    }

    /** The flags of configs/seli-quick.yaml (the demo must not depend on the working directory). */
    static final String[] SELI_QUICK = {"--dataset", "fashion-mnist", "--step", "10,10,0.5,50", "--test-per-class", "300",
        "--model", "mlp", "--depth", "4", "--width", "512", "--no-bias", "--optimizer", "sgd", "--lr", "0.05",
        "--momentum", "0.9", "--weight-decay", "0", "--lambda-w", "5e-4", "--lambda-h", "5e-4", "--epochs", "120",
        "--milestones", "80,105", "--batch", "128", "--seed", "1", "--log-points", "8"};

    private static String fmt(Map<String, String> row, String key) {
        String v = row.get(key);
        return v == null ? "?" : String.format("%.3f", Double.parseDouble(v));
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
