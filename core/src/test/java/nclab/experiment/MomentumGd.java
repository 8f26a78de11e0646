package nclab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

import nclab.model.Objective;
import nclab.optim.Optimizer;

/**
 * Test-only heavy-ball gradient descent v ← μv − η∇f(x), x ← x + v, then projection. An optional delay per
 * step (system property {@code nclab.test.stepDelayMillis}) slows a child process so that it can be killed
 * mid-run.
 */
final class MomentumGd implements Optimizer {
    private final Objective objective;
    private final double lr;
    private final double momentum;
    private final double[] grad;
    private final double[] velocity;
    private final long delayMillis = Long.getLong("nclab.test.stepDelayMillis", 0L);
    private long steps;

    MomentumGd(Objective objective, double lr, double momentum) {
        this.objective = objective;
        this.lr = lr;
        this.momentum = momentum;
        this.grad = new double[objective.layout().size()];
        this.velocity = new double[grad.length];
    }

    @Override
    public double step(double[] x) {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double f = objective.valueAndGradient(x, grad);
        for (int i = 0; i < x.length; i++) {
            velocity[i] = momentum * velocity[i] - lr * grad[i];
            x[i] += velocity[i];
        }
        objective.project(x);
        steps++;
        return f;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("velocity", velocity.clone());
        s.put("steps", new double[] {steps});
        return s;
    }

    @Override
    public void restore(Map<String, double[]> state) {
        System.arraycopy(state.get("velocity"), 0, velocity, 0, velocity.length);
        steps = (long) state.get("steps")[0];
    }
}
