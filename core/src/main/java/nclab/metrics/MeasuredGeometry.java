package nclab.metrics;

import nclab.InvalidInputException;
import nclab.theory.ClassGeometry;

/**
 * The class-level geometry of a trained model: classifier Gram WWᵀ, Gram M̃M̃ᵀ of the centred class means
 * μ̃_k = μ_k − μ_G and logits W M̃ᵀ (entry [i][j] = w_iᵀ μ̃_j), all K×K. This is what the SELI paper
 * (Thrampoulidis et al. 2022, Sec. 5) compares with its references; with {@link Centring#NONE} the logits are
 * the uncentred W Mᵀ that paper uses for deep nets without bias.
 */
public final class MeasuredGeometry {
    private MeasuredGeometry() {
    }

    /**
     * @param s        class statistics of the features
     * @param w        classifier, K×d (rows w_k)
     * @param centring which global mean to subtract from the class means
     */
    public static ClassGeometry of(ClassStatistics s, double[][] w, Centring centring) {
        CollapseMetrics.requireClassifier(w, s.k(), s.dimension());
        InvalidInputException.require(centring != null, "centring must be given");
        return ClassGeometry.fromVectors(w, s.means(centring));
    }
}
