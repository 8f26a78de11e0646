package nclab.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.theory.Etf;
import nclab.theory.GeometryPrediction;
import nclab.theory.LExtendedGeometry;
import nclab.theory.LayerPeeledGeometry;
import nclab.theory.ReluUfmGeometry;
import nclab.theory.SeliGeometry;
import nclab.theory.TheoryParameters;

/**
 * Everything {@code nclab analyze} reports for one set of features, labels and classifier: the collapse
 * metrics of {@link CollapseMetrics} and, for the class sizes the labels give, the distance
 * ({@link TheoryComparison}) to each predicted geometry, all from one {@link CollapseScan} (two passes over the
 * features in total):
 * <ul>
 *   <li>{@code etf} and {@code seli} (seed 000), means centred by the class-balanced global mean;</li>
 *   <li>{@code lpm} (seed 003) with E_W, E_H given or measured (E_W = mean ‖w_k‖², E_H = mean over classes
 *       of ‖μ_k − μ_G‖² with the sample-weighted μ_G), means centred by the sample-weighted mean;</li>
 *   <li>{@code relu-ufm} (seed 001, no centring) and {@code lext} (seed 004, L = 1; centred by the
 *       sample-weighted mean when a bias is given, else none) when both λ's are given.</li>
 * </ul>
 *
 * @param sizes       class sizes counted from the labels
 * @param d           feature dimension
 * @param metrics     ordered metric map of {@link CollapseMetrics#compute}
 * @param comparisons one entry per predicted geometry, in the order above
 * @param timings     wall seconds of the feature scan, the metrics and the theory solves (not part of
 *                    {@link #toMap()}, so that output stays reproducible)
 * @param predictions the predicted geometries compared, in the order of {@code comparisons}
 */
public record CollapseAnalysis(ClassSizes sizes, int d, Map<String, Object> metrics,
                               List<TheoryComparison> comparisons, Map<String, Double> timings,
                               List<GeometryPrediction> predictions) {

    /**
     * Optional model parameters; null = not given.
     *
     * @param lambdaW ridge strength on W (with lambdaH adds relu-ufm and lext)
     * @param lambdaH ridge strength on H
     * @param eW      Layer-Peeled E_W (default measured)
     * @param eH      Layer-Peeled E_H (default measured)
     */
    public record Options(Double lambdaW, Double lambdaH, Double eW, Double eH) {
        public Options {
            InvalidInputException.require((lambdaW == null) == (lambdaH == null),
                    "give both --lambda-w and --lambda-h, or neither");
        }

        /** No model parameters: ETF, SELI and LPM with measured energies. */
        public static Options none() {
            return new Options(null, null, null, null);
        }
    }

    /**
     * Runs the analysis.
     *
     * @param h      N×d features (streamed)
     * @param labels N labels in 0..K−1, K = rows of w
     * @param w      K×d classifier
     * @param bias   length-K bias or null
     */
    public static CollapseAnalysis run(FeatureRows h, int[] labels, double[][] w, double[] bias, Options options) {
        return run(h, labels, w, bias, options, LayerPeeledGeometry.MAX_ITERATIONS);
    }

    /**
     * As {@link #run(FeatureRows, int[], double[][], double[], Options)} with at most {@code lpmIterations}
     * iterations of the Layer-Peeled solve (its certificate, in the {@code lpm} comparison's prediction, says
     * whether it converged): bounds the cost when a training run measures many epochs.
     */
    public static CollapseAnalysis run(FeatureRows h, int[] labels, double[][] w, double[] bias, Options options,
                                       int lpmIterations) {
        InvalidInputException.require(w != null && w.length >= 2,
                "classifier W needs at least 2 rows (classes), got " + (w == null ? 0 : w.length));
        int k = w.length;
        CollapseMetrics.requireClassifier(w, k, h.cols());
        InvalidInputException.require(bias == null || bias.length == k,
                "bias has " + (bias == null ? 0 : bias.length) + " entries but W has K = " + k + " rows");
        long t0 = System.nanoTime();
        CollapseScan scan = CollapseScan.run(h, labels, k, w, bias); // the only passes over the features
        long t1 = System.nanoTime();
        ClassStatistics stats = scan.statistics();
        ClassSizes sizes = ClassSizes.of(stats.counts());
        ReluUfmGeometry relu = null;
        TheoryParameters reg = null;
        if (options.lambdaW() != null) {
            reg = new TheoryParameters(sizes, options.lambdaW(), options.lambdaH(), null, null, null, null, 1, bias != null);
            relu = ReluUfmGeometry.of(sizes, options.lambdaW(), options.lambdaH());
        }
        Map<String, Object> metrics = CollapseMetrics.compute(scan, w, Centring.CLASS_BALANCED, relu == null ? null : relu.m());
        long t2 = System.nanoTime();
        List<TheoryComparison> comparisons = new ArrayList<>();
        List<GeometryPrediction> predictions = new ArrayList<>();
        TheoryParameters plain = TheoryParameters.of(sizes);
        compare(Etf.predict(plain), stats, w, Centring.CLASS_BALANCED, comparisons, predictions);
        compare(SeliGeometry.predict(plain), stats, w, Centring.CLASS_BALANCED, comparisons, predictions);
        double eW = options.eW() != null ? options.eW() : meanSquaredNorm(w);
        double eH = options.eH() != null ? options.eH() : meanSquaredNorm(stats.means(Centring.SAMPLE_WEIGHTED));
        compare(LayerPeeledGeometry.solve(sizes, eW, eH, 1, LayerPeeledGeometry.GAP_TOLERANCE, lpmIterations), stats, w,
                Centring.SAMPLE_WEIGHTED, comparisons, predictions);
        if (relu != null) {
            compare(relu, stats, w, Centring.NONE, comparisons, predictions);
            compare(LExtendedGeometry.predict(reg), stats, w, bias != null ? Centring.SAMPLE_WEIGHTED : Centring.NONE,
                    comparisons, predictions);
        }
        long t3 = System.nanoTime();
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("scan", (t1 - t0) * 1e-9);
        timings.put("metrics", (t2 - t1) * 1e-9);
        timings.put("theory", (t3 - t2) * 1e-9);
        return new CollapseAnalysis(sizes, h.cols(), metrics, List.copyOf(comparisons), Map.copyOf(timings),
                List.copyOf(predictions));
    }

    private static void compare(GeometryPrediction prediction, ClassStatistics stats, double[][] w, Centring centring,
                                List<TheoryComparison> comparisons, List<GeometryPrediction> predictions) {
        comparisons.add(TheoryComparison.of(prediction, stats, w, centring));
        predictions.add(prediction);
    }

    private static double meanSquaredNorm(double[][] rows) {
        double s = 0;
        for (double[] r : rows) {
            for (double x : r) {
                s += x * x;
            }
        }
        return s / rows.length;
    }

    /** The prediction with the smallest mean distance. */
    public TheoryComparison closest() {
        return comparisons.stream().min(Comparator.comparingDouble(TheoryComparison::mean)).orElseThrow();
    }

    /** JSON-friendly view: sizes, metrics, distances, closest. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("N", sizes.total());
        m.put("d", d);
        m.put("K", sizes.k());
        m.put("sizes", sizes.counts());
        m.put("metrics", metrics);
        m.put("distances", comparisons.stream().map(TheoryComparison::toMap).toList());
        m.put("closest", closest().model());
        return m;
    }
}
