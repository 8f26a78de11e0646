package nclab.dl.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.data.ClassSizes;
import nclab.experiment.StepMetrics;
import nclab.metrics.CollapseAnalysis;
import nclab.metrics.DeepCollapseMetrics;
import nclab.metrics.FeatureRows;
import nclab.metrics.TheoryComparison;
import nclab.theory.GeometryPrediction;
import nclab.theory.LayerPeeledGeometry;

/**
 * The metrics.csv columns of one logged epoch, all over the whole training set (seed 000 §5, seed 001 §5.2,
 * seed 003 §5 compute collapse on training data), in column order:
 * <ul>
 *   <li>{@code train_acc}: arg-max accuracy of the evaluation-mode network on the training set;
 *       {@code test_acc}, {@code test_acc_majority}, {@code test_acc_minority} (mean of the per-class accuracies
 *       of the training majority / minority classes, NaN when there are none) and {@code test_acc_<k>};</li>
 *   <li>every numeric entry of {@link CollapseAnalysis} (the metrics of {@code nclab analyze}, same conventions,
 *       docs/metrics.md) on the classifier-input features H, the classifier W and bias b;</li>
 *   <li>{@code dist_<model>_classifier|embedding|logits|mean} to each predicted geometry for the training class
 *       sizes (etf, seli, lpm, and relu-ufm and lext when λ_H &gt; 0 makes the ridge models apply);
 *       {@code lpm_minority_cos_W}, the Layer-Peeled prediction of the mean minority-classifier cosine at the
 *       measured E_W, E_H (compare with the measured {@code minority_cos_W_avg}), and {@code lpm_rel_gap}, the
 *       relative duality gap of that solve (at most {@link #LPM_ITERATIONS} iterations);</li>
 *   <li>for a head of L layers, {@code layer<l>_<dnc metric>} of {@link DeepCollapseMetrics} for the input of
 *       each head layer l = 1..L and of the classifier (l = L+1).</li>
 * </ul>
 */
public final class EpochMetrics {
    /**
     * Iteration budget of the Layer-Peeled solve at each logged epoch (about 0.4 s at K = 10). Trained networks
     * have large E_W·E_H, where the solve is flat and slow; {@code lpm_rel_gap} reports the gap reached.
     */
    public static final int LPM_ITERATIONS = 20_000;

    private EpochMetrics() {
    }

    /**
     * @param train       pass over the training set (with layer inputs when the net has a head)
     * @param trainLabels training labels
     * @param test        pass over the test set, or null
     * @param testLabels  test labels, or null
     * @param sizes       training class sizes (majority/minority split)
     * @param w           K×d classifier
     * @param bias        classifier bias or null
     * @param headWeights weights of the head layers (rows of width of their input), empty without a head
     * @param lambdaW     classifier decay when ridge predictions apply, else null
     * @param lambdaH     feature decay when ridge predictions apply, else null
     */
    public static Map<String, Object> columns(FeaturePass train, int[] trainLabels, FeaturePass test, int[] testLabels,
                                              ClassSizes sizes, double[][] w, double[] bias,
                                              List<double[][]> headWeights, Double lambdaW, Double lambdaH) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("train_acc", accuracy(train.predictions(), trainLabels));
        if (test != null) {
            putTestAccuracy(row, test.predictions(), testLabels, sizes);
        }
        CollapseAnalysis.Options options = lambdaW != null && lambdaH != null
                ? new CollapseAnalysis.Options(lambdaW, lambdaH, null, null) : CollapseAnalysis.Options.none();
        CollapseAnalysis analysis = CollapseAnalysis.run(FeatureRows.of(train.features()), trainLabels, w, bias, options,
                LPM_ITERATIONS);
        StepMetrics.putNumeric(row, "", analysis.metrics());
        for (TheoryComparison c : analysis.comparisons()) {
            String col = "dist_" + c.model().replace('-', '_');
            row.put(col + "_classifier", c.distances().classifier());
            row.put(col + "_embedding", c.distances().embedding());
            row.put(col + "_logits", c.distances().logits());
            row.put(col + "_mean", c.mean());
        }
        for (GeometryPrediction p : analysis.predictions()) {
            if (p instanceof LayerPeeledGeometry lpm) {
                row.put("lpm_minority_cos_W", lpm.minorityCosine());
                row.put("lpm_rel_gap", lpm.certificate().relativeGap());
            }
        }
        if (!headWeights.isEmpty()) {
            List<FeatureRows> layers = new ArrayList<>();
            for (double[][] h : train.layerInputs()) {
                layers.add(FeatureRows.of(h));
            }
            List<double[][]> weights = new ArrayList<>(headWeights);
            weights.add(w);
            List<Map<String, Double>> dnc = DeepCollapseMetrics.perLayer(layers, trainLabels, weights);
            for (int l = 0; l < dnc.size(); l++) {
                StepMetrics.putNumeric(row, "layer" + (l + 1) + "_", dnc.get(l));
            }
        }
        return row;
    }

    static double accuracy(int[] predicted, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return correct / (double) labels.length;
    }

    private static void putTestAccuracy(Map<String, Object> row, int[] predicted, int[] labels, ClassSizes sizes) {
        int k = sizes.k();
        int[] right = new int[k];
        int[] count = new int[k];
        for (int i = 0; i < labels.length; i++) {
            count[labels[i]]++;
            if (predicted[i] == labels[i]) {
                right[labels[i]]++;
            }
        }
        double[] perClass = new double[k];
        for (int c = 0; c < k; c++) {
            perClass[c] = count[c] == 0 ? Double.NaN : right[c] / (double) count[c];
        }
        row.put("test_acc", accuracy(predicted, labels));
        row.put("test_acc_majority", mean(perClass, sizes.isBalanced() ? new int[0] : sizes.majorityClasses()));
        row.put("test_acc_minority", mean(perClass, sizes.isBalanced() ? new int[0] : sizes.minorityClasses()));
        for (int c = 0; c < k; c++) {
            row.put("test_acc_" + c, perClass[c]);
        }
    }

    private static double mean(double[] v, int[] idx) {
        if (idx.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i : idx) {
            s += v[i];
        }
        return s / idx.length;
    }
}
