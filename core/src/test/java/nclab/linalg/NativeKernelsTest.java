package nclab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@link NativeKernels} against Java loops that spell out the C source's order of operations, so the comparison is
 * bit for bit: logits as four lanes by t mod 4, the lanes added (l0 + l1) + (l2 + l3), then the columns beyond the
 * last group of four; the row step's ∇W share as one fused chain per entry over the rows of each block, added into
 * acc block by block from the last block to the first; the rows' update as one chain over the classes, then
 * α·s + keep·h fused. Shapes cover every remainder of the tiles (rows mod 6 and 2, classes mod 5, columns mod 8 and 4)
 * and offsets of every alignment, so equal bits also show that the results do not depend on where the array lies.
 */
class NativeKernelsTest {
    private static final int[] ROWS = {0, 1, 2, 3, 6, 7, 13, 100};
    private static final int[] CLASSES = {1, 2, 3, 4, 5, 6, 9, 10, 13};
    private static final int[] DIMS = {1, 3, 4, 5, 8, 9, 12, 13, 16, 21, 64, 100};

    private static void assumeLoaded() {
        assumeTrue(NativeKernels.available(), "nclab's native kernels are not built or not supported here");
    }

    @Test
    void loadWhereverTheBuildMadeThemAndTheProcessorRunsThem() throws IOException {
        boolean built = NativeKernels.class.getResource(NativeKernels.RESOURCE) != null;
        boolean linuxX86 = System.getProperty("os.name").toLowerCase().startsWith("linux")
                && System.getProperty("os.arch").equals("amd64");
        Path cpuinfo = Path.of("/proc/cpuinfo");
        String flags = Files.isReadable(cpuinfo) ? Files.readString(cpuinfo) : "";
        boolean avx2Fma = flags.contains(" avx2") && flags.contains(" fma");
        boolean enabled = Boolean.parseBoolean(System.getProperty("nclab.nativeKernels", "true"));
        assertEquals(built && linuxX86 && avx2Fma && enabled, NativeKernels.available(),
                "built " + built + ", Linux x86-64 " + linuxX86 + ", AVX2+FMA " + avx2Fma + ", enabled " + enabled);
    }

    @Test
    void logitsGiveTheSourceOrdersBitsAtEveryShapeAndOffset() {
        assumeLoaded();
        Random rnd = new Random(5);
        for (int rows : ROWS) {
            for (int k : CLASSES) {
                for (int d : DIMS) {
                    int wOff = rnd.nextInt(9);
                    int hOff = wOff + k * d + rnd.nextInt(9);
                    double[] x = random(rnd, hOff + rows * d + rnd.nextInt(3));
                    assertLogitsAsTheSource(x, wOff, hOff, rows, k, d, rnd.nextInt(5),
                            rows + " rows, k = " + k + ", d = " + d + ", offsets " + wOff + ", " + hOff);
                }
            }
        }
    }

    @Test
    void logitsGiveTheSameBitsAtEachOfTheFourAlignmentsOfTheRows() {
        // d a multiple of 4 and H a multiple of 4 doubles after W: the kernel loads aligned chunks and rotates the
        // lanes back; four consecutive offsets put the rows at each of the four positions past a 32-byte boundary,
        // wherever the JVM placed the array
        assumeLoaded();
        Random rnd = new Random(8);
        for (int d : new int[] {4, 8, 12, 64, 512}) {
            for (int k : new int[] {1, 3, 5, 10}) {
                for (int rows : new int[] {1, 2, 5}) {
                    double[] x = random(rnd, 3 + (k + rows) * d + 4);
                    for (int shift = 0; shift < 4; shift++) {
                        int hOff = shift + k * d + 4 * (shift & 1);
                        assertLogitsAsTheSource(x, shift, hOff, rows, k, d, 0,
                                rows + " rows, k = " + k + ", d = " + d + ", shift " + shift);
                    }
                }
            }
        }
    }

