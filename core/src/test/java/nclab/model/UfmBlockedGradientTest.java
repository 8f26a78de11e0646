package nclab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import nclab.data.ClassSizes;
import org.junit.jupiter.api.Test;

/**
 * The blocked full-batch kernel behind {@link UfmObjective#valueAndGradient} (2×4 logit tiles, ∇W in blocks of four
 * samples) against the former per-sample pass, at shapes that exercise every remainder (K = 2, 3, 4, 6, 10; N not a
 * multiple of four; bias; λ = 0), and against the minibatch gradient of the batch of all samples.
 */
class UfmBlockedGradientTest {
    @Test
    void blockedGradientEqualsThePerSamplePassUpToRounding() {
        UfmObjective[] objectives = {
            new UfmObjective(ClassSizes.of(3, 2), 3, 1e-2, 2e-2, 0, false, false, 1.0),
            new UfmObjective(ClassSizes.of(6, 4, 3), 5, 1e-2, 2e-2, 1e-3, true, false, 1.0),
            new UfmObjective(ClassSizes.of(6, 6, 2, 3), 7, 1e-2, 2e-2, 0, false, true, 1.0),
            new UfmObjective(ClassSizes.of(5, 4, 3, 3, 2, 2), 9, 0, 0, 0, true, false, 0.5),
            new UfmObjective(ClassSizes.step(10, 5, 0.5, 3), 33, 5e-4, 5e-4, false, false),
        };
        for (UfmObjective f : objectives) {
            for (int seed = 0; seed < 3; seed++) {
                double[] x = f.initialPoint(new SplittableRandom(seed));
                double[] fast = new double[x.length];
                double[] slow = new double[x.length];
                java.util.Arrays.fill(fast, Double.NaN); // every entry must be overwritten
                double vf = f.valueAndGradient(x, fast);
                double vs = f.valueAndGradientPerSample(x, slow);
                String what = f.sizes().k() + " classes, N = " + f.samples() + ", d = " + f.dimension() + ", seed " + seed;
                assertEquals(vs, vf, 1e-13 * Math.abs(vs), what);
                double scale = java.util.Arrays.stream(slow).map(Math::abs).max().orElse(1);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(slow[i], fast[i], 1e-13 * scale, what + ", entry " + i);
                }
                int[] all = new int[f.samples()];
                for (int i = 0; i < all.length; i++) {
                    all[i] = i;
                }
                double[] batch = new double[x.length];
                double vb = f.batchValueAndGradient(x, all, 0, all.length, batch);
                assertEquals(vb, vf, 1e-13 * Math.abs(vb), what + " (minibatch of all samples)");
            }
        }
    }
}
