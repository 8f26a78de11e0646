package nclab.model;

/**
 * Test-side full-batch (projected) gradient descent on an {@link Objective}: x ← P(x − η∇f(x)). With
 * {@code backtracking}, η is halved until the sufficient-decrease test f(x⁺) ≤ f(x) + ⟨∇f, x⁺ − x⟩ + ‖x⁺ − x‖²/(2η)
 * holds and grown by 1.2 after every accepted step; otherwise η is fixed. Stops when the gradient-mapping norm
 * ‖x⁺ − x‖/η falls below {@code tol}.
 */
final class ModelDescent {
    double value;
    double stationarity;
    int steps;
    final double[] x;

    private ModelDescent(double[] x) {
        this.x = x;
    }

    static ModelDescent run(Objective f, double[] start, double lr, boolean backtracking, int maxSteps, double tol) {
        ModelDescent r = new ModelDescent(start.clone());
        double[] x = r.x;
        f.project(x);
        double[] g = new double[x.length];
        double[] next = new double[x.length];
        double[] gNext = new double[x.length];
        double fx = f.valueAndGradient(x, g);
        double eta = lr;
        r.stationarity = Double.POSITIVE_INFINITY;
        for (r.steps = 0; r.steps < maxSteps; r.steps++) {
            double fNext;
            double lin;
            double dist;
            while (true) {
                for (int i = 0; i < x.length; i++) {
                    next[i] = x[i] - eta * g[i];
                }
                f.project(next);
                fNext = f.valueAndGradient(next, gNext);
                lin = 0;
                dist = 0;
                for (int i = 0; i < x.length; i++) {
                    double s = next[i] - x[i];
                    lin += g[i] * s;
                    dist += s * s;
                }
                if (!backtracking || fNext <= fx + lin + dist / (2 * eta) + 1e-15 * Math.abs(fx) || eta < 1e-12) {
                    break;
                }
                eta /= 2;
            }
            r.stationarity = Math.sqrt(dist) / eta;
            System.arraycopy(next, 0, x, 0, x.length);
            System.arraycopy(gNext, 0, g, 0, x.length);
            fx = fNext;
            if (!Double.isFinite(fx)) {
                throw new AssertionError("descent diverged at step " + r.steps);
            }
            if (r.stationarity < tol) {
                r.steps++;
                break;
            }
            if (backtracking) {
                eta *= 1.2;
            }
        }
        r.value = fx;
        return r;
    }
}
