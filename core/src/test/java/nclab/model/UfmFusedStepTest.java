package nclab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;

import nclab.data.ClassSizes;
import nclab.linalg.BlockProducts;
import nclab.linalg.NativeBlas;
import nclab.linalg.NativeKernels;
import org.junit.jupiter.api.Test;

/**
 * The in-place full-batch step {@link UfmObjective#fusedGradientStep} against the step written out from the
 * independent per-sample gradient, x − η∇f(x) (then clamped at 0 for UFM₊): blocked Java pass (K = 2, 3, 4, 10,
 * with and without bias and ridge), the four-class step in two halves (one per thread; odd N and d) and the products
 * pass (above the work threshold, native dgemm when it loads, two threads); the value check runs before anything is
 * written; the finiteness bound hands the step back untouched.
 */
class UfmFusedStepTest {
    @Test
    void javaPassStepsLikeTheWrittenOutUpdate() {
        UfmObjective[] objectives = {
            new UfmObjective(ClassSizes.of(30, 10, 3, 3), 8, 5e-3, 1e-2, false, false),
            new UfmObjective(ClassSizes.of(21, 7), 5, 0, 0, 0, true, false, 1.0),
            new UfmObjective(ClassSizes.of(17, 9, 4), 6, 1e-3, 2e-3, 5e-3, true, false, 0.5),
            new UfmObjective(ClassSizes.step(10, 3, 0.5, 11), 13, 5e-4, 5e-4, false, false),
            new UfmObjective(ClassSizes.of(25, 11, 5, 2), 7, 1e-3, 1e-3, 0, false, true, 1.0),
        };
        for (UfmObjective f : objectives) {
            assertEquals(false, f.fullBatchUsesProducts());
            checkStep(f, 0.3);
        }
    }

    @Test
    void fourClassStepInTwoHalvesStepsLikeTheWrittenOutUpdate() {
        UfmObjective[] objectives = { // N·d ≥ UfmSgdKernel.TWO_THREAD_WORK: the rows in two halves, one per thread
            new UfmObjective(ClassSizes.of(150, 100, 90, 60), 64, 5e-4, 5e-4, false, false),
            new UfmObjective(ClassSizes.of(101, 100, 50, 50), 67, 1e-3, 2e-3, 5e-3, true, false, 0.5),
            new UfmObjective(ClassSizes.of(120, 80, 60, 39), 61, 0, 1e-3, 0, false, true, 1.0),
        };
        for (UfmObjective f : objectives) {
            assertEquals(false, f.fullBatchUsesProducts());
            assertTrue((long) f.samples() * f.dimension() >= UfmSgdKernel.TWO_THREAD_WORK);
            checkStep(f, 0.3);
        }
    }

    @Test
    void productsPassStepsLikeTheWrittenOutUpdate() {
        NativeBlas.startLoading();
        UfmObjective[] objectives = {
            new UfmObjective(ClassSizes.balanced(4, 1024), 64, 5e-4, 5e-4, false, false),
            new UfmObjective(ClassSizes.of(400, 350, 253), 700, 1e-2, 2e-2, 1e-3, true, false, 0.5),
            new UfmObjective(ClassSizes.of(500, 300, 231, 100), 520, 0, 1e-3, 0, false, true, 1.0),
        };
        for (UfmObjective f : objectives) {
            assertTrue((long) f.samples() * f.sizes().k() * f.dimension() >= UfmObjective.PRODUCTS_MIN_WORK);
            assertEquals(expectsProducts(f), f.fullBatchUsesProducts());
            checkStep(f, 0.7);
        }
    }

