package nclab.linalg;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import nclab.InvalidInputException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The project's thin layer over EJML (double precision): sorted SVD, symmetric eigen-decomposition,
 * pseudo-inverse with an explicit relative tolerance, and conversions between {@code double[][]} and
 * {@link DMatrixRMaj}. Every decomposition works on a copy; inputs are never modified.
 */
public final class Linalg {
    /** Default relative tolerance for ranks and pseudo-inverses: singular values ≤ tol·s_max count as zero. */
    public static final double DEFAULT_REL_TOL = 1e-10;

    private Linalg() {
    }

    public static DMatrixRMaj matrix(double[][] rows) {
        InvalidInputException.require(rows.length > 0, "matrix has no rows");
        int cols = rows[0].length;
        DMatrixRMaj m = new DMatrixRMaj(rows.length, cols);
        for (int i = 0; i < rows.length; i++) {
            InvalidInputException.require(rows[i].length == cols,
                    "ragged matrix: row " + i + " has " + rows[i].length + " entries, row 0 has " + cols);
            System.arraycopy(rows[i], 0, m.data, i * cols, cols);
        }
        return m;
    }

    public static double[][] array(DMatrixRMaj m) {
        double[][] a = new double[m.numRows][m.numCols];
        for (int i = 0; i < m.numRows; i++) {
            System.arraycopy(m.data, i * m.numCols, a[i], 0, m.numCols);
        }
        return a;
    }

    public static DMatrixRMaj identity(int n) {
        return CommonOps_DDRM.identity(n);
    }

    public static DMatrixRMaj multiply(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numCols);
        CommonOps_DDRM.mult(a, b, c);
        return c;
    }

    /** a·bᵀ. */
    public static DMatrixRMaj multiplyTransB(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numRows);
        CommonOps_DDRM.multTransB(a, b, c);
        return c;
    }

    /** aᵀ·b. */
    public static DMatrixRMaj multiplyTransA(DMatrixRMaj a, DMatrixRMaj b) {
        DMatrixRMaj c = new DMatrixRMaj(a.numCols, b.numCols);
        CommonOps_DDRM.multTransA(a, b, c);
        return c;
    }

    public static DMatrixRMaj transpose(DMatrixRMaj a) {
        return CommonOps_DDRM.transpose(a, null);
    }

    /** Frobenius norm ‖A‖_F. */
    public static double frobenius(DMatrixRMaj a) {
        double s = 0;
        for (int i = 0; i < a.getNumElements(); i++) {
            s += a.data[i] * a.data[i];
        }
        return Math.sqrt(s);
    }

    /** Thin SVD with singular values sorted in decreasing order. */
    public static Svd svd(DMatrixRMaj a) {
        int m = a.numRows;
        int n = a.numCols;
        int r = Math.min(m, n);
        SingularValueDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.svd(m, n, true, true, true);
        if (!dec.decompose(a.copy())) {
            throw new ArithmeticException("SVD did not converge for a " + m + "x" + n + " matrix");
        }
        DMatrixRMaj u = dec.getU(null, false);
        DMatrixRMaj v = dec.getV(null, false);
        double[] w = dec.getSingularValues();
        Integer[] order = IntStream.range(0, r).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> w[i]).reversed());
        DMatrixRMaj us = new DMatrixRMaj(m, r);
        DMatrixRMaj vs = new DMatrixRMaj(n, r);
        double[] s = new double[r];
        for (int j = 0; j < r; j++) {
            int src = order[j];
            s[j] = w[src];
            for (int i = 0; i < m; i++) {
                us.set(i, j, u.get(i, src));
            }
            for (int i = 0; i < n; i++) {
                vs.set(i, j, v.get(i, src));
            }
        }
        return new Svd(us, s, vs);
    }

    /** Singular values only, decreasing. */
    public static double[] singularValues(DMatrixRMaj a) {
        SingularValueDecomposition_F64<DMatrixRMaj> dec =
                DecompositionFactory_DDRM.svd(a.numRows, a.numCols, false, false, true);
        if (!dec.decompose(a.copy())) {
            throw new ArithmeticException("SVD did not converge for a " + a.numRows + "x" + a.numCols + " matrix");
        }
        double[] s = dec.getSingularValues().clone();
        s = Arrays.copyOf(s, Math.min(a.numRows, a.numCols));
        Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    /** Eigen-decomposition of a symmetric matrix (the upper and lower triangles are averaged first). */
    public static SymmetricEigen symmetricEigen(DMatrixRMaj a) {
        InvalidInputException.require(a.numRows == a.numCols,
                "symmetric eigen-decomposition needs a square matrix, got " + a.numRows + "x" + a.numCols);
        int n = a.numRows;
        DMatrixRMaj sym = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                sym.set(i, j, 0.5 * (a.get(i, j) + a.get(j, i)));
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> dec = DecompositionFactory_DDRM.eig(n, true, true);
        if (!dec.decompose(sym)) {
            throw new ArithmeticException("symmetric eigen-decomposition did not converge for n = " + n);
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        double[] raw = new double[n];
        for (int i = 0; i < n; i++) {
            raw[i] = dec.getEigenvalue(i).getReal();
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> raw[i]).reversed());
        double[] values = new double[n];
        DMatrixRMaj vectors = new DMatrixRMaj(n, n);
        for (int j = 0; j < n; j++) {
            values[j] = raw[order[j]];
            DMatrixRMaj vec = dec.getEigenVector(order[j]);
            double norm = Math.sqrt(CommonOps_DDRM.dot(vec, vec));
            for (int i = 0; i < n; i++) {
                vectors.set(i, j, vec.get(i) / norm);
            }
        }
        return new SymmetricEigen(values, vectors);
    }

    /**
     * Moore–Penrose pseudo-inverse A⁺ = V·diag(1/s_i)·Uᵀ over the singular values s_i &gt; relTol·s_max
     * (the others are treated as exact zeros).
     */
    public static DMatrixRMaj pinv(DMatrixRMaj a, double relTol) {
        InvalidInputException.requireNonNegative("pseudo-inverse tolerance", relTol);
        Svd svd = svd(a);
        double[] s = svd.s();
        int rank = numericalRank(s, relTol);
        DMatrixRMaj result = new DMatrixRMaj(a.numCols, a.numRows);
        for (int k = 0; k < rank; k++) {
            double inv = 1.0 / s[k];
            for (int i = 0; i < a.numCols; i++) {
                double vik = svd.v().get(i, k) * inv;
                if (vik == 0) {
                    continue;
                }
                for (int j = 0; j < a.numRows; j++) {
                    result.add(i, j, vik * svd.u().get(j, k));
                }
            }
        }
        return result;
    }

    /** Number of values greater than relTol·max(values); 0 when all are zero. */
    public static int numericalRank(double[] sortedDecreasing, double relTol) {
        if (sortedDecreasing.length == 0 || sortedDecreasing[0] <= 0) {
            return 0;
        }
        double cut = relTol * sortedDecreasing[0];
        int r = 0;
        while (r < sortedDecreasing.length && sortedDecreasing[r] > cut) {
            r++;
        }
        return r;
    }
}
