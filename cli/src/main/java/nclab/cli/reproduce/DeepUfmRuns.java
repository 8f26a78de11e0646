package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.cli.report.RunData;
import nclab.io.NpyArray;
import nclab.io.Npz;
import nclab.linalg.Linalg;

/**
 * Shared pieces of the seed-002 reproductions (Garrod &amp; Keating, deep UFM with cross-entropy): the
 * {@code nclab solve} config of a deep-UFM run, and what is read back from its {@code final.npz}: the
 * class-mean logit matrix (K×K, entry [i][c] = mean logit of class i over the samples of class c, computed
 * here by the forward pass of Eq. (1): Z = W_L σ(W_{L−1} ⋯ σ(W_1 H_1)), σ = identity or ReLU, H_1 not
 * rectified), its singular values, numerical rank and ETF distance, the per-layer class means, and the
 * structure the run reached.
 *
 * <p>Structure labels (spec 002 §5; the paper does not say how it thresholds): rank = #{σ_i &gt; 10⁻³·σ_1} of
 * the class-mean logit matrix; ETF distance = ‖G/‖G‖_F − S/‖S‖_F‖_F with G the Gram of its class-centred
 * columns. {@code dnc}: rank K−1 and ETF distance ≤ {@link #DNC_ETF_TOLERANCE} (Definition 2, Z = α·S⊗1ᵀ);
 * {@code pairs}: rank ⌈K/2⌉ and every class's largest other logit belongs to exactly one partner class whose
 * largest other logit is this class (Eq. 5 up to a relabelling); otherwise {@code rank r}.
 */
final class DeepUfmRuns {
    /** Relative singular-value threshold of the numerical rank (spec 002 §5, metrics.md {@code rank_*}). */
    static final double RANK_REL_TOL = 1e-3;
    /** ETF distance below which a rank-(K−1) logit matrix counts as deep neural collapse. */
    static final double DNC_ETF_TOLERANCE = 1e-2;

    private DeepUfmRuns() {
    }

