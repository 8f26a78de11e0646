package nclab.theory;

import java.util.Arrays;

import nclab.InvalidInputException;
import nclab.linalg.Linalg;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Convex class-level form of the Layer-Peeled Model (Fang et al., PNAS 2021, SI eq. 91; spec 003 §1.7, §3):
 * <pre>
 *   minimise  F(Z) = Σ_k π_k · CE(Z[:,k], k)     over Z ∈ R^{K×K}
 *   subject to ‖Z‖_* ≤ τ,
 * </pre>
 * where column k of Z = W·H̄ is the logit vector W h_k of class k's mean feature, CE(z, k) = logsumexp(z) − z_k
 * (eq. 8) and τ = K·√(E_H·E_W). The gradient is G[:,k] = π_k (softmax(Z[:,k]) − e_k); it is Lipschitz with
 * constant max_k π_k / 2 (the Hessian of CE has eigenvalues ≤ 1/2).
 *
 * <p>Solved by monotone accelerated projected gradient (FISTA with adaptive restart, spec §3.2) whose step
 * is found by backtracking that first tries twice the last accepted step (never below the safe 1/L): at large
 * τ the objective near the optimum is flat (curvature ~e^{−margin}) and a fixed 1/L step needs ~10⁵ iterations. The Euclidean
 * projection onto the nuclear-norm ball is an SVD Z = U diag(s) Vᵀ followed by the projection of s onto
 * {s ≥ 0, Σ s ≤ τ}. Optimality is certified by the Frank–Wolfe duality gap (spec §3.4)
 * <pre>
 *   gap(Z) = ⟨G, Z⟩ + τ ‖G‖_op  ≥  F(Z) − F*  ≥  0,
 * </pre>
 * which is exact for any feasible Z because F is convex. No external solver is used.
 */
public final class NuclearBallCrossEntropy {
    /** How often (in iterations) the duality gap is evaluated. */
    private static final int GAP_EVERY = 10;
    /** Factor by which each iteration first tries a longer step than the last accepted one. */
    private static final double STEP_GROWTH = 2;
    /** Largest duality gap relative to F accepted as converged (see {@link #reached}). */
    public static final double RELATIVE_GAP = 1e-6;

    private NuclearBallCrossEntropy() {
    }

    /**
     * Result of {@link #minimize}.
     *
     * @param z          the final feasible iterate Z (K×K)
     * @param objective  F(Z)
     * @param gradient   ∇F(Z)
     * @param dualityGap Frank–Wolfe gap ⟨G, Z⟩ + τ‖G‖_op at Z (an upper bound on F(Z) − F*)
     * @param iterations projected-gradient steps taken
     * @param converged  whether the gap reached the requested tolerance
     */
    public record Solution(double[][] z, double objective, double[][] gradient, double dualityGap,
                           int iterations, boolean converged) {
        public Solution {
            z = copy(z);
            gradient = copy(gradient);
        }

        @Override
        public double[][] z() {
            return copy(z);
        }

        @Override
        public double[][] gradient() {
            return copy(gradient);
        }
    }

