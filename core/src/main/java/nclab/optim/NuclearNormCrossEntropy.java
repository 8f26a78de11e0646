package nclab.optim;

import java.util.ArrayList;
import java.util.List;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

/**
 * Nuclear-norm-regularised cross-entropy, seed 000 eq. (7):
 * <pre>
 *   Ẑ_λ = argmin_{Z ∈ ℝ^{K×N}}  L(Z) + λ‖Z‖_*,     L(Z) = Σ_i CE(z_i, y_i),  CE(z, y) = logsumexp(z) − z_y,
 * </pre>
 * with the paper's <b>summed</b> loss. Its minimiser is unique (Lemma D.1) and, by Theorem 2 (Zhu et al.),
 * every global minimiser of the ridge UFM (1) L(WHᵀ) + (λ/2)(‖W‖_F² + ‖H‖_F²) satisfies WHᵀ = Ẑ_λ and eq. (8),
 * because min{(‖W‖² + ‖H‖²)/2 : WHᵀ = Z} = ‖Z‖_* for d ≥ rank Z. Hence:
 * <ul>
 *   <li>λ of (7) equals the ridge λ = λ_W = λ_H of (1) (same summed loss);</li>
 *   <li>with λ_W ≠ λ_H it is λ = √(λ_Wλ_H) (eq. C.3), the factors being rebalanced by (λ_W/λ_H)^{1/4};</li>
 *   <li>for the mean loss (1/N)L used in the experiments (Remark F.1, issue 3's UFM objective),
 *       (1/N)L + (λ_W/2)‖W‖² + (λ_H/2)‖H‖² corresponds to λ = N·√(λ_Wλ_H) here
 *       ({@link #equivalentLambda}, {@link #solveMeanLoss}).</li>
 * </ul>
 *
 * <p><b>Algorithm.</b> Accelerated proximal gradient (FISTA) with function-value restart; the proximal map of
 * λ‖·‖_* is singular value thresholding. ∇L is Lipschitz with constant 1/2 (the CE Hessian diag(a) − aaᵀ has
 * Gershgorin radius 2a_c(1 − a_c) ≤ 1/2), so a step of 2 is always safe; longer steps are tried first and
 * accepted when the quadratic upper model holds (backtracking), which matters for small λ where the logits are
 * large and the loss is nearly flat. By default the problem is solved at class level
 * ({@link ConvexForm#CLASS_LEVEL}: a K×K variable with class weights n_k, exact by symmetry and uniqueness);
 * {@link ConvexForm#FULL} solves the K×N problem for verification. Stops when the duality gap of
 * {@link NuclearNormCeCertificate} is ≤ tolerance·max(1, F) and the prox-gradient
 * mapping norm is ≤ the KKT tolerance.
 */
public final class NuclearNormCrossEntropy {
    /** Default relative duality-gap tolerance. */
    public static final double DEFAULT_GAP_TOLERANCE = 1e-11;
    /** Default bound on the prox-gradient mapping norm (eq. 7 units). */
    public static final double DEFAULT_KKT_TOLERANCE = 1e-9;
    /** Default iteration budget. */
    public static final int DEFAULT_MAX_ITERATIONS = 500_000;
    /** Step size 1/Lipschitz(∇L). */
    static final double STEP = 2.0;
    private static final int CHECK_EVERY = 10;
    /** Trial steps grow by this factor each iteration and are halved (down to {@link #STEP}) until the
     * quadratic upper model holds; far from the origin the softmax saturates and much longer steps are safe. */
    private static final double STEP_GROWTH = 1.5;
    private static final double MAX_STEP = 1e8;

    private NuclearNormCrossEntropy() {
    }

    /**
     * Solver options.
     *
     * @param form          the variable (class level or full K×N)
     * @param gapTolerance  stop once duality gap ≤ gapTolerance·max(1, F)
     * @param kktTolerance  and once the prox-gradient mapping norm ≤ kktTolerance (the gap is quadratic in the
     *                      distance to the minimiser, the mapping linear, so both are required)
     * @param maxIterations iteration budget
     */
    public record Options(ConvexForm form, double gapTolerance, double kktTolerance, int maxIterations) {
        public Options {
            InvalidInputException.require(form != null, "the convex form is required");
            InvalidInputException.requirePositive("gap tolerance", gapTolerance);
            InvalidInputException.requirePositive("KKT tolerance", kktTolerance);
            InvalidInputException.require(maxIterations >= 1, "iteration budget must be >= 1, got " + maxIterations);
        }

