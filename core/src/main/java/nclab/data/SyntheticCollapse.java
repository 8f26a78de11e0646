package nclab.data;

import java.util.Random;

import nclab.InvalidInputException;
import nclab.linalg.Linalg;
import nclab.linalg.SymmetricEigen;
import nclab.theory.ClassGeometry;
import org.ejml.data.DMatrixRMaj;

/**
 * Synthetic last-layer features and classifier that realise a given class-level geometry, with
 * isotropic within-class noise: a test bed for metrics and the {@code analyze} command.
 *
 * <p>The 2K×2K joint Gram [[G_W, Z],[Zᵀ, G_M]] of classifiers w_k and class means μ_k (Z = logits,
 * G_W = classifier Gram, G_M = mean Gram) is factored as QΛQᵀ; rows of Q√Λ give vectors in R^{2K} whose
 * Grams are exactly the given ones, embedded in the first 2K coordinates of R^d and then rotated by a
 * random orthogonal matrix. Sample i of class k is h_i = μ_k + σ·ε_i with ε_i ~ N(0, I_d/d), so the
 * expected squared noise norm is σ². Labels are sorted by class.
 *
 * @param features N×d
 * @param labels   N class indices, class-major
 * @param weights  K×d classifier
 */
public record SyntheticCollapse(double[][] features, int[] labels, double[][] weights) {

    /**
     * @param geometry target geometry (its joint Gram must be positive semi-definite)
     * @param sizes    class sizes (must have K = geometry.k())
     * @param d        feature dimension, ≥ 2K
     * @param noise    within-class noise level σ ≥ 0
     * @param seed     random seed (same seed ⇒ same arrays)
     */
    public static SyntheticCollapse generate(ClassGeometry geometry, ClassSizes sizes, int d, double noise, long seed) {
        int k = geometry.k();
        InvalidInputException.require(sizes.k() == k, "geometry has K = " + k + " classes but sizes have K = " + sizes.k());
        InvalidInputException.require(d >= 2 * k, "feature dimension d must be >= 2K = " + 2 * k + ", got d = " + d);
        InvalidInputException.requireNonNegative("noise", noise);
        Random rnd = new Random(seed);
        double[][] vectors = factorJointGram(geometry);
        DMatrixRMaj rotation = randomOrthogonal(d, rnd);
        double[][] w = new double[k][];
        double[][] means = new double[k][];
        for (int i = 0; i < k; i++) {
            w[i] = rotate(vectors[i], rotation);
            means[i] = rotate(vectors[k + i], rotation);
        }
        int n = Math.toIntExact(sizes.total());
        double[][] h = new double[n][d];
        int[] y = new int[n];
        double scale = noise / Math.sqrt(d);
        int row = 0;
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < sizes.count(c); i++, row++) {
                y[row] = c;
                for (int j = 0; j < d; j++) {
                    h[row][j] = means[c][j] + scale * rnd.nextGaussian();
                }
            }
        }
        return new SyntheticCollapse(h, y, w);
    }

    /** Rows 0..K−1: classifiers, K..2K−1: class means, as vectors of R^{2K}. */
    static double[][] factorJointGram(ClassGeometry g) {
        int k = g.k();
        double[][] gw = g.classifierGram();
        double[][] gm = g.meanGram();
        double[][] z = g.logits();
        DMatrixRMaj joint = new DMatrixRMaj(2 * k, 2 * k);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                joint.set(i, j, gw[i][j]);
                joint.set(k + i, k + j, gm[i][j]);
                joint.set(i, k + j, z[i][j]);
                joint.set(k + j, i, z[i][j]);
            }
        }
        SymmetricEigen eig = Linalg.symmetricEigen(joint);
        double[] values = eig.values();
        double scale = Math.max(1e-300, Math.abs(values[0]));
        InvalidInputException.require(values[2 * k - 1] >= -1e-8 * scale,
                "the geometry's joint Gram of classifiers and means is not positive semi-definite (eigenvalue "
                        + values[2 * k - 1] + ")");
        double[][] v = new double[2 * k][2 * k];
        for (int col = 0; col < 2 * k; col++) {
            // Round-off eigenvalues (|λ| ≤ 1e-12·λ_max) are zero: their square roots (~1e-8) would
            // otherwise perturb vectors that the geometry makes exactly equal (e.g. w_k = μ_k).
            double root = values[col] <= 1e-12 * scale ? 0 : Math.sqrt(values[col]);
            for (int row = 0; row < 2 * k; row++) {
                v[row][col] = eig.vectors().get(row, col) * root;
            }
        }
        return v;
    }

    /** Haar-random orthogonal d×d matrix (QR of a Gaussian matrix via Gram–Schmidt). */
    static DMatrixRMaj randomOrthogonal(int d, Random rnd) {
        double[][] q = new double[d][d];
        for (int col = 0; col < d; col++) {
            double[] v = new double[d];
            for (int i = 0; i < d; i++) {
                v[i] = rnd.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int prev = 0; prev < col; prev++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) {
                        dot += v[i] * q[prev][i];
                    }
                    for (int i = 0; i < d; i++) {
                        v[i] -= dot * q[prev][i];
                    }
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < d; i++) {
                q[col][i] = v[i] / norm;
            }
        }
        return Linalg.matrix(q);
    }

    /** Embeds a 2K-vector into R^d (zero padding) and applies the rotation: x ↦ R·[x; 0]. */
    private static double[] rotate(double[] x, DMatrixRMaj rotation) {
        int d = rotation.numRows;
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += rotation.get(i, j) * x[j];
            }
            out[i] = s;
        }
        return out;
    }
}
