package nclab.cli;

import java.nio.file.Path;

import nclab.InvalidInputException;
import nclab.io.Npy;
import nclab.io.NpyFeatureRows;
import nclab.metrics.CollapseAnalysis;

/**
 * The {@code .npy} files of one analysis, checked against each other before any metric is computed:
 * labels of length N with values in 0..K−1, W of shape K×d matching the features' d, bias of length K.
 * Features stay on disk (memory-mapped) and are streamed.
 */
record AnalysisInputs(Path features, int[] labels, double[][] weights, double[] bias) {

    static AnalysisInputs load(Path features, Path labels, Path weights, Path bias) {
        double[][] w = Npy.read(weights).toMatrix();
        InvalidInputException.require(w.length >= 2, weights + ": W must have K >= 2 rows (one per class), got " + w.length);
        int[] y = Npy.read(labels).toIntVector();
        double[] b = bias == null ? null : Npy.read(bias).toVector();
        if (b != null) {
            InvalidInputException.require(b.length == w.length,
                    bias + ": bias has length " + b.length + " but W has K = " + w.length + " rows");
        }
        int[] counts = new int[w.length];
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= w.length) {
                throw new InvalidInputException(labels + ": label " + y[i] + " at index " + i
                        + " is outside 0.." + (w.length - 1) + " (K = " + w.length + " from " + weights + ")");
            }
            counts[y[i]]++;
        }
        for (int c = 0; c < counts.length; c++) {
            InvalidInputException.require(counts[c] > 0, labels + ": class " + c + " has no samples (K = "
                    + w.length + " from " + weights + "); every class needs at least one");
        }
        return new AnalysisInputs(features, y, w, b);
    }

    /** Opens the features, checks their shape against labels and W, and runs the analysis. */
    CollapseAnalysis analyse(CollapseAnalysis.Options options) {
        try (NpyFeatureRows h = NpyFeatureRows.open(features)) {
            InvalidInputException.require(h.rows() == labels.length, features + " has N = " + h.rows()
                    + " rows but the labels have length " + labels.length);
            InvalidInputException.require(h.cols() == weights[0].length, features + " has d = " + h.cols()
                    + " columns but W has " + weights[0].length);
            return CollapseAnalysis.run(h, labels, weights, bias, options);
        }
    }
}
