package nclab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class BlockProductsTest {

    @Test
    void kernelMatchesNaiveProductsForAllRemainders() {
        Random rnd = new Random(5);
        for (int n : new int[] {1, 4, 7}) {
            for (int m : new int[] {1, 2, 3, 4, 5, 6, 7, 10}) {
                int d = 5;
                double[] a = new double[n * d];
                double[] b = new double[m * d];
                for (int i = 0; i < a.length; i++) {
                    a[i] = rnd.nextGaussian();
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = rnd.nextGaussian();
                }
                double[] out = new double[n * m];
                FmaKernel.multiplyTransB(a, 0, n, b, 0, m, d, out, 0);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        double s = 0;
                        for (int t = 0; t < d; t++) {
                            s += a[i * d + t] * b[j * d + t];
                        }
                        assertEquals(s, out[i * m + j], 1e-13, n + "x" + m + " [" + i + "][" + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void nativeProductsSplitIntoSeveralCallsMatchNaiveProductsAndRepeatBitForBit() {
        NativeBlas.startLoading();
        BlockProducts products = BlockProducts.best();
        assumeTrue(products.isNative(), "no native BLAS on this machine");
        Random rnd = new Random(6);
        int n = 128;
        int m = 10;
        int d = 512; // m·d = 5120: dgemm calls of 51 rows, three for the block
        double[] a = new double[n * d];
        double[] b = new double[m * d];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextGaussian();
        }
        double[] out = new double[n * m];
        products.multiplyTransB(a, n, b, m, d, out);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int t = 0; t < d; t++) {
                    s += a[i * d + t] * b[j * d + t];
                }
                assertEquals(s, out[i * m + j], 1e-11, "[" + i + "][" + j + "]");
            }
        }
        double[] again = new double[n * m];
        products.multiplyTransB(a, n, b, m, d, again);
        assertArrayEquals(out, again, 0.0);
    }
    private static double[] gaussian(Random rnd, int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }

    /** Checks the offset products (A·B, Aᵀ·B accumulated, A·Bᵀ) against plain loops, and a repeat bit for bit. */
    private static void checkOffsetProducts(BlockProducts products, int n, int m, int d, double tol) {
        Random rnd = new Random(7 + n + m + d);
        int aOff = 3;
        int bOff = 5;
        int outOff = 2;
        double[] a = gaussian(rnd, aOff + n * m);       // A n×m
        double[] bw = gaussian(rnd, bOff + m * d);      // B m×d
        double[] bh = gaussian(rnd, bOff + n * d);      // B n×d
        double[] start = gaussian(rnd, outOff + n * d); // initial out (added to)

        double[] ab = start.clone();
        products.multiplyAdd(a, aOff, n, m, bw, bOff, d, ab, outOff);
        double[] scaled = start.clone();
        products.multiplyScaleAdd(a, aOff, n, m, bw, bOff, d, -0.3, 0.99, scaled, outOff);
        double[] atb = java.util.Arrays.copyOf(start, outOff + m * d);
        products.multiplyTransAAdd(a, aOff, n, m, bh, bOff, d, atb, outOff);
        double[] abt = new double[outOff + n * m];
        products.multiplyTransB(bh, bOff, n, bw, bOff, m, d, abt, outOff);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                double s = start[outOff + i * d + t];
                for (int j = 0; j < m; j++) {
                    s += a[aOff + i * m + j] * bw[bOff + j * d + t];
                }
                assertEquals(s, ab[outOff + i * d + t], tol, "A·B [" + i + "][" + t + "]");
                double prod = s - start[outOff + i * d + t];
                assertEquals(0.99 * start[outOff + i * d + t] - 0.3 * prod, scaled[outOff + i * d + t], tol,
                        "0.99·out − 0.3·A·B [" + i + "][" + t + "]");
            }
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int t = 0; t < d; t++) {
                    s += bh[bOff + i * d + t] * bw[bOff + j * d + t];
                }
                assertEquals(s, abt[outOff + i * m + j], tol, "A·Bᵀ [" + i + "][" + j + "]");
            }
        }
        for (int j = 0; j < m; j++) {
            for (int t = 0; t < d; t++) {
                double s = start[outOff + j * d + t];
                for (int i = 0; i < n; i++) {
                    s += a[aOff + i * m + j] * bh[bOff + i * d + t];
                }
                assertEquals(s, atb[outOff + j * d + t], tol * Math.sqrt(n), "Aᵀ·B [" + j + "][" + t + "]");
            }
        }
        assertEquals(start[0], ab[0], 0.0, "entries before the offset are untouched");
        assertEquals(start[1], atb[1], 0.0, "entries before the offset are untouched");
        assertEquals(start[1], scaled[1], 0.0, "entries before the offset are untouched");
        double[] again = start.clone();
        products.multiplyAdd(a, aOff, n, m, bw, bOff, d, again, outOff);
        assertArrayEquals(ab, again, 0.0);
        again = start.clone();
        products.multiplyScaleAdd(a, aOff, n, m, bw, bOff, d, -0.3, 0.99, again, outOff);
        assertArrayEquals(scaled, again, 0.0);
        again = java.util.Arrays.copyOf(start, outOff + m * d);
        products.multiplyTransAAdd(a, aOff, n, m, bh, bOff, d, again, outOff);
        assertArrayEquals(atb, again, 0.0);
        again = new double[outOff + n * m];
        products.multiplyTransB(bh, bOff, n, bw, bOff, m, d, again, outOff);
        assertArrayEquals(abt, again, 0.0);
    }

    @Test
    void javaOffsetProductsMatchPlainLoops() {
        BlockProducts java = BlockProducts.javaKernel();
        checkOffsetProducts(java, 7, 3, 5, 1e-13);
        checkOffsetProducts(java, 130, 10, 64, 1e-12);
    }

    @Test
    void nativeOffsetProductsSplitIntoSeveralCallsMatchPlainLoopsAndRepeatBitForBit() {
        NativeBlas.startLoading();
        BlockProducts products = BlockProducts.best();
        assumeTrue(products.isNative(), "no native BLAS on this machine");
        checkOffsetProducts(products, 7, 3, 5, 1e-13);
        checkOffsetProducts(products, 130, 10, 512, 1e-11); // 51 rows per dgemm call: three calls, the last short
    }
}