        /** Class level, {@link #DEFAULT_GAP_TOLERANCE}, {@link #DEFAULT_MAX_ITERATIONS}. */
        public static Options defaults() {
            return new Options(ConvexForm.CLASS_LEVEL, DEFAULT_GAP_TOLERANCE, DEFAULT_KKT_TOLERANCE,
                    DEFAULT_MAX_ITERATIONS);
        }

        public Options withForm(ConvexForm f) {
            return new Options(f, gapTolerance, kktTolerance, maxIterations);
        }

        public Options withGapTolerance(double tol) {
            return new Options(form, tol, kktTolerance, maxIterations);
        }

        public Options withKktTolerance(double tol) {
            return new Options(form, gapTolerance, tol, maxIterations);
        }

        public Options withMaxIterations(int max) {
            return new Options(form, gapTolerance, kktTolerance, max);
        }
    }

    /**
     * λ of eq. (7) whose minimiser gives the global minimisers of the ridge UFM
     * L̃(WHᵀ) + (λ_W/2)‖W‖_F² + (λ_H/2)‖H‖_F², where L̃ = L (summed) or L/N (mean): √(λ_Wλ_H), times N for the
     * mean loss.
     */
    public static double equivalentLambda(long n, double lambdaW, double lambdaH, boolean meanLoss) {
        InvalidInputException.require(n >= 1, "number of samples must be >= 1, got " + n);
        InvalidInputException.requirePositive("lambda-w", lambdaW);
        InvalidInputException.requirePositive("lambda-h", lambdaH);
        double g = Math.sqrt(lambdaW * lambdaH);
        return meanLoss ? n * g : g;
    }

    /** Solves eq. (7) at class level with default options. */
    public static NuclearNormCeSolution solve(ClassSizes sizes, double lambda) {
        return solve(sizes, lambda, Options.defaults(), null);
    }

    /** Solves eq. (7) with the given options, starting from Z = 0. */
    public static NuclearNormCeSolution solve(ClassSizes sizes, double lambda, Options options) {
        return solve(sizes, lambda, options, null);
    }

    /**
     * Mean-loss form (1/N)L(Z) + λ_mean‖Z‖_*: the same minimiser as eq. (7) at λ = N·λ_mean. The returned
     * solution (and its certificate) is in eq. (7) units, i.e. {@code lambda()} = N·λ_mean.
     */
    public static NuclearNormCeSolution solveMeanLoss(ClassSizes sizes, double lambdaMean, Options options) {
        requireSizes(sizes);
        InvalidInputException.requirePositive("lambda", lambdaMean);
        return solve(sizes, sizes.total() * lambdaMean, options, null);
    }

    /**
     * Solves eq. (7), warm-started from a previous solution of the same sizes and form (or from 0 when
     * {@code warmStart} is null).
     */
    public static NuclearNormCeSolution solve(ClassSizes sizes, double lambda, Options options,
                                              NuclearNormCeSolution warmStart) {
        requireSizes(sizes);
        InvalidInputException.requirePositive("lambda", lambda);
        InvalidInputException.require(options != null, "solver options are required");
        ColumnProblem p = ColumnProblem.of(sizes, options.form());
        double[] x = new double[p.size()];
        if (warmStart != null) {
            InvalidInputException.require(warmStart.sizes().equals(sizes) && warmStart.form() == options.form(),
                    "warm start was solved for " + warmStart.sizes() + " (" + warmStart.form() + "), not for "
                            + sizes + " (" + options.form() + ")");
            x = ColumnProblem.flatten(warmStart.columns());
        }
        return new Fista(p, lambda).run(x, options);
    }

    /** Regularisation path: solves at each λ in the given order, warm-starting from the previous solution. */
    public static List<NuclearNormCeSolution> path(ClassSizes sizes, double[] lambdas, Options options) {
        InvalidInputException.require(lambdas != null && lambdas.length >= 1, "need at least one lambda");
        List<NuclearNormCeSolution> out = new ArrayList<>();
        NuclearNormCeSolution previous = null;
        for (double lambda : lambdas) {
            previous = solve(sizes, lambda, options, previous);
            out.add(previous);
        }
        return List.copyOf(out);
    }

    /** Certificate of an arbitrary point (in column form: K×K class-level X or K×N logits) for eq. (7). */
    public static NuclearNormCeCertificate certify(ClassSizes sizes, ConvexForm form, double lambda, double[][] columns) {
        requireSizes(sizes);
        InvalidInputException.requirePositive("lambda", lambda);
        ColumnProblem p = ColumnProblem.of(sizes, form);
        InvalidInputException.require(columns.length == p.k && columns[0].length == p.m,
                "expected a " + p.k + "x" + p.m + " matrix, got " + columns.length + "x" + columns[0].length);
        return new Fista(p, lambda).certificate(ColumnProblem.flatten(columns));
    }

