package nclab.cli;

import java.util.Map;

import nclab.metrics.CollapseAnalysis;
import nclab.metrics.TheoryComparison;

/** Terminal rendering of a {@link CollapseAnalysis}: metric lines, then a distance table. */
final class AnalysisText {
    private AnalysisText() {
    }

    static String of(CollapseAnalysis a) {
        StringBuilder sb = new StringBuilder();
        sb.append("samples N = ").append(a.sizes().total()).append(", d = ").append(a.d())
                .append(", K = ").append(a.sizes().k()).append(", class sizes ").append(a.sizes())
                .append(" (ratio ").append(TextFormat.number(a.sizes().imbalanceRatio())).append(")\n\n");
        sb.append("collapse metrics (definitions: docs/metrics.md)\n");
        TextFormat.details(sb, a.metrics(), "  ");
        sb.append("\ndistance to predicted geometries (normalised Frobenius, seed 000 Sec. 5)\n");
        sb.append(String.format("  %-10s %-16s %11s %11s %11s %11s%n", "model", "centring", "classifier",
                "embedding", "logits", "mean"));
        for (TheoryComparison c : a.comparisons()) {
            sb.append(String.format("  %-10s %-16s %11s %11s %11s %11s%n", c.model(), c.centring(),
                    TextFormat.number(c.distances().classifier()), TextFormat.number(c.distances().embedding()),
                    TextFormat.number(c.distances().logits()), TextFormat.number(c.mean())));
        }
        sb.append("closest: ").append(a.closest().model()).append('\n');
        return sb.toString();
    }

    static String metricLine(Map<String, Object> metrics, String key) {
        return key + " = " + TextFormat.value(metrics.get(key));
    }
}
