package nclab.optim;

import java.util.Arrays;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import nclab.linalg.Svd;
import nclab.theory.ClassGeometry;
import org.ejml.data.DMatrixRMaj;

/**
 * Geometry of a logit matrix given in column form (see {@link ConvexForm}): singular values, eq. (8)
 * factors and the class-level geometry. With X = U·Σ·Pᵀ (thin SVD), the classifiers are the rows of U·Σ^{1/2}
 * and the feature of a sample held by column j is Σ^{1/2}Pᵀe_j/√m_j.
 */
final class LogitMatrixViews {
    /** Singular values below this fraction of the largest one count as zero (rank, factors). */
    static final double RANK_TOLERANCE = 1e-9;

    private final ColumnProblem problem;
    private final double[] sigma; // kept singular values (> tolerance)
    private final double[][] classifiers; // K×r
    private final double[][] columnFeatures; // m×r

    /** Views of a solution stored as {@code columns} (row matrix) in the column form of {@code sizes}, {@code form}. */
    static LogitMatrixViews of(ClassSizes sizes, ConvexForm form, double[][] columns) {
        return new LogitMatrixViews(ColumnProblem.of(sizes, form), ColumnProblem.flatten(columns));
    }

    /** The K×N logit matrix of a solution stored as {@code columns} (no SVD). */
    static double[][] logits(ClassSizes sizes, ConvexForm form, double[][] columns) {
        return ColumnProblem.of(sizes, form).logits(ColumnProblem.flatten(columns));
    }

    /** Class-averaged logits (K×K) of a solution stored as {@code columns} (no SVD). */
    static double[][] classLogits(ClassSizes sizes, ConvexForm form, double[][] columns) {
        return ColumnProblem.of(sizes, form).classLogits(ColumnProblem.flatten(columns));
    }

    /** Smallest sample margin z[y_i,i] − z[c,i] of a solution stored as {@code columns} (no SVD). */
    static double minMargin(ClassSizes sizes, ConvexForm form, double[][] columns) {
        return ColumnProblem.of(sizes, form).minMargin(ColumnProblem.flatten(columns));
    }

    /** Deep copy of a row matrix (the solution records' defensive copies). */
    static double[][] copy(double[][] m) {
        return Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
    }

    LogitMatrixViews(ColumnProblem problem, double[] x) {
        this.problem = problem;
        int k = problem.k;
        int m = problem.m;
        Svd svd = Linalg.svd(Linalg.matrix(ColumnProblem.toRows(x, k, m)));
        double[] s = svd.s();
        int r = s.length == 0 || s[0] == 0 ? 0 : Linalg.numericalRank(s, RANK_TOLERANCE);
        sigma = Arrays.copyOf(s, r);
        DMatrixRMaj u = svd.u();
        DMatrixRMaj p = svd.v();
        classifiers = new double[k][r];
        columnFeatures = new double[m][r];
        for (int q = 0; q < r; q++) {
            double root = Math.sqrt(sigma[q]);
            for (int c = 0; c < k; c++) {
                classifiers[c][q] = u.get(c, q) * root;
            }
            for (int j = 0; j < m; j++) {
                columnFeatures[j][q] = p.get(j, q) * root / problem.scale[j];
            }
        }
    }

    double[] singularValues() {
        return sigma.clone();
    }

    int rank() {
        return sigma.length;
    }

    /** Class means μ_c (K×r) of the recovered features. */
    double[][] classMeans() {
        int k = problem.k;
        int r = sigma.length;
        double[][] means = new double[k][r];
        for (int j = 0; j < problem.m; j++) {
            int y = problem.label[j];
            double w = problem.multiplicity[j] / problem.sizes.count(y);
            for (int q = 0; q < r; q++) {
                means[y][q] += w * columnFeatures[j][q];
            }
        }
        return means;
    }

    /** Class-level geometry (WWᵀ, MMᵀ, WMᵀ) of the eq. (8) factors; WMᵀ equals the class-averaged logits. */
    ClassGeometry geometry() {
        int r = Math.max(sigma.length, 1);
        return ClassGeometry.fromVectors(pad(classifiers, r), pad(classMeans(), r));
    }

    /** Eq. (8) factors padded to d columns, rebalanced by a = (λ_W/λ_H)^{1/4} (W/a, a·H). */
    UfmFactors factors(int d, double lambdaW, double lambdaH) {
        InvalidInputException.require(d >= Math.max(1, sigma.length),
                "feature dimension d = " + d + " is smaller than rank(Z) = " + sigma.length);
        InvalidInputException.requirePositive("lambda-w", lambdaW);
        InvalidInputException.requirePositive("lambda-h", lambdaH);
        double a = Math.pow(lambdaW / lambdaH, 0.25);
        int k = problem.k;
        int r = sigma.length;
        double[][] w = new double[k][d];
        for (int c = 0; c < k; c++) {
            for (int q = 0; q < r; q++) {
                w[c][q] = classifiers[c][q] / a;
            }
        }
        int n = (int) problem.sizes.total();
        double[][] h = new double[n][d];
        int i = 0;
        for (int j = 0; j < problem.m; j++) {
            int copies = (int) problem.multiplicity[j];
            for (int rep = 0; rep < copies; rep++) {
                for (int q = 0; q < r; q++) {
                    h[i][q] = columnFeatures[j][q] * a;
                }
                i++;
            }
        }
        return new UfmFactors(w, h);
    }

    private static double[][] pad(double[][] a, int cols) {
        double[][] out = new double[a.length][cols];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, out[i], 0, a[i].length);
        }
        return out;
    }
}
