package nclab.cli;

import java.util.concurrent.Callable;

import nclab.theory.GeometryPrediction;
import nclab.theory.TheoryParameters;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nclab theory MODEL}: the geometry a paper's theory predicts for the given class sizes. */
@Command(name = "theory", mixinStandardHelpOptions = true,
        description = {"Predicted class-level geometry of one model for given class sizes.",
            "Models: etf, seli, relu-ufm, lpm, lext, deep-ufm."},
        footer = {"", "Examples:",
            "  nclab theory seli --step 4,10,0.5,1",
            "  nclab theory relu-ufm --sizes 100,100,20,20 --lambda-w 1e-3 --lambda-h 1e-3 --json",
            "  nclab theory lpm --majority 5,5,1000,10 --ew 1 --eh 5"})
final class TheoryCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", completionCandidates = TheoryModel.Ids.class,
            description = "one of: ${COMPLETION-CANDIDATES}")
    String model;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Class sizes (one of):%n")
    ClassSizesOptions sizes;

    @Option(names = "--lambda-w", paramLabel = "X", description = "ridge strength on the classifier W")
    Double lambdaW;

    @Option(names = "--lambda-h", paramLabel = "X", description = "ridge strength on the features H")
    Double lambdaH;

    @Option(names = "--lambda", paramLabel = "X", description = "single regularisation strength (deep-ufm)")
    Double lambda;

    @Option(names = "--ew", paramLabel = "X", description = "Layer-Peeled classifier energy E_W (default 1)")
    Double eW;

    @Option(names = "--eh", paramLabel = "X", description = "Layer-Peeled feature energy E_H (default 5)")
    Double eH;

    @Option(names = "--oversample", paramLabel = "W", description = "oversampling rate w_r >= 1 of minority classes (lpm)")
    Double oversample;

    @Option(names = "--layers", paramLabel = "L", description = "number of layers L (lext, deep-ufm)")
    Integer layers;

    @Option(names = "--bias", description = "model with a bias (lext)")
    boolean bias;

    @Option(names = "--json", description = "print one JSON object instead of tables")
    boolean json;

    @Override
    public Integer call() {
        TheoryModel m = TheoryModel.byId(model);
        TheoryParameters p = new TheoryParameters(sizes.toClassSizes(), lambdaW, lambdaH, lambda, eW, eH,
                oversample, layers, bias);
        GeometryPrediction prediction = m.predict(p);
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(PredictionOutput.toJson(prediction));
        } else {
            out.print(PredictionOutput.toText(prediction, m.description));
        }
        return 0;
    }
}
