package nclab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Contract of {@link RowKernels}: every implementation (scalar always; vector when its module is loaded, as in
 * these tests' JVM) against a plain, independently written double loop, at lengths that are and are not multiples
 * of the vector width (tails), with offsets, and with the aliasing the contract allows (in-place steps).
 */
class RowKernelsTest {
    private static final int[] LENGTHS = {1, 3, 4, 7, 64, 65, 130};

    private static List<RowKernels> implementations() {
        List<RowKernels> list = new ArrayList<>(List.of(RowKernels.scalar()));
        if (RowKernels.best() != RowKernels.scalar()) {
            list.add(RowKernels.best());
        }
        return list;
    }

    @Test
    void theTestJvmUsesTheVectorKernelsLikeTheLauncher() {
        assertTrue(RowKernels.vectorModuleLoaded(), "surefire passes --add-modules jdk.incubator.vector");
        assertEquals("vector", RowKernels.best().name());
        assertEquals(List.of("--add-modules", "jdk.incubator.vector", "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0"),
                RowKernels.childJvmOptions());
        assertEquals("0", System.getProperty(RowKernels.UNCHECKED_VECTOR_ACCESS), "surefire runs the kernels unchecked");
        assertEquals("vector", FourClassKernels.best().name());
    }

    @Test
    void dotProductsMatchPlainLoops() {
        for (RowKernels ops : implementations()) {
            for (int len : LENGTHS) {
                double[] x = random(5 * len + 9, len);
                int h0 = 4 * len + 3;
                int h1 = 3;
                int w0 = 3 + len;
                double[] out = new double[11];
                ops.dots1x4(x, h0, w0, len, len, out, 1);
                double[] pair = new double[12];
                ops.dots2x4(x, h0, h1, w0, len, len, pair, 0, 7);
                for (int q = 0; q < 4; q++) {
                    double e0 = plainDot(x, h0, x, w0 + q * len, len);
                    double e1 = plainDot(x, h1, x, w0 + q * len, len);
                    String what = ops.name() + " len " + len + " q " + q;
                    assertEquals(e0, out[1 + q], 1e-13 * len, what);
                    assertEquals(e0, pair[q], 1e-13 * len, what);
                    assertEquals(e1, pair[7 + q], 1e-13 * len, what);
                }
                assertEquals(plainDot(x, 2, x, h0, len), ops.dot(x, 2, x, h0, len), 1e-13 * len, ops.name());
            }
        }
    }

    @Test
    void rowCombinationsAndStepsMatchPlainLoops() {
        for (RowKernels ops : implementations()) {
            for (int len : LENGTHS) {
                double[] s = random(6 * len + 5, 2 * len);
                double[] b = random(len + 2, 3 * len);
                double[] g = {0.3, -1.25, 2.0, -0.5};
                int[] so = {5, 5 + len, 2 + 3 * len, 5 * len + 5};
                double beta = 0.7;
                double eta = 0.05;
                double[] dst = random(len + 1, 4 * len);
                double[] expect = new double[len];
                for (int j = 0; j < len; j++) {
                    expect[j] = beta * b[2 + j];
                    for (int q = 0; q < 4; q++) {
                        expect[j] += g[q] * s[so[q] + j];
                    }
                }
                String what = ops.name() + " len " + len;
                ops.combine4(s, so[0], so[1], so[2], so[3], g[0], g[1], g[2], g[3], beta, b, 2, dst, 1, len);
                for (int j = 0; j < len; j++) {
                    assertEquals(expect[j], dst[1 + j], 1e-13, what + " combine4 " + j);
                }
                double[] acc = dst.clone();
                ops.accumulate4(s, so[0], so[1], so[2], so[3], g[0], g[1], g[2], g[3], acc, 1, len);
                for (int j = 0; j < len; j++) {
                    assertEquals(2 * expect[j] - beta * b[2 + j], acc[1 + j], 1e-12, what + " accumulate4 " + j);
                }
                double[] inPlace = b.clone(); // dst = b at the same offset: an in-place gradient step
                assertEquals(0.0, ops.step4(s, so[0], so[1], so[2], so[3], g[0], g[1], g[2], g[3], beta, inPlace, 2, eta,
                        inPlace, 2, len), 0.0, what + " step4 probe of finite results");
                for (int j = 0; j < len; j++) {
                    assertEquals(b[2 + j] - eta * expect[j], inPlace[2 + j], 1e-13, what + " step4 " + j);
                }
                assertEquals(b[0], inPlace[0], 0.0, "entries outside the row are untouched");
                double[] huge = s.clone();
                huge[so[3] + len - 1] = Double.MAX_VALUE; // overflows in the last entry (the tail when len % 4 != 0)
                assertTrue(Double.isNaN(ops.step4(huge, so[0], so[1], so[2], so[3], g[0], g[1], g[2], 1e10, beta, b, 2,
                        eta, new double[len], 0, len)), what + " step4 probe finds the overflow");
                double[] y = dst.clone();
                ops.axpy(-0.25, s, 3, y, 1, len);
                for (int j = 0; j < len; j++) {
                    assertEquals(dst[1 + j] - 0.25 * s[3 + j], y[1 + j], 1e-14, what + " axpy " + j);
                }
            }
        }
    }

    @Test
    void exponentialProbeAndMaximum() {
        for (RowKernels ops : implementations()) {
            for (int len : LENGTHS) {
                double[] a = random(len + 3, 5 * len);
                for (int j = 0; j < a.length; j++) {
                    a[j] = 380 * (a[j] - 1); // softmax arguments in about [−760, 0]
                }
                a[a.length - 1] = -708.0001;
                double[] e = a.clone();
                ops.expNonPositive(e, 2, 2 + len);
                for (int j = 0; j < a.length; j++) {
                    double want = j < 2 || j >= 2 + len ? a[j] : a[j] < -708 ? 0.0 : Math.exp(a[j]);
                    assertEquals(want, e[j], 4.5e-16 * Math.abs(want), ops.name() + " exp(" + a[j] + ")");
                }
                double max = 0;
                for (int j = 1; j < 1 + len; j++) {
                    max = Math.max(max, Math.abs(a[j]));
                }
                assertEquals(max, ops.maxAbs(a, 1, len), 0.0, ops.name() + " maxAbs");
                assertEquals(0.0, ops.finiteProbe(a, 1, len), 0.0, ops.name() + " finite");
                for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    double[] c = a.clone();
                    c[len] = bad; // the last entry of the range: in the tail when len is not a multiple of 4
                    assertTrue(Double.isNaN(ops.finiteProbe(c, 1, len)), ops.name() + " probe finds " + bad);
                }
                double[] c = a.clone();
                c[1] = Double.NaN;
                assertTrue(Double.isNaN(ops.maxAbs(c, 1, len)), ops.name() + " maxAbs propagates NaN");
            }
        }
    }

    @Test
    void exponentialAtTheEdgesOfItsDomain() {
        double[] x = {0.0, -0.0, -1e-300, -Math.log(2) / 2, -Math.log(2), -1.0, -708.0, -708.0001, -745.2, -1e300,
            Double.NEGATIVE_INFINITY, Double.NaN};
        for (RowKernels ops : implementations()) {
            for (int start = 0; start < 4; start++) { // each value once in a vector lane, once in the scalar tail
                double[] a = new double[x.length + start];
                System.arraycopy(x, 0, a, start, x.length);
                ops.expNonPositive(a, start, a.length);
                for (int j = 0; j < x.length; j++) {
                    double want = Double.isNaN(x[j]) ? Double.NaN : x[j] < -708 ? 0.0 : Math.exp(x[j]);
                    assertEquals(want, a[start + j], Double.isNaN(want) ? 0.0 : 4.5e-16 * want, ops.name() + " exp(" + x[j] + ")");
                }
            }
        }
    }

    @Test
    void rangesOutsideTheArraysAreRejected() {
        // Surefire, like the launcher, turns off the Vector API's own bounds checks: the kernels' entry checks must
        // stop every range that leaves its array (a vector of four would reach past the end by up to three entries).
        for (RowKernels ops : implementations()) {
            double[] x = new double[40];
            double[] out = new double[8];
            String name = ops.name();
            assertThrows(IndexOutOfBoundsException.class, () -> ops.dot(x, 33, x, 0, 8), name);
            assertThrows(IndexOutOfBoundsException.class, () -> ops.dot(x, 0, x, -1, 8), name);
            assertThrows(IndexOutOfBoundsException.class, () -> ops.dots1x4(x, 0, 8, 8, 9, out, 0), name);
            assertThrows(IndexOutOfBoundsException.class, () -> ops.dots2x4(x, 0, 37, 8, 8, 4, out, 0, 4), name);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> ops.combine4(x, 0, 8, 16, 36, 1, 1, 1, 1, 1, x, 0, out, 0, 8), name);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> ops.accumulate4(x, 0, 8, 16, 24, 1, 1, 1, 1, out, 1, 8), name);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> ops.step4(x, 0, 8, 16, 24, 1, 1, 1, 1, 1, x, 33, 0.1, out, 0, 8), name);
            assertThrows(IndexOutOfBoundsException.class, () -> ops.axpy(1, x, 0, out, 4, 8), name);
            assertThrows(IndexOutOfBoundsException.class, () -> ops.expNonPositive(x, 36, 41), name);
            assertThrows(IndexOutOfBoundsException.class, () -> ops.finiteProbe(x, 35, 6), name);
            assertThrows(IndexOutOfBoundsException.class, () -> ops.maxAbs(x, -4, 8), name);
        }
    }

    @Test
    void theFirstCallsGiveTheBitsOfTheCompiledCode() {
        // A resumed run starts in a cold JVM (interpreter, C1): its kernels must give the compiled code's numbers.
        for (RowKernels ops : implementations()) {
            double[] x = random(4 * 67 + 70, 99);
            double[] g = random(16, 98);
            for (int j = 0; j < 70; j++) {
                x[4 * 67 + j] = -40 * Math.abs(x[4 * 67 + j]);
            }
            double[] cold = kernelResults(ops, x, g);
            for (int i = 0; i < 30_000; i++) {
                kernelResults(ops, x, g);
            }
            assertArrayEquals(cold, kernelResults(ops, x, g), 0.0, ops.name());
        }
    }

    /** Every kernel once on fixed inputs (length 67: vector body and scalar tail). */
    private static double[] kernelResults(RowKernels ops, double[] x, double[] g) {
        int len = 67;
        double[] out = new double[8 + 1 + 3 * len + 70 + 2];
        ops.dots2x4(x, 0, len, 2 * len, 0, len, out, 0, 4);
        out[8] = ops.dot(x, 0, x, len, len);
        ops.combine4(x, 0, len, 2 * len, 3 * len, g[0], g[1], g[2], g[3], g[4], x, len, out, 9, len);
        ops.accumulate4(x, 0, len, 2 * len, 3 * len, g[5], g[6], g[7], g[8], out, 9 + len, len);
        ops.step4(x, 0, len, 2 * len, 3 * len, g[9], g[10], g[11], g[12], g[13], x, len, 0.1, out, 9 + 2 * len, len);
        System.arraycopy(x, 4 * len, out, 9 + 3 * len, 70);
        ops.expNonPositive(out, 9 + 3 * len, 9 + 3 * len + 70);
        out[out.length - 2] = ops.maxAbs(x, 3, len);
        out[out.length - 1] = ops.finiteProbe(x, 3, len);
        return out;
    }

    private static double plainDot(double[] a, int ao, double[] b, int bo, int len) {
        double s = 0;
        for (int j = 0; j < len; j++) {
            s += a[ao + j] * b[bo + j];
        }
        return s;
    }

    /** n uniform numbers in [−1, 1) from the seed (also FourClassKernelsTest's inputs). */
    static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 2 * r.nextDouble() - 1;
        }
        return a;
    }
}
