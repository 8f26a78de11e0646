package nclab.optim;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

/**
 * The nuclear-norm relaxation of the UF-SVM, seed 000 eq. (5):
 * <pre>
 *   min_{Z ∈ ℝ^{K×N}} ‖Z‖_*   subject to   Z[y_i,i] − Z[c,i] ≥ 1  for all i and c ≠ y_i.
 * </pre>
 * Theorem 1 states that for (R, ρ)-STEP sizes its unique solution is the SEL matrix Ẑ = (I − 11ᵀ/K)Y, with
 * optimum ‖Ẑ‖_*; this solver does not assume that, so tests can compare its output with
 * {@link nclab.theory.SeliGeometry}.
 *
 * <p><b>Algorithm.</b> ADMM on min ‖X‖_* + ι_C(V) s.t. X = V (scaled dual U): X ← SVT_{1/ρ}(V − U),
 * V ← Π_C(X + U), U ← U + X − V, with residual balancing of ρ. The projection onto the margin polyhedron C
 * is exact and separable by columns: for a column x with label y and margin a, the projection is
 * x'_y = x_y + t, x'_c = min(x_c, x_y + t − a), where t ≥ 0 solves t = Σ_{c≠y} max(0, x_c − x_y + a − t)
 * (sort and threshold). By default the problem is solved at class level (the K×K variable X = C·diag(√n),
 * margins (x_{kk} − x_{ck})/√n_k ≥ 1, see {@link ConvexForm}). The certificate (see
 * {@link NuclearNormSvmSolution}) takes the iterate rescaled to min margin 1 as the primal point and the
 * multipliers read off Θ = −ρU (α_cj = ρU[c,j]√m_j, clipped at 0) as the dual point; it stops when the gap ≤ tolerance·‖Z‖_* and both ADMM residuals are ≤ 1e-12·‖V‖_F.
 */
public final class NuclearNormSvm {
    /** Default relative duality-gap tolerance. */
    public static final double DEFAULT_GAP_TOLERANCE = 1e-12;
    /** Default iteration budget. */
    public static final int DEFAULT_MAX_ITERATIONS = 100_000;
    private static final int CHECK_EVERY = 10;
    /** Besides the gap, the ADMM residuals ‖X − V‖_F and ρ‖V − V_prev‖_F must fall below this (relative to
     * ‖V‖_F), so that the returned point (not only the optimal value) is accurate. */
    private static final double RESIDUAL_TOLERANCE = 1e-12;

    private NuclearNormSvm() {
    }

    /**
     * Solver options.
     *
     * @param form          class-level K×K or full K×N variable
     * @param gapTolerance  stop once (upper − lower bound) ≤ gapTolerance·upper bound
     * @param maxIterations iteration budget
     */
    public record Options(ConvexForm form, double gapTolerance, int maxIterations) {
        public Options {
            InvalidInputException.require(form != null, "the convex form is required");
            InvalidInputException.requirePositive("gap tolerance", gapTolerance);
            InvalidInputException.require(maxIterations >= 1, "iteration budget must be >= 1, got " + maxIterations);
        }

        public static Options defaults() {
            return new Options(ConvexForm.CLASS_LEVEL, DEFAULT_GAP_TOLERANCE, DEFAULT_MAX_ITERATIONS);
        }

        public Options withForm(ConvexForm f) {
            return new Options(f, gapTolerance, maxIterations);
        }
    }

    /** Solves eq. (5) at class level with default options. */
    public static NuclearNormSvmSolution solve(ClassSizes sizes) {
        return solve(sizes, Options.defaults());
    }

    /** Solves eq. (5) starting from 0. (The first projection of 0 onto the margin set is already the SEL
     * matrix; use {@link #solve(ClassSizes, Options, double[][])} with another start to exercise the solver.) */
    public static NuclearNormSvmSolution solve(ClassSizes sizes, Options options) {
        return solve(sizes, options, null);
    }

    /**
     * Solves eq. (5) from a given start (column form: K×K for class level, K×N for full; null = 0), used as the
     * initial ADMM consensus variable.
     */
    public static NuclearNormSvmSolution solve(ClassSizes sizes, Options options, double[][] start) {
        InvalidInputException.require(sizes != null, "class sizes are required");
        InvalidInputException.require(sizes.k() >= 2, "need at least K = 2 classes, got K = " + sizes.k());
        InvalidInputException.require(options != null, "solver options are required");
        ColumnProblem p = ColumnProblem.of(sizes, options.form());
        double[] v = new double[p.size()];
        if (start != null) {
            InvalidInputException.require(start.length == p.k && start[0].length == p.m,
                    "start must be a " + p.k + "x" + p.m + " matrix, got " + start.length + "x" + start[0].length);
            v = ColumnProblem.flatten(start);
        }
        return new Admm(p).run(v, options.gapTolerance(), options.maxIterations());
    }

    /**
     * Certified lower bound Σα/‖Θ(α)‖_op on the optimum of eq. (5) for multipliers given in column form: entry
     * [c][j] (c ≠ label of column j) is the multiplier of the constraint (x_{y_j,j} − x_{c,j})/√m_j ≥ 1; negative
     * entries are clipped to 0, diagonal-label entries ignored.
     */
    static double dualBound(ColumnProblem p, double[] alpha, SingularValueWorkspace svd, double[] theta) {
        double total = 0;
        java.util.Arrays.fill(theta, 0.0);
        for (int j = 0; j < p.m; j++) {
            int y = p.label[j];
            for (int c = 0; c < p.k; c++) {
                if (c == y) {
                    continue;
                }
                double a = Math.max(0, alpha[c * p.m + j]);
                total += a;
                theta[c * p.m + j] = -a / p.scale[j];
                theta[y * p.m + j] += a / p.scale[j];
            }
        }
        if (total == 0) {
            return 0;
        }
        return total / svd.spectralNorm(theta);
    }

