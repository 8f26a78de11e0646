package nclab.optim;

import java.util.Map;

import nclab.InvalidInputException;
import nclab.model.FusedGradientObjective;
import nclab.model.Objective;

/**
 * Full-batch (projected) gradient descent x_{t+1} = Π(x_t − η_t d_t), with d_t = ∇f(x_t) or the
 * heavy-ball / Nesterov direction of {@link Momentum}, and Π = {@link Objective#project}. The step first
 * evaluates f and ∇f, checks the {@link DivergenceGuard} on the value and on every number it would write
 * (without writing), and only then commits; a {@link DivergenceException} therefore leaves x and the
 * velocity at the last good iterate. State: step counter, first objective value, velocity.
 *
 * <p>Without momentum, an objective that can take the step in its own passes ({@link FusedGradientObjective}: the
 * UFM) is asked to; it runs the same loss check before writing (or proves before writing, from a bound, that the
 * value is below the check's limit, {@link DivergenceGuard#limit}, and checks it after the pass that computes it
 * and writes the step) and proves the written numbers finite by a bound, and hands the step back here (nothing
 * written) when it cannot.
 */
public final class GradientDescent implements Optimizer {
    private final Objective objective;
    private final LearningRateSchedule schedule;
    private final Momentum momentum;
    private final DivergenceGuard guard;
    private final double[] grad;
    private final double[] velocity;
    private final Steps.Progress progress = new Steps.Progress();
    /** The objective when it takes fused steps and no momentum is used, else null. */
    private final FusedGradientObjective fused;
    /** The loss check the fused step runs before it writes (one instance: no allocation per step). */
    private final java.util.function.DoubleConsumer lossCheck;

    public GradientDescent(Objective objective, LearningRateSchedule schedule) {
        this(objective, schedule, Momentum.none(), DivergenceGuard.DEFAULT);
    }

    public GradientDescent(Objective objective, LearningRateSchedule schedule, Momentum momentum, DivergenceGuard guard) {
        InvalidInputException.require(objective != null && schedule != null && momentum != null && guard != null,
                "objective, schedule, momentum and guard are required");
        this.objective = objective;
        this.schedule = schedule;
        this.momentum = momentum;
        this.guard = guard;
        int n = objective.layout().size();
        this.grad = new double[n];
        this.velocity = new double[momentum.enabled() ? n : 0];
        this.fused = !momentum.enabled() && objective instanceof FusedGradientObjective f ? f : null;
        this.lossCheck = v -> progress.checkLoss(guard, v);
    }

    @Override
    public double step(double[] x) {
        long steps = progress.steps();
        long s = steps + 1;
        if (fused != null) {
            double value = fused.fusedGradientStep(x, schedule.rate(steps), lossCheck, progress.lossLimit(guard));
            if (!Double.isNaN(value)) {
                progress.advance(value);
                return value;
            }
        }
        double value = objective.valueAndGradient(x, grad);
        progress.checkLoss(guard, value);
        double eta = schedule.rate(steps);
        guard.checkProbe(s, Steps.probe(momentum.kind(), x, grad, velocity, momentum.mu(), eta, 0, x.length),
                "a parameter or the velocity");
        Steps.commit(momentum.kind(), x, grad, velocity, momentum.mu(), eta, 0, x.length);
        objective.project(x);
        progress.advance(value);
        return value;
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
    }
}
