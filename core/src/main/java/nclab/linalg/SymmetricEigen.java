package nclab.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * Eigen-decomposition A = Q·diag(values)·Qᵀ of a symmetric matrix, eigenvalues in decreasing order,
 * eigenvectors as the columns of {@code vectors}.
 */
public record SymmetricEigen(double[] values, DMatrixRMaj vectors) {
    public SymmetricEigen {
        values = values.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }
}
