package nclab.theory;

import java.util.Random;

/**
 * Test-side, independent solver of the ORIGINAL non-convex Layer-Peeled Model (eq. 7) in its per-example variables
 * W (K×p) and h_{k,i} (one feature per training example, no class-mean reduction):
 * <pre>
 *   minimise (1/N) Σ_k Σ_i CE(W h_{k,i}, k)  s.t.  Σ_k ‖w_k‖² ≤ K E_W,  Σ_k (1/n_k) Σ_i ‖h_{k,i}‖² ≤ K E_H.
 * </pre>
 * Features are stored as g = h/√(K n_k), which turns the feature constraint into the Frobenius ball Σ ‖g‖² ≤ E_H,
 * so both projections are plain rescalings. Projected gradient with backtracking (sufficient-decrease test
 * f(x⁺) ≤ f(x) + ⟨∇f, x⁺ − x⟩ + ‖x⁺ − x‖²/(2η)) from a random Gaussian start. Shares no code with the convex solver.
 */
final class NonConvexLayerPeeledDescent {
    final double objective;
    final double[][] w;
    final int steps;

    private NonConvexLayerPeeledDescent(double objective, double[][] w, int steps) {
        this.objective = objective;
        this.w = w;
        this.steps = steps;
    }

    static NonConvexLayerPeeledDescent run(int[] counts, double eW, double eH, int p, long seed, int maxSteps) {
        int k = counts.length;
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        int[] label = new int[n];
        double[] scale = new double[n];
        for (int c = 0, s = 0; c < k; c++) {
            for (int i = 0; i < counts[c]; i++, s++) {
                label[s] = c;
                scale[s] = Math.sqrt((double) k * counts[c]);
            }
        }
        Random rnd = new Random(seed);
        double[][] w = gaussian(rnd, k, p);
        double[][] g = gaussian(rnd, n, p);
        rescaleOnto(w, k * eW);
        rescaleOnto(g, eH);
        double[][] gw = new double[k][p];
        double[][] gg = new double[n][p];
        double f = objectiveAndGradient(w, g, label, scale, gw, gg);
        double eta = 1;
        int step = 0;
        for (; step < maxSteps; step++) {
            while (true) {
                double[][] w2 = axpy(w, -eta, gw);
                double[][] g2 = axpy(g, -eta, gg);
                rescaleOnto(w2, k * eW);
                rescaleOnto(g2, eH);
                double lin = inner(gw, w2, w) + inner(gg, g2, g);
                double dist = dist2(w2, w) + dist2(g2, g);
                double[][] gw2 = new double[k][p];
                double[][] gg2 = new double[n][p];
                double f2 = objectiveAndGradient(w2, g2, label, scale, gw2, gg2);
                if (f2 <= f + lin + dist / (2 * eta) + 1e-15) {
                    boolean stalled = dist < 1e-30;
                    w = w2;
                    g = g2;
                    gw = gw2;
                    gg = gg2;
                    f = f2;
                    eta *= 1.2;
                    if (stalled) {
                        return new NonConvexLayerPeeledDescent(f, w, step);
                    }
                    break;
                }
                eta /= 2;
            }
        }
        return new NonConvexLayerPeeledDescent(f, w, step);
    }

    private static double objectiveAndGradient(double[][] w, double[][] g, int[] label, double[] scale,
                                               double[][] gw, double[][] gg) {
        int k = w.length;
        int p = w[0].length;
        int n = g.length;
        for (double[] row : gw) {
            java.util.Arrays.fill(row, 0);
        }
        double f = 0;
        double[] z = new double[k];
        for (int s = 0; s < n; s++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double v = 0;
                for (int j = 0; j < p; j++) {
                    v += w[c][j] * g[s][j];
                }
                z[c] = scale[s] * v;
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[c] - max);
            }
            f += (max + Math.log(sum) - z[label[s]]) / n;
            java.util.Arrays.fill(gg[s], 0);
            for (int c = 0; c < k; c++) {
                double r = (Math.exp(z[c] - max) / sum - (c == label[s] ? 1 : 0)) / n * scale[s];
                for (int j = 0; j < p; j++) {
                    gw[c][j] += r * g[s][j];
                    gg[s][j] += r * w[c][j];
                }
            }
        }
        return f;
    }

    private static double[][] gaussian(Random rnd, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return m;
    }

    /** Euclidean projection onto the Frobenius ball Σ m_ij² ≤ budget. */
    private static void rescaleOnto(double[][] m, double budget) {
        double sq = 0;
        for (double[] row : m) {
            for (double v : row) {
                sq += v * v;
            }
        }
        if (sq > budget) {
            double f = Math.sqrt(budget / sq);
            for (double[] row : m) {
                for (int j = 0; j < row.length; j++) {
                    row[j] *= f;
                }
            }
        }
    }

    private static double[][] axpy(double[][] x, double a, double[][] y) {
        double[][] out = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                out[i][j] = x[i][j] + a * y[i][j];
            }
        }
        return out;
    }

    private static double inner(double[][] grad, double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                s += grad[i][j] * (a[i][j] - b[i][j]);
            }
        }
        return s;
    }

    private static double dist2(double[][] a, double[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                double d = a[i][j] - b[i][j];
                s += d * d;
            }
        }
        return s;
    }
}
