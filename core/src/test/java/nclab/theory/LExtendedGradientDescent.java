package nclab.theory;

import java.util.Random;

import nclab.data.ClassSizes;

/**
 * Test-side solver, independent of the closed forms: plain full-batch gradient descent on the sample-level
 * L-extended UFM (4.3)
 * f = 1/(2N)‖W_L⋯W_1 H + b1ᵀ − Y‖² + Σ_j λ_j/2 ‖W_j‖² + λ_H/2 ‖H‖²,
 * with the analytic gradients (R = (A H + b1ᵀ − Y)/N, A = W_L⋯W_1)
 * ∂H = AᵀR + λ_H H, ∂b = R1, ∂W_j = (W_L⋯W_{j+1})ᵀ R Hᵀ (W_{j−1}⋯W_1)ᵀ + λ_j W_j.
 * All widths are d; W_L is K×d, W_1 is d×d (K×d when L = 1), H is d×N stored as N rows. Gaussian
 * initialisation with standard deviation s, b = 0.
 */
final class LExtendedGradientDescent {
    final int k;
    final int n;
    final int d;
    final int layers;
    final double[] lambdaW;
    final double lambdaH;
    final boolean bias;
    final int[] label;
    /** w[j] is W_{j+1}: rows[j] × cols[j], row-major. */
    final double[][] w;
    final int[] rows;
    final int[] cols;
    /** h[i*d + t]: feature t of sample i. */
    final double[] h;
    final double[] b;
    /** Steps taken by the last {@link #run}. */
    int steps;

