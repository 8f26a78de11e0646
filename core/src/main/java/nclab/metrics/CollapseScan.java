package nclab.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import nclab.InvalidInputException;
import nclab.linalg.Linalg;
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
 * the products of pass 2 by the native BLAS when it loads, see {@link NativeProducts}, else by a
 * register-blocked Java kernel) and grouped in chunks of {@value #CHUNK_ROWS} rows. Each chunk is accumulated on its own and the chunk results are added in
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
        NativeProducts.startLoading(); // overlaps pass 1
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
        Shared shared = new Shared(labels, k, d, r, means, basis, w, bias, NativeProducts.get());
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
     * Starts loading the native products on a background thread (see {@link NativeProducts}) so that they are
     * ready when a scan reaches pass 2; a caller that first reads its inputs (labels, classifier) on one thread
     * calls this before, to overlap the two. Optional: {@link #run} starts the loading itself.
     */
    public static void prepare() {
        NativeProducts.startLoading();
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
        final dev.ludovic.netlib.blas.BLAS blas; // native products, or null for the Java kernel

        Shared(int[] labels, int k, int d, int r, double[][] means, double[][] basis, double[][] w, double[] bias,
               dev.ludovic.netlib.blas.BLAS blas) {
            this.blas = blas;
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
            multiplyTransB(centred, count, s.basisT, r, d, projected);
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
                multiplyTransB(block, count, s.w, s.k, d, logits);
                for (int b = 0; b < count; b++) {
                    classify(s.labels[first + b], b);
                }
            }
        }

        /** out = A Bᵀ (A n×d, B m×d, row-major) by the native BLAS when it loaded, else by {@link Kernels}. */
        private void multiplyTransB(double[] a, int n, double[] b, int m, int d, double[] out) {
            if (s.blas == null) {
                Kernels.multiplyTransB(a, n, b, m, d, out);
            } else {
                NativeProducts.multiplyTransB(s.blas, a, n, b, m, d, out);
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

    /**
     * Native double-precision products (the system BLAS, OpenBLAS here, through dev.ludovic.netlib's JNI
     * binding): about five times faster than {@link Kernels} in a run of a second, where the Java kernel spends
     * much of its time before and in just-in-time compilation. The binding is loaded once per JVM on a
     * background thread started with the first scan (it overlaps pass 1; loading takes about 0.08 s) and used
     * for pass 2 when it loaded; without a native BLAS (or with {@code -Dnclab.nativeBlas=false}) pass 2 uses
     * {@link Kernels}. The binding's class is instantiated directly, so its loader prints no warning about
     * the Java implementations it would otherwise also try.
     *
     * <p>Determinism: every product is one dgemm call per sub-block of rows, the same calls whatever the number
     * of scan threads, and each call is small enough (m·n·k ≤ {@value #SINGLE_THREAD_WORK}) for OpenBLAS to run
     * it on the calling thread alone (products too wide for that use {@link Kernels}), so the results are
     * bit-identical across runs and thread counts (they differ from the Java kernel's in the last bits:
     * another summation order).
     */
    static final class NativeProducts {
        /** OpenBLAS runs a dgemm of at most this many multiply-adds (65536 × 4) on the calling thread. */
        static final int SINGLE_THREAD_WORK = 1 << 18;
        private static final Object LOCK = new Object();
        private static Thread loader;
        private static volatile dev.ludovic.netlib.blas.BLAS blas;

        private NativeProducts() {
        }

        /** Starts loading the native binding on a daemon thread (once per JVM). */
        static void startLoading() {
            synchronized (LOCK) {
                if (loader != null || !Boolean.parseBoolean(System.getProperty("nclab.nativeBlas", "true"))) {
                    return;
                }
                loader = new Thread(NativeProducts::load, "nclab-blas-loader");
                loader.setDaemon(true);
                loader.start();
            }
        }

        private static void load() {
            try {
                Class<?> jni = Class.forName("dev.ludovic.netlib.blas.JNIBLAS");
                java.lang.reflect.Method instance = jni.getMethod("getInstance");
                instance.setAccessible(true);
                dev.ludovic.netlib.blas.BLAS loaded = (dev.ludovic.netlib.blas.BLAS) instance.invoke(null);
                double[] probe = new double[1];
                loaded.dgemm("T", "N", 1, 1, 1, 1.0, new double[] {2}, 1, new double[] {3}, 1, 0.0, probe, 1);
                if (probe[0] == 6) {
                    blas = loaded;
                }
            } catch (Throwable missing) { // no native library, or a binding that cannot load: use the Java kernel
                blas = null;
            }
        }

        /** The loaded binding after waiting for the loader, or null when there is none. */
        static dev.ludovic.netlib.blas.BLAS get() {
            Thread t;
            synchronized (LOCK) {
                t = loader;
            }
            if (t == null) {
                return null;
            }
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            return blas;
        }

        /**
         * out[i·m + j] = Σ_t a[i·d + t]·b[j·d + t] for i &lt; n, j &lt; m, by dgemm calls of at most
         * {@value #SINGLE_THREAD_WORK} multiply-adds, or by {@link Kernels} when one row needs more.
         */
        static void multiplyTransB(dev.ludovic.netlib.blas.BLAS blas, double[] a, int n, double[] b, int m, int d,
                                   double[] out) {
            long perRow = (long) m * d;
            if (perRow > SINGLE_THREAD_WORK) {
                Kernels.multiplyTransB(a, n, b, m, d, out);
                return;
            }
            int step = (int) (SINGLE_THREAD_WORK / Math.max(1, perRow));
            for (int i = 0; i < n; i += step) {
                int rows = Math.min(step, n - i);
                // column-major view: out (m × rows, ld m) = bᵀ (b is d × m, ld d) · a (d × rows, ld d)
                blas.dgemm("T", "N", m, rows, d, 1.0, b, 0, d, a, i * d, d, 0.0, out, i * m, m);
            }
        }
    }

    /**
     * Dense products of row-major blocks, register-blocked 2×4 (then 2×2, then single dot products for the
     * remaining columns; each entry is a chain of fused multiply-adds over t in order, so its value does not
     * depend on the blocking; fused, the chain runs about twice as fast as separate multiplies and adds).
     * Deliberately small tiles: in a run of a few seconds the JIT's compile time of a larger tile costs more
     * than it saves.
     */
    static final class Kernels {
        private Kernels() {
        }

        /** out[i·m + j] = Σ_t a[i·d + t]·b[j·d + t] for i &lt; n, j &lt; m (A n×d, B m×d, both row-major). */
        static void multiplyTransB(double[] a, int n, double[] b, int m, int d, double[] out) {
            int i = 0;
            for (; i + 2 <= n; i += 2) {
                int j = 0;
                for (; j + 4 <= m; j += 4) {
                    tile4(a, i * d, b, j * d, d, out, i * m + j, m);
                }
                for (; j + 2 <= m; j += 2) {
                    tile(a, i * d, b, j * d, d, out, i * m + j, m);
                }
                if (j < m) {
                    out[i * m + j] = dot(a, i * d, b, j * d, d);
                    out[(i + 1) * m + j] = dot(a, (i + 1) * d, b, j * d, d);
                }
            }
            if (i < n) {
                for (int j = 0; j < m; j++) {
                    out[i * m + j] = dot(a, i * d, b, j * d, d);
                }
            }
        }

        /** The 2×4 block of products of rows a0, a0+d with rows b0 … b0+3d, stored at o…o+3 and o+m…o+m+3. */
        private static void tile4(double[] a, int a0, double[] b, int b0, int d, double[] out, int o, int m) {
            int a1 = a0 + d;
            int b1 = b0 + d;
            int b2 = b1 + d;
            int b3 = b2 + d;
            double s00 = 0;
            double s01 = 0;
            double s02 = 0;
            double s03 = 0;
            double s10 = 0;
            double s11 = 0;
            double s12 = 0;
            double s13 = 0;
            for (int t = 0; t < d; t++) {
                double x0 = a[a0 + t];
                double x1 = a[a1 + t];
                double y0 = b[b0 + t];
                double y1 = b[b1 + t];
                double y2 = b[b2 + t];
                double y3 = b[b3 + t];
                s00 = Math.fma(x0, y0, s00);
                s01 = Math.fma(x0, y1, s01);
                s02 = Math.fma(x0, y2, s02);
                s03 = Math.fma(x0, y3, s03);
                s10 = Math.fma(x1, y0, s10);
                s11 = Math.fma(x1, y1, s11);
                s12 = Math.fma(x1, y2, s12);
                s13 = Math.fma(x1, y3, s13);
            }
            out[o] = s00;
            out[o + 1] = s01;
            out[o + 2] = s02;
            out[o + 3] = s03;
            out[o + m] = s10;
            out[o + m + 1] = s11;
            out[o + m + 2] = s12;
            out[o + m + 3] = s13;
        }

        /** The 2×2 block of products of rows a0, a0+d with rows b0, b0+d, stored at o, o+1, o+m, o+m+1. */
        private static void tile(double[] a, int a0, double[] b, int b0, int d, double[] out, int o, int m) {
            int a1 = a0 + d;
            int b1 = b0 + d;
            double s00 = 0;
            double s01 = 0;
            double s10 = 0;
            double s11 = 0;
            for (int t = 0; t < d; t++) {
                double x0 = a[a0 + t];
                double x1 = a[a1 + t];
                double y0 = b[b0 + t];
                double y1 = b[b1 + t];
                s00 = Math.fma(x0, y0, s00);
                s01 = Math.fma(x0, y1, s01);
                s10 = Math.fma(x1, y0, s10);
                s11 = Math.fma(x1, y1, s11);
            }
            out[o] = s00;
            out[o + 1] = s01;
            out[o + m] = s10;
            out[o + m + 1] = s11;
        }

        private static double dot(double[] a, int a0, double[] b, int b0, int d) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                s = Math.fma(a[a0 + t], b[b0 + t], s);
            }
            return s;
        }
    }
}
