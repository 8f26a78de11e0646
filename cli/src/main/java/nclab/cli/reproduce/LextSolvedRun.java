package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.io.NpyArray;
import nclab.io.Npz;
import nclab.linalg.Linalg;
import org.ejml.data.DMatrixRMaj;

/**
 * The measured end point of one {@code nclab solve} run of the L-extended UFM (seed 004, eq. (4.3)), computed
 * from the run's {@code final.npz} (W1..WL, H with one row per sample in class order, b) <b>without</b> the
 * theory code: the objective f re-evaluated from the parameters, the singular values of A = W_L⋯W_1 (K×d),
 * E = H̄·D (H̄ = class means, D = diag(√n)) and A·E, the bias, the weighted global mean h_G, the largest
 * within-class deviation, and the Grams A·Aᵀ and H̄ᵀH̄.
 *
 * @param sizes           class sizes
 * @param layers          L
 * @param bias            whether the model has a bias
 * @param objective       f(W_L..W_1, H, b) of eq. (4.3), recomputed here
 * @param loggedLoss      the run's last logged {@code loss} (the solver's own value of f)
 * @param productSv       singular values of A (decreasing, K of them)
 * @param featureSv       singular values of E = H̄·D (decreasing, K)
 * @param outputSv        singular values of A·E (decreasing, K)
 * @param biasVector      b (zeros without a bias)
 * @param globalMeanNorm  ‖h_G‖, h_G = Σ_k n_k h̄_k / N
 * @param withinClassMax  max over samples of ‖h_i − h̄_{y_i}‖
 * @param classifierGram  A·Aᵀ (K×K)
 * @param meanGram        H̄ᵀH̄ (K×K, uncentred class means)
 */
