package nclab.optim;

import java.util.Map;
import java.util.SplittableRandom;

import nclab.InvalidInputException;
import nclab.model.FusedSgdObjective;
import nclab.model.StochasticObjective;

/**
 * Minibatch stochastic gradient descent on a {@link StochasticObjective}: step t uses the minibatch
 * objective f_𝔅 of its batch and updates only the shared parameters and the batch's own rows, so a step
 * costs O(B·K·d + K·d) whatever N is, and allocates nothing.
 *
 * <p><b>Batches.</b> An epoch has ⌈N/B⌉ steps. Without replacement, epoch e visits a permutation of the N
 * samples in consecutive batches (the last one has N − (⌈N/B⌉−1)·B samples); with replacement, each of its
 * batches holds B indices drawn uniformly. Epoch e's batches come from
 * {@code new SplittableRandom(seed ^ mix(e))} alone, so a resumed run needs no RNG state.
 *
 * <p><b>Momentum</b> (heavy ball / Nesterov, PyTorch form, see {@link Momentum}) is dense on the shared
 * parameters and <i>lazy</i> on the per-sample rows: a row's velocity is updated only in the steps whose
 * batch contains it (as sparse/lazy optimisers do), which keeps a step O(B). Without momentum this is
 * exactly plain SGD. A sample drawn twice in one batch gets its summed gradient once.
 *
 * <p><b>Divergence.</b> The minibatch value and every number the step would write are checked first; a
 * {@link DivergenceException} leaves x and the optimiser state untouched. The loss check compares with the
 * first minibatch value. Projection uses {@link StochasticObjective#projectBatch}.
 *
 * <p><b>Fused path.</b> When the objective is a {@link FusedSgdObjective} (the UFM), the step is computed by the
 * objective in one pass into its scratch ({@link FusedSgdObjective#prepareSgdStep}), the same loss and finiteness
 * checks run on those numbers, and only then are they written ({@link FusedSgdObjective#commitSgdStep}); same
 * update, same batches, equal to the generic path up to rounding.
 *
 * <p>State: step counter, first minibatch value, velocity (when momentum is on).
 */
public final class Sgd implements Optimizer {
    private final StochasticObjective objective;
    /** The objective when it offers the fused step, else null (generic gradient / probe / commit path). */
    private final FusedSgdObjective fused;
    private final int batchSize;
    private final boolean withReplacement;
    private final long seed;
    private final LearningRateSchedule schedule;
    private final Momentum momentum;
    private final DivergenceGuard guard;
    private final int n;
    private final int width;
    private final int[][] shared;
    private final int stepsPerEpoch;
    private final int[] order;
    private final long[] stamp;
    private final double[] grad;
    private final double[] velocity;
    private long bufferedEpoch = -1;
    private final Steps.Progress progress = new Steps.Progress();

    /**
     * @param batchSize       B, 1 ≤ B ≤ N
     * @param withReplacement draw batch entries independently (else: shuffle each epoch)
     * @param seed            seed of the batch order
     */
    public Sgd(StochasticObjective objective, int batchSize, boolean withReplacement, long seed,
               LearningRateSchedule schedule, Momentum momentum, DivergenceGuard guard) {
        InvalidInputException.require(objective != null && schedule != null && momentum != null && guard != null,
                "objective, schedule, momentum and guard are required");
        this.n = objective.samples();
        InvalidInputException.require(batchSize >= 1 && batchSize <= n,
                "batch size must be between 1 and the number of samples N = " + n + ", got batch = " + batchSize);
        this.objective = objective;
        this.fused = objective instanceof FusedSgdObjective f ? f : null;
        this.batchSize = batchSize;
        this.withReplacement = withReplacement;
        this.seed = seed;
        this.schedule = schedule;
        this.momentum = momentum;
        this.guard = guard;
        this.width = objective.sampleWidth();
        this.shared = objective.sharedRanges();
        this.stepsPerEpoch = (n + batchSize - 1) / batchSize;
        this.order = new int[withReplacement ? stepsPerEpoch * batchSize : n];
        this.stamp = new long[n];
        int size = objective.layout().size();
        this.grad = new double[size];
        this.velocity = new double[momentum.enabled() ? size : 0];
    }

