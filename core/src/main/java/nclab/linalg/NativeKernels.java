package nclab.linalg;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * nclab's own native kernels for the full-batch UFM step (source: {@code
 * core/src/main/c/nclab_kernels.c}, compiled by the core module's build where gcc is found, shipped in the jar as
 * {@value #RESOURCE}).
 *
 * <p>Why: Java has no prefetch instruction. Measured on this project's 2-core machine (docs/linalg.md), a loop that
 * only loads the rows of H stalls on each miss, so the step cost its multiply-adds plus two reads of H, whether the
 * products were Java tiles or OpenBLAS. These kernels issue prefetches a few rows (logits) or a block (row step)
 * ahead and so read H under the arithmetic:
 * <ul>
 *   <li>{@link #logits}: Z = H Wᵀ for rows of H, two rows × five classes of W per register tile (five classes over
 *       a chunk of ≈ 192 KB of rows at a time, so those rows of W stay in L1), and Σ‖h_r‖² in the same pass;</li>
 *   <li>{@link #softmax}: the softmax cross-entropy of rows of logits in place, the Java softmax's operations (its
 *       probabilities bit for bit) at about 0.4 of its time;</li>
 *   <li>{@link #stepRows}: block by block (≈ 192 KB of H) from the last one, acc += G_blkᵀ H_blk from the old rows
 *       while the block before is prefetched, then H_blk ← Π(keep·H_blk + α·G_blk W) in place (Π: clamp at 0 when
 *       asked). From the last block, because a logits pass over the same rows ends there and leaves those blocks
 *       in cache;</li>
 *   <li>{@link #onePassBlocks}: the three above block by block for a range of rows in one call, with W copied once
 *       so that its rows stop sharing an L1 set with H's (the one-pass step of {@code UfmSgdKernel}).</li>
 * </ul>
 * All run in a fixed order, so equal inputs give equal bits; the products are not bit-identical to the Java or BLAS
 * products (another summation order).
 *
 * <p>Availability: Linux on x86-64, the library in the jar (a build without gcc has none), a processor with AVX2 and
 * FMA (asked by the library itself), a JVM that hands native code its arrays rather than copies (HotSpot does; two
 * threads write disjoint rows of one array at once), and {@code -Dnclab.nativeKernels} not {@code false}. Otherwise
 * {@link #available()} is false and the callers keep their Java or BLAS path. Every range is checked here, before the
 * native call: the C side has no bounds checks.
 */
public final class NativeKernels {
    /** Where the build puts the library inside the classes (and the jar). */
    static final String RESOURCE = "/native/linux-x86_64/libnclab_kernels.so";
    /** Doubles of H per block of {@link #stepRows} (BLOCK_DOUBLES in the C source: keep the two equal). */
    static final int BLOCK_DOUBLES = 24576;
    private static final boolean AVAILABLE = load();

    private NativeKernels() {
    }

    /** Whether the native kernels loaded and this processor runs them. */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * z[zOff + r·k + c] = Σ_t h_r[t]·w_c[t] for r &lt; rows, c &lt; k, with h_r = x[hOff + r·d ..] and w_c = x[wOff +
     * c·d ..]; returns Σ_r ‖h_r‖².
     */
    public static double logits(double[] x, int wOff, int hOff, int rows, int k, int d, double[] z, int zOff) {
        requireLoaded();
        checkShape(rows, k, d);
        ArrayRanges.check(x, wOff, (long) k * d);
        ArrayRanges.check(x, hOff, (long) rows * d);
        ArrayRanges.check(z, zOff, (long) rows * k);
        if (z == x) {
            throw new IllegalArgumentException("the logits must not be written into x");
        }
        return logits0(x, wOff, hOff, rows, k, d, z, zOff);
    }

    /**
     * acc[accOff + c·d + j] += Σ_r g_r[c]·h_r[j] (old rows; the blocks' shares added from the last block to the
     * first), then h_r ← Π(keep·h_r + alpha·Σ_c g_r[c]·w_c) in place, with g_r = g[gOff + r·k ..], h_r and w_c as in
     * {@link #logits}, and Π(y) = (y &lt; 0 ? 0 : y) when {@code clamp}, else y.
     */
    public static void stepRows(double[] g, int gOff, double[] x, int wOff, int hOff, int rows, int k, int d,
                                double alpha, double keep, boolean clamp, double[] acc, int accOff) {
        stepRows(g, gOff, x, wOff, hOff, rows, k, d, alpha, keep, clamp, acc, accOff, 0);
    }

    /**
     * {@link #stepRows(double[], int, double[], int, int, int, int, int, double, double, boolean, double[], int)}
     * that also prefetches the {@code ahead} rows just before its own (x[hOff − ahead·d, hOff)) while it adds the
     * first block's ∇W share: the block a caller walking the rows backward one block at a time reads next. Same
     * results for every {@code ahead}.
     */
    public static void stepRows(double[] g, int gOff, double[] x, int wOff, int hOff, int rows, int k, int d,
                                double alpha, double keep, boolean clamp, double[] acc, int accOff, int ahead) {
        requireLoaded();
        checkShape(rows, k, d);
        ArrayRanges.check(g, gOff, (long) rows * k);
        ArrayRanges.check(x, wOff, (long) k * d);
        ArrayRanges.check(x, hOff, (long) rows * d);
        ArrayRanges.check(acc, accOff, (long) k * d);
        if (ahead < 0 || ahead > blockRows(d) || (long) ahead * d > hOff) {
            throw new IllegalArgumentException("ahead must be in [0, " + blockRows(d) + "] rows inside x before hOff "
                    + hOff + ", got " + ahead);
        }
        if (g == x || acc == x || acc == g) {
            throw new IllegalArgumentException("g, x and acc must be three different arrays");
        }
        ArrayRanges.checkDisjoint(wOff, (long) k * d, hOff, (long) rows * d);
        stepRows0(g, gOff, x, wOff, hOff, rows, k, d, alpha, keep, clamp, acc, accOff, ahead);
    }

    /**
     * Rows per block of {@link #stepRows} at width d: its blocks are rows [0, b), [b, 2b), … of its range, b = this.
     * A caller that steps one block per call gets the same numbers as one call over the whole range.
     */
    public static int blockRows(int d) {
        return Math.max(1, BLOCK_DOUBLES / d);
    }

    /**
     * The softmax cross-entropy of rows of logits, in place: z_r = z[zOff + r·k ..] (plus b = x[bOff ..] when bOff ≥
     * 0) becomes scale·(softmax(z_r) − e_{y_r}) with y_r = labels[lOff + r]; returns Σ_r CE_r, CE_r = log Σ_c
     * e^{z_rc − max_c z_rc} − (z_r,y_r − max_c z_rc). The operations of nclab's Java softmax (row maximum, our own
     * exponential, normalisation; the logs of products of up to 16 row sums), so the probabilities are its bits;
     * the log is the C library's, so Σ CE may differ from the Java sum in the last bits.
     */
    public static double softmax(double[] z, int zOff, int rows, int k, double[] x, int bOff, int[] labels, int lOff,
                                 double scale) {
        requireLoaded();
        checkShape(rows, k, 1);
        ArrayRanges.check(z, zOff, (long) rows * k);
        checkLabels(labels, lOff, rows, k);
        if (bOff >= 0) {
            ArrayRanges.check(x, bOff, k);
            if (x == z) {
                throw new IllegalArgumentException("the logits must not be written into x");
            }
        }
        return softmax0(z, zOff, rows, k, x, bOff, labels, lOff, scale);
    }

    /**
     * The one-pass step of rows [0, rows) of H (h_r = x[hOff + r·d ..]), in blocks of {@link #blockRows} rows from
     * the last: for block i, {@link #logits} into its rows of g (Σ‖h‖² of its old rows into blockH2[blockOff + i]),
     * {@link #softmax} of those rows in place (bias x[bOff ..] when bOff ≥ 0, labels from lOff, Σ CE into
     * blockCe[blockOff + i]), then {@link #stepRows} on the block, prefetching the block before it. Exactly the
     * numbers of those three calls made block by block, from one native call (W is copied once per call with its rows
     * a cache line further apart, so that its lines and H's stop competing for one L1 set: see the C source).
     */
    public static void onePassBlocks(double[] g, int gOff, double[] x, int wOff, int bOff, int hOff, int rows, int k,
                                     int d, int[] labels, int lOff, double scale, double alpha, double keep,
                                     boolean clamp, double[] acc, int accOff, double[] blockH2, double[] blockCe,
                                     int blockOff) {
        requireLoaded();
        checkShape(rows, k, d);
        ArrayRanges.check(g, gOff, (long) rows * k);
        ArrayRanges.check(x, wOff, (long) k * d);
        ArrayRanges.check(x, hOff, (long) rows * d);
        ArrayRanges.checkDisjoint(wOff, (long) k * d, hOff, (long) rows * d);
        if (bOff >= 0) {
            ArrayRanges.check(x, bOff, k);
            ArrayRanges.checkDisjoint(bOff, k, hOff, (long) rows * d);
        }
        ArrayRanges.check(acc, accOff, (long) k * d);
        checkLabels(labels, lOff, rows, k);
        int blocks = (rows + blockRows(d) - 1) / blockRows(d);
        ArrayRanges.check(blockH2, blockOff, blocks);
        ArrayRanges.check(blockCe, blockOff, blocks);
        if (g == x || acc == g || acc == x || blockH2 == blockCe
                || blockH2 == g || blockH2 == x || blockH2 == acc || blockCe == g || blockCe == x || blockCe == acc) {
            throw new IllegalArgumentException("g, x, acc, blockH2 and blockCe must be five different arrays");
        }
        onePassBlocks0(g, gOff, x, wOff, bOff, hOff, rows, k, d, labels, lOff, scale, alpha, keep, clamp, acc, accOff,
                blockH2, blockCe, blockOff);
    }

    private static void checkLabels(int[] labels, int lOff, int rows, int k) {
        if (lOff < 0 || (long) lOff + rows > labels.length) {
            throw new IndexOutOfBoundsException("labels [" + lOff + ", " + ((long) lOff + rows) + ") of "
                    + labels.length);
        }
        for (int r = 0; r < rows; r++) { // the C side indexes the rows by them
            if (labels[lOff + r] < 0 || labels[lOff + r] >= k) {
                throw new IllegalArgumentException("label " + labels[lOff + r] + " of row " + r + " is not in [0, "
                        + k + ")");
            }
        }
    }

    private static void requireLoaded() {
        if (!AVAILABLE) {
            throw new IllegalStateException("nclab's native kernels are not loaded (see NativeKernels.available())");
        }
    }

    private static void checkShape(int rows, int k, int d) {
        if (rows < 0 || k < 1 || d < 1) {
            throw new IllegalArgumentException("rows ≥ 0, k ≥ 1 and d ≥ 1 required, got " + rows + ", " + k + ", " + d);
        }
    }

    private static boolean load() {
        if (!Boolean.parseBoolean(System.getProperty("nclab.nativeKernels", "true"))) {
            return false;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return false;
        }
        try (InputStream in = NativeKernels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return false; // built without gcc
            }
            Path file = Files.createTempFile("nclab-kernels", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(file); // the loaded mapping stays valid; no file is left behind
            }
            return supported() && criticalIsDirect(new double[1 << 16]);
        } catch (Throwable unusable) { // no temp directory, a library that does not link: the Java path
            return false;
        }
    }

    private static native boolean supported();

    /** Whether the JVM hands the kernels its arrays rather than copies (the two halves write one array at once). */
    private static native boolean criticalIsDirect(double[] probe);

    private static native double logits0(double[] x, int wOff, int hOff, int rows, int k, int d, double[] z,
                                         int zOff);

    private static native double softmax0(double[] z, int zOff, int rows, int k, double[] x, int bOff, int[] labels,
                                          int lOff, double scale);

    private static native void stepRows0(double[] g, int gOff, double[] x, int wOff, int hOff, int rows, int k, int d,
                                         double alpha, double keep, boolean clamp, double[] acc, int accOff,
                                         int ahead);

    private static native void onePassBlocks0(double[] g, int gOff, double[] x, int wOff, int bOff, int hOff, int rows,
                                              int k, int d, int[] labels, int lOff, double scale, double alpha,
                                              double keep, boolean clamp, double[] acc, int accOff, double[] blockH2,
                                              double[] blockCe, int blockOff);
}
