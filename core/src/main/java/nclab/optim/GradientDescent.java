package nclab.optim;

import java.util.LinkedHashMap;
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
    private long steps;
    private double startLoss = Double.NaN;

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
        long s = steps + 1;
        double value = objective.valueAndGradient(x, grad);
        guard.checkLoss(s, value, steps == 0 ? value : startLoss);
        double eta = schedule.rate(steps);
        guard.checkProbe(s, Steps.probe(momentum.kind(), x, grad, velocity, momentum.mu(), eta, 0, x.length),
                "a parameter or the velocity");
        Steps.commit(momentum.kind(), x, grad, velocity, momentum.mu(), eta, 0, x.length);
        objective.project(x);
        if (steps == 0) {
            startLoss = value;
        }
        steps = s;
        return value;
    }

    @Override
    public long steps() {
        return steps;
    }

    /** The gradient evaluated by the last step (at the iterate before its update). */
    public double[] lastGradient() {
        return grad;
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("steps", Steps.scalar(steps));
        m.put("startLoss", Steps.scalar(startLoss));
        if (momentum.enabled()) {
            m.put("velocity", velocity.clone());
        }
        return m;
    }

    @Override
    public void restore(Map<String, double[]> state) {
        steps = (long) Steps.entry(state, "steps", 1)[0];
        startLoss = Steps.entry(state, "startLoss", 1)[0];
        if (momentum.enabled()) {
            System.arraycopy(Steps.entry(state, "velocity", velocity.length), 0, velocity, 0, velocity.length);
        }
    }
}
