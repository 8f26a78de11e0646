package nclab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import nclab.data.ClassSizes;
import org.junit.jupiter.api.Test;

/**
 * The full-batch pass of {@link UfmObjective#valueAndGradient} at N·K·d ≥ {@link UfmObjective#PRODUCTS_MIN_WORK}
 * (three matrix products by native dgemm when a native BLAS loads, else the blocked Java pass) against the former
 * per-sample pass, with and without bias and ridge, and bit-identical when repeated and from a second instance.
 */
class UfmProductsGradientTest {
    @Test
    void smallProblemsKeepTheBlockedJavaPass() {
        UfmObjective f = new UfmObjective(ClassSizes.balanced(4, 100), 64, 5e-4, 5e-4, false, false);
        assertEquals(false, f.fullBatchUsesProducts(), "(64, 4, 400) is below the threshold");
    }

    @Test
    void largeProblemsMatchThePerSamplePassAndRepeatBitForBit() {
        UfmObjective[] objectives = {
            new UfmObjective(ClassSizes.step(10, 3, 0.5, 51), 256, 5e-4, 5e-4, false, false),
            new UfmObjective(ClassSizes.of(400, 350, 253), 700, 1e-2, 2e-2, 1e-3, true, false, 0.5),
            new UfmObjective(ClassSizes.of(500, 300, 231, 100), 520, 0, 0, 0, true, true, 1.0),
        };
        for (UfmObjective f : objectives) {
            long work = (long) f.samples() * f.sizes().k() * f.dimension();
            String what = f.sizes().k() + " classes, N = " + f.samples() + ", d = " + f.dimension();
            assertTrue(work >= UfmObjective.PRODUCTS_MIN_WORK, what + " must be above the threshold");
            nclab.linalg.NativeBlas.startLoading();
            assertEquals(UfmFusedStepTest.expectsProducts(f), f.fullBatchUsesProducts(),
                    what + ": products when a native BLAS loaded, or for K ≠ 4 on the vector kernels");
            double[] x = f.initialPoint(new SplittableRandom(4));
            double[] fast = new double[x.length];
            double[] slow = new double[x.length];
            java.util.Arrays.fill(fast, Double.NaN); // every entry must be overwritten
            double vf = f.valueAndGradient(x, fast);
            double vs = f.valueAndGradientPerSample(x, slow);
            assertEquals(vs, vf, 1e-12 * Math.abs(vs), what);
            double scale = java.util.Arrays.stream(slow).map(Math::abs).max().orElse(1);
            for (int i = 0; i < x.length; i++) {
                assertEquals(slow[i], fast[i], 1e-12 * scale, what + ", entry " + i);
            }
            double[] again = new double[x.length];
            assertEquals(vf, f.valueAndGradient(x, again), 0.0, what + " repeated");
            assertArrayEquals(fast, again, 0.0, what + " repeated");
            UfmObjective twin = new UfmObjective(f.sizes(), f.dimension(), f.lambdaW(), f.lambdaH(), f.lambdaB(),
                    f.hasBias(), f.nonNegative(), f.initScale());
            double[] other = new double[x.length];
            assertEquals(vf, twin.valueAndGradient(x, other), 0.0, what + " second instance");
            assertArrayEquals(fast, other, 0.0, what + " second instance");
        }
    }
}
