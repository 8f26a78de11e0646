package nclab.metrics;

import java.util.List;

import nclab.InvalidInputException;
import nclab.linalg.BlockProducts;
import nclab.linalg.Linalg;
import nclab.linalg.NativeBlas;
import nclab.linalg.Svd;

/**
 * The two streaming passes behind every collapse metric, done once and shared ({@link CollapseAnalysis} feeds
 * one scan to {@link CollapseMetrics} and to every {@link TheoryComparison}).
 *
 * <ol>
 *   <li>Pass 1: counts n_k and class sums, giving the means μ_k and the global mean; then an orthonormal
 *       basis P (d×r, r = min(K, d)) of a subspace containing every μ_k: the left singular vectors of
 *       [μ_1 … μ_K].</li>
 *   <li>Pass 2, fused, per row h with label y: e = h − μ_y (subtracted directly, so exactly collapsed features
 *       give e = 0); tr Σ_W += ‖e‖²/N; z = Pᵀe and C = Pᵀ Σ_W P += z zᵀ/N (see {@link ClassStatistics} for why C
 *       suffices); logits W h + b and their argmax (accuracy); the nearest class centre (NC4) from
 *       ‖h − μ_k‖² − ‖h − μ_y‖² = ‖μ_k − μ_y‖² − 2 (Pᵀ(μ_k − μ_y))ᵀ z, exact because μ_k − μ_y lies in span P
 *       (argmin over k, ties to the smallest index).</li>
 * </ol>
 * Rows are read in blocks of {@value #BLOCK_ROWS} (float32 files as float blocks, see {@link Float32Rows};
 * the products of pass 2 by {@link BlockProducts}: native BLAS when it loads, else a register-blocked Java
 * kernel) and grouped in chunks of {@value #CHUNK_ROWS} rows ({@link ChunkedScan}). Each chunk is accumulated on
 * its own ({@link ClassSumsChunk} in pass 1, {@link SpreadChunk} in pass 2) and this class adds the chunk results
 * in chunk order, so the result is bit-identical whatever the number of threads (chunks run in parallel when the
 * source {@linkplain FeatureRows#supportsRangeScan() supports range scans}, else sequentially in one scan).
 */
public final class CollapseScan {
    /** Rows per block handed to the product kernel. */
    static final int BLOCK_ROWS = 128;
    /** Rows per independently accumulated chunk; a multiple of {@link #BLOCK_ROWS}. */
    static final int CHUNK_ROWS = 32 * BLOCK_ROWS;

    private final ClassStatistics statistics;
    private final Agreement agreement;
    private final double[][] classifier;

    private CollapseScan(ClassStatistics statistics, Agreement agreement, double[][] classifier) {
        this.statistics = statistics;
        this.agreement = agreement;
        this.classifier = classifier;
    }

    /**
     * A feature source that can also hand out its rows as stored in float32, without widening them to
     * double first (a float32 {@code .npy} file): the scan then widens each value inside its own loops,
     * one pass over the block less. The values seen are the same, so are the results, bit for bit.
     */
    public interface Float32Rows {
        /** Whether the rows are stored in float32 (only then may {@link #scanFloatBlocks} be called). */
        boolean storedAsFloat32();

        /**
         * As {@link FeatureRows#scanBlocks}, with the block as the stored float32 values; safe to call from
         * several threads at once.
         */
        void scanFloatBlocks(int from, int to, int blockRows, FloatBlockVisitor visitor);
    }

    /** Receives a block of float32 rows (row-major, reused between calls). */
    @FunctionalInterface
    public interface FloatBlockVisitor {
        void visit(int first, int count, float[] block);
    }

    /** Whether the predictions were counted with exactly this classifier (false when none was given). */
    boolean scannedWith(double[][] w) {
        return classifier != null && java.util.Arrays.deepEquals(classifier, w);
    }

    /** Class statistics (counts, means, tr Σ_W, P and C). */
    public ClassStatistics statistics() {
        return statistics;
    }

    /** Predictions against labels and nearest class centres; null when no classifier was given. */
    Agreement agreement() {
        return agreement;
    }