    private static void requireSizes(ClassSizes sizes) {
        InvalidInputException.require(sizes != null, "class sizes are required");
        InvalidInputException.require(sizes.k() >= 2, "need at least K = 2 classes, got K = " + sizes.k());
    }

    /** FISTA state and workspaces for one (problem, λ). */
    private static final class Fista {
        private final ColumnProblem p;
        private final double lambda;
        private final SingularValueWorkspace svd;
        private final double[] work;
        private final double[] grad;
        private final double[] scratch;

        Fista(ColumnProblem p, double lambda) {
            this.p = p;
            this.lambda = lambda;
            this.svd = new SingularValueWorkspace(p.k, p.m);
            this.work = new double[p.k];
            this.grad = new double[p.size()];
            this.scratch = new double[p.size()];
        }

        private static boolean done(NuclearNormCeCertificate c, Options o) {
            return c.dualityGap() <= o.gapTolerance() * Math.max(1, c.primalObjective())
                    && c.proxGradientNorm() <= o.kktTolerance();
        }

        NuclearNormCeSolution run(double[] start, Options options) {
            int maxIterations = options.maxIterations();
            int size = p.size();
            double[] x = start.clone();
            double[] y = x.clone();
            double[] next = new double[size];
            double fx = p.lossAndGradient(x, null, work) + lambda * svd.nuclearNorm(x);
            double t = 1;
            boolean momentum = false;
            int iterations = 0;
            NuclearNormCeCertificate cert = certificate(x);
            boolean converged = done(cert, options);
            double step = STEP;
            while (!converged && iterations < maxIterations) {
                iterations++;
                double fy = p.lossAndGradient(y, grad, work);
                step = Math.min(step * STEP_GROWTH, MAX_STEP);
                double nuclear;
                double fNext;
                while (true) {
                    for (int i = 0; i < size; i++) {
                        next[i] = y[i] - step * grad[i];
                    }
                    nuclear = svd.threshold(next, step * lambda, next);
                    double loss = p.lossAndGradient(next, null, work);
                    if (step <= STEP || loss <= fy + quadraticModel(y, next, step)) {
                        fNext = loss + lambda * nuclear;
                        break;
                    }
                    step = Math.max(STEP, step / 2);
                }
                if (fNext > fx && momentum) {
                    // function-value restart: drop the momentum and take a plain proximal-gradient step
                    t = 1;
                    System.arraycopy(x, 0, y, 0, size);
                    momentum = false;
                    continue;
                }
                double tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
                double beta = (t - 1) / tNext;
                for (int i = 0; i < size; i++) {
                    y[i] = next[i] + beta * (next[i] - x[i]);
                }
                momentum = beta != 0;
                double[] swap = x;
                x = next;
                next = swap;
                fx = fNext;
                t = tNext;
                if (iterations % CHECK_EVERY == 0 || iterations == maxIterations) {
                    cert = certificate(x);
                    converged = done(cert, options);
                }
            }
            cert = certificate(x);
            converged = done(cert, options);
            return new NuclearNormCeSolution(p.sizes, p.form, lambda, ColumnProblem.toRows(x, p.k, p.m), cert,
                    iterations, converged);
        }

        /** ⟨∇L(y), x − y⟩ + ‖x − y‖²/(2·step): the upper model that a step of this length must satisfy. */
        private double quadraticModel(double[] y, double[] x, double step) {
            double linear = 0;
            double square = 0;
            for (int i = 0; i < y.length; i++) {
                double d = x[i] - y[i];
                linear += grad[i] * d;
                square += d * d;
            }
            return linear + square / (2 * step);
        }

        NuclearNormCeCertificate certificate(double[] x) {
            int size = p.size();
            double loss = p.lossAndGradient(x, grad, work);
            double nuclear = svd.nuclearNorm(x);
            double primal = loss + lambda * nuclear;
            double gNorm = svd.spectralNorm(grad);
            double tDual = gNorm <= lambda ? 1 : lambda / gNorm;
            double dual = p.dualEntropy(x, tDual, work);
            double inner = 0;
            for (int i = 0; i < size; i++) {
                inner += grad[i] * x[i];
                scratch[i] = x[i] - STEP * grad[i];
            }
            svd.threshold(scratch, STEP * lambda, scratch);
            double mapping = 0;
            for (int i = 0; i < size; i++) {
                double d = x[i] - scratch[i];
                mapping += d * d;
            }
            return new NuclearNormCeCertificate(primal, dual, primal - dual, gNorm, Math.max(0, gNorm - lambda),
                    Math.abs(lambda * nuclear + inner), Math.sqrt(mapping) / STEP);
        }
    }
}
