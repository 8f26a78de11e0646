package nclab.cli.report;

import java.util.Objects;

/**
 * One row of a report's checks table: a claim (a paper's, or a built-in sanity claim), the value theory
 * predicts, the value measured, the tolerance applied, and whether the measurement passes.
 * Informational rows (nothing to fail) pass.
 *
 * @param claim     what is claimed
 * @param predicted predicted value or relation, as text
 * @param measured  measured value, as text
 * @param tolerance tolerance applied, as text ("—" when none)
 * @param pass      whether the claim holds within the tolerance
 */
public record Check(String claim, String predicted, String measured, String tolerance, boolean pass) {
    public Check {
        Objects.requireNonNull(claim, "claim");
        Objects.requireNonNull(predicted, "predicted");
        Objects.requireNonNull(measured, "measured");
        Objects.requireNonNull(tolerance, "tolerance");
    }
}