    /** The solve config (keys of {@code nclab solve}'s YAML) of a full-batch GD run of the deep UFM. */
    static Map<String, Object> config(int k, int n, int d, int layers, double lambda, boolean relu, Double initScale,
                                      double lr, long steps, long seed, int logPoints) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", "deep-ufm");
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            sizes.add(n);
        }
        c.put("sizes", sizes);
        c.put("d", d);
        c.put("layers", layers);
        c.put("lambda", lambda);
        c.put("relu", relu);
        if (initScale != null) {
            c.put("init_scale", initScale);
        }
        c.put("optimizer", "gd");
        c.put("lr", lr);
        c.put("steps", steps);
        c.put("seed", seed);
        c.put("log_points", logPoints);
        return c;
    }

    /** What a finished deep-UFM run reached. */
    record Outcome(RunData run, double loss, double[][] meanLogits, double[] singularValues, int rank,
                   double etfDistance, String structure) {
        boolean isDnc() {
            return "dnc".equals(structure);
        }

        boolean isPairs() {
            return "pairs".equals(structure);
        }
    }

    /** Reads the outcome of a finished run of K balanced classes of n samples. */
    static Outcome outcome(RunData run, int k, int n, int layers, boolean relu) {
        InvalidInputException.require("completed".equals(run.status()),
                run.dir() + ": the run did not complete (status " + run.status() + ": " + run.message() + ")");
        List<double[][]> means = layerMeans(run.dir(), k, n, layers, relu);
        double[][] logits = means.get(means.size() - 1);
        double[] sv = Linalg.singularValues(Linalg.matrix(logits));
        int rank = rank(sv);
        double etf = etfDistance(logits);
        double[] loss = run.column("loss");
        return new Outcome(run, loss[loss.length - 1], logits, sv, rank, etf, structure(logits, rank, etf));
    }

    /**
     * Class means of every layer of the final parameters, each a width×K matrix whose column c is the class-c
     * mean: index 0 is H_1 (d×K), index l (1 ≤ l ≤ L−1) the post-activation features H̃_{l+1} = σ(W_l H̃_l)
     * (d×K), the last (index L) the logits Z = W_L H̃_L (K×K, entry [i][c] = mean logit of class i at class c).
     */
    static List<double[][]> layerMeans(Path dir, int k, int n, int layers, boolean relu) {
        Map<String, NpyArray> npz = Npz.read(dir.resolve("final.npz"));
        double[][] h = npz.get("H").toMatrix();
        InvalidInputException.require(h.length == k * n, dir + ": H has " + h.length + " rows, expected K*n = " + k * n);
        List<double[][]> out = new ArrayList<>();
        out.add(classMeans(h, k, n));
        for (int l = 1; l <= layers; l++) {
            h = nclab.model.LayerForward.apply(h, npz.get("W" + l).toMatrix(), relu && l < layers);
            out.add(classMeans(h, k, n));
        }
        return out;
    }

    /** Column c = mean of rows c·n .. c·n+n−1 (samples ordered class by class): a width×K matrix. */
    static double[][] classMeans(double[][] rows, int k, int n) {
        int width = rows[0].length;
        double[][] m = new double[width][k];
        for (int c = 0; c < k; c++) {
            for (int i = c * n; i < (c + 1) * n; i++) {
                for (int a = 0; a < width; a++) {
                    m[a][c] += rows[i][a] / n;
                }
            }
        }
        return m;
    }

    /** #{σ_i &gt; 10⁻³·σ_1} (0 for a zero matrix). */
    static int rank(double[] sortedDecreasing) {
        if (sortedDecreasing.length == 0 || !(sortedDecreasing[0] > 0)) {
            return 0;
        }
        int r = 0;
        for (double s : sortedDecreasing) {
            if (s > RANK_REL_TOL * sortedDecreasing[0]) {
                r++;
            }
        }
        return r;
    }

    /** ‖G/‖G‖_F − S/‖S‖_F‖_F, G the Gram of the columns of {@code m} centred by their mean over the K columns. */
    static double etfDistance(double[][] m) {
        int rows = m.length;
        int k = m[0].length;
        double[][] centred = new double[rows][k];
        for (int a = 0; a < rows; a++) {
            double mean = 0;
            for (int c = 0; c < k; c++) {
                mean += m[a][c] / k;
            }
            for (int c = 0; c < k; c++) {
                centred[a][c] = m[a][c] - mean;
            }
        }
        double[][] g = new double[k][k];
        double gNorm = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int a = 0; a < rows; a++) {
                    s += centred[a][i] * centred[a][j];
                }
                g[i][j] = s;
                gNorm += s * s;
            }
        }
        gNorm = Math.sqrt(gNorm);
        if (gNorm == 0) {
            return Double.NaN;
        }
        double sNorm = Math.sqrt(k - 1.0);
        double dist = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = ((i == j ? 1.0 : 0.0) - 1.0 / k) / sNorm;
                double diff = g[i][j] / gNorm - s;
                dist += diff * diff;
            }
        }
        return Math.sqrt(dist);
    }

    /** {@code dnc}, {@code pairs} or {@code rank r} (class comment). */
    static String structure(double[][] logits, int rank, double etf) {
        int k = logits.length;
        if (rank == k - 1 && etf <= DNC_ETF_TOLERANCE) {
            return "dnc";
        }
        if (rank == (k + 1) / 2 && pairedUp(logits)) {
            return "pairs";
        }
        return "rank " + rank;
    }

    /**
     * Whether the classes pair up as in Eq. (5): for each class c the most negative logit of column c (the
     * class it is pushed away from most) is a partner p whose own column's most negative logit is c, and each
     * class has one partner (K odd: exactly one class without a partner, whose column has no clear minimum).
     */
    static boolean pairedUp(double[][] logits) {
        int k = logits.length;
        int[] partner = new int[k];
        for (int c = 0; c < k; c++) {
            int best = -1;
            double min = Double.POSITIVE_INFINITY;
            double second = Double.POSITIVE_INFINITY;
            for (int i = 0; i < k; i++) {
                if (i == c) {
                    continue;
                }
                double v = logits[i][c];
                if (v < min) {
                    second = min;
                    min = v;
                    best = i;
                } else if (v < second) {
                    second = v;
                }
            }
            // a partner stands out: its logit is far below every other class's (pairs: −β against 0)
            double spread = Math.abs(logits[c][c] - min);
            partner[c] = second - min > 0.25 * spread ? best : -1;
        }
        int unpaired = 0;
        for (int c = 0; c < k; c++) {
            if (partner[c] < 0 || partner[partner[c]] != c) {
                unpaired++;
            }
        }
        return unpaired == k % 2;
    }
}