    @Test
    void aRejectedValueWritesNothing() {
        UfmObjective f = new UfmObjective(ClassSizes.of(12, 4, 4), 6, 1e-3, 1e-3, false, false);
        double[] x = f.initialPoint(new SplittableRandom(3));
        double[] before = x.clone();
        double[] seen = new double[1];
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.fusedGradientStep(x, 0.1, v -> {
            seen[0] = v;
            throw new IllegalStateException("rejected");
        }));
        assertEquals("rejected", e.getMessage());
        assertEquals(f.value(before), seen[0], 1e-12, "the check sees f(x)");
        assertArrayEquals(before, x, 0.0);
    }

    @Test
    void anUnboundedStepIsHandedBackUntouched() {
        UfmObjective f = new UfmObjective(ClassSizes.of(12, 4, 4), 6, 1e-3, 1e-3, false, false);
        double[] x = f.initialPoint(new SplittableRandom(3));
        double[] before = x.clone();
        assertTrue(Double.isNaN(f.fusedGradientStep(x, 1e305, v -> { })), "η = 1e305 cannot be proven finite");
        assertArrayEquals(before, x, 0.0);
    }

    /** The rule of {@link UfmObjective}: products with a native BLAS, or for K ≠ 4 on the vector product kernels. */
    static boolean expectsProducts(UfmObjective f) {
        return BlockProducts.best().isNative() || f.sizes().k() != 4 && UfmObjective.javaProductsAreVector();
    }

    @Test
    void javaProductsStepLikeTheBlockedJavaPass() {
        // the Java side of BlockProducts (vector tiles or plain loops), whatever the machine's native BLAS: the same
        // step as the blocked Java pass up to rounding, bit-identical when repeated
        stepsLikeTheBlockedJavaPass(false);
    }

    @Test
    void nativeStepLikeTheBlockedJavaPass() {
        // nclab's native kernels for both passes (where built): the same step up to rounding, bit-identical when
        // repeated
        assumeTrue(NativeKernels.available(), "nclab's native kernels are not built or not supported here");
        stepsLikeTheBlockedJavaPass(true);
    }

    @Test
    void theObjectiveStepsNativelyWhereverItUsesProductsAndTheKernelsLoaded() {
        UfmObjective f = new UfmObjective(ClassSizes.step(10, 5, 0.5, 100), 64, 5e-4, 5e-4, false, false);
        assertEquals(f.fullBatchUsesProducts() && NativeKernels.available(), f.fullBatchStepsNatively());
    }

    private static void stepsLikeTheBlockedJavaPass(boolean nativeStep) {
        ClassSizes[] classes = {ClassSizes.of(120, 60, 41), ClassSizes.step(10, 3, 0.5, 40),
            ClassSizes.of(50, 40, 30, 20, 20, 10, 7), ClassSizes.step(10, 3, 0.5, 20)};
        int[][] shapes = {{700, 0, 0}, {64, 1, 0}, {37, 0, 1}, {512, 1, 1}}; // d, bias, UFM+
        for (int s = 0; s < shapes.length; s++) {
            ClassSizes sizes = classes[s];
            int k = sizes.k();
            int d = shapes[s][0];
            boolean bias = shapes[s][1] == 1;
            boolean nonNegative = shapes[s][2] == 1;
            int n = Math.toIntExact(sizes.total());
            int[] labels = new int[n];
            for (int c = 0, i = 0; c < k; c++) {
                for (int u = 0; u < sizes.count(c); u++) {
                    labels[i++] = c;
                }
            }
            int offB = bias ? k * d + n * d : -1;
            UfmSgdKernel blocked = new UfmSgdKernel(k, d, n, k * d, offB, bias, nonNegative, 1e-3, 2e-3, 5e-3, labels,
                    null);
            UfmSgdKernel candidate = new UfmSgdKernel(k, d, n, k * d, offB, bias, nonNegative, 1e-3, 2e-3, 5e-3,
                    labels, BlockProducts.javaKernel(), nativeStep);
            SplittableRandom rnd = new SplittableRandom(k * 31L + d);
            double[] x = new double[k * d + n * d + (bias ? k : 0)];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextGaussian() * 0.5;
            }
            String what = (nativeStep ? "native, " : "Java products, ") + k + " classes, N = " + n + ", d = " + d
                    + ", bias " + bias + ", UFM+ " + nonNegative;
            double[] expect = x.clone();
            double ve = blocked.fusedFullStep(expect, 0.4, v -> { });
            double[] got = x.clone();
            double vg = candidate.fusedFullStep(got, 0.4, v -> { });
            assertEquals(ve, vg, 1e-12 * Math.abs(ve), what + ": value");
            double scale = java.util.Arrays.stream(expect).map(Math::abs).max().orElse(1);
            for (int i = 0; i < x.length; i++) {
                assertEquals(expect[i], got[i], 1e-12 * scale, what + ", entry " + i);
            }
            double[] again = x.clone();
            assertEquals(vg, candidate.fusedFullStep(again, 0.4, v -> { }), 0.0, what + ": repeated");
            assertArrayEquals(got, again, 0.0, what + ": bit-identical when repeated");
        }
    }

    private static void checkStep(UfmObjective f, double eta) {
        String what = f.sizes() + ", d = " + f.dimension() + ", bias " + f.hasBias() + ", UFM+ " + f.nonNegative();
        double[] x = f.initialPoint(new SplittableRandom(8));
        double[] grad = new double[x.length];
        double value = f.valueAndGradientPerSample(x, grad);
        double[] expect = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expect[i] = x[i] - eta * grad[i];
        }
        f.project(expect);
        double[] once = x.clone();
        double got = f.fusedGradientStep(once, eta, v -> { });
        assertEquals(value, got, 1e-12 * Math.abs(value), what + ": value");
        double scale = 0;
        for (double v : expect) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(expect[i], once[i], 1e-12 * scale, what + ", entry " + i);
        }
        double[] twice = x.clone();
        assertEquals(got, f.fusedGradientStep(twice, eta, v -> { }), 0.0, what + ": repeated");
        assertArrayEquals(once, twice, 0.0, what + ": bit-identical when repeated");
    }
}