    LExtendedGradientDescent(ClassSizes sizes, double[] lambdaW, double lambdaH, boolean bias, int d, double std, long seed) {
        this.k = sizes.k();
        this.n = (int) sizes.total();
        this.d = d;
        this.layers = lambdaW.length;
        this.lambdaW = lambdaW.clone();
        this.lambdaH = lambdaH;
        this.bias = bias;
        this.label = new int[n];
        int pos = 0;
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < sizes.count(c); i++) {
                label[pos++] = c;
            }
        }
        Random rng = new Random(seed);
        w = new double[layers][];
        rows = new int[layers];
        cols = new int[layers];
        for (int j = 0; j < layers; j++) {
            rows[j] = j == layers - 1 ? k : d;
            cols[j] = d;
            w[j] = gaussian(rows[j] * cols[j], std, rng);
        }
        h = gaussian(n * d, std, rng);
        b = new double[k];
    }

    private static double[] gaussian(int len, double std, Random rng) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = std * rng.nextGaussian();
        }
        return a;
    }

    /** out = x (r×m) · y (m×c). */
    private static double[] mul(double[] x, int r, int m, double[] y, int c) {
        double[] out = new double[r * c];
        for (int i = 0; i < r; i++) {
            for (int t = 0; t < m; t++) {
                double xv = x[i * m + t];
                if (xv == 0) {
                    continue;
                }
                int yo = t * c;
                int oo = i * c;
                for (int j = 0; j < c; j++) {
                    out[oo + j] += xv * y[yo + j];
                }
            }
        }
        return out;
    }

    /** out = x (r×m) · yᵀ where y is c×m. */
    private static double[] mulTransB(double[] x, int r, int m, double[] y, int c) {
        double[] out = new double[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                double s = 0;
                for (int t = 0; t < m; t++) {
                    s += x[i * m + t] * y[j * m + t];
                }
                out[i * c + j] = s;
            }
        }
        return out;
    }

    /** out = xᵀ (m×r from x r×m) · y (r×c). */
    private static double[] mulTransA(double[] x, int r, int m, double[] y, int c) {
        double[] out = new double[m * c];
        for (int i = 0; i < r; i++) {
            for (int t = 0; t < m; t++) {
                double xv = x[i * m + t];
                if (xv == 0) {
                    continue;
                }
                for (int j = 0; j < c; j++) {
                    out[t * c + j] += xv * y[i * c + j];
                }
            }
        }
        return out;
    }

    /** prefix[j] = W_L⋯W_{j+2} (K×rows[j]); prefix[L−1] = I_K. Returns A = prefix[0]·W_1 as the extra last entry. */
    private double[][] prefixes() {
        double[][] p = new double[layers + 1][];
        double[] eye = new double[k * k];
        for (int i = 0; i < k; i++) {
            eye[i * k + i] = 1;
        }
        p[layers - 1] = eye;
        for (int j = layers - 1; j >= 0; j--) {
            double[] next = mul(p[j], k, rows[j], w[j], cols[j]);
            if (j == 0) {
                p[layers] = next;
            } else {
                p[j - 1] = next;
            }
        }
        return p;
    }

    /** End-to-end classifier A = W_L⋯W_1 (K×d). */
    double[][] product() {
        return toRows(prefixes()[layers], k, d);
    }

    /** Residual R = (A H + b1ᵀ − Y)/N as N rows of K. */
    private double[] residual(double[] a) {
        double[] r = mulTransB(h, n, d, a, k); // N×K: row i = A h_i
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                r[i * k + c] = (r[i * k + c] + b[c] - (label[i] == c ? 1 : 0)) / n;
            }
        }
        return r;
    }

    double objective() {
        double[] a = prefixes()[layers];
        double[] r = residual(a);
        double f = 0;
        for (double v : r) {
            f += v * v;
        }
        f *= n / 2.0;
        for (int j = 0; j < layers; j++) {
            f += lambdaW[j] / 2 * sumSq(w[j]);
        }
        return f + lambdaH / 2 * sumSq(h);
    }

    private static double sumSq(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return s;
    }

    /** One gradient step of size lr; returns the squared gradient norm. */
    double step(double lr) {
        double[][] p = prefixes();
        double[] a = p[layers];
        double[] r = residual(a);                  // N×K
        double[] rht = mulTransA(r, n, k, h, d);   // K×d = Rᵀ... (R as K×N) · Hᵀ
        double g2 = 0;
        // gradients of W_j: Q_1 = R Hᵀ, Q_j = Q_{j-1} W_{j-1}ᵀ; grad W_j = prefix_jᵀ Q_j + λ_j W_j
        double[][] grads = new double[layers][];
        double[] q = rht;
        for (int j = 0; j < layers; j++) {
            double[] g = mulTransA(p[j], k, rows[j], q, cols[j]);
            for (int t = 0; t < g.length; t++) {
                g[t] += lambdaW[j] * w[j][t];
            }
            grads[j] = g;
            if (j + 1 < layers) {
                q = mulTransB(q, k, cols[j], w[j], rows[j]);
            }
        }
        // gradient of H: rows h_i ← Aᵀ r_i + λ_H h_i
        double[] gh = mul(r, n, k, a, d);
        for (int t = 0; t < gh.length; t++) {
            gh[t] += lambdaH * h[t];
        }
        double[] gb = new double[k];
        if (bias) {
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < k; c++) {
                    gb[c] += r[i * k + c];
                }
            }
        }
        for (int j = 0; j < layers; j++) {
            for (int t = 0; t < w[j].length; t++) {
                g2 += grads[j][t] * grads[j][t];
                w[j][t] -= lr * grads[j][t];
            }
        }
        for (int t = 0; t < h.length; t++) {
            g2 += gh[t] * gh[t];
            h[t] -= lr * gh[t];
        }
        for (int c = 0; c < k; c++) {
            g2 += gb[c] * gb[c];
            b[c] -= lr * gb[c];
        }
        return g2;
    }

    /** Runs up to maxSteps steps, stopping early once the squared gradient norm is below tol². */
    LExtendedGradientDescent run(int maxSteps, double lr, double gradTol) {
        for (steps = 0; steps < maxSteps; steps++) {
            if (step(lr) < gradTol * gradTol) {
                break;
            }
        }
        return this;
    }

    /** Class means h̄_c as K rows of d. */
    double[][] classMeans() {
        double[][] m = new double[k][d];
        int[] count = new int[k];
        for (int i = 0; i < n; i++) {
            count[label[i]]++;
            for (int t = 0; t < d; t++) {
                m[label[i]][t] += h[i * d + t];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int t = 0; t < d; t++) {
                m[c][t] /= count[c];
            }
        }
        return m;
    }

    /** max over samples of ‖h_i − h̄_{label i}‖. */
    double withinClassDeviation() {
        double[][] m = classMeans();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                double v = h[i * d + t] - m[label[i]][t];
                s += v * v;
            }
            worst = Math.max(worst, Math.sqrt(s));
        }
        return worst;
    }

    /** Global feature mean h_G. */
    double[] globalMean() {
        double[] g = new double[d];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                g[t] += h[i * d + t] / n;
            }
        }
        return g;
    }

    private static double[][] toRows(double[] a, int r, int c) {
        double[][] m = new double[r][c];
        for (int i = 0; i < r; i++) {
            System.arraycopy(a, i * c, m[i], 0, c);
        }
        return m;
    }
}
