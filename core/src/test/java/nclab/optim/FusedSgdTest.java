package nclab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import nclab.data.ClassSizes;
import nclab.model.FusedSgdObjective;
import nclab.model.ParameterLayout;
import nclab.model.StochasticObjective;
import nclab.model.UfmObjective;
import org.junit.jupiter.api.Test;

/**
 * The fused SGD step of {@link UfmObjective} ({@link FusedSgdObjective}) against the generic path of {@link Sgd}
 * (minibatch gradient, probe, commit), which it must reproduce up to rounding: the generic path is forced by hiding
 * the objective behind a plain {@link StochasticObjective}.
 */
class FusedSgdTest {
    /** Delegates everything but does not offer the fused step. */
    private record Generic(UfmObjective f) implements StochasticObjective {
        public String model() {
            return f.model();
        }

        public ParameterLayout layout() {
            return f.layout();
        }

        public double valueAndGradient(double[] x, double[] grad) {
            return f.valueAndGradient(x, grad);
        }

        public void project(double[] x) {
            f.project(x);
        }

        public double[] initialPoint(SplittableRandom random) {
            return f.initialPoint(random);
        }

        public int samples() {
            return f.samples();
        }

        public int sampleOffset(int i) {
            return f.sampleOffset(i);
        }

        public int sampleWidth() {
            return f.sampleWidth();
        }

        public int[][] sharedRanges() {
            return f.sharedRanges();
        }

        public double batchValueAndGradient(double[] x, int[] batch, int from, int to, double[] grad) {
            return f.batchValueAndGradient(x, batch, from, to, grad);
        }

        public void projectBatch(double[] x, int[] batch, int from, int to) {
            f.projectBatch(x, batch, from, to);
        }
    }

