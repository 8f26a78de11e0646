package nclab.optim;

import nclab.data.ClassSizes;
import nclab.theory.ClassGeometry;

/**
 * A solution Ẑ_λ of the nuclear-norm-regularised cross-entropy (seed 000 eq. 7) returned by
 * {@link NuclearNormCrossEntropy}, with its certificate. The variable is stored in the solver's column form
 * ({@link ConvexForm}); the K×N logit matrix, its SVD quantities, the eq. (8) factors and the class-level
 * geometry (the "λ-SELI" reference of spec §6.1) are derived from it.
 *
 * @param sizes       class sizes (samples ordered by class)
 * @param form        the variable solved for
 * @param lambda      λ of eq. (7) (summed loss)
 * @param columns     the variable: K×K X = C·diag(√n) (class level) or the K×N logit matrix (full)
 * @param certificate optimality certificate at {@code columns}
 * @param iterations  proximal-gradient iterations taken
 * @param converged   whether the duality gap reached the requested tolerance
 */
public record NuclearNormCeSolution(ClassSizes sizes, ConvexForm form, double lambda, double[][] columns,
                                    NuclearNormCeCertificate certificate, int iterations, boolean converged) {
    public NuclearNormCeSolution {
        columns = LogitMatrixViews.copy(columns);
    }

    @Override
    public double[][] columns() {
        return LogitMatrixViews.copy(columns);
    }

    /** F(Ẑ) = L(Ẑ) + λ‖Ẑ‖_*. */
    public double objective() {
        return certificate.primalObjective();
    }

    /** The K×N logit matrix Ẑ_λ (samples ordered by class). */
    public double[][] logits() {
        return LogitMatrixViews.logits(sizes, form, columns);
    }

    /** Class-level logits C (K×K): C[c][l] = average of Ẑ[c][i] over the samples i of class l. */
    public double[][] classLogits() {
        return LogitMatrixViews.classLogits(sizes, form, columns);
    }

    /** Non-zero singular values of Ẑ_λ (decreasing; relative tolerance 1e-9). */
    public double[] singularValues() {
        return views().singularValues();
    }

    /** rank Ẑ_λ (may be < K−1 for large λ, spec §5). */
    public int rank() {
        return views().rank();
    }

    /** ‖Ẑ_λ‖_*. */
    public double nuclearNorm() {
        double s = 0;
        for (double v : singularValues()) {
            s += v;
        }
        return s;
    }

    /** min_{i, c≠y_i} Ẑ[y_i,i] − Ẑ[c,i] (Fig. 4b). */
    public double minMargin() {
        return LogitMatrixViews.minMargin(sizes, form, columns);
    }

    /** Class-level geometry of the eq. (8) factors (λ-SELI, spec §6.1). */
    public ClassGeometry geometry() {
        return views().geometry();
    }

    /** Eq. (8) factors W (K×d), H (N×d) with λ_W = λ_H: global minimisers of the ridge UFM (1). */
    public UfmFactors factors(int d) {
        return views().factors(d, 1, 1);
    }

    /**
     * Eq. (8) factors rebalanced for λ_W ≠ λ_H (only their ratio is used): global minimisers of
     * L(WHᵀ) + (λ_W/2)‖W‖² + (λ_H/2)‖H‖² when this solution was computed at
     * λ = {@link NuclearNormCrossEntropy#equivalentLambda} of those values.
     */
    public UfmFactors factors(int d, double lambdaW, double lambdaH) {
        return views().factors(d, lambdaW, lambdaH);
    }

    private LogitMatrixViews views() {
        return LogitMatrixViews.of(sizes, form, columns);
    }
}
