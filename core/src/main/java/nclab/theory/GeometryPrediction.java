package nclab.theory;

import java.util.Map;

import nclab.data.ClassSizes;

/**
 * What one paper's theory predicts for given class sizes: the class-level {@link ClassGeometry} plus
 * model-specific quantities ({@code details}: thresholds, singular values, certificates, losses …).
 *
 * <p>{@code details} is an ordered map whose values are JSON-friendly: {@link Number}, {@link Boolean},
 * {@link String}, {@code double[]}, {@code double[][]}, {@code int[]}, {@link java.util.List} or a nested
 * {@link Map} of the same. NaN stands for "undefined" and is written as {@code null}.
 */
public interface GeometryPrediction {
    /** Model id as used on the command line: etf, seli, relu-ufm, lpm, lext, deep-ufm. */
    String model();

    ClassSizes sizes();

    ClassGeometry geometry();

    Map<String, Object> details();
}
