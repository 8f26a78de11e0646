package nclab.cli.reproduce;

import java.nio.file.Path;
import java.util.Map;

import nclab.data.ClassSizes;
import nclab.experiment.RunDirectory;
import nclab.io.Npz;
import nclab.io.NpyArray;
import nclab.theory.ClassGeometry;

/**
 * A solved UFM₊ (seed 001 eq. 4) read back from a solve run's {@code final.npz} (W K×d, H N×d, samples
 * class-major), with the quantities Theorem 1 speaks about, all computed here from W and H alone (never from
 * the closed form):
 * <ul>
 *   <li>{@code objective}: f(W, H) = (1/N) Σ_i CE(W h_i, y_i) + (λ_W/2)‖W‖_F² + (λ_H/2)‖H‖_F² (eq. 4),
 *       evaluated in double precision (log-sum-exp with the row maximum subtracted);</li>
 *   <li>{@code geometry}: the Grams WWᵀ, H̄ᵀH̄ and the logits W H̄ of the uncentred class means (Thm 1 b–e);</li>
 *   <li>{@code withinClassSpread}: max_{k,i} ‖h_{k,i} − h_k‖ (Thm 1a, NC1);</li>
 *   <li>{@code minFeature}: the smallest entry of H (≥ 0 for the projected solver);</li>
 *   <li>{@code classifierSum}: ‖Σ_k w_k‖_∞ (0 by eq. 10).</li>
 * </ul>
 *
 * @param sizes             class sizes n_1..n_K
 * @param w                 classifier W, K×d
 * @param means             class means h_k as rows, K×d
 * @param geometry          Grams and logits of (W, H̄)
 * @param objective         eq. 4 at (W, H)
 * @param withinClassSpread max distance of a feature from its class mean
 * @param minFeature        smallest entry of H
 * @param classifierSum     max-norm of Σ_k w_k
 */
record ReluUfmSolution(ClassSizes sizes, double[][] w, double[][] means, ClassGeometry geometry, double objective,
                       double withinClassSpread, double minFeature, double classifierSum) {

    /** Reads {@code dir/final.npz} of a {@code model: ufm, non_negative: true} run with these sizes and λ's. */
    static ReluUfmSolution read(Path dir, ClassSizes sizes, double lambdaW, double lambdaH) {
        Map<String, NpyArray> arrays = Npz.read(dir.resolve(RunDirectory.FINAL));
        return of(sizes, arrays.get("W").toMatrix(), arrays.get("H").toMatrix(), lambdaW, lambdaH);
    }

    /** The quantities of a solution (W K×d, H N×d with class-major rows). */
    static ReluUfmSolution of(ClassSizes sizes, double[][] w, double[][] h, double lambdaW, double lambdaH) {
        int k = sizes.k();
        int n = Math.toIntExact(sizes.total());
        int d = w[0].length;
        nclab.InvalidInputException.require(h.length == n && w.length == k,
                "solution has W " + w.length + "x" + d + " and H " + h.length + " rows for K = " + k + ", N = " + n);
        double[][] means = new double[k][d];
        int[] labels = new int[n];
        int row = 0;
        for (int c = 0; c < k; c++) {
            for (int s = 0; s < sizes.count(c); s++, row++) {
                labels[row] = c;
                for (int j = 0; j < d; j++) {
                    means[c][j] += h[row][j] / sizes.count(c);
                }
            }
        }
        double ce = 0;
        double h2 = 0;
        double spread = 0;
        double minFeature = Double.POSITIVE_INFINITY;
        double[] z = new double[k];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += w[c][j] * h[i][j];
                }
                z[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[c] - max);
            }
            ce += max + Math.log(sum) - z[labels[i]];
            double dev = 0;
            for (int j = 0; j < d; j++) {
                h2 += h[i][j] * h[i][j];
                double e = h[i][j] - means[labels[i]][j];
                dev += e * e;
                minFeature = Math.min(minFeature, h[i][j]);
            }
            spread = Math.max(spread, Math.sqrt(dev));
        }
        double w2 = 0;
        double[] colSum = new double[d];
        for (double[] wc : w) {
            for (int j = 0; j < d; j++) {
                w2 += wc[j] * wc[j];
                colSum[j] += wc[j];
            }
        }
        double sumNorm = 0;
        for (double v : colSum) {
            sumNorm = Math.max(sumNorm, Math.abs(v));
        }
        double objective = ce / n + lambdaW / 2 * w2 + lambdaH / 2 * h2;
        return new ReluUfmSolution(sizes, w, means, ClassGeometry.fromVectors(w, means), objective, spread, minFeature,
                sumNorm);
    }

    /** ‖h_k‖² of each class mean. */
    double[] featureNormsSquared() {
        return diagonal(geometry.meanGram());
    }

    /** ‖w_k‖² of each classifier. */
    double[] classifierNormsSquared() {
        return diagonal(geometry.classifierGram());
    }

    /** Diagonal logits w_kᵀh_k. */
    double[] diagonalLogits() {
        return diagonal(geometry.logits());
    }

    /** max_{k≠l} |h_kᵀh_l|: 0 for the general orthogonal frame of Thm 1b. */
    double maxMeanOverlap() {
        double[][] g = geometry.meanGram();
        double m = 0;
        for (int a = 0; a < g.length; a++) {
            for (int b = 0; b < g.length; b++) {
                if (a != b) {
                    m = Math.max(m, Math.abs(g[a][b]));
                }
            }
        }
        return m;
    }

    /**
     * Geometry distance to a prediction at the model's absolute scale: the largest of
     * ‖A − B‖_F / max(1, ‖B‖_F) over the classifier Gram, the mean Gram and the logits (B predicted).
     * Both Grams and W H̄ are invariant under the symmetries of eq. 4 (rotations of R^d that keep H ≥ 0
     * and permute coordinates), so they are the solution's geometry independently of its basis.
     */
    double distanceTo(ClassGeometry predicted) {
        return Math.max(relative(geometry.classifierGram(), predicted.classifierGram()),
                Math.max(relative(geometry.meanGram(), predicted.meanGram()), relative(geometry.logits(), predicted.logits())));
    }

    static double relative(double[][] a, double[][] b) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                diff += (a[i][j] - b[i][j]) * (a[i][j] - b[i][j]);
                ref += b[i][j] * b[i][j];
            }
        }
        return Math.sqrt(diff) / Math.max(1, Math.sqrt(ref));
    }

    static double[] diagonal(double[][] g) {
        double[] v = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            v[i] = g[i][i];
        }
        return v;
    }
}
