package nclab.metrics;

import nclab.linalg.BlockProducts;

/** Read-only inputs of pass 2, shared by all chunks. */
final class SpreadInputs {
    final int[] labels;
    final int k;
    final int d;
    final int r;
    final double[] means;      // K×d row-major
    final double[] basisT;     // r×d row-major (rows of Pᵀ)
    final double[] w;          // K×d row-major, or null
    final double[] bias;       // K or null
    final double[] nearestBase; // [y][k]: ‖μ_k − μ_y‖²
    final double[] nearestSlope; // [y][k][a]: −2 (Pᵀ(μ_k − μ_y))_a
    final BlockProducts products; // native or Java products of blocks

    SpreadInputs(int[] labels, int k, int d, int r, double[][] means, double[][] basis, double[][] w, double[] bias,
           BlockProducts products) {
        this.products = products;
        this.labels = labels;
        this.k = k;
        this.d = d;
        this.r = r;
        this.means = flatten(means, d);
        this.basisT = flatten(basis, d);
        this.w = w == null ? null : flatten(w, d);
        this.bias = bias;
        double[][] projectedMeans = new double[k][r];
        for (int c = 0; c < k; c++) {
            for (int a = 0; a < r; a++) {
                projectedMeans[c][a] = CollapseMetrics.dot(basis[a], means[c]);
            }
        }
        nearestBase = new double[k * k];
        nearestSlope = new double[k * k * r];
        for (int y = 0; y < k; y++) {
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    double e = means[c][j] - means[y][j];
                    s += e * e;
                }
                nearestBase[y * k + c] = s;
                for (int a = 0; a < r; a++) {
                    nearestSlope[(y * k + c) * r + a] = -2 * (projectedMeans[c][a] - projectedMeans[y][a]);
                }
            }
        }
    }

    private static double[] flatten(double[][] m, int d) {
        double[] f = new double[m.length * d];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, f, i * d, d);
        }
        return f;
    }
}
