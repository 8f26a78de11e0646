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
import nclab.optim.GradientDescent;
import nclab.optim.LearningRateSchedule;
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
        }, Double.POSITIVE_INFINITY));
        assertEquals("rejected", e.getMessage());
        assertEquals(f.value(before), seen[0], 1e-12, "the check sees f(x)");
        assertArrayEquals(before, x, 0.0);
    }

    @Test
    void anUnboundedStepIsHandedBackUntouched() {
        UfmObjective f = new UfmObjective(ClassSizes.of(12, 4, 4), 6, 1e-3, 1e-3, false, false);
        double[] x = f.initialPoint(new SplittableRandom(3));
        double[] before = x.clone();
        assertTrue(Double.isNaN(f.fusedGradientStep(x, 1e305, v -> { }, Double.POSITIVE_INFINITY)),
                "η = 1e305 cannot be proven finite");
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

    @Test
    void onePassStepsGiveTheBitsOfTwoPassSteps() {
        // the native step reads H once when the previous step's bound allows it; the numbers must not depend on that
        // (a resumed run's first step has nothing carried and takes two passes)
        assumeTrue(NativeKernels.available(), "nclab's native kernels are not built or not supported here");
        ClassSizes[] classes = {ClassSizes.of(400, 350, 253), ClassSizes.step(10, 3, 0.5, 40),
            ClassSizes.of(50, 40, 30, 20, 20, 10, 7), ClassSizes.step(10, 3, 0.5, 37)};
        int[][] shapes = {{700, 0, 0}, {64, 1, 0}, {37, 0, 1}, {512, 1, 1}}; // d, bias, UFM+
        for (int s = 0; s < shapes.length; s++) {
            UfmSgdKernel[] kernels = new UfmSgdKernel[2];
            double[] x = nativePair(classes[s], shapes[s], kernels);
            UfmSgdKernel carrying = kernels[0];
            UfmSgdKernel fresh = kernels[1];
            String what = classes[s] + ", d = " + shapes[s][0] + ", bias " + shapes[s][1] + ", UFM+ " + shapes[s][2];
            double[] once = x.clone();
            double[] twice = x.clone();
            for (int step = 1; step <= 4; step++) {
                double v1 = carrying.fusedFullStep(once, 0.4, v -> { }, 1e6);
                assertEquals(step > 1, carrying.lastStepWasOnePass(), what + ", step " + step + ": one pass");
                twice = twice.clone(); // another array: nothing carried, two passes
                double v2 = fresh.fusedFullStep(twice, 0.4, v -> { }, 1e6);
                assertEquals(false, fresh.lastStepWasOnePass());
                assertEquals(v2, v1, 0.0, what + ", step " + step + ": value");
                assertArrayEquals(twice, once, 0.0, what + ", step " + step + ": parameters");
            }
        }
    }

    @Test
    void nativeStepGivesTheSameBitsWhicheverThreadTakesWhichRange() {
        // the rows are cut into ranges that both threads take one at a time: all on the caller, or shared by turns
        // of the scheduler, the same numbers
        assumeTrue(NativeKernels.available(), "nclab's native kernels are not built or not supported here");
        UfmSgdKernel[] kernels = new UfmSgdKernel[2];
        double[] x = nativePair(ClassSizes.of(400, 350, 253), new int[] {512, 1, 0}, kernels);
        kernels[0].useHelper(HelperThread.withoutThread());
        kernels[1].useHelper(HelperThread.withThread("test"));
        double[] alone = x.clone();
        double[] shared = x.clone();
        for (int step = 1; step <= 3; step++) {
            double v1 = kernels[0].fusedFullStep(alone, 0.4, v -> { }, Double.POSITIVE_INFINITY);
            double v2 = kernels[1].fusedFullStep(shared, 0.4, v -> { }, Double.POSITIVE_INFINITY);
            assertEquals(v1, v2, 0.0, "step " + step);
            assertArrayEquals(alone, shared, 0.0, "step " + step);
        }
    }

    @Test
    void rangesTakeAQuarterOfTheBlocksLeftAndCoverEveryBlockOnce() {
        assertArrayEquals(new int[] {0, 27, 47, 62, 73, 81, 87, 92, 96, 99, 101, 103, 105},
                UfmSgdKernel.rangeStarts(105)); // (512, 10, 5000): 105 blocks of 48 rows
        assertArrayEquals(new int[] {0, 1}, UfmSgdKernel.rangeStarts(1));
        for (int blocks = 1; blocks <= 400; blocks++) {
            int[] starts = UfmSgdKernel.rangeStarts(blocks);
            assertEquals(0, starts[0]);
            assertEquals(blocks, starts[starts.length - 1]);
            for (int r = 1; r < starts.length; r++) {
                int size = starts[r] - starts[r - 1];
                int left = blocks - starts[r - 1];
                assertEquals(Math.min(left, Math.max(UfmSgdKernel.MIN_RANGE_BLOCKS, (left + 3) / 4)), size,
                        blocks + " blocks, range " + r);
            }
        }
    }

    @Test
    void onePassNeedsItsPremise() {
        assumeTrue(NativeKernels.available(), "nclab's native kernels are not built or not supported here");
        UfmSgdKernel[] kernels = new UfmSgdKernel[2];
        double[] x = nativePair(ClassSizes.of(400, 350, 253), new int[] {700, 1, 0}, kernels);
        UfmSgdKernel kernel = kernels[0];
        double first = kernel.fusedFullStep(x, 0.4, v -> { }, Double.POSITIVE_INFINITY);
        kernel.fusedFullStep(x, 0.4, v -> { }, Double.POSITIVE_INFINITY);
        assertTrue(kernel.lastStepWasOnePass(), "carried from the step before");
        // a limit just above f: f is far below the bound (log K + 2 max‖w_c‖ ‖H‖_F/√N + …), which cannot prove it
        kernel.fusedFullStep(x, 0.4, v -> { }, first * 1.0001);
        assertEquals(false, kernel.lastStepWasOnePass(), "a limit the bound cannot prove: two passes");
        kernel.fusedFullStep(x, 0.4, v -> { }, Double.POSITIVE_INFINITY);
        assertTrue(kernel.lastStepWasOnePass());
        x[5] += 1e-9; // W changed by someone else
        kernel.fusedFullStep(x, 0.4, v -> { }, Double.POSITIVE_INFINITY);
        assertEquals(false, kernel.lastStepWasOnePass(), "another W: two passes");
        double[] before = x.clone();
        assertThrows(IllegalStateException.class, () -> kernel.fusedFullStep(x, 0.4, v -> {
            throw new IllegalStateException("rejected");
        }, 1.0)); // a check that rejects what the bound cannot exclude sees f(x) before anything is written
        assertArrayEquals(before, x, 0.0);
        kernel.fusedFullStep(x, 0.4, v -> { }, Double.POSITIVE_INFINITY);
        assertEquals(false, kernel.lastStepWasOnePass(), "nothing carried after a rejected step");
        assertTrue(Double.isNaN(kernel.fusedFullStep(x, 1e305, v -> { }, Double.POSITIVE_INFINITY)));
        assertEquals(false, kernel.lastStepWasOnePass(), "η = 1e305: not provably finite, two passes, handed back");
    }

    @Test
    void gradientDescentResumedGivesTheBitsOfAnUninterruptedRun() {
        UfmObjective f = new UfmObjective(ClassSizes.of(400, 350, 253), 700, 1e-2, 2e-2, 1e-3, true, false, 0.5);
        assumeTrue(f.fullBatchStepsNatively(), "the step does not run on nclab's native kernels here");
        double[] x = f.initialPoint(new SplittableRandom(5));
        double[] resumed = x.clone();
        GradientDescent whole = new GradientDescent(f, LearningRateSchedule.constant(0.5));
        for (int t = 0; t < 5; t++) {
            whole.step(x);
        }
        assertTrue(f.lastFullStepWasOnePass());
        UfmObjective g = new UfmObjective(ClassSizes.of(400, 350, 253), 700, 1e-2, 2e-2, 1e-3, true, false, 0.5);
        GradientDescent part = new GradientDescent(g, LearningRateSchedule.constant(0.5));
        for (int t = 0; t < 2; t++) {
            part.step(resumed);
        }
        UfmObjective h = new UfmObjective(ClassSizes.of(400, 350, 253), 700, 1e-2, 2e-2, 1e-3, true, false, 0.5);
        GradientDescent rest = new GradientDescent(h, LearningRateSchedule.constant(0.5));
        rest.restore(part.state());
        double[] copy = resumed.clone();
        for (int t = 0; t < 3; t++) {
            rest.step(copy);
        }
        assertArrayEquals(x, copy, 0.0);
    }

    /**
     * Two native kernels on the same problem (sizes; shape = d, bias, UFM+) into kernels[0..1], and a random x.
     */
    private static double[] nativePair(ClassSizes sizes, int[] shape, UfmSgdKernel[] kernels) {
        int k = sizes.k();
        int d = shape[0];
        boolean bias = shape[1] == 1;
        int n = Math.toIntExact(sizes.total());
        int[] labels = labels(sizes);
        int offB = bias ? k * d + n * d : -1;
        for (int i = 0; i < kernels.length; i++) {
            kernels[i] = new UfmSgdKernel(k, d, n, k * d, offB, bias, shape[2] == 1, 1e-3, 2e-3, 5e-3, labels,
                    BlockProducts.javaKernel(), true);
        }
        SplittableRandom rnd = new SplittableRandom(k * 17L + d);
        double[] x = new double[k * d + n * d + (bias ? k : 0)];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian() * 0.5;
        }
        return x;
    }

    private static int[] labels(ClassSizes sizes) {
        int[] labels = new int[Math.toIntExact(sizes.total())];
        for (int c = 0, i = 0; c < sizes.k(); c++) {
            for (int u = 0; u < sizes.count(c); u++) {
                labels[i++] = c;
            }
        }
        return labels;
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
            int[] labels = labels(sizes);
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
            double ve = blocked.fusedFullStep(expect, 0.4, v -> { }, Double.POSITIVE_INFINITY);
            double[] got = x.clone();
            double vg = candidate.fusedFullStep(got, 0.4, v -> { }, Double.POSITIVE_INFINITY);
            assertEquals(ve, vg, 1e-12 * Math.abs(ve), what + ": value");
            double scale = java.util.Arrays.stream(expect).map(Math::abs).max().orElse(1);
            for (int i = 0; i < x.length; i++) {
                assertEquals(expect[i], got[i], 1e-12 * scale, what + ", entry " + i);
            }
            double[] again = x.clone();
            assertEquals(vg, candidate.fusedFullStep(again, 0.4, v -> { }, Double.POSITIVE_INFINITY), 0.0,
                    what + ": repeated");
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
        double got = f.fusedGradientStep(once, eta, v -> { }, Double.POSITIVE_INFINITY);
        assertEquals(value, got, 1e-12 * Math.abs(value), what + ": value");
        double scale = 0;
        for (double v : expect) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(expect[i], once[i], 1e-12 * scale, what + ", entry " + i);
        }
        double[] twice = x.clone();
        assertEquals(got, f.fusedGradientStep(twice, eta, v -> { }, Double.POSITIVE_INFINITY), 0.0,
                what + ": repeated");
        assertArrayEquals(once, twice, 0.0, what + ": bit-identical when repeated");
    }
}
