package nclab.optim;

import java.util.SplittableRandom;

import nclab.data.ClassSizes;

/**
 * Independent reference for the tests: plain gradient descent on the (non-convex) ridge UFM of seed 000
 * eq. (1)/(C.3), g(W, H) = s·L(WHᵀ) + (λ_W/2)‖W‖_F² + (λ_H/2)‖H‖_F² with W K×d, H N×d, L the summed CE
 * and s = 1 (summed) or 1/N (mean loss), from a Gaussian start. Written directly from the formulas, sharing
 * no code with the convex solvers.
 */
final class RidgeUfmDescent {
    final double[][] w;
    final double[][] h;
    final double gradientNorm;

    private RidgeUfmDescent(double[][] w, double[][] h, double gradientNorm) {
        this.w = w;
        this.h = h;
        this.gradientNorm = gradientNorm;
    }

    static RidgeUfmDescent run(ClassSizes sizes, int d, double lambdaW, double lambdaH, boolean meanLoss,
                               double lr, int steps, long seed) {
        int k = sizes.k();
        int n = (int) sizes.total();
        int[] y = new int[n];
        for (int c = 0, i = 0; c < k; c++) {
            for (int r = 0; r < sizes.count(c); r++) {
                y[i++] = c;
            }
        }
        double s = meanLoss ? 1.0 / n : 1.0;
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] w = new double[k][d];
        double[][] h = new double[n][d];
        for (double[] row : w) {
            for (int q = 0; q < d; q++) {
                row[q] = gaussian(rnd);
            }
        }
        for (double[] row : h) {
            for (int q = 0; q < d; q++) {
                row[q] = gaussian(rnd);
            }
        }
        double[][] g = new double[k][n];
        double[][] gw = new double[k][d];
        double[][] gh = new double[n][d];
        double norm = Double.NaN;
        for (int step = 0; step <= steps; step++) {
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double z = 0;
                    for (int q = 0; q < d; q++) {
                        z += w[c][q] * h[i][q];
                    }
                    g[c][i] = z;
                    max = Math.max(max, z);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    g[c][i] = Math.exp(g[c][i] - max);
                    sum += g[c][i];
                }
                for (int c = 0; c < k; c++) {
                    g[c][i] = s * (g[c][i] / sum - (c == y[i] ? 1 : 0));
                }
            }
            norm = 0;
            for (int c = 0; c < k; c++) {
                for (int q = 0; q < d; q++) {
                    double v = lambdaW * w[c][q];
                    for (int i = 0; i < n; i++) {
                        v += g[c][i] * h[i][q];
                    }
                    gw[c][q] = v;
                    norm += v * v;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < d; q++) {
                    double v = lambdaH * h[i][q];
                    for (int c = 0; c < k; c++) {
                        v += g[c][i] * w[c][q];
                    }
                    gh[i][q] = v;
                    norm += v * v;
                }
            }
            norm = Math.sqrt(norm);
            if (step == steps) {
                break;
            }
            for (int c = 0; c < k; c++) {
                for (int q = 0; q < d; q++) {
                    w[c][q] -= lr * gw[c][q];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < d; q++) {
                    h[i][q] -= lr * gh[i][q];
                }
            }
        }
        return new RidgeUfmDescent(w, h, norm);
    }

    double[][] logits() {
        double[][] z = new double[w.length][h.length];
        for (int c = 0; c < w.length; c++) {
            for (int i = 0; i < h.length; i++) {
                for (int q = 0; q < w[c].length; q++) {
                    z[c][i] += w[c][q] * h[i][q];
                }
            }
        }
        return z;
    }

    double[][] classifierGram() {
        double[][] g = new double[w.length][w.length];
        for (int a = 0; a < w.length; a++) {
            for (int b = 0; b < w.length; b++) {
                for (int q = 0; q < w[a].length; q++) {
                    g[a][b] += w[a][q] * w[b][q];
                }
            }
        }
        return g;
    }

    static double squaredNorm(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            for (double v : row) {
                s += v * v;
            }
        }
        return s;
    }

    private static double gaussian(SplittableRandom rnd) {
        double u1 = 1 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
