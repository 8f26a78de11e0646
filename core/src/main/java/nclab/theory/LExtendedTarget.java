package nclab.theory;

import java.util.Arrays;

import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import nclab.linalg.Svd;
import org.ejml.data.DMatrixRMaj;

/**
 * The K×K target whose singular value decomposition Ŷ = U·diag(κ)·Vᵀ drives every closed form of the
 * L-extended unconstrained feature model (seed 004, Liu, arXiv 2411.17278, Sec. 4).
 *
 * <ul>
 *   <li><b>With bias</b> (Theorems 4.2 and 4.3): the centred target
 *       Ŷ = (I_K − n·1_Kᵀ/N)·D with D = diag(√n_1..√n_K). It satisfies 1ᵀŶ = 0 and Ŷ√n = 0, so
 *       rank Ŷ = K−1 and κ_K = 0 with u_K = ±1/√K, v_K = ±√n/√N. U and V come from one SVD call, so that
 *       U·diag(κ)·Vᵀ = Ŷ holds with consistent signs; κ is sorted in decreasing order.</li>
 *   <li><b>Without bias</b> (Theorem 4.1 and App. C): the un-centred target D itself, so κ_k = √n_k in
 *       class order (no sorting) and U = V = I_K.</li>
 * </ul>
 * Singular values below {@link #ZERO_REL_TOL}·κ_1 are set to exactly 0 (round-off gives κ_K ≈ 1e−15,
 * which would otherwise turn a zero direction into a spuriously huge a_k).
 *
 * @param centred whether this is the centred target Ŷ (bias model) rather than D (bias-free model)
 * @param kappa   singular values κ_1..κ_K (decreasing when centred, class order otherwise)
 * @param u       left singular vectors, column k belongs to κ_k (K×K)
 * @param v       right singular vectors, column k belongs to κ_k (K×K)
 */
public record LExtendedTarget(boolean centred, double[] kappa, double[][] u, double[][] v) {
    /** Relative tolerance below which a singular value of Ŷ counts as exactly zero. */
    public static final double ZERO_REL_TOL = 1e-10;

    public LExtendedTarget {
        kappa = kappa.clone();
        u = copy(u);
        v = copy(v);
    }

    /** The target of the model with ({@code bias = true}) or without a bias. */
    public static LExtendedTarget of(ClassSizes sizes, boolean bias) {
        return bias ? centred(sizes) : uncentred(sizes);
    }

    /** Ŷ = (I − n1ᵀ/N)·D and its SVD, κ decreasing, tiny κ zeroed. */
    public static LExtendedTarget centred(ClassSizes sizes) {
        Svd svd = Linalg.svd(Linalg.matrix(centredMatrix(sizes)));
        double[] s = svd.s();
        double cut = ZERO_REL_TOL * s[0];
        for (int k = 0; k < s.length; k++) {
            if (s[k] <= cut) {
                s[k] = 0;
            }
        }
        return new LExtendedTarget(true, s, Linalg.array(svd.u()), Linalg.array(svd.v()));
    }

    /** The bias-free target D = diag(√n): κ_k = √n_k in class order, U = V = I. */
    public static LExtendedTarget uncentred(ClassSizes sizes) {
        int k = sizes.k();
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = Math.sqrt(sizes.count(i));
        }
        double[][] eye = Linalg.array(Linalg.identity(k));
        return new LExtendedTarget(false, s, eye, eye);
    }

    /** The matrix (I − n1ᵀ/N)·D, entry [i][j] = (δ_ij − n_i/N)·√n_j. */
    public static double[][] centredMatrix(ClassSizes sizes) {
        int k = sizes.k();
        double n = sizes.total();
        double[][] y = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                y[i][j] = ((i == j ? 1.0 : 0.0) - sizes.count(i) / n) * Math.sqrt(sizes.count(j));
            }
        }
        return y;
    }

    /** U·diag(values)·Vᵀ (K×K). */
    double[][] compose(double[] values) {
        DMatrixRMaj left = Linalg.matrix(u);
        DMatrixRMaj scaled = left.copy();
        for (int i = 0; i < scaled.numRows; i++) {
            for (int j = 0; j < scaled.numCols; j++) {
                scaled.set(i, j, scaled.get(i, j) * values[j]);
            }
        }
        return Linalg.array(Linalg.multiplyTransB(scaled, Linalg.matrix(v)));
    }

    /** X·diag(values)·Xᵀ for X = U (left = true) or X = V. */
    double[][] gram(boolean left, double[] values) {
        double[][] x = left ? u : v;
        int k = x.length;
        double[][] g = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int m = 0; m < values.length; m++) {
                    s += x[i][m] * values[m] * x[j][m];
                }
                g[i][j] = s;
            }
        }
        return g;
    }

    public int k() {
        return kappa.length;
    }

    @Override
    public double[] kappa() {
        return kappa.clone();
    }

    @Override
    public double[][] u() {
        return copy(u);
    }

    @Override
    public double[][] v() {
        return copy(v);
    }

    private static double[][] copy(double[][] m) {
        return Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LExtendedTarget t && centred == t.centred && Arrays.equals(kappa, t.kappa)
                && Arrays.deepEquals(u, t.u) && Arrays.deepEquals(v, t.v);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {centred, kappa, u, v});
    }

    @Override
    public String toString() {
        return "LExtendedTarget[centred=" + centred + ", kappa=" + Arrays.toString(kappa) + "]";
    }
}