    @Test
    void rowStepGivesTheSourceOrdersBitsAtEveryShapeAndOffset() {
        assumeLoaded();
        Random rnd = new Random(6);
        for (int rows : ROWS) {
            for (int k : CLASSES) {
                for (int d : DIMS) {
                    for (boolean clamp : new boolean[] {false, true}) {
                        int wOff = rnd.nextInt(9);
                        int hOff = wOff + k * d + rnd.nextInt(9);
                        double[] x = random(rnd, hOff + rows * d + 1);
                        int gOff = rnd.nextInt(4);
                        double[] g = random(rnd, gOff + rows * k);
                        int accOff = rnd.nextInt(4);
                        double[] acc = random(rnd, accOff + k * d);
                        double[] expectX = x.clone();
                        double[] expectAcc = acc.clone();
                        NativeKernels.stepRows(g, gOff, x, wOff, hOff, rows, k, d, -0.3, 0.99, clamp, acc, accOff);
                        referenceStep(g, gOff, expectX, wOff, hOff, rows, k, d, -0.3, 0.99, clamp, expectAcc, accOff);
                        String what = rows + " rows, k = " + k + ", d = " + d + ", clamp " + clamp + ", offsets "
                                + wOff + ", " + hOff;
                        assertArrayEquals(expectAcc, acc, what);
                        assertArrayEquals(expectX, x, what);
                    }
                }
            }
        }
    }

    @Test
    void rowStepOverSeveralBlocksAddsEachBlocksShareFromTheLastBlock() {
        assumeLoaded();
        Random rnd = new Random(7);
        int k = 10;
        for (int d : new int[] {512, 515}) { // 48 rows per block at d = 512: 130 rows are three blocks
            int rows = 130;
            double[] x = random(rnd, 3 + (k + rows) * d);
            double[] g = random(rnd, rows * k);
            double[] acc = new double[k * d];
            double[] expectX = x.clone();
            double[] expectAcc = acc.clone();
            NativeKernels.stepRows(g, 0, x, 3, 3 + k * d, rows, k, d, -0.1, 1.0, false, acc, 0);
            referenceStep(g, 0, expectX, 3, 3 + k * d, rows, k, d, -0.1, 1.0, false, expectAcc, 0);
            assertArrayEquals(expectAcc, acc, "d = " + d);
            assertArrayEquals(expectX, x, "d = " + d);
        }
    }

    @Test
    void logitsOverSeveralChunksOfRowsGiveTheSourceOrdersBits() {
        // the kernel takes the rows in chunks of about BLOCK_DOUBLES doubles, five classes over a whole chunk at a time
        assumeLoaded();
        Random rnd = new Random(9);
        for (int d : new int[] {512, 515, 4096}) { // 48, 46 and 6 rows per chunk
            for (int rows : new int[] {47, 101, 13}) {
                int k = 10;
                double[] x = random(rnd, 5 + (k + rows) * d);
                assertLogitsAsTheSource(x, 1, 5 + k * d, rows, k, d, 0, rows + " rows, d = " + d);
            }
        }
    }

