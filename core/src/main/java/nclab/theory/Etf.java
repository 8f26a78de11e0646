package nclab.theory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

/**
 * The simplex equiangular tight frame (ETF) of neural collapse for K classes, the balanced-data geometry
 * of seed 000 (Cor 1.3 / Cor 2.3: for R = 1 or K = 2 the SELI geometry reduces to it).
 *
 * <p>All three class-level matrices equal the normalised centring matrix
 * <pre>  G* = K/(K−1) · (I_K − 1_K 1_Kᵀ / K),</pre>
 * so every classifier and every class mean has unit norm, distinct classes have cosine −1/(K−1), and each
 * classifier is aligned with its class mean (logits w_iᵀμ_j = G*[i][j]). The ETF ignores the class sizes:
 * only K is used.
 */
public final class Etf {
    /** Model id on the command line. */
    public static final String MODEL = "etf";

    private Etf() {
    }

    /** The simplex ETF for the K of {@code p.sizes()}; class sizes themselves are ignored. */
    public static GeometryPrediction predict(TheoryParameters p) {
        return of(p.sizes());
    }

    /** The simplex ETF for the K of {@code sizes}. */
    public static Prediction of(ClassSizes sizes) {
        int k = sizes.k();
        double[][] g = gram(k);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("cosine", cosine(k));
        details.put("norm", 1.0);
        return new Prediction(sizes, new ClassGeometry(g, g, g), Collections.unmodifiableMap(details));
    }

    /** Off-diagonal cosine −1/(K−1) of the K-class simplex ETF. */
    public static double cosine(int k) {
        requireK(k);
        return -1.0 / (k - 1);
    }

    /**
     * Gram matrix of the unit-norm K-class simplex ETF: 1 on the diagonal, −1/(K−1) elsewhere
     * (= K/(K−1)·(I − 11ᵀ/K)).
     *
     * @throws InvalidInputException if K &lt; 2
     */
    public static double[][] gram(int k) {
        requireK(k);
        double off = cosine(k);
        double[][] g = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                g[i][j] = i == j ? 1.0 : off;
            }
        }
        return g;
    }

    private static void requireK(int k) {
        InvalidInputException.require(k >= 2, "the simplex ETF needs at least K = 2 classes, got K = " + k);
    }

    /**
     * The ETF prediction: geometry with classifierGram = meanGram = logits = {@link #gram(int)}; details
     * {@code cosine} (−1/(K−1)) and {@code norm} (1).
     */
    public record Prediction(ClassSizes sizes, ClassGeometry geometry, Map<String, Object> details)
            implements GeometryPrediction {
        public Prediction {
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }

        @Override
        public String model() {
            return MODEL;
        }
    }
}
