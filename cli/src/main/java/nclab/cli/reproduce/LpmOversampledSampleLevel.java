package nclab.cli.reproduce;

import java.util.Random;

import nclab.InvalidInputException;

/**
 * An independent numerical solution of the oversampled Layer-Peeled Model at the level of single examples
 * (seed 003 eq. 18), used to check Proposition 1 without the class-level reduction that
 * {@link nclab.theory.LayerPeeledGeometry} is built on:
 * <pre>
 *   minimise (1/N') [ Σ_{k≤K_A} Σ_{i≤n_A} CE(W h_{k,i}, k) + w_r Σ_{k&gt;K_A} Σ_{i≤n_B} CE(W h_{k,i}, k) ],  N' = n_A K_A + w_r n_B K_B
 *   s.t. (1/K) Σ_k ‖w_k‖² ≤ E_W,   (1/K) Σ_k (1/n_k) Σ_i ‖h_{k,i}‖² ≤ E_H   (original examples, not duplicates).
 * </pre>
 * Every example has its own feature vector, drawn at random; nothing assumes that features collapse to class
 * means. Solved by projected gradient descent in (W, g) with g_{k,i} = h_{k,i}/√n_k, which turns the feature
 * constraint into the ball Σ‖g‖² ≤ K E_H, so both projections are exact rescalings (spec 003 §3.3, the
 * factored method, here per example). Width p = 2K (Lemma 1 / Proposition 1 need p ≥ 2K). The problem is
 * nonconvex; the spec measured agreement with the convex solver to 8 digits in the cosine for this method at
 * (5,5), R_eff = 10.
 *
 * @param objective      final value of the eq. 18 objective
 * @param minorityCosine mean cos(w_i, w_j) over minority pairs of the final W
 */
record LpmOversampledSampleLevel(double objective, double minorityCosine) {

    /** Gradient steps (measured: objective within 2e-9 relative and cosine within 3e-7 of the convex solve). */
    static final int STEPS = 20_000;

    /**
     * Solves eq. 18 for K_A majority classes of n_A examples, K_B minority classes of n_B examples repeated
     * w_r times in the loss, from a random start of the given seed.
     */
    static LpmOversampledSampleLevel solve(int kA, int kB, int nA, int nB, int oversample, double eW, double eH,
                                           int steps, long seed) {
        InvalidInputException.require(kA >= 1 && kB >= 2, "need K_A >= 1 and K_B >= 2, got " + kA + ", " + kB);
        InvalidInputException.require(nA >= 1 && nB >= 1 && oversample >= 1, "need n_A, n_B, w_r >= 1");
        int k = kA + kB;
        int p = 2 * k;
        int n = kA * nA + kB * nB;
        int[] label = new int[n];
        double[] weight = new double[n];
        double[] scale = new double[n];
        double total = kA * (double) nA + oversample * (double) kB * nB;
        for (int i = 0, c = 0; c < k; c++) {
            int nc = c < kA ? nA : nB;
            for (int j = 0; j < nc; j++, i++) {
                label[i] = c;
                weight[i] = (c < kA ? 1 : oversample) / total;
                scale[i] = Math.sqrt(nc);
            }
        }
        Random rng = new Random(seed);
        double[][] w = new double[k][p];
        double[][] g = new double[n][p];
        for (double[] row : w) {
            fill(row, rng);
        }
        for (double[] row : g) {
            fill(row, rng);
        }
        double rW = Math.sqrt(k * eW);
        double rH = Math.sqrt(k * eH);
        project(w, rW, true);
        project(g, rH, true);
        double maxPi = Math.max(nA, oversample * (double) nB) / total;
        double eta = 0.5 / (maxPi * Math.max(eW, eH));
        double[][] gw = new double[k][p];
        double[][] gg = new double[n][p];
        double[] h = new double[p];
        double[] z = new double[k];
        double objective = 0;
        for (int t = 0; t <= steps; t++) {
            for (double[] row : gw) {
                java.util.Arrays.fill(row, 0);
            }
            objective = 0;
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < p; a++) {
                    h[a] = g[i][a] * scale[i];
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double s = 0;
                    for (int a = 0; a < p; a++) {
                        s += w[c][a] * h[a];
                    }
                    z[c] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    z[c] = Math.exp(z[c] - max);
                    sum += z[c];
                }
                objective += weight[i] * (Math.log(sum) + max - (Math.log(z[label[i]]) + max));
                java.util.Arrays.fill(gg[i], 0);
                for (int c = 0; c < k; c++) {
                    double r = weight[i] * (z[c] / sum - (c == label[i] ? 1 : 0)); // ∂/∂z_c of the weighted CE
                    for (int a = 0; a < p; a++) {
                        gw[c][a] += r * h[a];
                        gg[i][a] += r * w[c][a] * scale[i];
                    }
                }
            }
            if (t == steps) {
                break; // objective evaluated at the final iterate
            }
            for (int c = 0; c < k; c++) {
                for (int a = 0; a < p; a++) {
                    w[c][a] -= eta * gw[c][a];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < p; a++) {
                    g[i][a] -= eta * gg[i][a];
                }
            }
            project(w, rW, false);
            project(g, rH, false);
        }
        return new LpmOversampledSampleLevel(objective, minorityCosine(w, kA));
    }

    private static void fill(double[] row, Random rng) {
        for (int a = 0; a < row.length; a++) {
            row[a] = rng.nextGaussian();
        }
    }

    /** Projects onto the Frobenius ball of this radius (rescaling); {@code onto} rescales onto the sphere. */
    private static void project(double[][] m, double radius, boolean onto) {
        double s = 0;
        for (double[] row : m) {
            for (double v : row) {
                s += v * v;
            }
        }
        double norm = Math.sqrt(s);
        if (onto || norm > radius) {
            double f = radius / norm;
            for (double[] row : m) {
                for (int a = 0; a < row.length; a++) {
                    row[a] *= f;
                }
            }
        }
    }

    private static double minorityCosine(double[][] w, int kA) {
        double sum = 0;
        int pairs = 0;
        for (int i = kA; i < w.length; i++) {
            for (int j = i + 1; j < w.length; j++) {
                double dot = 0;
                double ni = 0;
                double nj = 0;
                for (int a = 0; a < w[i].length; a++) {
                    dot += w[i][a] * w[j][a];
                    ni += w[i][a] * w[i][a];
                    nj += w[j][a] * w[j][a];
                }
                sum += dot / Math.sqrt(ni * nj);
                pairs++;
            }
        }
        return sum / pairs;
    }
}