    @Test
    void rowStepBlockByBlockFromTheLastGivesTheBitsOfOneCall() {
        // a one-pass caller steps one block per call, from the last, prefetching the block before: the same numbers
        assumeLoaded();
        Random rnd = new Random(10);
        int k = 7;
        for (int d : new int[] {512, 515}) {
            int rows = 130;
            int block = NativeKernels.blockRows(d);
            int hOff = 2 + k * d;
            double[] x = random(rnd, hOff + rows * d);
            double[] g = random(rnd, rows * k);
            double[] acc = new double[k * d];
            double[] oneX = x.clone();
            double[] oneAcc = acc.clone();
            NativeKernels.stepRows(g, 0, oneX, 2, hOff, rows, k, d, -0.1, 0.98, true, oneAcc, 0);
            for (int r0 = (rows - 1) / block * block; r0 >= 0; r0 -= block) {
                NativeKernels.stepRows(g, r0 * k, x, 2, hOff + r0 * d, Math.min(block, rows - r0), k, d, -0.1, 0.98,
                        true, acc, 0, r0 > 0 ? block : 0);
            }
            assertArrayEquals(oneAcc, acc, "d = " + d);
            assertArrayEquals(oneX, x, "d = " + d);
        }
        double[] x = new double[4 * 8];
        assertThrows(IllegalArgumentException.class, // the rows to prefetch must lie in x before the step's rows
                () -> NativeKernels.stepRows(new double[2], 0, x, 0, 8, 1, 1, 8, -1, 1, false, new double[8], 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> NativeKernels.stepRows(new double[2], 0, x, 0, 8, 1, 1, 8, -1, 1, false, new double[8], 0, -1));
    }

    @Test
    void onePassBlocksGiveTheBitsOfTheThreeCallsBlockByBlock() {
        // one native call per range: logits, softmax and the row step of each block from the last, as a caller
        // making those calls one block at a time (with W copied, its rows a cache line further apart, inside)
        assumeLoaded();
        Random rnd = new Random(12);
        for (int d : new int[] {512, 515, 100, 1024}) {
            for (int k : new int[] {10, 7}) {
                for (boolean bias : new boolean[] {false, true}) {
                    int rows = 130;
                    int block = NativeKernels.blockRows(d);
                    int blocks = (rows + block - 1) / block;
                    int wOff = 1 + rnd.nextInt(4);
                    int bOff = bias ? wOff + k * d : -1;
                    int hOff = wOff + k * d + k + rnd.nextInt(4);
                    double[] x = random(rnd, hOff + rows * d);
                    int[] labels = new int[rows + 3];
                    for (int i = 0; i < labels.length; i++) {
                        labels[i] = rnd.nextInt(k);
                    }
                    double[] g = new double[2 + rows * k];
                    double[] acc = random(rnd, k * d);
                    double[] h2 = new double[blocks + 1];
                    double[] ce = new double[blocks + 1];
                    double[] x1 = x.clone();
                    double[] g1 = g.clone();
                    double[] acc1 = acc.clone();
                    double[] h21 = h2.clone();
                    double[] ce1 = ce.clone();
                    boolean clamp = k == 7;
                    for (int i = blocks - 1; i >= 0; i--) {
                        int r0 = i * block;
                        int n = Math.min(block, rows - r0);
                        h21[1 + i] = NativeKernels.logits(x1, wOff, hOff + r0 * d, n, k, d, g1, 2 + r0 * k);
                        ce1[1 + i] = NativeKernels.softmax(g1, 2 + r0 * k, n, k, x1, bOff, labels, 3 + r0, 0.01);
                        NativeKernels.stepRows(g1, 2 + r0 * k, x1, wOff, hOff + r0 * d, n, k, d, -0.2, 0.97, clamp,
                                acc1, 0, i > 0 ? block : 0);
                    }
                    NativeKernels.onePassBlocks(g, 2, x, wOff, bOff, hOff, rows, k, d, labels, 3, 0.01, -0.2, 0.97,
                            clamp, acc, 0, h2, ce, 1);
                    String what = "d = " + d + ", k = " + k + ", bias " + bias;
                    assertArrayEquals(h21, h2, what);
                    assertArrayEquals(ce1, ce, what);
                    assertArrayEquals(g1, g, what);
                    assertArrayEquals(acc1, acc, what);
                    assertArrayEquals(x1, x, what);
                }
            }
        }
    }

    @Test
    void onePassBlocksChecksItsRangesLabelsAndArraysBeforeTheNativeCall() {
        assumeLoaded();
        int k = 2;
        int d = 8;
        double[] x = new double[k * d + k + 3 * d];
        int hOff = k * d + k;
        double[] g = new double[3 * k];
        double[] acc = new double[k * d];
        double[] h2 = new double[1];
        double[] ce = new double[1];
        int[] labels = {0, 1, 1};
        NativeKernels.onePassBlocks(g, 0, x, 0, k * d, hOff, 3, k, d, labels, 0, 1, -1, 1, false, acc, 0, h2, ce, 0);
        assertThrows(IllegalArgumentException.class, () -> NativeKernels.onePassBlocks(g, 0, x, 0, k * d, hOff, 3, k,
                d, new int[] {0, 2, 1}, 0, 1, -1, 1, false, acc, 0, h2, ce, 0)); // label 2 of k = 2
        assertThrows(IndexOutOfBoundsException.class, () -> NativeKernels.onePassBlocks(g, 0, x, 0, k * d, hOff, 3,
                k, d, labels, 1, 1, -1, 1, false, acc, 0, h2, ce, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeKernels.onePassBlocks(g, 0, x, 0, k * d, hOff, 3,
                k, d, labels, 0, 1, -1, 1, false, acc, 0, h2, ce, 1)); // the block sums
        assertThrows(IllegalArgumentException.class, () -> NativeKernels.onePassBlocks(g, 0, x, 0, hOff, hOff, 3, k,
                d, labels, 0, 1, -1, 1, false, acc, 0, h2, ce, 0)); // b inside H
        assertThrows(IllegalArgumentException.class, () -> NativeKernels.onePassBlocks(g, 0, x, 0, k * d, hOff, 3, k,
                d, labels, 0, 1, -1, 1, false, acc, 0, h2, h2, 0)); // one array for both sums
        assertThrows(IndexOutOfBoundsException.class, () -> NativeKernels.onePassBlocks(g, 0, x, 0, k * d, hOff, 4,
                k, d, new int[4], 0, 1, -1, 1, false, acc, 0, h2, ce, 0)); // 4 rows: g and H too short
    }

    @Test
    void softmaxGivesTheJavaSoftmaxsProbabilitiesBitForBit() {
        // the operations of UfmSgdKernel's softmax with VectorRowKernels' exponential (exp1 is one lane of it):
        // every remainder of four entries, more than 16 rows (the logs of products of 16 row sums), with and without
        // bias, and logits far enough apart that some exponentials are 0
        assumeLoaded();
        Random rnd = new Random(11);
        for (int k : new int[] {1, 2, 3, 4, 5, 7, 10, 13}) {
            for (int rows : new int[] {1, 2, 3, 17, 48}) {
                for (boolean bias : new boolean[] {false, true}) {
                    double[] x = random(rnd, 3 + k);
                    int[] labels = new int[rows + 2];
                    for (int r = 0; r < labels.length; r++) {
                        labels[r] = rnd.nextInt(k);
                    }
                    double[] z = random(rnd, 1 + rows * k);
                    for (int i = 0; i < z.length; i++) {
                        z[i] *= i % 7 == 3 ? 400 : 3;
                    }
                    double[] expect = z.clone();
                    double ce = NativeKernels.softmax(z, 1, rows, k, x, bias ? 3 : -1, labels, 2, 0.25);
                    double expectCe = referenceSoftmax(expect, 1, rows, k, x, bias ? 3 : -1, labels, 2, 0.25);
                    String what = "k = " + k + ", " + rows + " rows, bias " + bias;
                    assertArrayEquals(expect, z, what);
                    assertEquals(expectCe, ce, 1e-14 * Math.abs(expectCe), what); // the log is the C library's
                }
            }
        }
        double[] z = new double[6];
        assertThrows(IllegalArgumentException.class, // the C side indexes the rows by the labels
                () -> NativeKernels.softmax(z, 0, 2, 3, z, -1, new int[] {0, 3}, 0, 1.0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeKernels.softmax(z, 0, 2, 3, z, -1, new int[] {0}, 0, 1.0));
        assertThrows(IllegalArgumentException.class,
                () -> NativeKernels.softmax(z, 0, 2, 3, z, 0, new int[] {0, 1}, 0, 1.0));
    }

    /** UfmSgdKernel's softmax on rows of z (the bias from x[bOff] when bOff ≥ 0), exp1 for every entry. */
    private static double referenceSoftmax(double[] z, int zOff, int rows, int k, double[] x, int bOff, int[] labels,
                                           int lOff, double scale) {
        double ce = 0;
        for (int t = 0; t < rows; t++) {
            int o = zOff + t * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double v = bOff >= 0 ? z[o + c] + x[bOff + c] : z[o + c];
                z[o + c] = v;
                if (v > max) {
                    max = v;
                }
            }
            for (int c = 0; c < k; c++) {
                z[o + c] -= max;
            }
            ce -= z[o + labels[lOff + t]];
        }
        for (int i = zOff; i < zOff + rows * k; i++) {
            z[i] = VectorRowKernels.exp1(z[i]);
        }
        double product = 1;
        for (int t = 0; t < rows; t++) {
            int o = zOff + t * k;
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += z[o + c];
            }
            product *= sum;
            if ((t & 15) == 15 || t == rows - 1) {
                ce += Math.log(product);
                product = 1;
            }
            double inv = scale / sum;
            for (int c = 0; c < k; c++) {
                z[o + c] *= inv;
            }
            z[o + labels[lOff + t]] -= scale;
        }
        return ce;
    }

    @Test
    void theClampIsTheJavaProjectionAlsoForMinusZeroAndNaN() {
        // y < 0 ? 0 : y keeps −0 and NaN (a max instruction would return +0 for both): row 1 has zero coefficients
        // and −0 features, so every column of it steps to −0; one feature of row 2 is NaN
        assumeLoaded();
        int k = 3;
        for (int d : new int[] {13, 21}) { // the 8-, 4-, 2- and 1-column tiles
            for (int wOff = 0; wOff < 4; wOff++) {
                int rows = 7;
                int hOff = wOff + k * d;
                Random rnd = new Random(d + wOff);
                double[] x = random(rnd, hOff + rows * d);
                double[] g = random(rnd, rows * k);
                java.util.Arrays.fill(g, k, 2 * k, 0.0);
                java.util.Arrays.fill(x, hOff + d, hOff + 2 * d, -0.0);
                x[hOff + 2 * d + 5] = Double.NaN;
                double[] acc = new double[k * d];
                double[] expectX = x.clone();
                double[] expectAcc = acc.clone();
                NativeKernels.stepRows(g, 0, x, wOff, hOff, rows, k, d, -0.3, 0.99, true, acc, 0);
                referenceStep(g, 0, expectX, wOff, hOff, rows, k, d, -0.3, 0.99, true, expectAcc, 0);
                assertArrayEquals(expectX, x, "d = " + d + ", offset " + wOff);
                assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(x[hOff + d + d - 1]));
                assertTrue(Double.isNaN(x[hOff + 2 * d + 5]));
            }
        }
    }