    private static void assertSameRun(UfmObjective f, int batch, boolean replacement, Momentum m, double lr, int steps) {
        Sgd fused = new Sgd(f, batch, replacement, 5, LearningRateSchedule.constant(lr), m, DivergenceGuard.DEFAULT);
        Sgd generic = new Sgd(new Generic(f), batch, replacement, 5, LearningRateSchedule.constant(lr), m, DivergenceGuard.DEFAULT);
        double[] a = f.initialPoint(new SplittableRandom(11));
        double[] b = a.clone();
        String what = f.sizes().k() + " classes, d = " + f.dimension() + ", batch " + batch + ", " + m + ", bias "
                + f.hasBias() + ", H>=0 " + f.nonNegative() + ", replacement " + replacement;
        for (int t = 0; t < steps; t++) {
            double va = fused.step(a);
            double vb = generic.step(b);
            assertEquals(vb, va, 1e-12 * Math.max(1, Math.abs(vb)), what + ", value at step " + t);
        }
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-10, what + ", entry " + i);
        }
        if (m.enabled()) {
            assertArrayEquals(generic.state().get("velocity"), fused.state().get("velocity"), 1e-10, what + ", velocity");
        }
    }

    @Test
    void fusedStepEqualsTheGenericStepUpToRounding() {
        Momentum[] momenta = {Momentum.none(), Momentum.heavyBall(0.9), Momentum.nesterov(0.7)};
        // K = 3 (no four-class block), 4 (one block), 6 (block + remainder); odd d; batches 1, 3, 4, 7 (two
        // four-visit blocks with a remainder) and N; with replacement (duplicates in a batch)
        UfmObjective[] objectives = {
            new UfmObjective(ClassSizes.of(6, 4, 3), 5, 1e-2, 2e-2, 1e-3, true, false, 1.0),
            new UfmObjective(ClassSizes.of(6, 6, 2, 3), 7, 1e-2, 2e-2, 0, false, true, 1.0),
            new UfmObjective(ClassSizes.of(5, 4, 3, 3, 2, 2), 9, 0, 0, 0, true, false, 0.5),
            new UfmObjective(ClassSizes.balanced(4, 10), 16, 5e-4, 5e-4, false, false),
        };
        for (UfmObjective f : objectives) {
            for (Momentum m : momenta) {
                for (int batch : new int[] {1, 3, 4, 7, f.samples()}) {
                    assertSameRun(f, batch, false, m, 0.2, 25);
                    assertSameRun(f, batch, true, m, 0.2, 25);
                }
            }
        }
    }

    @Test
    void fusedDivergenceKeepsTheLastGoodIterate() {
        UfmObjective f = new UfmObjective(ClassSizes.balanced(4, 10), 8, 1e-2, 1e-2, 0, true, false, 1.0);
        for (Momentum m : new Momentum[] {Momentum.none(), Momentum.heavyBall(0.9)}) {
            double[] x = f.initialPoint(new SplittableRandom(4));
            Sgd sgd = new Sgd(f, 4, false, 2, LearningRateSchedule.constant(1e3), m, new DivergenceGuard(100));
            DivergenceException e = assertThrows(DivergenceException.class, () -> {
                for (int t = 0; t < 10_000; t++) {
                    sgd.step(x);
                }
            });
            long failed = e.step();
            assertTrue(failed >= 2, "step " + failed);
            assertEquals(failed - 1, sgd.steps());
            double[] replay = f.initialPoint(new SplittableRandom(4));
            Sgd again = new Sgd(new Generic(f), 4, false, 2, LearningRateSchedule.constant(1e3), m, new DivergenceGuard(100));
            for (long t = 1; t < failed; t++) {
                again.step(replay);
            }
            assertArrayEquals(replay, x, 1e-6 * Math.max(1, java.util.Arrays.stream(replay).map(Math::abs).max().orElse(1)));
            DivergenceException g = assertThrows(DivergenceException.class, () -> again.step(replay));
            assertEquals(e.getMessage(), g.getMessage());
        }
    }

    @Test
    void nonFiniteCandidatesAreRefusedBeforeWriting() {
        // W tiny, H huge: logits W h = 1 and the loss is finite, but ∇W ≈ h/4 ≈ 2.5e299 and W − 1e10·∇W overflows
        UfmObjective f = new UfmObjective(ClassSizes.balanced(2, 1), 2, 0, 0, 0, false, false, 1.0);
        double[] x = {1e-300, 0, 0, 1e-300, 1e300, 0, 0, 1e300};
        Sgd sgd = new Sgd(f, 2, false, 1, LearningRateSchedule.constant(1e10), Momentum.none(),
                new DivergenceGuard(Double.POSITIVE_INFINITY));
        double[] before = x.clone();
        DivergenceException e = assertThrows(DivergenceException.class, () -> sgd.step(x));
        assertArrayEquals(before, x);
        assertEquals(0, sgd.steps());
        assertEquals("diverged at step 1: a parameter or the velocity would become NaN or infinite; the parameters are kept "
                + "as they were after step 0", e.getMessage());
    }

    @Test
    void fourClassesBeyondTheFinitenessBoundFallBackToTheProbedPathAndWriteNothing() {
        // K = 4 takes FourClassKernels when a bound proves the step finite; here it cannot (‖h‖ ≈ 1e300), so the
        // probed general path decides, and refuses
        UfmObjective f = new UfmObjective(ClassSizes.balanced(4, 1), 4, 0, 0, 0, false, false, 1.0);
        double[] x = new double[4 * 4 + 4 * 4]; // w_c = 1e-300 e_c, h_c = 1e300 e_c: logits W h = I, a finite loss
        for (int c = 0; c < 4; c++) {
            x[4 * c + c] = 1e-300;
            x[16 + 4 * c + c] = 1e300;
        }
        Sgd sgd = new Sgd(f, 4, false, 1, LearningRateSchedule.constant(1e10), Momentum.none(),
                new DivergenceGuard(Double.POSITIVE_INFINITY));
        double[] before = x.clone();
        DivergenceException e = assertThrows(DivergenceException.class, () -> sgd.step(x));
        assertArrayEquals(before, x);
        assertTrue(e.getMessage().contains("would become NaN or infinite"), e.getMessage());
    }
}
