package nclab.experiment;

import java.util.List;

import nclab.InvalidInputException;
import nclab.model.Objective;

/**
 * What a model contributes to a run: its objective, the label of every feature row, the view of the last
 * layer that the metrics measure, and the predicted geometries to compare with.
 *
 * @param objective the training objective
 * @param labels    label in 0..K−1 of each of the N samples, in the row order of the features
 * @param lastLayer features, classifier and bias at a parameter vector
 * @param targets   predicted geometries (possibly none), each a column group in metrics.csv
 */
public record ModelSetup(Objective objective, int[] labels, LastLayer lastLayer, List<TheoryTarget> targets) {
    public ModelSetup {
        InvalidInputException.require(objective != null && labels != null && lastLayer != null,
                "a model setup needs an objective, labels and a last-layer view");
        labels = labels.clone();
        targets = List.copyOf(targets);
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** Labels in class order: n_1 samples of class 0, then n_2 of class 1, ... (the models' row order). */
    public static int[] orderedLabels(int[] counts) {
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        int[] labels = new int[n];
        int i = 0;
        for (int k = 0; k < counts.length; k++) {
            for (int j = 0; j < counts[k]; j++) {
                labels[i++] = k;
            }
        }
        return labels;
    }
}
