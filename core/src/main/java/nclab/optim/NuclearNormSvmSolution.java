package nclab.optim;

import nclab.data.ClassSizes;
import nclab.theory.ClassGeometry;

/**
 * A certified solution of the nuclear-norm UF-SVM (seed 000 eq. 5) from {@link NuclearNormSvm}.
 * {@code columns} is an exactly feasible point (every sample margin ≥ 1, the smallest one = 1 up to
 * rounding) in the solver's column form ({@link ConvexForm}), and
 * <pre>
 *   dualBound ≤ p* = min ‖Z‖_* ≤ nuclearNorm,   dualityGap = nuclearNorm − dualBound.
 * </pre>
 * The dual bound is Σα/‖Θ(α)‖_op for the multipliers α ≥ 0 of the margin constraints read off the solver,
 * where Θ(α) (K×N) has Θ[y_i,i] = Σ_c α_ic and Θ[c,i] = −α_ic (eq. 23/29): for every feasible Z,
 * ‖Z‖_* ≥ ⟨Θ, Z⟩/‖Θ‖_op = Σ α_ic (z_{y_i,i} − z_{c,i})/‖Θ‖_op ≥ Σα/‖Θ‖_op (weak duality).
 *
 * @param sizes       class sizes (samples ordered by class)
 * @param form        the variable solved for
 * @param columns     feasible point: K×K X = C·diag(√n) (class level) or the K×N logit matrix (full)
 * @param nuclearNorm ‖Z‖_* of that point (primal upper bound)
 * @param dualBound   certified lower bound on p*
 * @param dualityGap  nuclearNorm − dualBound ≥ 0
 * @param iterations  ADMM iterations
 * @param converged   whether the gap reached the requested relative tolerance
 */
public record NuclearNormSvmSolution(ClassSizes sizes, ConvexForm form, double[][] columns, double nuclearNorm,
                                     double dualBound, double dualityGap, int iterations, boolean converged) {
    public NuclearNormSvmSolution {
        columns = LogitMatrixViews.copy(columns);
    }

    @Override
    public double[][] columns() {
        return LogitMatrixViews.copy(columns);
    }

    /** The K×N logit matrix Z (samples ordered by class). */
    public double[][] logits() {
        return LogitMatrixViews.logits(sizes, form, columns);
    }

    /** Class-level logits (K×K): average of Z[c][i] over the samples i of class l. */
    public double[][] classLogits() {
        return LogitMatrixViews.classLogits(sizes, form, columns);
    }

    /** Non-zero singular values of Z (decreasing). */
    public double[] singularValues() {
        return views().singularValues();
    }

    /** Smallest margin Z[y_i,i] − Z[c,i] (1 at the solution). */
    public double minMargin() {
        return LogitMatrixViews.minMargin(sizes, form, columns);
    }

    /** Class-level geometry of the eq. (8) factors of Z (SELI with α = 1 by Theorem 1). */
    public ClassGeometry geometry() {
        return views().geometry();
    }

    /** Factors W (K×d), H (N×d) with WHᵀ = Z, ‖W‖² = ‖H‖² = ‖Z‖_*: a UF-SVM (2) solution when Z solves (5). */
    public UfmFactors factors(int d) {
        return views().factors(d, 1, 1);
    }

    private LogitMatrixViews views() {
        return LogitMatrixViews.of(sizes, form, columns);
    }
}
