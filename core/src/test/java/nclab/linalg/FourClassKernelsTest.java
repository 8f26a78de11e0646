package nclab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Contract of {@link FourClassKernels}: each implementation against plain loops written from the formulas (logits,
 * softmax cross-entropy, the gradient step with and without Π), bit for bit against the same step composed of the
 * {@link RowKernels} of its kind (the operation order the interface documents), at row counts and widths that leave
 * odd rows and feature tails, cold against compiled, and with bad ranges rejected before any access.
 */
class FourClassKernelsTest {
    private static final int[] ROWS = {1, 2, 5, 33, 70};
    private static final int[] WIDTHS = {1, 3, 4, 7, 64, 65};

    private static List<FourClassKernels> implementations() {
        List<FourClassKernels> list = new ArrayList<>(List.of(FourClassKernels.scalar()));
        if (FourClassKernels.best() != FourClassKernels.scalar()) {
            list.add(FourClassKernels.best());
        }
        return list;
    }

    /** The row kernels of the same kind as four (their composition is the documented operation order). */
    private static RowKernels rowKernelsOf(FourClassKernels four) {
        return four.name().equals("vector") ? RowKernels.best() : RowKernels.scalar();
    }

    @Test
    void logitsAndSquaredNormsMatchPlainLoops() {
        for (FourClassKernels four : implementations()) {
            for (int rows : ROWS) {
                for (int d : WIDTHS) {
                    int w = 3;
                    int h = w + 4 * d + 2;
                    double[] x = random(h + rows * d + 5, 31L * rows + d);
                    double[] z = new double[4 * rows + 6];
                    double squares = four.logits(x, w, h, rows, d, z, 6);
                    double expectSquares = 0;
                    for (int t = 0; t < rows; t++) {
                        for (int c = 0; c < 4; c++) {
                            double dot = 0;
                            for (int j = 0; j < d; j++) {
                                dot += x[w + c * d + j] * x[h + t * d + j];
                            }
                            assertEquals(dot, z[6 + 4 * t + c], 1e-13 * d, four.name() + " logit " + t + "," + c);
                        }
                        for (int j = 0; j < d; j++) {
                            expectSquares += x[h + t * d + j] * x[h + t * d + j];
                        }
                    }
                    assertEquals(expectSquares, squares, 1e-12 * expectSquares, four.name() + " Σ‖h‖², rows " + rows);
                    assertEquals(0.0, z[5], 0.0, "nothing written before zo");
                }
            }
        }
    }

