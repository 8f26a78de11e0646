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
                FmaKernel.multiplyTransB(a, n, b, m, d, out);
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
}
