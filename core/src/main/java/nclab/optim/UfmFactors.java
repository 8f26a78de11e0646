package nclab.optim;

import java.util.Arrays;

/**
 * Explicit factors of a logit matrix Z = W·Hᵀ recovered by seed 000 eq. (8): with the compact SVD
 * Z = U·Σ·Vᵀ (U K×r, V N×r), W = U·Σ^{1/2} and H = V·Σ^{1/2}, zero-padded to d ≥ r columns. Then
 * WWᵀ = UΣUᵀ, HHᵀ = VΣVᵀ, WHᵀ = Z and ‖W‖_F² = ‖H‖_F² = ‖Z‖_*, which makes (W, H) a global minimiser of the
 * ridge UFM (1) with λ_W = λ_H whenever Z solves (7) (Theorem 2). For λ_W ≠ λ_H the factors are rebalanced
 * as (a⁻¹W, aH) with a = (λ_W/λ_H)^{1/4} (spec 000 eq. C.3), which keeps WHᵀ = Z.
 *
 * @param w classifier K×d (row c = w_c)
 * @param h features N×d (row i = h_i, samples ordered by class)
 */
public record UfmFactors(double[][] w, double[][] h) {
    public UfmFactors {
        w = copy(w);
        h = copy(h);
    }

    @Override
    public double[][] w() {
        return copy(w);
    }

    @Override
    public double[][] h() {
        return copy(h);
    }

    /** d, the number of columns of W and H. */
    public int dimension() {
        return w[0].length;
    }

    /** W·Hᵀ (K×N). */
    public double[][] logits() {
        double[][] z = new double[w.length][h.length];
        for (int c = 0; c < w.length; c++) {
            for (int i = 0; i < h.length; i++) {
                double s = 0;
                for (int q = 0; q < w[c].length; q++) {
                    s += w[c][q] * h[i][q];
                }
                z[c][i] = s;
            }
        }
        return z;
    }

    /** ‖W‖_F². */
    public double classifierNormSquared() {
        return squaredNorm(w);
    }

    /** ‖H‖_F². */
    public double featureNormSquared() {
        return squaredNorm(h);
    }

    private static double squaredNorm(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            for (double v : row) {
                s += v * v;
            }
        }
        return s;
    }

    private static double[][] copy(double[][] m) {
        return Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
    }
}
