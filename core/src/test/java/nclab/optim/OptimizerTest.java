package nclab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.model.Objective;
import nclab.model.ParameterLayout;
import nclab.model.UfmObjective;
import org.junit.jupiter.api.Test;

class OptimizerTest {
    private static final UfmObjective UFM = new UfmObjective(ClassSizes.of(6, 6, 2, 3), 5, 1e-2, 2e-2, 0, true, false, 1.0);
    private static final UfmObjective UFM_PLUS = new UfmObjective(ClassSizes.of(6, 6, 2, 3), 5, 1e-2, 2e-2, false, true);
    private static final LearningRateSchedule STEPPED = LearningRateSchedule.step(0.5, new long[] {7, 20}, 0.3);

    private static void assertResumesBitIdentically(Objective f, Supplier<Optimizer> factory, int total, int stopAt) {
        double[] uninterrupted = f.initialPoint(new SplittableRandom(42));
        Optimizer a = factory.get();
        for (int t = 0; t < total; t++) {
            a.step(uninterrupted);
        }
        double[] x = f.initialPoint(new SplittableRandom(42));
        Optimizer first = factory.get();
        for (int t = 0; t < stopAt; t++) {
            first.step(x);
        }
        Map<String, double[]> saved = first.state();
        double[] checkpoint = x.clone();
        // the interrupted instance keeps running (state() must be a copy, not a view)
        for (int t = 0; t < 5; t++) {
            first.step(x);
        }
        Optimizer second = factory.get();
        second.restore(saved);
        assertEquals(stopAt, second.steps());
        for (int t = stopAt; t < total; t++) {
            second.step(checkpoint);
        }
        assertEquals(total, second.steps());
        assertArrayEquals(uninterrupted, checkpoint, "resumed run differs");
        assertNotEquals(Arrays.toString(f.initialPoint(new SplittableRandom(42))), Arrays.toString(checkpoint));
    }

    @Test
    void gradientDescentResumesBitIdentically() {
        for (Momentum m : new Momentum[] {Momentum.none(), Momentum.heavyBall(0.9), Momentum.nesterov(0.8)}) {
            assertResumesBitIdentically(UFM, () -> new GradientDescent(UFM, STEPPED, m, DivergenceGuard.DEFAULT), 40, 13);
            assertResumesBitIdentically(UFM_PLUS, () -> new GradientDescent(UFM_PLUS, STEPPED, m, DivergenceGuard.DEFAULT), 40, 13);
        }
    }

