package nclab.cli;

import java.util.List;
import java.util.Map;

import nclab.data.ClassSizes;
import nclab.theory.GeometryPrediction;
import nclab.theory.TheoryParameters;

/** One line per model: its prediction on an example from its paper, with the headline numbers. */
final class ModelSummary {
    private ModelSummary() {
    }

    /** An example call of {@code nclab theory} and the detail keys worth showing. */
    private record Example(TheoryModel model, String options, TheoryParameters parameters, List<String> keys) {
    }

    private static List<Example> examples() {
        return List.of(
                new Example(TheoryModel.ETF, "--sizes 10,10,10,10", TheoryParameters.of(ClassSizes.balanced(4, 10)),
                        List.of("cosine")),
                new Example(TheoryModel.SELI, "--step 4,10,0.5,1", TheoryParameters.of(ClassSizes.step(4, 10, 0.5, 1)),
                        List.of("normRatioClassifiers", "normRatioEmbeddings", "distanceToEtfClassifiers")),
                new Example(TheoryModel.RELU_UFM, "--sizes 100,100,20,20 --lambda-w 1e-3 --lambda-h 1e-3",
                        new TheoryParameters(ClassSizes.of(100, 100, 20, 20), 1e-3, 1e-3, null, null, null, null, null, false),
                        List.of("featureNormsSquared", "collapsedClasses")),
                new Example(TheoryModel.LPM, "--majority 5,5,1000,10 --ew 1 --eh 5",
                        new TheoryParameters(ClassSizes.majorityMinority(5, 5, 1000, 10), null, null, null, 1.0, 5.0, null, null, false),
                        List.of("minorityCosine", "minorityCollapsed", "certificate")),
                new Example(TheoryModel.LEXT, "--sizes 30,20,10 --lambda-w 1e-3 --lambda-h 1e-3 --layers 2 --bias",
                        new TheoryParameters(ClassSizes.of(30, 20, 10), 1e-3, 1e-3, null, null, null, null, 2, true),
                        List.of("singularValues", "objective")),
                new Example(TheoryModel.DEEP_UFM, "--sizes 5,5,5,5 --lambda 1e-3 --layers 3",
                        new TheoryParameters(ClassSizes.balanced(4, 5), null, null, 1e-3, null, null, null, 3, false),
                        List.of("losses", "winner")));
    }

    static String table() {
        StringBuilder sb = new StringBuilder();
        for (Example e : examples()) {
            GeometryPrediction p = e.model().predict(e.parameters());
            sb.append("nclab theory ").append(e.model().id).append(' ').append(e.options()).append('\n');
            Map<String, Object> details = p.details();
            for (String key : e.keys()) {
                if (details.containsKey(key)) {
                    sb.append("    ").append(key).append(": ").append(TextFormat.value(details.get(key))).append('\n');
                }
            }
            sb.append("    classifier cosine 1-2: ").append(TextFormat.number(p.geometry().classifierCosines()[0][1]))
                    .append(", last-first: ")
                    .append(TextFormat.number(p.geometry().classifierCosines()[p.sizes().k() - 1][0])).append('\n');
        }
        return sb.toString();
    }
}
