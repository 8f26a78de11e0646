package nclab.optim;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Reusable SVD workspace for K×m matrices stored row-major in a flat array: singular value thresholding
 * (the proximal map of τ‖·‖_*: U·max(Σ − τ, 0)·Vᵀ), nuclear and spectral norms. Allocates only once.
 */
final class SingularValueWorkspace {
    private final int rows;
    private final int cols;
    private final SingularValueDecomposition_F64<DMatrixRMaj> svd;
    private final SingularValueDecomposition_F64<DMatrixRMaj> valuesOnly;
    private final DMatrixRMaj work;
    private DMatrixRMaj u;
    private DMatrixRMaj v;

    SingularValueWorkspace(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.svd = DecompositionFactory_DDRM.svd(rows, cols, true, true, true);
        this.valuesOnly = DecompositionFactory_DDRM.svd(rows, cols, false, false, true);
        this.work = new DMatrixRMaj(rows, cols);
        this.u = new DMatrixRMaj(1, 1);
        this.v = new DMatrixRMaj(1, 1);
    }

    /** out ← SVT_τ(a) (may alias a); returns ‖out‖_*. */
    double threshold(double[] a, double tau, double[] out) {
        System.arraycopy(a, 0, work.data, 0, rows * cols);
        if (!svd.decompose(work)) {
            throw new ArithmeticException("SVD did not converge in singular value thresholding");
        }
        double[] s = svd.getSingularValues();
        int r = svd.numberOfSingularValues();
        u = svd.getU(u, false);
        v = svd.getV(v, false);
        java.util.Arrays.fill(out, 0, rows * cols, 0.0);
        double nuclear = 0;
        for (int q = 0; q < r; q++) {
            double p = s[q] - tau;
            if (p <= 0) {
                continue;
            }
            nuclear += p;
            for (int i = 0; i < rows; i++) {
                double ui = u.get(i, q) * p;
                if (ui == 0) {
                    continue;
                }
                int base = i * cols;
                for (int j = 0; j < cols; j++) {
                    out[base + j] += ui * v.get(j, q);
                }
            }
        }
        return nuclear;
    }

    /** Singular values of a, sorted in decreasing order (a fresh array). */
    double[] singularValues(double[] a) {
        System.arraycopy(a, 0, work.data, 0, rows * cols);
        if (!valuesOnly.decompose(work)) {
            throw new ArithmeticException("SVD did not converge");
        }
        int r = valuesOnly.numberOfSingularValues();
        double[] s = java.util.Arrays.copyOf(valuesOnly.getSingularValues(), r);
        java.util.Arrays.sort(s);
        for (int i = 0, j = r - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    /** ‖a‖_2 (largest singular value). */
    double spectralNorm(double[] a) {
        return singularValues(a)[0];
    }

    /** ‖a‖_*. */
    double nuclearNorm(double[] a) {
        double t = 0;
        for (double s : singularValues(a)) {
            t += s;
        }
        return t;
    }
}
