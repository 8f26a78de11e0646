package nclab.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

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
 * kernel) and grouped in chunks of {@value #CHUNK_ROWS} rows. Each chunk is accumulated on its own and the chunk results are added in
 * chunk order, so the result is bit-identical whatever the number of threads (chunks run in parallel when the
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

    /** An accumulator of one chunk that takes double or float32 blocks. */
    interface ChunkAccumulator extends FeatureRows.BlockVisitor, FloatBlockVisitor {
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
        List<MeanPart> meanParts = overChunks(h, c -> new MeanPart(labels, k, d));
        int[] counts = new int[k];
        double[] sums = new double[k * d];
        for (MeanPart p : meanParts) {
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
        Shared shared = new Shared(labels, k, d, r, means, basis, w, bias, BlockProducts.best());
        List<SpreadPart> spreadParts = overChunks(h, c -> new SpreadPart(shared));
        double[] cSum = new double[r * r];
        double trace = 0;
        int agreeing = 0;
        int correct = 0;
        int[] perClass = new int[k];
        for (SpreadPart p : spreadParts) {
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

    /**
     * Feeds every chunk of rows to its own accumulator and returns the accumulators in chunk order. Chunks
     * run on up to {@code availableProcessors} threads when the source supports range scans; otherwise one
     * sequential scan routes each block to its chunk's accumulator (blocks never straddle chunks, so both
     * ways see the same blocks).
     */
    static <A extends ChunkAccumulator> List<A> overChunks(FeatureRows h, IntFunction<A> accumulator) {
        int n = h.rows();
        int chunks = (n + CHUNK_ROWS - 1) / CHUNK_ROWS;
        List<A> parts = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            parts.add(accumulator.apply(c));
        }
        int threads = Math.min(chunks, Runtime.getRuntime().availableProcessors());
        if (!h.supportsRangeScan() || threads <= 1) {
            h.scanBlocks(0, n, BLOCK_ROWS, (first, count, block) ->
                    ((FeatureRows.BlockVisitor) parts.get(first / CHUNK_ROWS)).visit(first, count, block));
            return parts;
        }
        AtomicInteger next = new AtomicInteger();
        Throwable[] failure = new Throwable[threads];
        Float32Rows floats = h instanceof Float32Rows f && f.storedAsFloat32() ? f : null;
        Runnable worker = () -> {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                int from = c * CHUNK_ROWS;
                int to = Math.min(n, (c + 1) * CHUNK_ROWS);
                if (floats != null) {
                    floats.scanFloatBlocks(from, to, BLOCK_ROWS, parts.get(c));
                } else {
                    h.scanBlocks(from, to, BLOCK_ROWS, (FeatureRows.BlockVisitor) parts.get(c));
                }
            }
        };
        Thread[] pool = new Thread[threads - 1];
        for (int t = 0; t < pool.length; t++) {
            int slot = t + 1;
            pool[t] = new Thread(() -> {
                try {
                    worker.run();
                } catch (Throwable e) {
                    failure[slot] = e;
                    next.set(chunks); // stop the others early
                }
            }, "nclab-scan-" + slot);
            pool[t].setDaemon(true);
            pool[t].start();
        }
        try {
            worker.run();
        } catch (Throwable e) {
            failure[0] = e;
            next.set(chunks);
        }
        for (Thread t : pool) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while scanning features", e);
            }
        }
        for (Throwable e : failure) {
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e instanceof Error err) {
                throw err;
            }
        }
        return parts;
    }

    /** Read-only inputs of pass 2, shared by all chunks. */
    private static final class Shared {
        final int[] labels;
        final int k;
        final int d;
        final int r;
        final double[] means;      // K×d row-major
        final double[] basisT;     // r×d row-major (rows of Pᵀ)
        final double[] w;          // K×d row-major, or null
        final double[] bias;       // K or null
        final double[] nearestBase; // [y][k]: ‖μ_k − μ_y‖²
        final double[] nearestSlope; // [y][k][a]: −2 (Pᵀ(μ_k − μ_y))_a
        final BlockProducts products; // native or Java products of blocks

        Shared(int[] labels, int k, int d, int r, double[][] means, double[][] basis, double[][] w, double[] bias,
               BlockProducts products) {
            this.products = products;
            this.labels = labels;
            this.k = k;
            this.d = d;
            this.r = r;
            this.means = flatten(means, d);
            this.basisT = flatten(basis, d);
            this.w = w == null ? null : flatten(w, d);
            this.bias = bias;
            double[][] projectedMeans = new double[k][r];
            for (int c = 0; c < k; c++) {
                for (int a = 0; a < r; a++) {
                    projectedMeans[c][a] = CollapseMetrics.dot(basis[a], means[c]);
                }
            }
            nearestBase = new double[k * k];
            nearestSlope = new double[k * k * r];
            for (int y = 0; y < k; y++) {
                for (int c = 0; c < k; c++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        double e = means[c][j] - means[y][j];
                        s += e * e;
                    }
                    nearestBase[y * k + c] = s;
                    for (int a = 0; a < r; a++) {
                        nearestSlope[(y * k + c) * r + a] = -2 * (projectedMeans[c][a] - projectedMeans[y][a]);
                    }
                }
            }
        }

        private static double[] flatten(double[][] m, int d) {
            double[] f = new double[m.length * d];
            for (int i = 0; i < m.length; i++) {
                System.arraycopy(m[i], 0, f, i * d, d);
            }
            return f;
        }
    }

    /** Pass 1 accumulator of one chunk: counts and class sums. */
    private static final class MeanPart implements ChunkAccumulator {
        final int[] labels;
        final int d;
        final int[] counts;
        final double[] sums;

        MeanPart(int[] labels, int k, int d) {
            this.labels = labels;
            this.d = d;
            this.counts = new int[k];
            this.sums = new double[k * d];
        }

        @Override
        public void visit(int first, int count, double[] block) {
            for (int b = 0; b < count; b++) {
                int y = labels[first + b];
                counts[y]++;
                addRow(block, b * d, sums, y * d, d);
            }
        }

        @Override
        public void visit(int first, int count, float[] block) {
            for (int b = 0; b < count; b++) {
                int y = labels[first + b];
                counts[y]++;
                addRow(block, b * d, sums, y * d, d);
            }
        }

        /** As {@link #addRow(double[], int, double[], int, int)}, widening each float to double. */
        private static void addRow(float[] src, int from, double[] dst, int to, int d) {
            int j = 0;
            for (; j + 4 <= d; j += 4) {
                dst[to + j] += src[from + j];
                dst[to + j + 1] += src[from + j + 1];
                dst[to + j + 2] += src[from + j + 2];
                dst[to + j + 3] += src[from + j + 3];
            }
            for (; j < d; j++) {
                dst[to + j] += src[from + j];
            }
        }

        /** dst[to + j] += src[from + j] for j &lt; d, unrolled by four (see {@link SpreadPart#centre}). */
        private static void addRow(double[] src, int from, double[] dst, int to, int d) {
            int j = 0;
            for (; j + 4 <= d; j += 4) {
                dst[to + j] += src[from + j];
                dst[to + j + 1] += src[from + j + 1];
                dst[to + j + 2] += src[from + j + 2];
                dst[to + j + 3] += src[from + j + 3];
            }
            for (; j < d; j++) {
                dst[to + j] += src[from + j];
            }
        }
    }

    /** Pass 2 accumulator of one chunk: C, tr Σ_W (both times N) and the agreement counts. */
    private static final class SpreadPart implements ChunkAccumulator {
        final Shared s;
        final double[] centred;
        double[] wide; // the float32 block widened, for the logits
        final double[] projected;
        final double[] logits;
        final double[] c;
        double trace;
        int agreeing;
        int correct;
        final int[] perClass;

        SpreadPart(Shared s) {
            this.s = s;
            this.centred = new double[BLOCK_ROWS * s.d];
            this.projected = new double[BLOCK_ROWS * s.r];
            this.logits = s.w == null ? null : new double[BLOCK_ROWS * s.k];
            this.c = new double[s.r * s.r];
            this.perClass = new int[s.k];
        }

        @Override
        public void visit(int first, int count, float[] block) {
            int d = s.d;
            if (wide == null) {
                wide = new double[BLOCK_ROWS * d];
            }
            for (int b = 0; b < count; b++) {
                trace += centre(block, wide, centred, b * d, s.means, s.labels[first + b] * d, d);
            }
            products(first, count, wide);
        }

        @Override
        public void visit(int first, int count, double[] block) {
            int d = s.d;
            for (int b = 0; b < count; b++) {
                trace += centre(block, centred, b * d, s.means, s.labels[first + b] * d, d);
            }
            products(first, count, block);
        }

        /** Pass 2 after centring: z = Pᵀe and C, then logits and their comparisons with the labels. */
        private void products(int first, int count, double[] block) {
            int d = s.d;
            int r = s.r;
            s.products.multiplyTransB(centred, count, s.basisT, r, d, projected);
            for (int b = 0; b < count; b++) {
                int o = b * r;
                for (int a = 0; a < r; a++) {
                    double za = projected[o + a];
                    int row = a * r;
                    for (int e = 0; e < r; e++) {
                        c[row + e] += za * projected[o + e];
                    }
                }
            }
            if (logits != null) {
                s.products.multiplyTransB(block, count, s.w, s.k, d, logits);
                for (int b = 0; b < count; b++) {
                    classify(s.labels[first + b], b);
                }
            }
        }

        /**
         * As {@link #centre(double[], double[], int, double[], int, int)} for a float32 row, also storing the
         * row widened to double in {@code wide}: the same values, so the same results.
         */
        private static double centre(float[] src, double[] wide, double[] dst, int off, double[] means, int mu, int d) {
            double sq = 0;
            int j = 0;
            for (; j + 4 <= d; j += 4) {
                double x0 = src[off + j];
                double x1 = src[off + j + 1];
                double x2 = src[off + j + 2];
                double x3 = src[off + j + 3];
                wide[off + j] = x0;
                wide[off + j + 1] = x1;
                wide[off + j + 2] = x2;
                wide[off + j + 3] = x3;
                double e0 = x0 - means[mu + j];
                double e1 = x1 - means[mu + j + 1];
                double e2 = x2 - means[mu + j + 2];
                double e3 = x3 - means[mu + j + 3];
                dst[off + j] = e0;
                dst[off + j + 1] = e1;
                dst[off + j + 2] = e2;
                dst[off + j + 3] = e3;
                sq = Math.fma(e0, e0, sq);
                sq = Math.fma(e1, e1, sq);
                sq = Math.fma(e2, e2, sq);
                sq = Math.fma(e3, e3, sq);
            }
            for (; j < d; j++) {
                double x = src[off + j];
                wide[off + j] = x;
                double e = x - means[mu + j];
                dst[off + j] = e;
                sq = Math.fma(e, e, sq);
            }
            return sq;
        }

        /**
         * dst = src − μ over one row; returns ‖src − μ‖² (summed in index order). Unrolled by four by hand: the
         * launcher runs the JVM with the C1 compiler only, which does not unroll loops.
         */
        private static double centre(double[] src, double[] dst, int off, double[] means, int mu, int d) {
            double sq = 0;
            int j = 0;
            for (; j + 4 <= d; j += 4) {
                double e0 = src[off + j] - means[mu + j];
                double e1 = src[off + j + 1] - means[mu + j + 1];
                double e2 = src[off + j + 2] - means[mu + j + 2];
                double e3 = src[off + j + 3] - means[mu + j + 3];
                dst[off + j] = e0;
                dst[off + j + 1] = e1;
                dst[off + j + 2] = e2;
                dst[off + j + 3] = e3;
                sq = Math.fma(e0, e0, sq);
                sq = Math.fma(e1, e1, sq);
                sq = Math.fma(e2, e2, sq);
                sq = Math.fma(e3, e3, sq);
            }
            for (; j < d; j++) {
                double e = src[off + j] - means[mu + j];
                dst[off + j] = e;
                sq = Math.fma(e, e, sq);
            }
            return sq;
        }

        private void classify(int y, int b) {
            int k = s.k;
            int r = s.r;
            int pred = 0;
            double best = Double.NEGATIVE_INFINITY;
            int ncc = 0;
            double nearest = Double.POSITIVE_INFINITY;
            for (int cl = 0; cl < k; cl++) {
                double z = logits[b * k + cl] + (s.bias == null ? 0 : s.bias[cl]);
                if (z > best) {
                    best = z;
                    pred = cl;
                }
                int pair = y * k + cl;
                double dist = s.nearestBase[pair];
                int slope = pair * r;
                for (int a = 0; a < r; a++) {
                    dist += s.nearestSlope[slope + a] * projected[b * r + a];
                }
                if (dist < nearest) {
                    nearest = dist;
                    ncc = cl;
                }
            }
            if (pred == ncc) {
                agreeing++;
            }
            if (pred == y) {
                correct++;
                perClass[pred]++;
            }
        }
    }
}