    @Test
    void sgdResumesBitIdentically() {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.3, 60, 0.01);
        for (boolean replacement : new boolean[] {false, true}) {
            for (Momentum m : new Momentum[] {Momentum.none(), Momentum.heavyBall(0.9), Momentum.nesterov(0.5)}) {
                // N = 17, B = 4: 5 steps per epoch, stop mid-epoch (step 13)
                assertResumesBitIdentically(UFM, () -> new Sgd(UFM, 4, replacement, 9, cosine, m, DivergenceGuard.DEFAULT), 60, 13);
                assertResumesBitIdentically(UFM_PLUS, () -> new Sgd(UFM_PLUS, 4, replacement, 9, cosine, m, DivergenceGuard.DEFAULT), 60, 13);
            }
        }
    }

    @Test
    void adamResumesBitIdentically() {
        assertResumesBitIdentically(UFM, () -> new Adam(UFM, LearningRateSchedule.constant(0.05)), 40, 17);
        assertResumesBitIdentically(UFM_PLUS, () -> new Adam(UFM_PLUS, STEPPED, 0.8, 0.99, 1e-7, DivergenceGuard.DEFAULT), 40, 17);
    }

    @Test
    void optimisersDecreaseTheObjective() {
        double[] x0 = UFM.initialPoint(new SplittableRandom(1));
        double f0 = UFM.value(x0);
        Optimizer[] all = {
            new GradientDescent(UFM, LearningRateSchedule.constant(0.5)),
            new GradientDescent(UFM, LearningRateSchedule.constant(0.1), Momentum.heavyBall(0.9), DivergenceGuard.DEFAULT),
            new GradientDescent(UFM, LearningRateSchedule.constant(0.1), Momentum.nesterov(0.9), DivergenceGuard.DEFAULT),
            new Adam(UFM, LearningRateSchedule.constant(0.02)),
            new Sgd(UFM, 4, 3, LearningRateSchedule.constant(0.1)),
        };
        for (Optimizer o : all) {
            double[] x = x0.clone();
            for (int t = 0; t < 500; t++) {
                o.step(x);
            }
            double f = UFM.value(x);
            assertTrue(f < 0.5 * f0, o.getClass().getSimpleName() + ": " + f0 + " -> " + f);
        }
    }

    @Test
    void fullBatchSgdIsGradientDescentUpToRounding() {
        double[] a = UFM.initialPoint(new SplittableRandom(2));
        double[] b = a.clone();
        GradientDescent gd = new GradientDescent(UFM, LearningRateSchedule.constant(0.3));
        Sgd sgd = new Sgd(UFM, UFM.samples(), 5, LearningRateSchedule.constant(0.3));
        for (int t = 0; t < 50; t++) {
            assertEquals(gd.step(a), sgd.step(b), 1e-12);
        }
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-11);
        }
    }

    @Test
    void sgdEpochsArePermutationsDerivedFromSeedAndEpochOnly() {
        Sgd sgd = new Sgd(UFM, 4, 77, LearningRateSchedule.constant(0.1));
        assertEquals(5, sgd.stepsPerEpoch());
        for (long e = 0; e < 3; e++) {
            int[] seen = new int[UFM.samples()];
            for (int j = 0; j < 5; j++) {
                int[] batch = sgd.batchOfStep(e * 5 + j);
                assertEquals(j < 4 ? 4 : 1, batch.length);
                for (int i : batch) {
                    seen[i]++;
                }
            }
            int[] ones = new int[UFM.samples()];
            Arrays.fill(ones, 1);
            assertArrayEquals(ones, seen, "epoch " + e + " must visit every sample once");
        }
        Sgd other = new Sgd(UFM, 4, 77, LearningRateSchedule.constant(0.1));
        assertArrayEquals(sgd.batchOfStep(7), other.batchOfStep(7));
        assertNotEquals(Arrays.toString(sgd.batchOfStep(2)), Arrays.toString(sgd.batchOfStep(7)));
        assertNotEquals(Arrays.toString(sgd.batchOfStep(2)),
                Arrays.toString(new Sgd(UFM, 4, 78, LearningRateSchedule.constant(0.1)).batchOfStep(2)));
        Sgd repl = new Sgd(UFM, 4, true, 77, LearningRateSchedule.constant(0.1), Momentum.none(), DivergenceGuard.DEFAULT);
        assertEquals(4, repl.batchOfStep(4).length);
    }

    @Test
    void sgdStepTouchesOnlyTheBatchRowsAndSharedParameters() {
        UfmObjective big = new UfmObjective(ClassSizes.balanced(4, 100), 64, 5e-4, 5e-4, false, false);
        Sgd sgd = new Sgd(big, 4, false, 1, LearningRateSchedule.constant(0.4), Momentum.heavyBall(0.9), DivergenceGuard.DEFAULT);
        double[] x = big.initialPoint(new SplittableRandom(3));
        for (int t = 0; t < 30; t++) {
            int[] batch = sgd.batchOfStep(sgd.steps());
            double[] before = x.clone();
            sgd.step(x);
            for (int row = 0; row < big.samples(); row++) {
                final int s = row;
                int o = big.sampleOffset(s);
                boolean inBatch = Arrays.stream(batch).anyMatch(i -> i == s);
                boolean changed = !Arrays.equals(before, o, o + 64, x, o, o + 64);
                assertEquals(inBatch, changed, "row " + s + " at step " + t);
            }
            assertTrue(!Arrays.equals(before, 0, 256, x, 0, 256), "W must move");
        }
    }

    @Test
    void fusedFullBatchStepDoesNotAllocate() {
        // also catches SIMD kernels that C2 failed to intrinsify (boxed vectors allocate on every call)
        UfmObjective f = new UfmObjective(ClassSizes.balanced(4, 100), 64, 5e-4, 5e-4, false, false);
        GradientDescent gd = new GradientDescent(f, LearningRateSchedule.constant(1e-3));
        double[] x = f.initialPoint(new SplittableRandom(3));
        long allocated = allocationOfAQuietRound(1_000, () -> gd.step(x));
        assertTrue(allocated < 10_000, "every round of 1 000 full-batch steps allocated, the last " + allocated + " bytes");
    }

    @Test
    void sgdStepDoesNotAllocate() {
        // 10 000 steps are 100 epochs, each drawing its order with one SplittableRandom: well under 10 kB
        UfmObjective big = new UfmObjective(ClassSizes.balanced(4, 100), 64, 5e-4, 5e-4, false, false);
        Sgd sgd = new Sgd(big, 4, 1, LearningRateSchedule.constant(0.4));
        double[] x = big.initialPoint(new SplittableRandom(3));
        long allocated = allocationOfAQuietRound(10_000, () -> sgd.step(x));
        assertTrue(allocated < 10_000, "every round of 10 000 SGD steps allocated, the last " + allocated + " bytes");
    }

    /**
     * Bytes this thread allocated in rounds of {@code steps} steps, round after round (at most 40) until one stays
     * under 10 kB: on a loaded machine C2 may still be compiling after many steps (seen once in CI: 3.1 kB per SGD
     * step while interpreted), while boxed vectors in compiled code would allocate in every round.
     */
    private static long allocationOfAQuietRound(int steps, Runnable step) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 40 && allocated >= 10_000; round++) {
            long before = bean.getThreadAllocatedBytes(id);
            for (int t = 0; t < steps; t++) {
                step.run();
            }
            allocated = bean.getThreadAllocatedBytes(id) - before;
        }
        return allocated;
    }

    @Test
    void divergenceStopsBeforeWritingAndKeepsTheLastGoodIterate() {
        // lr 1e4 on the ridge UFM explodes quickly
        Supplier<Optimizer> factory = () -> new GradientDescent(UFM, LearningRateSchedule.constant(1e4),
                Momentum.heavyBall(0.5), new DivergenceGuard(100));
        double[] x = UFM.initialPoint(new SplittableRandom(4));
        Optimizer o = factory.get();
        DivergenceException e = assertThrows(DivergenceException.class, () -> {
            for (int t = 0; t < 1000; t++) {
                o.step(x);
            }
        });
        long failed = e.step();
        assertTrue(failed >= 2);
        assertEquals(failed - 1, o.steps());
        assertTrue(e.getMessage().startsWith("diverged at step " + failed + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("the parameters are kept as they were after step " + (failed - 1)));
        double[] replay = UFM.initialPoint(new SplittableRandom(4));
        Optimizer again = factory.get();
        for (long t = 1; t < failed; t++) {
            again.step(replay);
        }
        assertArrayEquals(replay, x);
        assertArrayEquals(again.state().get("velocity"), o.state().get("velocity"));
    }

    @Test
    void nonFiniteValuesAndGradientsAreDivergence() {
        ParameterLayout layout = ParameterLayout.builder().add("x", 1, 2).build();
        double[] bad = {1.0};
        Objective f = new Objective() {
            @Override
            public String model() {
                return "test";
            }

            @Override
            public ParameterLayout layout() {
                return layout;
            }

            @Override
            public double valueAndGradient(double[] x, double[] grad) {
                grad[0] = x[0];
                grad[1] = bad[0];
                return x[0] * x[0] / 2 + (Double.isNaN(x[1]) ? Double.NaN : 0);
            }

            @Override
            public double[] initialPoint(SplittableRandom random) {
                return new double[] {1, 0};
            }
        };
        double[] x = {1, 0};
        GradientDescent gd = new GradientDescent(f, LearningRateSchedule.constant(0.5));
        gd.step(x);
        bad[0] = Double.POSITIVE_INFINITY;
        DivergenceException e = assertThrows(DivergenceException.class, () -> gd.step(x));
        assertEquals("diverged at step 2: a parameter or the velocity would become NaN or infinite; "
                + "the parameters are kept as they were after step 1", e.getMessage());
        assertArrayEquals(new double[] {0.5, -0.5}, x);
        Adam adam = new Adam(f, LearningRateSchedule.constant(0.1));
        assertThrows(DivergenceException.class, () -> adam.step(x));
        assertArrayEquals(new double[] {0.5, -0.5}, x);
        x[1] = Double.NaN;
        bad[0] = 0;
        assertEquals("diverged at step 2: objective = NaN; the parameters are kept as they were after step 1",
                assertThrows(DivergenceException.class, () -> gd.step(x)).getMessage());
    }

    @Test
    void schedules() {
        assertEquals(0.4, LearningRateSchedule.constant(0.4).rate(123456));
        LearningRateSchedule s = LearningRateSchedule.step(1.0, new long[] {10, 20}, 0.1);
        assertEquals(1.0, s.rate(0));
        assertEquals(1.0, s.rate(9));
        assertEquals(0.1, s.rate(10), 1e-15);
        assertEquals(0.01, s.rate(25), 1e-15);
        LearningRateSchedule c = LearningRateSchedule.cosine(1.0, 100, 0.1);
        assertEquals(1.0, c.rate(0), 1e-15);
        assertEquals(0.55, c.rate(50), 1e-15);
        assertEquals(0.1, c.rate(100), 1e-15);
        assertEquals(0.1, c.rate(1000), 1e-15);
        assertEquals("milestones must be increasing steps >= 1, got [5, 5]",
                assertThrows(InvalidInputException.class, () -> LearningRateSchedule.step(1, new long[] {5, 5}, 0.1)).getMessage());
        assertEquals("lr must be a finite number > 0, got -1.0",
                assertThrows(InvalidInputException.class, () -> LearningRateSchedule.constant(-1)).getMessage());
    }

    @Test
    void theGuardsLimitIsTheLargestValueItsCheckAccepts() {
        // a fused step may compute f(x) in the pass that writes the step when it proves f(x) ≤ limit beforehand
        DivergenceGuard guard = new DivergenceGuard(100);
        assertEquals(250.0, guard.limit(2.5));
        guard.checkLoss(2, 250.0, 2.5);
        assertThrows(DivergenceException.class, () -> guard.checkLoss(2, Math.nextUp(250.0), 2.5));
        for (double start : new double[] {0.0, -1.0, Double.NaN}) { // no growth check against such a first value
            assertEquals(Double.POSITIVE_INFINITY, guard.limit(start));
            guard.checkLoss(2, 1e300, start);
        }
        assertEquals(Double.POSITIVE_INFINITY, new DivergenceGuard(Double.POSITIVE_INFINITY).limit(2.5));
    }

    @Test
    void rejectsBadConfigurations() {
        assertEquals("batch size must be between 1 and the number of samples N = 17, got batch = 18",
                assertThrows(InvalidInputException.class, () -> new Sgd(UFM, 18, 1, LearningRateSchedule.constant(1))).getMessage());
        assertEquals("momentum must be in [0, 1), got 1.0",
                assertThrows(InvalidInputException.class, () -> Momentum.heavyBall(1.0)).getMessage());
        assertEquals("lossFactor must be > 1, got 0.5",
                assertThrows(InvalidInputException.class, () -> new DivergenceGuard(0.5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adam(UFM, LearningRateSchedule.constant(1)).restore(Map.of()));
    }

    /** f(x) = ½‖x‖², ∇f = x: the update rules can be followed by hand. */
    private static Objective quadratic(int n) {
        ParameterLayout layout = ParameterLayout.builder().add("x", 1, n).build();
        return new Objective() {
            @Override
            public String model() {
                return "quadratic";
            }

            @Override
            public ParameterLayout layout() {
                return layout;
            }

            @Override
            public double valueAndGradient(double[] x, double[] grad) {
                double f = 0;
                for (int i = 0; i < x.length; i++) {
                    grad[i] = x[i];
                    f += 0.5 * x[i] * x[i];
                }
                return f;
            }

            @Override
            public double[] initialPoint(SplittableRandom random) {
                return new double[n];
            }
        };
    }

    @Test
    void updateRulesMatchHandComputation() {
        double eta = 0.1;
        double mu = 0.9;
        // heavy ball: v1 = x0, x1 = x0(1−η); v2 = μv1 + x1, x2 = x1 − ηv2
        double[] x = {2.0};
        GradientDescent hb = new GradientDescent(quadratic(1), LearningRateSchedule.constant(eta), Momentum.heavyBall(mu), DivergenceGuard.DEFAULT);
        assertEquals(2.0, hb.step(x));
        assertEquals(2.0 * (1 - eta), x[0], 1e-15);
        hb.step(x);
        double x1 = 2.0 * (1 - eta);
        assertEquals(x1 - eta * (mu * 2.0 + x1), x[0], 1e-15);
        // Nesterov: v1 = x0, x1 = x0 − η(x0 + μ v1)
        double[] y = {2.0};
        new GradientDescent(quadratic(1), LearningRateSchedule.constant(eta), Momentum.nesterov(mu), DivergenceGuard.DEFAULT).step(y);
        assertEquals(2.0 - eta * (2.0 + mu * 2.0), y[0], 1e-15);
        // Adam's first step moves every coordinate by η·g/(|g| + ε)
        double[] z = {2.0, -0.5};
        new Adam(quadratic(2), LearningRateSchedule.constant(eta)).step(z);
        assertEquals(2.0 - eta * 2.0 / (2.0 + 1e-8), z[0], 1e-15);
        assertEquals(-0.5 + eta * 0.5 / (0.5 + 1e-8), z[1], 1e-15);
    }

    @Test
    void projectionKeepsFeaturesNonNegative() {
        Optimizer[] all = {
            new GradientDescent(UFM_PLUS, LearningRateSchedule.constant(0.5), Momentum.nesterov(0.5), DivergenceGuard.DEFAULT),
            new Adam(UFM_PLUS, LearningRateSchedule.constant(0.05)),
            new Sgd(UFM_PLUS, 3, true, 4, LearningRateSchedule.constant(0.5), Momentum.heavyBall(0.5), DivergenceGuard.DEFAULT),
        };
        int h = UFM_PLUS.sampleOffset(0);
        for (Optimizer o : all) {
            double[] x = UFM_PLUS.initialPoint(new SplittableRandom(8));
            int clamped = 0;
            for (int t = 0; t < 300; t++) {
                o.step(x);
                for (int i = h; i < h + 17 * 5; i++) {
                    assertTrue(x[i] >= 0, o.getClass().getSimpleName() + " left H[" + i + "] = " + x[i]);
                    clamped += x[i] == 0 ? 1 : 0;
                }
            }
            assertTrue(clamped > 0, "the constraint must be active somewhere");
        }
    }
}