    @Test
    void rangesAndAliasingAreCheckedBeforeTheNativeCall() {
        assumeLoaded();
        double[] x = new double[2 * 8 + 3 * 8];
        double[] g = new double[3 * 2];
        double[] acc = new double[2 * 8];
        double[] z = new double[6];
        assertThrows(IndexOutOfBoundsException.class, () -> NativeKernels.logits(x, 0, 16, 4, 2, 8, z, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeKernels.logits(x, 0, 16, 3, 2, 8, z, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> NativeKernels.logits(x, -1, 16, 3, 2, 8, z, 0));
        assertThrows(IllegalArgumentException.class, () -> NativeKernels.logits(x, 0, 16, 3, 2, 8, x, 0));
        assertThrows(IllegalArgumentException.class, () -> NativeKernels.logits(x, 0, 16, 3, 0, 8, z, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeKernels.stepRows(g, 1, x, 0, 16, 3, 2, 8, -1, 1, false, acc, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> NativeKernels.stepRows(g, 0, x, 0, 16, 3, 2, 8, -1, 1, false, acc, 1));
        assertThrows(IllegalArgumentException.class,
                () -> NativeKernels.stepRows(g, 0, x, 0, 8, 3, 2, 8, -1, 1, false, acc, 0)); // W and H overlap
        double[] both = new double[2 * 8];
        assertThrows(IllegalArgumentException.class,
                () -> NativeKernels.stepRows(both, 0, x, 0, 16, 3, 2, 8, -1, 1, false, both, 0));
        assertThrows(IllegalArgumentException.class,
                () -> NativeKernels.stepRows(x, 0, x, 0, 16, 3, 2, 8, -1, 1, false, acc, 0));
    }

    @Test
    void withoutTheKernelsTheCallsSayWhy() {
        assumeTrue(!NativeKernels.available(), "the kernels are loaded here");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NativeKernels.logits(new double[8], 0, 4, 1, 1, 4, new double[1], 0));
        assertTrue(e.getMessage().contains("not loaded"));
    }

    /** The native logits and Σ‖h‖² against {@link #referenceLogits}, bit for bit (z written from zOff). */
    private static void assertLogitsAsTheSource(double[] x, int wOff, int hOff, int rows, int k, int d, int zOff,
                                                String what) {
        double[] z = new double[zOff + rows * k + 2];
        double[] expect = z.clone();
        double h2 = NativeKernels.logits(x, wOff, hOff, rows, k, d, z, zOff);
        double expectH2 = referenceLogits(x, wOff, hOff, rows, k, d, expect, zOff);
        assertArrayEquals(expect, z, what);
        assertEquals(expectH2, h2, what);
    }

    /** The C source's logits: lanes by t mod 4 over the groups of four, (l0 + l1) + (l2 + l3), then the rest. */
    private static double referenceLogits(double[] x, int wOff, int hOff, int rows, int k, int d, double[] z,
                                          int zOff) {
        double even = 0;
        double odd = 0;
        for (int r = 0; r < rows; r++) {
            int h = hOff + r * d;
            for (int c = 0; c < k; c++) {
                z[zOff + r * k + c] = laneDot(x, h, x, wOff + c * d, d);
            }
            double n = laneDot(x, h, x, h, d);
            boolean secondOfPair = (r & 1) == 1;
            if (secondOfPair) {
                odd += n;
            } else {
                even += n;
            }
        }
        return even + odd;
    }

    private static double laneDot(double[] a, int ai, double[] b, int bi, int d) {
        double[] lane = new double[4];
        int full = d & ~3;
        for (int t = 0; t < full; t++) {
            lane[t & 3] = Math.fma(a[ai + t], b[bi + t], lane[t & 3]);
        }
        double v = (lane[0] + lane[1]) + (lane[2] + lane[3]);
        for (int t = full; t < d; t++) {
            v = Math.fma(a[ai + t], b[bi + t], v);
        }
        return v;
    }

    /**
     * The C source's row step, block by block from the last: each ∇W entry one chain over the block's rows, added
     * into acc; then the block's rows stepped.
     */
    private static void referenceStep(double[] g, int gOff, double[] x, int wOff, int hOff, int rows, int k, int d,
                                      double alpha, double keep, boolean clamp, double[] acc, int accOff) {
        int block = NativeKernels.blockRows(d);
        for (int b = (rows + block - 1) / block - 1; b >= 0; b--) { // the last block first
            int r0 = b * block;
            int n = Math.min(block, rows - r0);
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int r = r0; r < r0 + n; r++) {
                        s = Math.fma(g[gOff + r * k + c], x[hOff + r * d + j], s);
                    }
                    acc[accOff + c * d + j] += s;
                }
            }
            for (int r = r0; r < r0 + n; r++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int c = 0; c < k; c++) {
                        s = Math.fma(g[gOff + r * k + c], x[wOff + c * d + j], s);
                    }
                    int at = hOff + r * d + j;
                    double y = Math.fma(alpha, s, keep * x[at]);
                    x[at] = clamp && y < 0 ? 0 : y;
                }
            }
        }
    }

    private static double[] random(Random rnd, int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }
}
