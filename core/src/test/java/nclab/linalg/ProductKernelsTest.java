package nclab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * {@link ProductKernels}: the vector tiles against the plain loops, over every remainder of the tiles (rows mod 6, 2;
 * classes mod 5, 4; columns mod 8, 4), at offsets, with the output beside B in one array.
 */
class ProductKernelsTest {
    private static final int[] ROWS = {1, 2, 3, 5, 6, 7, 8, 13};
    private static final int[] CLASSES = {1, 2, 3, 4, 5, 6, 9, 10, 14};
    private static final int[] DIMS = {1, 3, 4, 7, 8, 12, 13, 16, 21};

    private static ProductKernels vector() {
        ProductKernels best = ProductKernels.best();
        assumeTrue(best.name().equals("vector"), "the vector kernels are not in use in this JVM");
        return best;
    }

    private static double[] random(Random rnd, int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void scaleAddAndTransAAddGiveThePlainLoopsBitsForEveryRemainder() {
        ProductKernels vector = vector();
        ProductKernels scalar = ProductKernels.scalar();
        Random rnd = new Random(11);
        for (int n : ROWS) {
            for (int m : CLASSES) {
                for (int d : DIMS) {
                    String what = n + "×" + m + "×" + d;
                    double[] a = random(rnd, 3 + n * m);
                    // B (m×d) at offset 5, the output (n×d) after it in the same array: the UFM step's W and H
                    double[] x = random(rnd, 5 + m * d + n * d);
                    int outOff = 5 + m * d;
                    for (double[] ab : new double[][] {{1.0, 1.0}, {-0.3, 0.97}}) {
                        double[] expect = x.clone();
                        scalar.multiplyScaleAdd(a, 3, n, m, expect, 5, d, ab[0], ab[1], expect, outOff);
                        double[] got = x.clone();
                        vector.multiplyScaleAdd(a, 3, n, m, got, 5, d, ab[0], ab[1], got, outOff);
                        assertArrayEquals(expect, got, 0.0, what + " β·out + α·A B, α = " + ab[0]);
                    }
                    double[] b = random(rnd, 2 + n * d);
                    double[] g = random(rnd, 3 + n * m);
                    double[] expect = random(rnd, 4 + m * d);
                    double[] got = expect.clone();
                    scalar.multiplyTransAAdd(g, 3, n, m, b, 2, d, expect, 4);
                    vector.multiplyTransAAdd(g, 3, n, m, b, 2, d, got, 4);
                    assertArrayEquals(expect, got, 0.0, what + " out += Aᵀ B");
                }
            }
        }
    }

    @Test
    void transBSumsInItsStatedLaneOrderAndMatchesThePlainLoops() {
        ProductKernels vector = vector();
        ProductKernels scalar = ProductKernels.scalar();
        Random rnd = new Random(12);
        for (int n : ROWS) {
            for (int m : CLASSES) {
                for (int d : DIMS) {
                    String what = n + "×" + m + "×" + d;
                    double[] a = random(rnd, 2 + n * d);
                    double[] b = random(rnd, 3 + m * d);
                    double[] got = new double[1 + n * m];
                    vector.multiplyTransB(a, 2, n, b, 3, m, d, got, 1);
                    double[] plain = new double[1 + n * m];
                    scalar.multiplyTransB(a, 2, n, b, 3, m, d, plain, 1);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < m; j++) {
                            int full = d & -4;
                            double[] lanes = new double[4];
                            for (int t = 0; t < full; t++) {
                                lanes[t % 4] = Math.fma(a[2 + i * d + t], b[3 + j * d + t], lanes[t % 4]);
                            }
                            double s = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
                            for (int t = full; t < d; t++) {
                                s = Math.fma(a[2 + i * d + t], b[3 + j * d + t], s);
                            }
                            int o = 1 + i * m + j;
                            assertEquals(s, got[o], 0.0, what + " [" + i + "][" + j + "] in the lane order");
                            assertEquals(plain[o], got[o], 1e-13 * Math.sqrt(d), what + " [" + i + "][" + j + "]");
                        }
                    }
                    assertEquals(0.0, got[0], 0.0, what + ": nothing written before the offset");
                }
            }
        }
    }

    @Test
    void rangesOutsideTheArraysAreRefusedBeforeAnyAccess() {
        ProductKernels vector = vector();
        double[] a = new double[4 * 8];
        double[] b = new double[3 * 8];
        double[] out = new double[4 * 3];
        assertThrows(IndexOutOfBoundsException.class, () -> vector.multiplyTransB(a, 1, 4, b, 0, 3, 8, out, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> vector.multiplyTransB(a, 0, 4, b, 0, 3, 8, out, 1));
        double[] g = new double[4 * 3];
        double[] h = new double[4 * 8];
        assertThrows(IndexOutOfBoundsException.class,
                () -> vector.multiplyScaleAdd(g, 0, 4, 3, b, 1, 8, 1.0, 1.0, h, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> vector.multiplyTransAAdd(g, 0, 4, 3, h, 0, 8, new double[3 * 8 - 1], 0));
    }
}