    /** Plain SGD (no momentum, default guard), batches without replacement. */
    public Sgd(StochasticObjective objective, int batchSize, long seed, LearningRateSchedule schedule) {
        this(objective, batchSize, false, seed, schedule, Momentum.none(), DivergenceGuard.DEFAULT);
    }

    /** ⌈N/B⌉. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    @Override
    public double step(double[] x) {
        long steps = progress.steps();
        long s = steps + 1;
        long epoch = steps / stepsPerEpoch;
        int j = (int) (steps % stepsPerEpoch);
        if (epoch != bufferedEpoch) {
            fillEpoch(epoch);
        }
        int from = j * batchSize;
        int to = withReplacement ? from + batchSize : Math.min(from + batchSize, n);
        if (fused != null) {
            return fusedStep(x, s, steps, from, to);
        }
        double value = objective.batchValueAndGradient(x, order, from, to, grad);
        progress.checkLoss(guard, value);
        double eta = schedule.rate(steps);
        Momentum.Kind kind = momentum.kind();
        double mu = momentum.mu();
        double probe = 0;
        for (int[] r : shared) {
            probe += Steps.probe(kind, x, grad, velocity, mu, eta, r[0], r[0] + r[1]);
        }
        for (int t = from; t < to; t++) {
            int o = objective.sampleOffset(order[t]);
            probe += Steps.probe(kind, x, grad, velocity, mu, eta, o, o + width);
        }
        guard.checkProbe(s, probe, "a parameter or the velocity");
        for (int[] r : shared) {
            Steps.commit(kind, x, grad, velocity, mu, eta, r[0], r[0] + r[1]);
        }
        for (int t = from; t < to; t++) {
            int i = order[t];
            if (stamp[i] != s) { // a duplicate row already got its summed gradient
                stamp[i] = s;
                int o = objective.sampleOffset(i);
                Steps.commit(kind, x, grad, velocity, mu, eta, o, o + width);
            }
        }
        objective.projectBatch(x, order, from, to);
        progress.advance(value);
        return value;
    }

    /**
     * The same step through {@link FusedSgdObjective}: the objective computes the value and every new number into
     * its scratch, the guard checks the value and their finiteness, and only then are they written.
     */
    private double fusedStep(double[] x, long s, long steps, int from, int to) {
        double eta = schedule.rate(steps);
        double[] v = momentum.enabled() ? velocity : null;
        double value = fused.prepareSgdStep(x, v, order, from, to, eta, momentum.mu(),
                momentum.kind() == Momentum.Kind.NESTEROV);
        progress.checkLoss(guard, value);
        guard.checkProbe(s, fused.preparedStepFinite() ? 0.0 : Double.NaN, "a parameter or the velocity");
        fused.commitSgdStep(x, v);
        progress.advance(value);
        return value;
    }

    /** Sample indices of the batches of epoch e (a pure function of seed and e). */
    private void fillEpoch(long epoch) {
        SplittableRandom random = new SplittableRandom(seed ^ mix(epoch));
        if (withReplacement) {
            for (int i = 0; i < order.length; i++) {
                order[i] = random.nextInt(n);
            }
        } else {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int r = random.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[r];
                order[r] = tmp;
            }
        }
        bufferedEpoch = epoch;
    }

    /** SplitMix64 finaliser of the epoch number (decorrelates consecutive epochs). */
    static long mix(long e) {
        long z = (e + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Copy of the sample indices of the batch that step t (0-based) uses. */
    public int[] batchOfStep(long t) {
        long epoch = t / stepsPerEpoch;
        int j = (int) (t % stepsPerEpoch);
        if (epoch != bufferedEpoch) {
            fillEpoch(epoch);
        }
        int from = j * batchSize;
        int to = withReplacement ? from + batchSize : Math.min(from + batchSize, n);
        return java.util.Arrays.copyOfRange(order, from, to);
    }

    @Override
    public long steps() {
        return progress.steps();
    }

    @Override
    public Map<String, double[]> state() {
        return Steps.momentumState(progress, momentum, velocity);
    }

    @Override
    public void restore(Map<String, double[]> state) {
        Steps.restoreMomentumState(state, progress, momentum, velocity);
        java.util.Arrays.fill(stamp, 0L);
        bufferedEpoch = -1;
    }
}
