package nclab.linalg;

import org.ejml.data.DMatrixRMaj;

/**
 * Thin singular value decomposition A = U·diag(s)·Vᵀ of an m×n matrix, with r = min(m, n),
 * U m×r, V n×r, and s sorted in decreasing order (s[0] = largest).
 */
public record Svd(DMatrixRMaj u, double[] s, DMatrixRMaj v) {
    public Svd {
        s = s.clone();
    }

    @Override
    public double[] s() {
        return s.clone();
    }

    /** Largest singular value (0 for a zero matrix). */
    public double max() {
        return s.length == 0 ? 0 : s[0];
    }

    /** Number of singular values greater than relTol·s_max (0 for the zero matrix). */
    public int rank(double relTol) {
        return Linalg.numericalRank(s, relTol);
    }
}