record LextSolvedRun(ClassSizes sizes, int layers, boolean bias, double objective, double loggedLoss,
                     double[] productSv, double[] featureSv, double[] outputSv, double[] biasVector,
                     double globalMeanNorm, double withinClassMax, double[][] classifierGram, double[][] meanGram) {

    /** The solve config (keys of {@code nclab solve}) of one lext run: full-batch GD from the model's default start. */
    static Map<String, Object> config(ClassSizes sizes, int layers, boolean bias, double lambdaW, double lambdaH, int d,
                                      double lr, long steps, long seed) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("model", "lext");
        c.put("sizes", java.util.Arrays.stream(sizes.counts()).boxed().toList());
        c.put("d", d);
        c.put("lambda_w", lambdaW);
        c.put("lambda_h", lambdaH);
        c.put("bias", bias);
        c.put("layers", layers);
        c.put("optimizer", "gd");
        c.put("lr", lr);
        c.put("steps", steps);
        c.put("seed", seed);
        c.put("log_points", 12);
        return c;
    }

    /** Solves (or reuses) the config in {@code dir} and measures its end point. */
    static LextSolvedRun solve(Map<String, Object> config, Path dir) {
        var run = ReproRuns.solve(config, dir);
        InvalidInputException.require("completed".equals(run.status()), dir + ": solve did not complete: " + run.message());
        ClassSizes sizes = ClassSizes.of(((List<?>) config.get("sizes")).stream().mapToInt(o -> ((Number) o).intValue()).toArray());
        int layers = ((Number) config.get("layers")).intValue();
        boolean bias = (Boolean) config.get("bias");
        double lw = ((Number) config.get("lambda_w")).doubleValue();
        double lh = ((Number) config.get("lambda_h")).doubleValue();
        return measure(Npz.read(dir.resolve("final.npz")), sizes, layers, bias, lw, lh, run.lastFinite("loss"));
    }

    /** Measures the parameters of a final.npz (W1..WL, H, optionally b). */
    static LextSolvedRun measure(Map<String, NpyArray> npz, ClassSizes sizes, int layers, boolean bias, double lambdaW,
                                 double lambdaH, double loggedLoss) {
        int k = sizes.k();
        double n = sizes.total();
        DMatrixRMaj a = Linalg.matrix(npz.get("W1").toMatrix());
        double reg = sq(a);
        for (int j = 2; j <= layers; j++) {
            DMatrixRMaj w = Linalg.matrix(npz.get("W" + j).toMatrix());
            reg += sq(w);
            a = Linalg.multiply(w, a);
        }
        double[][] h = npz.get("H").toMatrix();
        double[] b = bias ? flat(npz.get("b")) : new double[k];
        int d = h[0].length;
        // class means (rows), in class order
        double[][] means = new double[k][d];
        int row = 0;
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < sizes.count(c); i++, row++) {
                for (int j = 0; j < d; j++) {
                    means[c][j] += h[row][j] / sizes.count(c);
                }
            }
        }
        double within = 0;
        double hh = 0;
        double fit = 0;
        double[][] aa = Linalg.array(a);
        row = 0;
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < sizes.count(c); i++, row++) {
                double dev = 0;
                for (int j = 0; j < d; j++) {
                    double e = h[row][j] - means[c][j];
                    dev += e * e;
                    hh += h[row][j] * h[row][j];
                }
                within = Math.max(within, Math.sqrt(dev));
                for (int o = 0; o < k; o++) {
                    double z = b[o] - (o == c ? 1 : 0);
                    for (int j = 0; j < d; j++) {
                        z += aa[o][j] * h[row][j];
                    }
                    fit += z * z;
                }
            }
        }
        double f = fit / (2 * n) + lambdaW / 2 * reg + lambdaH / 2 * hh;
        double[] hg = new double[d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                hg[j] += sizes.count(c) * means[c][j] / n;
            }
        }
        double hgNorm = Math.sqrt(java.util.Arrays.stream(hg).map(v -> v * v).sum());
        double[][] eRows = new double[k][d];  // Eᵀ = D·H̄_rows
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                eRows[c][j] = Math.sqrt(sizes.count(c)) * means[c][j];
            }
        }
        DMatrixRMaj et = Linalg.matrix(eRows);
        DMatrixRMaj ae = Linalg.multiplyTransB(a, et);
        DMatrixRMaj m = Linalg.matrix(means);
        return new LextSolvedRun(sizes, layers, bias, f, loggedLoss, padded(Linalg.singularValues(a), k),
                padded(Linalg.singularValues(et), k), padded(Linalg.singularValues(ae), k), b, hgNorm, within,
                Linalg.array(Linalg.multiplyTransB(a, a)), Linalg.array(Linalg.multiplyTransB(m, m)));
    }

    /** A K-vector stored as K×1 (the solver's layout) or as a 1-D array. */
    private static double[] flat(NpyArray a) {
        if (a.rank() == 1) {
            return a.toVector();
        }
        return java.util.Arrays.stream(a.toMatrix()).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    private static double sq(DMatrixRMaj m) {
        double f = Linalg.frobenius(m);
        return f * f;
    }

    private static double[] padded(double[] s, int k) {
        double[] out = new double[k];
        System.arraycopy(s, 0, out, 0, Math.min(k, s.length));
        return out;
    }

    /** max_k |measured_k − predicted_k|. */
    static double maxAbsDiff(double[] measured, double[] predicted) {
        double m = 0;
        for (int i = 0; i < predicted.length; i++) {
            m = Math.max(m, Math.abs(measured[i] - predicted[i]));
        }
        return m;
    }

    /** Normalised Frobenius distance ‖X/‖X‖ − Y/‖Y‖‖_F between two square matrices. */
    static double normalisedDistance(double[][] x, double[][] y) {
        return nclab.metrics.GeometryDistance.normalisedFrobenius(x, y);
    }

    /** The simplex-ETF Gram I − 11ᵀ/K. */
    static double[][] simplexGram(int k) {
        double[][] g = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                g[i][j] = (i == j ? 1 : 0) - 1.0 / k;
            }
        }
        return g;
    }

    /** The orthogonal-frame Gram I. */
    static double[][] identityGram(int k) {
        return Linalg.array(Linalg.identity(k));
    }
}
