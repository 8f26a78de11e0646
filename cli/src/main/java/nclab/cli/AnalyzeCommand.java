package nclab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import nclab.metrics.CollapseAnalysis;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nclab analyze}: collapse metrics of last-layer features, labels and classifier from any framework
 * ({@code .npy} files), and the distance to every predicted geometry for the class sizes the labels give.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Neural-collapse metrics of features H (N x d), labels y (N) and classifier W (K x d), and "
                + "the distance to each predicted geometry (ETF, SELI, Layer-Peeled Model; ReLU UFM and L-extended "
                + "UFM when --lambda-w and --lambda-h are given). Definitions: docs/metrics.md.",
        footer = {"", "Example:",
            "  nclab analyze --features H.npy --labels y.npy --weights W.npy --json"})
final class AnalyzeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--features", required = true, paramLabel = "H.npy",
            description = "features, N x d, float32 or float64, C order (streamed, not loaded)")
    Path features;

    @Option(names = "--labels", required = true, paramLabel = "y.npy", description = "integer labels 0..K-1, length N")
    Path labels;

    @Option(names = "--weights", required = true, paramLabel = "W.npy", description = "classifier, K x d")
    Path weights;

    @Option(names = "--bias", paramLabel = "b.npy", description = "classifier bias, length K")
    Path bias;

    @Option(names = "--lambda-w", paramLabel = "X", description = "ridge strength on W used in training (adds relu-ufm, lext)")
    Double lambdaW;

    @Option(names = "--lambda-h", paramLabel = "X", description = "ridge strength on H used in training (adds relu-ufm, lext)")
    Double lambdaH;

    @Option(names = "--ew", paramLabel = "X", description = "Layer-Peeled E_W (default: the measured mean ||w_k||^2)")
    Double eW;

    @Option(names = "--eh", paramLabel = "X", description = "Layer-Peeled E_H (default: the measured mean ||centred mu_k||^2)")
    Double eH;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Option(names = "--timing", description = "print wall seconds of loading, scanning, metrics and theory to stderr")
    boolean timing;

    @Override
    public Integer call() {
        return run(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs the analysis with the options already set, printing to the given streams; returns the exit code 0. */
    int run(java.io.PrintWriter out, java.io.PrintWriter err) {
        long start = System.nanoTime();
        nclab.metrics.CollapseScan.prepare(); // native products load while the labels and W are read
        AnalysisInputs inputs = AnalysisInputs.load(features, labels, weights, bias);
        double load = (System.nanoTime() - start) * 1e-9;
        CollapseAnalysis analysis = inputs.analyse(new CollapseAnalysis.Options(lambdaW, lambdaH, eW, eH));
        if (timing) {
            var t = analysis.timings();
            err.printf("timing: load labels+W %.3f s, feature scan %.3f s, metrics %.3f s, "
                    + "theory %.3f s, in-process total %.3f s%n", load, t.get("scan"), t.get("metrics"), t.get("theory"),
                    (System.nanoTime() - start) * 1e-9);
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("features", features.toString());
            m.putAll(analysis.toMap());
            out.println(nclab.io.Json.toPrettyString(m));
        } else {
            out.print(AnalysisText.of(analysis));
        }
        return 0;
    }
}