    /**
     * Minimises F over the nuclear-norm ball of the given radius, starting from Z = 0.
     *
     * @param weights       class weights π_k &gt; 0 (need not sum to 1)
     * @param radius        τ &gt; 0
     * @param gapTolerance  stop once gap(Z) ≤ gapTolerance·max(1, F(Z)) and gap(Z) ≤ {@link #RELATIVE_GAP}·F(Z)
     * @param maxIterations iteration budget
     */
    public static Solution minimize(double[] weights, double radius, double gapTolerance, int maxIterations) {
        int k = weights.length;
        InvalidInputException.require(k >= 2, "need at least K = 2 classes, got K = " + k);
        for (int i = 0; i < k; i++) {
            InvalidInputException.requirePositive("class weight " + (i + 1), weights[i]);
        }
        InvalidInputException.requirePositive("nuclear-norm radius", radius);
        InvalidInputException.requirePositive("gap tolerance", gapTolerance);
        InvalidInputException.require(maxIterations >= 1, "iteration budget must be >= 1, got " + maxIterations);

        double maxWeight = 0;
        for (double w : weights) {
            maxWeight = Math.max(maxWeight, w);
        }
        double safeStep = 2.0 / maxWeight; // 1/L: always passes the descent test below
        double step = safeStep;

        Projector projector = new Projector(k, k);
        double[][] z = new double[k][k];
        double fz = objective(weights, z);
        double[][] y = copy(z);
        double t = 1;
        boolean yIsZ = true;
        int iterations = 0;
        double[][] gz = gradient(weights, z);
        double gap = gap(gz, z, radius);
        boolean converged = reached(gap, fz, gapTolerance);
        double[][] candidate = new double[k][k];
        while (!converged && iterations < maxIterations) {
            iterations++;
            double[][] gy = gradient(weights, y);
            double fy = objective(weights, y);
            // backtracking that may also grow the step: near the optimum of a large ball the curvature is
            // ~exp(−margin), far below the global bound, and the safe step 1/L would crawl
            double trial = step * STEP_GROWTH;
            double[][] zNew;
            double fNew;
            while (true) {
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        candidate[i][j] = y[i][j] - trial * gy[i][j];
                    }
                }
                zNew = projector.project(candidate, radius);
                fNew = objective(weights, zNew);
                if (trial <= safeStep || fNew <= quadraticModel(fy, gy, y, zNew, trial)) {
                    break;
                }
                trial = Math.max(safeStep, trial / STEP_GROWTH / STEP_GROWTH);
            }
            step = trial;
            if (fNew > fz && !yIsZ) {
                // adaptive restart: momentum made things worse, take a plain projected-gradient step next
                t = 1;
                y = copy(z);
                yIsZ = true;
                continue;
            }
            double tNew = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            double beta = (t - 1) / tNew;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    y[i][j] = zNew[i][j] + beta * (zNew[i][j] - z[i][j]);
                }
            }
            yIsZ = beta == 0;
            z = zNew;
            fz = fNew;
            t = tNew;
            if (iterations % GAP_EVERY == 0 || iterations == maxIterations) {
                gz = gradient(weights, z);
                gap = gap(gz, z, radius);
                converged = reached(gap, fz, gapTolerance);
            }
        }
        return certify(weights, radius, z, iterations, gapTolerance);
    }

    /**
     * Evaluates F, ∇F and the duality gap at a given feasible Z (‖Z‖_* ≤ radius, not checked) and wraps them as a
     * {@link Solution}; {@code converged} means gap ≤ gapTolerance·max(1, F).
     */
    public static Solution certify(double[] weights, double radius, double[][] z, int iterations, double gapTolerance) {
        double f = objective(weights, z);
        double[][] g = gradient(weights, z);
        double gap = gap(g, z, radius);
        return new Solution(z, f, g, gap, iterations, reached(gap, f, gapTolerance));
    }

    /** F(Z) = Σ_k π_k (logsumexp(Z[:,k]) − Z[k][k]). */
    public static double objective(double[] weights, double[][] z) {
        int k = weights.length;
        double f = 0;
        for (int c = 0; c < k; c++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < k; i++) {
                max = Math.max(max, z[i][c]);
            }
            if (z[c][c] == max) {
                // CE = log(1 + Σ_{i≠c} e^{z_i − z_c}): log1p keeps its value when the margins are large (F ≈ e^{−margin})
                double rest = 0;
                for (int i = 0; i < k; i++) {
                    if (i != c) {
                        rest += Math.exp(z[i][c] - max);
                    }
                }
                f += weights[c] * Math.log1p(rest);
                continue;
            }
            double sum = 0;
            for (int i = 0; i < k; i++) {
                sum += Math.exp(z[i][c] - max);
            }
            f += weights[c] * (max + Math.log(sum) - z[c][c]);
        }
        return f;
    }

    /** ∇F(Z): column k is π_k (softmax(Z[:,k]) − e_k). */
    public static double[][] gradient(double[] weights, double[][] z) {
        int k = weights.length;
        double[][] g = new double[k][k];
        for (int c = 0; c < k; c++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < k; i++) {
                max = Math.max(max, z[i][c]);
            }
            double sum = 0;
            for (int i = 0; i < k; i++) {
                g[i][c] = Math.exp(z[i][c] - max);
                sum += g[i][c];
            }
            if (z[c][c] == max) {
                // softmax_c − 1 = −rest/(1 + rest) with rest = Σ_{i≠c} e^{z_i − z_c}, without the cancellation of
                // 1/(1 + rest) − 1 (which floors the gradient, and so the duality gap, at ~1e-16 at large margins)
                double rest = 0;
                for (int i = 0; i < k; i++) {
                    if (i != c) {
                        rest += g[i][c];
                    }
                }
                for (int i = 0; i < k; i++) {
                    g[i][c] = weights[c] * (i == c ? -rest / sum : g[i][c] / sum);
                }
                continue;
            }
            for (int i = 0; i < k; i++) {
                g[i][c] = weights[c] * (g[i][c] / sum - (i == c ? 1 : 0));
            }
        }
        return g;
    }

    /**
     * The stopping rule: gap ≤ gapTolerance·max(1, F) and gap ≤ {@link #RELATIVE_GAP}·F. The second part matters
     * in a large ball, where F* ≈ e^{−margin} is tiny: an absolute gap is met long before the direction of Z,
     * which fixes the geometry, has settled.
     */
    static boolean reached(double gap, double f, double gapTolerance) {
        return gap <= gapTolerance * Math.max(1, f) && gap <= RELATIVE_GAP * f;
    }

    /** F(Y) + ⟨∇F(Y), Z − Y⟩ + ‖Z − Y‖²/(2·step): the upper model a step must stay under. */
    private static double quadraticModel(double fy, double[][] gy, double[][] y, double[][] z, double step) {
        double inner = 0;
        double sq = 0;
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < y.length; j++) {
                double d = z[i][j] - y[i][j];
                inner += gy[i][j] * d;
                sq += d * d;
            }
        }
        return fy + inner + sq / (2 * step);
    }

    /** Frank–Wolfe gap ⟨G, Z⟩ + τ‖G‖_op (≥ F(Z) − F* for feasible Z). */
    public static double gap(double[][] gradient, double[][] z, double radius) {
        double inner = 0;
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z.length; j++) {
                inner += gradient[i][j] * z[i][j];
            }
        }
        return Math.max(0, inner + radius * Linalg.singularValues(Linalg.matrix(gradient))[0]);
    }

    /** Euclidean projection onto {‖Z‖_* ≤ radius}: SVD, then project the singular values onto the ℓ1 ball. */
    public static double[][] projectNuclearBall(double[][] a, double radius) {
        return new Projector(a.length, a[0].length).project(a, radius);
    }

    /** Reusable workspace for nuclear-ball projections of n×m matrices (one SVD per call). */
    private static final class Projector {
        private final SingularValueDecomposition_F64<DMatrixRMaj> svd;
        private final DMatrixRMaj work;
        private DMatrixRMaj u;
        private DMatrixRMaj v;

        Projector(int n, int m) {
            svd = DecompositionFactory_DDRM.svd(n, m, true, true, true);
            work = new DMatrixRMaj(n, m);
        }

        double[][] project(double[][] a, double radius) {
            int n = a.length;
            int m = a[0].length;
            for (int i = 0; i < n; i++) {
                System.arraycopy(a[i], 0, work.data, i * m, m);
            }
            if (!svd.decompose(work)) {
                throw new ArithmeticException("SVD did not converge in the nuclear-norm projection");
            }
            double[] raw = svd.getSingularValues();
            int r = svd.numberOfSingularValues();
            double total = 0;
            for (int i = 0; i < r; i++) {
                total += raw[i];
            }
            double[][] out = new double[n][];
            if (total <= radius) {
                for (int i = 0; i < n; i++) {
                    out[i] = a[i].clone();
                }
                return out;
            }
            double[] sorted = Arrays.copyOf(raw, r);
            Arrays.sort(sorted);
            for (int i = 0, j = r - 1; i < j; i++, j--) {
                double t = sorted[i];
                sorted[i] = sorted[j];
                sorted[j] = t;
            }
            double theta = simplexThreshold(sorted, radius);
            u = svd.getU(u, false);
            v = svd.getV(v, false);
            for (int i = 0; i < n; i++) {
                out[i] = new double[m];
            }
            for (int q = 0; q < r; q++) {
                double p = raw[q] - theta;
                if (p <= 0) {
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    double ui = u.get(i, q) * p;
                    for (int j = 0; j < m; j++) {
                        out[i][j] += ui * v.get(j, q);
                    }
                }
            }
            return out;
        }
    }

    /**
     * Projection of a non-negative vector sorted in decreasing order onto the simplex {x ≥ 0, Σ x = radius}
     * (sort-and-threshold): x_i = max(s_i − θ, 0) with θ chosen so the sum is the radius.
     */
    static double[] projectSortedOntoSimplex(double[] sortedDecreasing, double radius) {
        double theta = simplexThreshold(sortedDecreasing, radius);
        double[] x = new double[sortedDecreasing.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(sortedDecreasing[i] - theta, 0);
        }
        return x;
    }

    /** The threshold θ of {@link #projectSortedOntoSimplex}. */
    private static double simplexThreshold(double[] sortedDecreasing, double radius) {
        double cumulative = 0;
        double theta = 0;
        for (int i = 0; i < sortedDecreasing.length; i++) {
            cumulative += sortedDecreasing[i];
            double candidate = (cumulative - radius) / (i + 1);
            if (sortedDecreasing[i] - candidate > 0) {
                theta = candidate;
            }
        }
        return theta;
    }

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
