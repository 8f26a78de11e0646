package nclab.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import nclab.theory.ClassGeometry;
import nclab.theory.GeometryPrediction;

/**
 * How far measured features and classifier are from one model's predicted geometry, following the
 * geometry distances of seed 000 Sec. 5 (spec 000 §6.1): with Â = A/‖A‖_F,
 * <ul>
 *   <li>classifier: ‖Ĝ_W − Ĝ_W^ref‖_F with G_W[i][j] = w_iᵀw_j (W not centred);</li>
 *   <li>embedding: ‖Ĝ_M − Ĝ_M^ref‖_F with G_M from the class means centred by the model's
 *       {@link Centring} (seed 000: the class-balanced global mean; ReLU UFM: none; models with a bias:
 *       the sample-weighted mean) — the predicted mean Gram is centred by the same rule
 *       ({@link Centring#centreGram}), so both sides are compared in one convention;</li>
 *   <li>logits: ‖normalise(W·Mᵀ) − normalise(Z^ref)‖_F with the <em>uncentred</em> class means M, as
 *       seed 000 prescribes for the logits.</li>
 * </ul>
 * The three are averaged into {@link #mean()}, which decides which predicted geometry is the closest.
 *
 * @param model     model id of the prediction
 * @param centring  how the measured class means were centred for the embedding Gram
 * @param distances the three normalised-Frobenius distances
 */
public record TheoryComparison(String model, Centring centring, GeometryDistance.Distances distances) {

    /** Compares measured statistics and classifier with one prediction. */
    public static TheoryComparison of(GeometryPrediction prediction, ClassStatistics statistics, double[][] w,
                                      Centring centring) {
        ClassGeometry measured = measured(statistics, w, centring);
        ClassGeometry p = prediction.geometry();
        ClassGeometry predicted = new ClassGeometry(p.classifierGram(),
                centring.centreGram(p.meanGram(), statistics.counts()), p.logits());
        return new TheoryComparison(prediction.model(), centring,
                GeometryDistance.Distances.between(measured, predicted));
    }

    /** Measured class-level geometry: Grams of W and of the centred means, logits W·Mᵀ of the raw means. */
    public static ClassGeometry measured(ClassStatistics statistics, double[][] w, Centring centring) {
        ClassGeometry centred = MeasuredGeometry.of(statistics, w, centring);
        ClassGeometry raw = MeasuredGeometry.of(statistics, w, Centring.NONE);
        return new ClassGeometry(centred.classifierGram(), centred.meanGram(), raw.logits());
    }

    /** Average of the classifier, embedding and logit distances. */
    public double mean() {
        return (distances.classifier() + distances.embedding() + distances.logits()) / 3;
    }

    /** JSON-friendly view. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("centring", centring.name());
        m.put("classifier", distances.classifier());
        m.put("embedding", distances.embedding());
        m.put("logits", distances.logits());
        m.put("mean", mean());
        return m;
    }
}
