package nclab.experiment;

import nclab.metrics.Centring;
import nclab.metrics.TheoryComparison;
import nclab.theory.GeometryPrediction;

/**
 * A predicted geometry a run is compared with at every logged step ({@link TheoryComparison}), and how the
 * measured class means are centred for that comparison (seed 000: class-balanced; ReLU UFM: none; models
 * with a bias: sample-weighted).
 *
 * @param prediction the model's predicted geometry
 * @param centring   centring of the measured class means for the embedding Gram
 */
public record TheoryTarget(GeometryPrediction prediction, Centring centring) {
    public TheoryTarget {
        if (prediction == null || centring == null) {
            throw new IllegalArgumentException("a theory target needs a prediction and a centring");
        }
    }

    /** Column-name stem in metrics.csv: {@code dist_<model>}, with non-alphanumerics as '_'. */
    public String column() {
        return "dist_" + prediction.model().replaceAll("[^A-Za-z0-9]", "_");
    }
}
