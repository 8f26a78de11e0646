package nclab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * user's network output would be; (4) the {@code nclab reproduce} ids of closed forms and solved models, at least
 * one per paper ({@link #SOLVED_IDS}); (5) unless {@code --quick}, one reproduction per paper that trains networks
 * on real Fashion-MNIST ({@link #NETWORK_IDS}); then a summary (id, paper, pass, seconds, report). Every
 * reproduction runs in its quick profile; finished runs under {@code --out} are reused and killed ones resumed, so
 * a second demo is fast. Exit 0, or 5 when a reproduction's check fails.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"A tour: SELI theory, every model's prediction, an analysis of generated features, the paper figures",
            "of all five papers recomputed with their checks, and real networks trained on imbalanced Fashion-MNIST",
            "(about 10 minutes on 2 cores; --quick: about a minute)."})
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/demo",
            description = "where the generated .npy files and the reproductions go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the generated data (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--quick", description = "skip step 5, the networks (about a minute instead of about ten)")
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

        PrintWriter err = spec.commandLine().getErr();
        o.println("== 4. Paper figures recomputed from closed forms and solved models, with checks (nclab reproduce) ==");
        List<Outcome> outcomes = new ArrayList<>(reproduce(SOLVED_IDS, o, err));
        o.println();
        if (quick) {
            o.println("(--quick: the deep-network step is skipped)");
        } else {
            o.println("== 5. Real networks trained on imbalanced Fashion-MNIST against each paper's prediction (a few minutes) ==");
            outcomes.addAll(reproduce(NETWORK_IDS, o, err));
            o.println();
        }
        o.println("== Summary ==");
        for (Outcome r : outcomes) {
            o.printf("   %-30s seed %s  %-7s %5.0f s  %s%n", r.id(), paper(r.id()), r.code() == 0 ? "PASS" : "exit " + r.code(),
                    r.seconds(), r.report());
        }
        long failed = outcomes.stream().filter(r -> r.code() != 0).count();
        o.println(failed == 0 ? "Every check passed. Open the report.html files above in a browser."
                : failed + " reproduction(s) did not pass; their report.html says which check failed.");
        return failed == 0 ? 0 : ReportCommand.CHECK_FAILED;
    }

    /**
     * The reproductions of step 4, one or more per paper, each a few seconds to about a minute: closed forms and
     * models solved in this process.
     */
    static final List<String> SOLVED_IDS = List.of("seli-geometry-vs-r", "seli-regularization-path", "seli-ufm-sgd",
            "relu-ufm-vs-theorem1", "lpm-minority-cosine-vs-r", "lext-gd-vs-theorems");

    /** The reproductions of step 5: networks on real Fashion-MNIST (and seed 002's solved DNC vs low-rank runs). */
    static final List<String> NETWORK_IDS = List.of("seli-deep-step", "relu-ufm-mlp", "deep-ufm-dnc-vs-low-rank",
            "deep-ufm-network-head", "lpm-deep-minority-collapse", "lext-network-head");

    /** How one reproduction of the demo ended. */
    record Outcome(String id, int code, double seconds, Path report) {
    }

    private List<Outcome> reproduce(List<String> ids, PrintWriter o, PrintWriter err) {
        List<Outcome> outcomes = new ArrayList<>();
        for (String id : ids) {
            Path dir = out.resolve("reproduce").resolve(id);
            o.println("   nclab reproduce " + id + " --out " + dir);
            long start = System.nanoTime();
            int code = Main.execute(new String[] {"reproduce", id, "--out", dir.toString()}, o, err);
            o.flush();
            outcomes.add(new Outcome(id, code, (System.nanoTime() - start) / 1e9, dir.resolve("report.html")));
        }
        return outcomes;
    }

    private static String paper(String id) {
        return Catalogue.find(Catalogue.all(), id).map(r -> r.paper()).orElse("?");
    }
}
