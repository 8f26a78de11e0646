package nclab.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.linalg.Linalg;
import nclab.linalg.Svd;

/**
 * Deep neural collapse (DNC) per layer, Garrod–Keating (2024) Definition 1 and Sec. 5 (spec 002 §2, §5).
 * For layer l with features H_l (N×d_l), class means μ_k^{(l)}, class-balanced global mean μ_G^{(l)} and centred
 * means M̃_l = [μ_k^{(l)} − μ_G^{(l)}] (K×d_l):
 * <ul>
 *   <li>{@code dnc1} = tr(Σ_W Σ_B⁺)/K with Σ_W = (1/N)Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ, Σ_B = (1/K) M̃ᵀM̃
 *       (pseudo-inverse relative tolerance {@link Linalg#DEFAULT_REL_TOL}); {@code dnc1_quot} = tr Σ_W / tr Σ_B;</li>
 *   <li>{@code dnc2_etf} = ‖G/‖G‖_F − S/‖S‖_F‖_F with G = M̃M̃ᵀ and S = I − 11ᵀ/K;
 *       {@code dnc2_of} = ‖G₀/‖G₀‖_F − I/√K‖_F with the uncentred Gram G₀ (orthogonal frame, for
 *       non-negative ReLU features);</li>
 *   <li>{@code dnc3} = ‖(I − Π_l) W_lᵀ‖_F / ‖W_l‖_F, Π_l the orthogonal projector onto the span of the centred
 *       means (singular values of M̃_l above {@link Linalg#DEFAULT_REL_TOL}·σ_1), W_l the weight matrix that
 *       reads layer l (rows in R^{d_l}); NaN when no weight is given;</li>
 *   <li>{@code rank_M} (σ_i &gt; {@link CollapseMetrics#RANK_REL_TOL}·σ_1), {@code sigma_max} of M̃_l, and
 *       {@code global_mean_ratio} = ‖μ_G 1ᵀ‖_F / ‖M̃_l‖_F (r_l of Assumption 1).</li>
 * </ul>
 * K is the largest label + 1; every class must occur.
 */
public final class DeepCollapseMetrics {
    private DeepCollapseMetrics() {
    }

    /** Per-layer DNC1, DNC2 and ranks (no weights, so {@code dnc3} = NaN). */
    public static List<Map<String, Double>> perLayer(List<FeatureRows> layers, int[] labels) {
        return perLayer(layers, labels, Collections.nCopies(layers.size(), null));
    }

    /**
     * @param layers  features of each layer, same samples in the same order
     * @param labels  N labels
     * @param weights for each layer, the weight matrix W_l (rows of width d_l) applied to that layer's
     *                features, or null; the last layer's entry is normally the classifier
     */
    public static List<Map<String, Double>> perLayer(List<FeatureRows> layers, int[] labels, List<double[][]> weights) {
        InvalidInputException.require(!layers.isEmpty(), "no layers given");
        InvalidInputException.require(weights.size() == layers.size(),
                "got " + weights.size() + " weight matrices for " + layers.size() + " layers");
        InvalidInputException.require(labels.length > 0, "no labels given");
        int k = 0;
        for (int y : labels) {
            k = Math.max(k, y + 1);
        }
        List<Map<String, Double>> out = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            FeatureRows h = layers.get(l);
            ClassStatistics s;
            try {
                s = ClassStatistics.compute(h, labels, k);
            } catch (InvalidInputException e) {
                throw new InvalidInputException("layer " + l + ": " + e.getMessage(), e);
            }
            out.add(layer(l, s, weights.get(l)));
        }
        return out;
    }

    private static Map<String, Double> layer(int l, ClassStatistics s, double[][] w) {
        int k = s.k();
        double[][] mc = s.means(Centring.CLASS_BALANCED);
        double[][] raw = s.means(Centring.NONE);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("layer", (double) l);
        m.put("dnc1", CollapseMetrics.nc1Pinv(s, Centring.CLASS_BALANCED, Linalg.DEFAULT_REL_TOL));
        double trSb = s.betweenTrace(Centring.CLASS_BALANCED);
        m.put("dnc1_quot", trSb == 0 ? Double.NaN : s.withinTrace() / trSb);
        m.put("dnc2_etf", GeometryDistance.normalisedFrobenius(gram(mc), CollapseMetrics.simplexGram(k)));
        double[][] id = new double[k][k];
        for (int i = 0; i < k; i++) {
            id[i][i] = 1;
        }
        m.put("dnc2_of", GeometryDistance.normalisedFrobenius(gram(raw), id));
        m.put("dnc3", w == null ? Double.NaN : dnc3(mc, w, l));
        double[] sv = Linalg.singularValues(Linalg.matrix(mc));
        m.put("rank_M", (double) Linalg.numericalRank(sv, CollapseMetrics.RANK_REL_TOL));
        m.put("sigma_max", sv[0]);
        double[] g = s.centre(Centring.CLASS_BALANCED);
        double fro = CollapseMetrics.frobenius(mc);
        m.put("global_mean_ratio", fro == 0 ? Double.NaN : Math.sqrt(k * CollapseMetrics.dot(g, g)) / fro);
        return m;
    }

    /** ‖(I − Π)Wᵀ‖_F / ‖W‖_F with Π the projector onto the row span of the centred means {@code mc} (K×d). */
    static double dnc3(double[][] mc, double[][] w, int layer) {
        int d = mc[0].length;
        for (int i = 0; i < w.length; i++) {
            InvalidInputException.require(w[i].length == d,
                    "layer " + layer + ": weight row " + i + " has width " + w[i].length + " but the features have d = " + d);
        }
        double norm = CollapseMetrics.frobenius(w);
        if (norm == 0) {
            return Double.NaN;
        }
        Svd svd = Linalg.svd(Linalg.transpose(Linalg.matrix(mc)));
        int rank = svd.rank(Linalg.DEFAULT_REL_TOL);
        double res = 0;
        double[] r = new double[d];
        for (double[] row : w) {
            System.arraycopy(row, 0, r, 0, d);
            for (int c = 0; c < rank; c++) {
                double p = 0;
                for (int j = 0; j < d; j++) {
                    p += svd.u().get(j, c) * row[j];
                }
                for (int j = 0; j < d; j++) {
                    r[j] -= p * svd.u().get(j, c);
                }
            }
            res += CollapseMetrics.dot(r, r);
        }
        return Math.sqrt(res) / norm;
    }

    private static double[][] gram(double[][] rows) {
        int k = rows.length;
        double[][] g = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                g[i][j] = CollapseMetrics.dot(rows[i], rows[j]);
            }
        }
        return g;
    }
}
