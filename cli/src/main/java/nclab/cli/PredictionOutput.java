package nclab.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import nclab.io.Json;
import nclab.theory.ClassGeometry;
import nclab.theory.GeometryPrediction;

/** Renders a {@link GeometryPrediction} as terminal tables or as one JSON object. */
final class PredictionOutput {
    private PredictionOutput() {
    }

    /**
     * The JSON object of {@code nclab theory --json}: model, sizes, the three K×K class-level matrices,
     * norms and cosines, then the model's details at top level (thresholds, singularValues, certificate,
     * losses …). Undefined values are null.
     */
    static Map<String, Object> toMap(GeometryPrediction p) {
        ClassGeometry g = p.geometry();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", p.model());
        m.put("sizes", p.sizes().counts());
        m.put("classifierGram", g.classifierGram());
        m.put("meanGram", g.meanGram());
        m.put("logits", g.logits());
        m.put("classifierNorms", g.classifierNorms());
        m.put("meanNorms", g.meanNorms());
        m.put("classifierCosines", g.classifierCosines());
        m.put("meanCosines", g.meanCosines());
        for (Map.Entry<String, Object> e : p.details().entrySet()) {
            m.putIfAbsent(e.getKey(), e.getValue());
        }
        return m;
    }

    static String toJson(GeometryPrediction p) {
        return Json.toPrettyString(toMap(p));
    }

    static String toText(GeometryPrediction p, String description) {
        ClassGeometry g = p.geometry();
        StringBuilder sb = new StringBuilder();
        sb.append("model: ").append(p.model()).append(" — ").append(description).append('\n');
        sb.append("class sizes: ").append(p.sizes()).append("  (K = ").append(p.sizes().k())
                .append(", N = ").append(p.sizes().total()).append(", ratio = ")
                .append(TextFormat.number(p.sizes().imbalanceRatio())).append(")\n\n");
        double[] wn = g.classifierNorms();
        double[] mn = g.meanNorms();
        sb.append(String.format("%5s %8s %14s %14s%n", "class", "n_k", "||w_k||", "||mu_k||"));
        for (int k = 0; k < wn.length; k++) {
            sb.append(String.format("%5d %8d %14s %14s%n", k + 1, p.sizes().count(k),
                    TextFormat.number(wn[k]), TextFormat.number(mn[k])));
        }
        sb.append('\n').append(TextFormat.matrix("classifier cosines cos(w_i, w_j):", g.classifierCosines()));
        sb.append('\n').append(TextFormat.matrix("class-mean cosines cos(mu_i, mu_j):", g.meanCosines()));
        sb.append('\n').append(TextFormat.matrix("logits w_i^T mu_j (row i = classifier, column j = class mean):", g.logits()));
        if (!p.details().isEmpty()) {
            sb.append('\n');
            TextFormat.details(sb, p.details(), "");
        }
        return sb.toString();
    }
}