    @Test
    void softmaxGivesScaledProbabilitiesMinusTheLabelAndTheCrossEntropy() {
        for (FourClassKernels four : implementations()) {
            for (int rows : ROWS) {
                for (boolean bias : new boolean[] {false, true}) {
                    double[] z = random(4 * rows + 1, 7L * rows);
                    for (int i = 0; i < z.length; i++) {
                        z[i] *= 30; // logits far apart: exponentials down to e^-120
                    }
                    z[1] = 900; // one row whose other classes underflow to 0
                    double[] b = bias ? new double[] {9, 0.5, -0.25, 1.5, -2.0} : null;
                    int[] labels = new int[rows + 2];
                    for (int t = 0; t < labels.length; t++) {
                        labels[t] = (3 * t + 1) % 4;
                    }
                    double scale = 0.125;
                    double[] g = z.clone();
                    double ce = four.softmax(g, 1, rows, b, 1, labels, 2, scale);
                    double expectCe = 0;
                    for (int t = 0; t < rows; t++) {
                        double[] s = new double[4];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int c = 0; c < 4; c++) {
                            s[c] = z[1 + 4 * t + c] + (bias ? b[1 + c] : 0);
                            max = Math.max(max, s[c]);
                        }
                        double sum = 0;
                        for (int c = 0; c < 4; c++) {
                            sum += Math.exp(s[c] - max);
                        }
                        int y = labels[2 + t];
                        expectCe += Math.log(sum) - (s[y] - max);
                        for (int c = 0; c < 4; c++) {
                            double want = scale * (Math.exp(s[c] - max) / sum - (c == y ? 1 : 0));
                            assertEquals(want, g[1 + 4 * t + c], 1e-15, four.name() + " g " + t + "," + c);
                        }
                    }
                    assertEquals(expectCe, ce, 1e-12 * Math.max(1, expectCe), four.name() + " Σ CE, rows " + rows);
                    assertEquals(z[0], g[0], 0.0, "nothing written before zo");
                }
            }
        }
    }

    @Test
    void stepMatchesTheGradientStepWrittenOut() {
        for (FourClassKernels four : implementations()) {
            for (int rows : ROWS) {
                for (int d : WIDTHS) {
                    for (boolean nonNegative : new boolean[] {false, true}) {
                        int w = 2;
                        int h = w + 4 * d + 1;
                        double[] x = random(h + rows * d + 3, 11L * rows + d);
                        double[] g = random(4 * rows + 3, 5L * rows + d);
                        double lambdaW = 0.03;
                        double lambdaH = 0.02;
                        double eta = 0.4;
                        double[] expect = x.clone();
                        for (int c = 0; c < 4; c++) {
                            for (int j = 0; j < d; j++) {
                                double s = lambdaW * x[w + c * d + j];
                                for (int t = 0; t < rows; t++) {
                                    s += g[3 + 4 * t + c] * x[h + t * d + j];
                                }
                                expect[w + c * d + j] = x[w + c * d + j] - eta * s;
                            }
                        }
                        for (int t = 0; t < rows; t++) {
                            for (int j = 0; j < d; j++) {
                                double grad = lambdaH * x[h + t * d + j];
                                for (int c = 0; c < 4; c++) {
                                    grad += g[3 + 4 * t + c] * x[w + c * d + j];
                                }
                                double v = x[h + t * d + j] - eta * grad;
                                expect[h + t * d + j] = nonNegative ? Math.max(v, 0) : v;
                            }
                        }
                        double[] coefficients = g.clone();
                        for (int i = 0; i < coefficients.length; i++) {
                            coefficients[i] *= -eta;
                        }
                        double[] y = x.clone();
                        four.step(y, w, h, rows, d, coefficients, 3, 1 - eta * lambdaW, 1 - eta * lambdaH, nonNegative,
                                new double[4 * d + 1]);
                        String what = four.name() + " rows " + rows + " d " + d + " Π " + nonNegative;
                        assertArrayEquals(expect, y, 1e-13, what);
                        if (nonNegative) {
                            for (int i = h; i < h + rows * d; i++) {
                                assertTrue(y[i] >= 0, what + " Π leaves no negative entry");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void rowsSplitInTwoPartsGiveTheStepAndLeaveWForTheCaller() {
        for (FourClassKernels four : implementations()) {
            for (int rows : new int[] {2, 33, 70}) {
                for (int d : new int[] {3, 64, 65}) {
                    for (boolean nonNegative : new boolean[] {false, true}) {
                        String what = four.name() + ", rows " + rows + ", d " + d + ", Π " + nonNegative;
                        int h = 4 * d;
                        double[] x0 = random(h + rows * d, 7L * rows + d);
                        double[] c = random(4 * rows, 11L * rows + d);
                        double keepW = 0.99;
                        double keepH = 0.98;
                        double[] whole = x0.clone();
                        four.step(whole, 0, h, rows, d, c, 0, keepW, keepH, nonNegative, new double[4 * d]);
                        double[] parts = x0.clone();
                        double[] first = new double[4 * d];
                        for (int i = 0; i < 4 * d; i++) {
                            first[i] = keepW * x0[i];
                        }
                        double[] second = new double[4 * d];
                        int split = rows / 2;
                        four.stepRows(parts, 0, h, split, d, c, 0, keepH, nonNegative, first);
                        four.stepRows(parts, 0, h + split * d, rows - split, d, c, 4 * split, keepH, nonNegative,
                                second);
                        for (int i = 0; i < 4 * d; i++) {
                            assertEquals(x0[i], parts[i], 0.0, what + ": W is only read");
                            assertEquals(whole[i], first[i] + second[i], 1e-13 * rows, what + ": new W " + i);
                        }
                        for (int i = h; i < x0.length; i++) {
                            assertEquals(whole[i], parts[i], 0.0, what + ": row entry " + i + " (each row on its own)");
                        }
                    }
                }
            }
        }
    }

    @Test
    void logitsOfRowsAnywhereInXAreThoseOfTheSameRowsInABlockBitForBit() {
        for (FourClassKernels four : implementations()) {
            for (int rows : new int[] {1, 2, 4, 7}) {
                for (int d : new int[] {1, 3, 4, 64, 65}) {
                    String what = four.name() + ", rows " + rows + ", d " + d;
                    int h = 4 * d + 3;
                    double[] block = random(h + rows * d, 17L * rows + d);
                    double[] spreadX = random(h + 10 * rows * d, 19L * rows + d);
                    System.arraycopy(block, 0, spreadX, 0, h);
                    int[] rowsAt = new int[rows + 1];
                    for (int t = 0; t < rows; t++) {
                        rowsAt[t] = h + ((t * 7 + 3) % (10 * rows)) * d;
                        System.arraycopy(block, h + t * d, spreadX, rowsAt[t], d);
                    }
                    double[] zBlock = new double[4 * rows + 2];
                    double[] zSpread = new double[4 * rows + 2];
                    double squares = four.logits(block, 0, h, rows, d, zBlock, 2);
                    assertEquals(squares, four.logitsAt(spreadX, 0, rowsAt, rows, d, zSpread, 2), 0.0, what + ": Σ‖h‖²");
                    assertArrayEquals(zBlock, zSpread, 0.0, what + ": logits");
                }
            }
        }
    }

    @Test
    void rowsAnywhereInXStepAsTheSameRowsInABlockBitForBit() {
        for (FourClassKernels four : implementations()) {
            for (int rows : new int[] {1, 2, 4, 7}) {
                for (int d : new int[] {1, 3, 4, 64, 65}) {
                    for (boolean nonNegative : new boolean[] {false, true}) {
                        String what = four.name() + ", rows " + rows + ", d " + d + ", Π " + nonNegative;
                        int h = 4 * d + 3;
                        int spread = 10; // rows of the spread copy at x[h + perm(t)·d], out of order, gaps between
                        double[] block = random(h + rows * d, 5L * rows + d);
                        double[] spreadX = random(h + spread * rows * d, 9L * rows + d);
                        System.arraycopy(block, 0, spreadX, 0, h);
                        int[] rowsAt = new int[rows + 2];
                        for (int t = 0; t < rows; t++) {
                            rowsAt[t] = h + ((t * 7 + 3) % (spread * rows)) * d;
                            System.arraycopy(block, h + t * d, spreadX, rowsAt[t], d);
                        }
                        double[] c = random(4 * rows + 4, 13L * rows + d);
                        double[] wBlock = random(4 * d, 3);
                        double[] wSpread = wBlock.clone();
                        four.stepRows(block, 0, h, rows, d, c, 4, 0.97, nonNegative, wBlock);
                        double[] spreadBefore = spreadX.clone();
                        four.stepRowsAt(spreadX, 0, rowsAt, rows, d, c, 4, 0.97, nonNegative, wSpread);
                        assertArrayEquals(wBlock, wSpread, 0.0, what + ": W's share");
                        boolean[] isRow = new boolean[spreadX.length];
                        for (int t = 0; t < rows; t++) {
                            for (int j = 0; j < d; j++) {
                                assertEquals(block[h + t * d + j], spreadX[rowsAt[t] + j], 0.0, what + ": row " + t);
                                isRow[rowsAt[t] + j] = true;
                            }
                        }
                        for (int i = 0; i < spreadX.length; i++) {
                            if (!isRow[i]) {
                                assertEquals(spreadBefore[i], spreadX[i], 0.0, what + ": untouched entry " + i);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void eachImplementationIsItsRowKernelsComposedBitForBit() {
        for (FourClassKernels four : implementations()) {
            RowKernels ops = rowKernelsOf(four);
            for (int rows : ROWS) {
                for (int d : WIDTHS) {
                    int h = 4 * d;
                    double[] x = random(h + rows * d, 13L * rows + d);
                    int[] labels = new int[rows];
                    for (int t = 0; t < rows; t++) {
                        labels[t] = t % 4;
                    }
                    double[] bias = {0.25, -0.5, 0.75, 0.0};
                    String what = four.name() + " rows " + rows + " d " + d;

                    double[] z = new double[4 * rows];
                    four.logits(x, 0, h, rows, d, z, 0);
                    double[] expectZ = new double[4 * rows];
                    int t = 0;
                    for (; t + 1 < rows; t += 2) {
                        ops.dots2x4(x, h + t * d, h + (t + 1) * d, 0, d, d, expectZ, 4 * t, 4 * t + 4);
                    }
                    if (t < rows) {
                        ops.dots1x4(x, h + t * d, 0, d, d, expectZ, 4 * t);
                    }
                    assertArrayEquals(expectZ, z, 0.0, what + " logits");

                    double[] g = z.clone();
                    double ce = four.softmax(g, 0, rows, bias, 0, labels, 0, 1.0 / rows);
                    double[] expectG = z.clone();
                    assertEquals(softmaxComposed(ops, expectG, rows, bias, labels, 1.0 / rows), ce, 0.0, what + " CE");
                    assertArrayEquals(expectG, g, 0.0, what + " softmax");

                    for (boolean nonNegative : new boolean[] {false, true}) {
                        double[] y = x.clone();
                        four.step(y, 0, h, rows, d, g, 0, 0.97, 0.98, nonNegative, new double[4 * d]);
                        assertArrayEquals(stepComposed(ops, x, h, rows, d, g, 0.97, 0.98, nonNegative), y, 0.0,
                                what + " step, Π " + nonNegative);
                    }
                }
            }
        }
    }

    /** The softmax as UfmSgdKernel writes it with the row kernels: shift, exponentiate the block, normalise. */
    private static double softmaxComposed(RowKernels ops, double[] z, int rows, double[] b, int[] labels, double scale) {
        double ce = 0;
        for (int t = 0; t < rows; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 4; c++) {
                z[4 * t + c] += b[c];
                if (z[4 * t + c] > max) {
                    max = z[4 * t + c];
                }
            }
            for (int c = 0; c < 4; c++) {
                z[4 * t + c] -= max;
            }
            ce -= z[4 * t + labels[t]];
        }
        ops.expNonPositive(z, 0, 4 * rows);
        double product = 1;
        for (int t = 0; t < rows; t++) {
            double sum = 0;
            for (int c = 0; c < 4; c++) {
                sum += z[4 * t + c];
            }
            product *= sum;
            if (t % 16 == 15 || t == rows - 1) {
                ce += Math.log(product);
                product = 1;
            }
            for (int c = 0; c < 4; c++) {
                z[4 * t + c] *= scale / sum;
            }
            z[4 * t + labels[t]] -= scale;
        }
        return ce;
    }

    /** The new W by axpy over the rows in order from keepW·W, each row by combine4 from the old W, then Π. */
    private static double[] stepComposed(RowKernels ops, double[] x0, int h, int rows, int d, double[] c, double keepW,
                                         double keepH, boolean nonNegative) {
        double[] x = x0.clone();
        double[] next = new double[4 * d];
        for (int i = 0; i < 4 * d; i++) {
            next[i] = keepW * x[i];
        }
        for (int t = 0; t < rows; t++) {
            for (int k = 0; k < 4; k++) {
                ops.axpy(c[4 * t + k], x, h + t * d, next, k * d, d);
            }
        }
        for (int t = 0; t < rows; t++) {
            int r = h + t * d;
            ops.combine4(x, 0, d, 2 * d, 3 * d, c[4 * t], c[4 * t + 1], c[4 * t + 2], c[4 * t + 3], keepH, x, r, x, r, d);
            for (int j = r; nonNegative && j < r + d; j++) {
                x[j] = x[j] < 0 ? 0 : x[j];
            }
        }
        System.arraycopy(next, 0, x, 0, 4 * d);
        return x;
    }

    @Test
    void theFirstCallsGiveTheBitsOfTheCompiledCode() {
        for (FourClassKernels four : implementations()) {
            double[] cold = results(four);
            for (int i = 0; i < 3_000; i++) {
                results(four);
            }
            assertArrayEquals(cold, results(four), 0.0, four.name());
        }
    }

    /** The three kernels once on fixed inputs (odd rows, a feature tail): logits, Σ‖h‖², CE, g, the stepped x. */
    private static double[] results(FourClassKernels four) {
        int rows = 41;
        int d = 67;
        int h = 4 * d;
        double[] x = random(h + rows * d, 99);
        int[] labels = new int[rows];
        for (int t = 0; t < rows; t++) {
            labels[t] = (t * 7) % 4;
        }
        double[] z = new double[4 * rows];
        double squares = four.logits(x, 0, h, rows, d, z, 0);
        double[] g = z.clone();
        double ce = four.softmax(g, 0, rows, new double[] {0.5, -1, 0, 2}, 0, labels, 0, -0.3 / rows);
        four.step(x, 0, h, rows, d, g, 0, 0.997, 0.994, false, new double[4 * d]);
        double[] out = new double[z.length + g.length + x.length + 2];
        System.arraycopy(z, 0, out, 0, z.length);
        System.arraycopy(g, 0, out, z.length, g.length);
        System.arraycopy(x, 0, out, 2 * z.length, x.length);
        out[out.length - 2] = squares;
        out[out.length - 1] = ce;
        return out;
    }

    @Test
    void badRangesAndLabelsAreRejectedBeforeAnyAccess() {
        for (FourClassKernels four : implementations()) {
            int d = 8;
            int rows = 5;
            double[] x = new double[4 * d + rows * d];
            double[] z = new double[4 * rows];
            double[] wGrad = new double[4 * d];
            int[] labels = new int[rows];
            String name = four.name();
            assertThrows(IndexOutOfBoundsException.class, () -> four.logits(x, 0, 4 * d, rows + 1, d, z, 0), name);
            assertThrows(IndexOutOfBoundsException.class, () -> four.logits(x, -1, 4 * d, rows, d, z, 0), name);
            assertThrows(IndexOutOfBoundsException.class, () -> four.logits(x, 0, 4 * d, rows, d, z, 1), name);
            assertThrows(IndexOutOfBoundsException.class, () -> four.softmax(z, 4, rows, null, 0, labels, 0, 1), name);
            assertThrows(IndexOutOfBoundsException.class, () -> four.softmax(z, 0, rows, new double[3], 0, labels, 0, 1),
                    name);
            labels[2] = 4;
            assertThrows(IllegalArgumentException.class, () -> four.softmax(z.clone(), 0, rows, null, 0, labels, 0, 1),
                    name + ": a fifth class");
            assertThrows(IndexOutOfBoundsException.class,
                    () -> four.step(x, 0, 4 * d + 1, rows, d, z, 0, 1, 1, false, wGrad), name);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> four.step(x, 0, 4 * d, rows, d, z, 4, 1, 1, false, wGrad), name);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> four.step(x, 0, 4 * d, rows, d, z, 0, 1, 1, false, new double[4 * d - 1]), name);
            IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class,
                    () -> four.step(x, 0, 3 * d, rows, d, z, 0, 1, 1, false, wGrad), name);
            assertTrue(overlap.getMessage().contains("overlap"), overlap.getMessage());
            int[] rowsAt = {4 * d, 5 * d, 6 * d, 7 * d, 8 * d};
            assertThrows(IndexOutOfBoundsException.class,
                    () -> four.stepRowsAt(x, 0, rowsAt, rows + 1, d, z, 0, 1, false, wGrad), name + ": offsets");
            assertThrows(IndexOutOfBoundsException.class,
                    () -> four.stepRowsAt(x, 0, new int[] {4 * d, 8 * d + 1}, 2, d, z, 0, 1, false, wGrad), name);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> four.stepRowsAt(x, 0, rowsAt, rows, d, z, 4, 1, false, wGrad), name + ": coefficients");
            assertThrows(IndexOutOfBoundsException.class,
                    () -> four.logitsAt(x, 0, rowsAt, rows + 1, d, new double[4 * rows + 4], 0), name + ": offsets");
            assertThrows(IndexOutOfBoundsException.class,
                    () -> four.logitsAt(x, 0, new int[] {4 * d, 8 * d + 1}, 2, d, z, 0), name + ": a row");
            assertThrows(IndexOutOfBoundsException.class, () -> four.logitsAt(x, 0, rowsAt, rows, d, z, 1), name);
            IllegalArgumentException rowOnW = assertThrows(IllegalArgumentException.class,
                    () -> four.stepRowsAt(x, 0, new int[] {4 * d, 3 * d}, 2, d, z, 0, 1, false, wGrad), name);
            assertTrue(rowOnW.getMessage().contains("overlap"), rowOnW.getMessage());
        }
    }

    private static double[] random(int n, long seed) {
        return RowKernelsTest.random(n, seed);
    }
}
