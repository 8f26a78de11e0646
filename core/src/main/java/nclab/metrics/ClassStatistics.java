package nclab.metrics;

import java.util.Arrays;

import nclab.InvalidInputException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * First and second moments of labelled features, computed in two streaming passes over the rows
 * (class means, then spreads around them) without copying the feature matrix.
 *
 * <ul>
 *   <li>{@code counts[k]} = n_k, the number of samples with label k;</li>
 *   <li>{@code means[k]} = μ_k = (1/n_k) Σ_{i: y_i = k} h_i (K×d, uncentred);</li>
 *   <li>{@code globalMean} = (1/N) Σ_i h_i, the sample-weighted global mean;</li>
 *   <li>{@code withinCovariance} = Σ_W = (1/N) Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ (d×d, pooled, divided by N),
 *       as in Papyan–Han–Donoho (2020), Dang et al. (2024) Sec. 5.1 and Garrod–Keating (2024) Sec. 5.</li>
 * </ul>
 * The between-class covariance is Σ_B = (1/K) Σ_k (μ_k − μ_G)(μ_k − μ_G)ᵀ, unweighted over classes, for the
 * chosen {@link Centring} of μ_G.
 */
public record ClassStatistics(int[] counts, double[][] means, double[] globalMean, double[][] withinCovariance) {
    /** Rows per block when Σ_W is accumulated as a sum of block products BᵀB. */
    private static final int BLOCK = 256;

    public ClassStatistics {
        InvalidInputException.require(counts.length >= 2 && means.length == counts.length,
                "class statistics need K >= 2 counts and one mean per class, got " + counts.length + " counts and "
                        + means.length + " means");
        int d = globalMean.length;
        for (double[] mu : means) {
            InvalidInputException.require(mu.length == d, "class mean of length " + mu.length + ", expected d = " + d);
        }
        InvalidInputException.require(withinCovariance.length == d, "within-class covariance must be " + d + "x" + d);
        counts = counts.clone();
        means = copy(means);
        globalMean = globalMean.clone();
        withinCovariance = copy(withinCovariance);
    }

