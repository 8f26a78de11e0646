package nclab.theory;

import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import nclab.linalg.Svd;
import org.ejml.data.DMatrixRMaj;

/**
 * Test oracle independent of {@link SeliGeometry}: materialises the K×N SEL matrix Ẑ (samples ordered by
 * class), takes its full thin SVD Ẑ = A·diag(s)·Bᵀ with {@link Linalg#svd}, and reads the SELI geometry off
 * the factors W = diag(s)^{1/2}Aᵀ, H = diag(s)^{1/2}Bᵀ (Thm 1(iii)): classifier Gram A diag(s) Aᵀ, the N×N
 * embedding Gram B diag(s) Bᵀ restricted to the first sample of each class, and logits WᵀH at those samples.
 */
record ExplicitSelSvd(double[] singularValues, double[][] classifierGram, double[][] meanGram, double[][] logits,
                      double[][] selMatrix) {

    static ExplicitSelSvd of(ClassSizes sizes) {
        int k = sizes.k();
        int n = Math.toIntExact(sizes.total());
        if (n > 5000) {
            throw new IllegalArgumentException("keep explicit SVDs small, N = " + n);
        }
        double[][] z = new double[k][n];
        int[] first = new int[k];
        int col = 0;
        for (int c = 0; c < k; c++) {
            first[c] = col;
            for (int t = 0; t < sizes.count(c); t++, col++) {
                for (int r = 0; r < k; r++) {
                    z[r][col] = (r == c ? 1.0 : 0.0) - 1.0 / k;
                }
            }
        }
        Svd svd = Linalg.svd(Linalg.matrix(z));
        double[] all = svd.s();
        int rank = Linalg.numericalRank(all, 1e-10);
        double[] s = java.util.Arrays.copyOf(all, rank);
        DMatrixRMaj a = svd.u();
        DMatrixRMaj b = svd.v();
        double[][] gw = new double[k][k];
        double[][] gm = new double[k][k];
        double[][] logits = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                for (int r = 0; r < rank; r++) {
                    gw[i][j] += a.get(i, r) * s[r] * a.get(j, r);
                    gm[i][j] += b.get(first[i], r) * s[r] * b.get(first[j], r);
                    logits[i][j] += a.get(i, r) * s[r] * b.get(first[j], r);
                }
            }
        }
        return new ExplicitSelSvd(s, gw, gm, logits, z);
    }

    /** Number of singular values above 1e-10 of the largest. */
    int rank() {
        return singularValues.length;
    }
}