    private static final class Admm {
        private final ColumnProblem p;
        private final SingularValueWorkspace svd;
        private final double[] sorted;

        Admm(ColumnProblem p) {
            this.p = p;
            this.svd = new SingularValueWorkspace(p.k, p.m);
            this.sorted = new double[p.k];
        }

        NuclearNormSvmSolution run(double[] v, double tolerance, int maxIterations) {
            int size = p.size();
            double[] x = new double[size];
            double[] u = new double[size];
            double[] vPrev = new double[size];
            double[] alpha = new double[size];
            double[] theta = new double[size];
            double[] best = new double[size];
            double bestUpper = Double.POSITIVE_INFINITY;
            double bestLower = 0;
            double rho = 1;
            int iterations = 0;
            boolean converged = false;
            while (!converged && iterations < maxIterations) {
                iterations++;
                for (int i = 0; i < size; i++) {
                    x[i] = v[i] - u[i];
                }
                svd.threshold(x, 1 / rho, x);
                System.arraycopy(v, 0, vPrev, 0, size);
                for (int i = 0; i < size; i++) {
                    v[i] = x[i] + u[i];
                }
                projectOntoMargins(v);
                double primalResidual = 0;
                double dualResidual = 0;
                for (int i = 0; i < size; i++) {
                    double r = x[i] - v[i];
                    u[i] += r;
                    primalResidual += r * r;
                    double s = v[i] - vPrev[i];
                    dualResidual += s * s;
                }
                primalResidual = Math.sqrt(primalResidual);
                dualResidual = rho * Math.sqrt(dualResidual);
                if (iterations % CHECK_EVERY == 0 || iterations == maxIterations) {
                    // primal: the better of the two iterates, rescaled to min margin 1
                    for (double[] candidate : new double[][] {x, v}) {
                        double margin = p.minMargin(candidate);
                        if (margin > 0) {
                            double upper = svd.nuclearNorm(candidate) / margin;
                            // ties (within rounding) go to the newer, more accurate point
                            if (upper <= bestUpper * (1 + 1e-13)) {
                                bestUpper = Math.min(upper, bestUpper);
                                for (int i = 0; i < size; i++) {
                                    best[i] = candidate[i] / margin;
                                }
                            }
                        }
                    }
                    for (int i = 0; i < size; i++) {
                        alpha[i] = rho * u[i] * p.scale[i % p.m]; // Θ = −ρU, Θ[c,j] = −α_cj/√m_j
                    }
                    bestLower = Math.max(bestLower, dualBound(p, alpha, svd, theta));
                    double scaleV = 0;
                    for (int i = 0; i < size; i++) {
                        scaleV += v[i] * v[i];
                    }
                    double residualTolerance = RESIDUAL_TOLERANCE * Math.max(1, Math.sqrt(scaleV));
                    converged = bestUpper - bestLower <= tolerance * bestUpper
                            && primalResidual <= residualTolerance && dualResidual <= residualTolerance;
                }
                // residual balancing (Boyd et al. 2011, §3.4.1); the scaled dual is rescaled with ρ
                if (!converged && iterations % CHECK_EVERY == 0) {
                    if (primalResidual > 10 * dualResidual) {
                        rho *= 2;
                        scale(u, 0.5);
                    } else if (dualResidual > 10 * primalResidual) {
                        rho /= 2;
                        scale(u, 2);
                    }
                }
            }
            InvalidInputException.require(Double.isFinite(bestUpper),
                    "the UF-SVM solver found no feasible point in " + iterations + " iterations");
            double upper = svd.nuclearNorm(best);
            return new NuclearNormSvmSolution(p.sizes, p.form, ColumnProblem.toRows(best, p.k, p.m), upper, bestLower,
                    upper - bestLower, iterations, converged);
        }

        private static void scale(double[] a, double f) {
            for (int i = 0; i < a.length; i++) {
                a[i] *= f;
            }
        }

        /** In-place Euclidean projection of every column onto {x : (x_y − x_c)/√m ≥ 1, c ≠ y}. */
        private void projectOntoMargins(double[] x) {
            int k = p.k;
            int m = p.m;
            for (int j = 0; j < m; j++) {
                int y = p.label[j];
                double a = p.scale[j];
                double xy = x[y * m + j];
                int count = 0;
                for (int c = 0; c < k; c++) {
                    if (c != y) {
                        double violation = x[c * m + j] - xy + a;
                        if (violation > 0) {
                            // insertion sort, decreasing
                            int pos = count++;
                            while (pos > 0 && sorted[pos - 1] < violation) {
                                sorted[pos] = sorted[pos - 1];
                                pos--;
                            }
                            sorted[pos] = violation;
                        }
                    }
                }
                if (count == 0) {
                    continue;
                }
                // t = Σ_{q ≤ r} v_(q) / (r + 1) for the r with v_(r) > t ≥ v_(r+1)
                double t = 0;
                double cumulative = 0;
                for (int r = 1; r <= count; r++) {
                    cumulative += sorted[r - 1];
                    double candidate = cumulative / (r + 1);
                    double nextViolation = r < count ? sorted[r] : 0;
                    if (candidate >= nextViolation) {
                        t = candidate;
                        break;
                    }
                }
                double cap = xy + t - a;
                x[y * m + j] = xy + t;
                for (int c = 0; c < k; c++) {
                    if (c != y && x[c * m + j] > cap) {
                        x[c * m + j] = cap;
                    }
                }
            }
        }
    }
}
