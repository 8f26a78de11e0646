package nclab.optim;

import java.util.Map;

import nclab.InvalidInputException;
import nclab.model.Objective;

/**
 * Full-batch Adam (Kingma &amp; Ba 2015, Algorithm 1, PyTorch form without weight decay): with g = ∇f(x_t),
 * m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², x ← x − η_t·(m/(1−β₁^{t+1})) / (√(v/(1−β₂^{t+1})) + ε),
 * then projection. Regularisation belongs to the objective. Checks (value, and every number it would
 * write) precede the commit, so a {@link DivergenceException} leaves x, m, v untouched.
 * State: step counter, first value, m, v.
 */
public final class Adam implements Optimizer {
    private final Objective objective;
    private final LearningRateSchedule schedule;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final DivergenceGuard guard;
    private final double[] grad;
    private final double[] m;
    private final double[] v;
    private final Steps.Progress progress = new Steps.Progress();

    /** Adam with β₁ = 0.9, β₂ = 0.999, ε = 1e−8. */
    public Adam(Objective objective, LearningRateSchedule schedule) {
        this(objective, schedule, 0.9, 0.999, 1e-8, DivergenceGuard.DEFAULT);
    }

    public Adam(Objective objective, LearningRateSchedule schedule, double beta1, double beta2, double eps,
                DivergenceGuard guard) {
        InvalidInputException.require(objective != null && schedule != null && guard != null,
                "objective, schedule and guard are required");
        InvalidInputException.require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
        InvalidInputException.require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
        InvalidInputException.requirePositive("eps", eps);
        this.objective = objective;
        this.schedule = schedule;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.guard = guard;
        int n = objective.layout().size();
        this.grad = new double[n];
        this.m = new double[n];
        this.v = new double[n];
    }

    @Override
    public double step(double[] x) {
        long steps = progress.steps();
        long s = steps + 1;
        double value = objective.valueAndGradient(x, grad);
        progress.checkLoss(guard, value);
        double eta = schedule.rate(steps);
        double c1 = 1.0 / (1.0 - Math.pow(beta1, s));
        double c2 = 1.0 / (1.0 - Math.pow(beta2, s));
        double probe = 0;
        for (int i = 0; i < x.length; i++) {
            double g = grad[i];
            double mn = beta1 * m[i] + (1 - beta1) * g;
            double vn = beta2 * v[i] + (1 - beta2) * g * g;
            probe += (x[i] - eta * (mn * c1) / (Math.sqrt(vn * c2) + eps)) * 0.0 + vn * 0.0 + mn * 0.0;
        }
        guard.checkProbe(s, probe, "a parameter or an Adam moment");
        for (int i = 0; i < x.length; i++) {
            double g = grad[i];
            double mn = beta1 * m[i] + (1 - beta1) * g;
            double vn = beta2 * v[i] + (1 - beta2) * g * g;
            m[i] = mn;
            v[i] = vn;
            x[i] = x[i] - eta * (mn * c1) / (Math.sqrt(vn * c2) + eps);
        }
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
        Map<String, double[]> st = progress.state();
        st.put("m", m.clone());
        st.put("v", v.clone());
        return st;
    }

    @Override
    public void restore(Map<String, double[]> state) {
        progress.restore(state);
        Steps.restoreInto(state, "m", m);
        Steps.restoreInto(state, "v", v);
    }
}
