package nclab.optim;

import java.util.Map;

import nclab.InvalidInputException;
import nclab.model.Objective;

/**
 * Full-batch (projected) gradient descent x_{t+1} = Π(x_t − η_t d_t), with d_t = ∇f(x_t) or the
 * heavy-ball / Nesterov direction of {@link Momentum}, and Π = {@link Objective#project}. The step first
 * evaluates f and ∇f, checks the {@link DivergenceGuard} on the value and on every number it would write
 * (without writing), and only then commits; a {@link DivergenceException} therefore leaves x and the
 * velocity at the last good iterate. State: step counter, first objective value, velocity.
 */
public final class GradientDescent implements Optimizer {
    private final Objective objective;
    private final LearningRateSchedule schedule;
    private final Momentum momentum;
    private final DivergenceGuard guard;
    private final double[] grad;
    private final double[] velocity;
    private final Steps.Progress progress = new Steps.Progress();

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
    }

    @Override
    public double step(double[] x) {
        long steps = progress.steps();
        long s = steps + 1;
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

    /** The gradient evaluated by the last step (at the iterate before its update). */
    public double[] lastGradient() {
        return grad;
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