    /**
     * Runs both passes.
     *
     * @param h      N×d features
     * @param labels N labels in [0, K)
     * @param k      number of classes K ≥ 2
     * @param w      K×d classifier, or null to compute only the class statistics
     * @param bias   K biases or null
     */
    public static CollapseScan run(FeatureRows h, int[] labels, int k, double[][] w, double[] bias) {
        if (w != null) {
            CollapseMetrics.requireClassifier(w, k, h.cols());
        }
        InvalidInputException.require(bias == null || (w != null && bias.length == k),
                "bias has " + (bias == null ? 0 : bias.length) + " entries but W has K = " + k + " rows");
        validate(h, labels, k);
        NativeBlas.startLoading(); // overlaps pass 1
        int n = h.rows();
        int d = h.cols();
        List<ClassSumsChunk> meanParts = ChunkedScan.overChunks(h, c -> new ClassSumsChunk(labels, k, d));
        int[] counts = new int[k];
        double[] sums = new double[k * d];
        for (ClassSumsChunk p : meanParts) {
            for (int c = 0; c < k; c++) {
                counts[c] += p.counts[c];
            }
            for (int i = 0; i < sums.length; i++) {
                sums[i] += p.sums[i];
            }
        }
        for (int c = 0; c < k; c++) {
            InvalidInputException.require(counts[c] > 0,
                    "class " + c + " has no samples (every class in [0, " + k + ") needs at least one)");
        }
        double[][] means = new double[k][d];
        double[] global = new double[d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                means[c][j] = sums[c * d + j] / counts[c];
                global[j] += sums[c * d + j] / n;
            }
        }
        double[][] basis = meanSpanBasis(means);
        int r = basis.length;
        SpreadInputs shared = new SpreadInputs(labels, k, d, r, means, basis, w, bias, BlockProducts.best());
        List<SpreadChunk> spreadParts = ChunkedScan.overChunks(h, c -> new SpreadChunk(shared));
        double[] cSum = new double[r * r];
        double trace = 0;
        int agreeing = 0;
        int correct = 0;
        int[] perClass = new int[k];
        for (SpreadChunk p : spreadParts) {
            for (int i = 0; i < cSum.length; i++) {
                cSum[i] += p.c[i];
            }
            trace += p.trace;
            agreeing += p.agreeing;
            correct += p.correct;
            for (int c = 0; c < k; c++) {
                perClass[c] += p.perClass[c];
            }
        }
        double[][] projected = new double[r][r];
        for (int a = 0; a < r; a++) {
            for (int b = 0; b < r; b++) {
                projected[a][b] = cSum[a * r + b] / n;
            }
        }
        ClassStatistics stats = new ClassStatistics(counts, means, global, trace / n, basis, projected);
        Agreement agreement = w == null ? null : new Agreement(n, agreeing, correct, perClass);
        double[][] classifier = w == null ? null : java.util.Arrays.stream(w).map(double[]::clone).toArray(double[][]::new);
        return new CollapseScan(stats, agreement, classifier);
    }

    /**
     * Starts loading the native products on a background thread (see {@link NativeBlas}) so that they are
     * ready when a scan reaches pass 2; a caller that first reads its inputs (labels, classifier) on one thread
     * calls this before, to overlap the two. Optional: {@link #run} starts the loading itself.
     */
    public static void prepare() {
        NativeBlas.startLoading();
    }

    static void validate(FeatureRows h, int[] labels, int k) {
        InvalidInputException.require(k >= 2, "number of classes K must be >= 2, got " + k);
        InvalidInputException.require(h.rows() == labels.length,
                "features have " + h.rows() + " rows but there are " + labels.length + " labels");
        InvalidInputException.require(h.rows() > 0, "features have no rows");
        InvalidInputException.require(h.cols() > 0, "features have no columns");
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            if (y < 0 || y >= k) { // message built only on failure
                throw new InvalidInputException("label " + y + " at row " + i + " is outside [0, " + k + ")");
            }
        }
    }

    /** Rows of Pᵀ: the r = min(K, d) left singular vectors of the d×K matrix of class means (orthonormal). */
    static double[][] meanSpanBasis(double[][] means) {
        Svd svd = Linalg.svd(Linalg.transpose(Linalg.matrix(means)));
        int d = means[0].length;
        int r = svd.u().numCols;
        double[][] basis = new double[r][d];
        for (int a = 0; a < r; a++) {
            for (int j = 0; j < d; j++) {
                basis[a][j] = svd.u().get(j, a);
            }
        }
        return basis;
    }
}