    /**
     * Streams {@code h} twice: pass 1 accumulates counts and class sums, pass 2 accumulates the centred rows
     * h_i − μ_{y_i} into Σ_W block-wise.
     *
     * @param h      N×d features
     * @param labels N labels in [0, K)
     * @param k      number of classes K ≥ 2
     */
    public static ClassStatistics compute(FeatureRows h, int[] labels, int k) {
        validate(h, labels, k);
        int n = h.rows();
        int d = h.cols();
        int[] counts = new int[k];
        double[][] sums = new double[k][d];
        h.scan((row, x) -> {
            int y = labels[row];
            counts[y]++;
            double[] s = sums[y];
            for (int j = 0; j < d; j++) {
                s[j] += x[j];
            }
        });
        for (int c = 0; c < k; c++) {
            InvalidInputException.require(counts[c] > 0,
                    "class " + c + " has no samples (every class in [0, " + k + ") needs at least one)");
        }
        double[][] means = new double[k][d];
        double[] global = new double[d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                means[c][j] = sums[c][j] / counts[c];
                global[j] += sums[c][j] / n;
            }
        }
        DMatrixRMaj sw = new DMatrixRMaj(d, d);
        DMatrixRMaj block = new DMatrixRMaj(Math.min(BLOCK, n), d);
        DMatrixRMaj product = new DMatrixRMaj(d, d);
        int[] filled = {0};
        h.scan((row, x) -> {
            double[] mu = means[labels[row]];
            int offset = filled[0] * d;
            for (int j = 0; j < d; j++) {
                block.data[offset + j] = x[j] - mu[j];
            }
            if (++filled[0] == block.numRows) {
                addInner(block, sw, product);
                filled[0] = 0;
            }
        });
        if (filled[0] > 0) {
            addInner(CommonOps_DDRM.extract(block, 0, filled[0], 0, d), sw, product);
        }
        double[][] within = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                within[i][j] = 0.5 * (sw.get(i, j) + sw.get(j, i)) / n;
            }
        }
        return new ClassStatistics(counts, means, global, within);
    }

    /** sum += bᵀb, using the symmetric inner product (half the multiplications of a general product). */
    private static void addInner(DMatrixRMaj b, DMatrixRMaj sum, DMatrixRMaj product) {
        CommonOps_DDRM.multInner(b, product);
        CommonOps_DDRM.addEquals(sum, product);
    }

    private static void validate(FeatureRows h, int[] labels, int k) {
        InvalidInputException.require(k >= 2, "number of classes K must be >= 2, got " + k);
        InvalidInputException.require(h.rows() == labels.length,
                "features have " + h.rows() + " rows but there are " + labels.length + " labels");
        InvalidInputException.require(h.rows() > 0, "features have no rows");
        InvalidInputException.require(h.cols() > 0, "features have no columns");
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            InvalidInputException.require(y >= 0 && y < k,
                    "label " + y + " at row " + i + " is outside [0, " + k + ")");
        }
    }

    /** Number of classes K. */
    public int k() {
        return counts.length;
    }

    /** Feature dimension d. */
    public int dimension() {
        return globalMean.length;
    }

    /** Total number of samples N. */
    public int total() {
        return Arrays.stream(counts).sum();
    }

    /** The global mean μ_G for this centring (the zero vector for {@link Centring#NONE}). */
    public double[] centre(Centring centring) {
        int d = dimension();
        return switch (centring) {
            case NONE -> new double[d];
            case SAMPLE_WEIGHTED -> globalMean.clone();
            case CLASS_BALANCED -> {
                double[] g = new double[d];
                for (double[] mu : means) {
                    for (int j = 0; j < d; j++) {
                        g[j] += mu[j] / means.length;
                    }
                }
                yield g;
            }
        };
    }

    /** Centred class means μ_k − μ_G (K×d, one row per class). */
    public double[][] means(Centring centring) {
        double[] g = centre(centring);
        double[][] m = new double[k()][dimension()];
        for (int c = 0; c < m.length; c++) {
            for (int j = 0; j < g.length; j++) {
                m[c][j] = means[c][j] - g[j];
            }
        }
        return m;
    }

    /** Σ_B = (1/K) Σ_k (μ_k − μ_G)(μ_k − μ_G)ᵀ (d×d), unweighted over classes. */
    public double[][] betweenCovariance(Centring centring) {
        double[][] m = means(centring);
        int d = dimension();
        double[][] sb = new double[d][d];
        for (double[] mu : m) {
            for (int i = 0; i < d; i++) {
                double a = mu[i] / m.length;
                for (int j = 0; j < d; j++) {
                    sb[i][j] += a * mu[j];
                }
            }
        }
        return sb;
    }

    /** tr Σ_B = (1/K) Σ_k ‖μ_k − μ_G‖², without forming the d×d matrix. */
    public double betweenTrace(Centring centring) {
        double t = 0;
        for (double[] mu : means(centring)) {
            for (double x : mu) {
                t += x * x / k();
            }
        }
        return t;
    }

    /** tr Σ_W. */
    public double withinTrace() {
        double t = 0;
        for (int i = 0; i < withinCovariance.length; i++) {
            t += withinCovariance[i][i];
        }
        return t;
    }

    @Override
    public int[] counts() {
        return counts.clone();
    }

    @Override
    public double[][] means() {
        return copy(means);
    }

    @Override
    public double[] globalMean() {
        return globalMean.clone();
    }

    @Override
    public double[][] withinCovariance() {
        return copy(withinCovariance);
    }

    private static double[][] copy(double[][] m) {
        return Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassStatistics s && Arrays.equals(counts, s.counts) && Arrays.deepEquals(means, s.means)
                && Arrays.equals(globalMean, s.globalMean) && Arrays.deepEquals(withinCovariance, s.withinCovariance);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {counts, means, globalMean, withinCovariance});
    }

    @Override
    public String toString() {
        return "ClassStatistics[K=" + k() + ", d=" + dimension() + ", N=" + total() + "]";
    }
}
