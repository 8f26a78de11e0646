package nclab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import nclab.data.ClassSizes;
import nclab.data.SyntheticCollapse;
import nclab.io.Npy;
import nclab.metrics.CollapseAnalysis;
import nclab.theory.GeometryPrediction;
import nclab.theory.SeliGeometry;
import nclab.theory.TheoryParameters;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nclab demo}: a short tour. (1) The SELI geometry of a STEP-imbalanced example (k = 4, R = 10,
 * ρ = 1/2); (2) one line per model of what its theory predicts on a paper's example; (3) a synthetic
 * dataset that realises the SELI geometry with noise, written as {@code .npy} files and analysed as a
 * user's network output would be.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "A short tour: SELI theory, every model's prediction, and an analysis of generated features.")
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/demo",
            description = "where the generated .npy files go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the generated data (default: ${DEFAULT-VALUE})")
    long seed;

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
        return 0;
    }
}
