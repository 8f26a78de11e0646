package nclab.metrics;

import java.util.Arrays;

import nclab.InvalidInputException;

/**
 * First and second moments of labelled features, computed in two streaming passes over the rows
 * (class means, then spreads around them) without copying the feature matrix and without forming any d×d
 * matrix.
 *
 * <ul>
 *   <li>{@code counts[k]} = n_k, the number of samples with label k;</li>
 *   <li>{@code means[k]} = μ_k = (1/n_k) Σ_{i: y_i = k} h_i (K×d, uncentred);</li>
 *   <li>{@code globalMean} = (1/N) Σ_i h_i, the sample-weighted global mean;</li>
 *   <li>{@code withinTrace} = tr Σ_W = (1/N) Σ_i ‖h_i − μ_{y_i}‖², with the pooled within-class covariance
 *       Σ_W = (1/N) Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ (divided by N), as in Papyan–Han–Donoho (2020),
 *       Dang et al. (2024) Sec. 5.1 and Garrod–Keating (2024) Sec. 5;</li>
 *   <li>{@code meanBasis} = Pᵀ (r×d): r = min(K, d) orthonormal rows p_1..p_r whose span contains every class
 *       mean μ_k (the left singular vectors of the d×K matrix [μ_1 … μ_K]);</li>
 *   <li>{@code projectedWithin} = C = Pᵀ Σ_W P (r×r), Σ_W restricted to that span.</li>
 * </ul>
 * The between-class covariance is Σ_B = (1/K) Σ_k (μ_k − μ_G)(μ_k − μ_G)ᵀ, unweighted over classes, for the
 * chosen {@link Centring} of μ_G. Every centred mean μ_k − μ_G (μ_G = 0, the class-balanced or the
 * sample-weighted mean, each a combination of the μ_k) lies in span{μ_k} = span P, so Σ_B and its
 * pseudo-inverse live there: for any u = P a in that span, uᵀ Σ_W u = aᵀ C a with a = Pᵀ u. Hence
 * tr(Σ_W Σ_B⁺) needs only C (exactly, not approximately), and tr Σ_W is summed directly; the d×d Σ_W,
 * which costs O(N d²), is never formed. See docs/metrics.md ("How Σ_W is computed").
 */
public record ClassStatistics(int[] counts, double[][] means, double[] globalMean, double withinTrace,
                              double[][] meanBasis, double[][] projectedWithin) {

    public ClassStatistics {
        InvalidInputException.require(counts.length >= 2 && means.length == counts.length,
                "class statistics need K >= 2 counts and one mean per class, got " + counts.length + " counts and "
                        + means.length + " means");
        int d = globalMean.length;
        for (double[] mu : means) {
            InvalidInputException.require(mu.length == d, "class mean of length " + mu.length + ", expected d = " + d);
        }
        int r = meanBasis.length;
        for (double[] p : meanBasis) {
            InvalidInputException.require(p.length == d, "mean-span basis vector of length " + p.length + ", expected d = " + d);
        }
        InvalidInputException.require(projectedWithin.length == r,
                "projected within-class covariance must be " + r + "x" + r);
        for (double[] c : projectedWithin) {
            InvalidInputException.require(c.length == r, "projected within-class covariance must be " + r + "x" + r);
        }
        counts = counts.clone();
        means = copy(means);
        globalMean = globalMean.clone();
        meanBasis = copy(meanBasis);
        projectedWithin = copy(projectedWithin);
    }

    /**
     * Streams {@code h} twice ({@link CollapseScan}): pass 1 accumulates counts and class sums, pass 2 the
     * projections Pᵀ(h_i − μ_{y_i}) into C and the squared norms ‖h_i − μ_{y_i}‖² into tr Σ_W. Both passes run
     * on several threads when {@code h} supports range scans; the result does not depend on the thread count.
     *
     * @param h      N×d features
     * @param labels N labels in [0, K)
     * @param k      number of classes K ≥ 2
     */
    public static ClassStatistics compute(FeatureRows h, int[] labels, int k) {
        return CollapseScan.run(h, labels, k, null, null).statistics();
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

    /**
     * uᵀ Σ_W u = aᵀ C a with a = Pᵀu, for a vector u in the span of the class means (exact there; for other u
     * it is the quadratic form of the projection P Pᵀ u).
     */
    public double withinQuadraticForm(double[] u) {
        InvalidInputException.require(u.length == dimension(), "vector of length " + u.length + ", expected d = " + dimension());
        int r = meanBasis.length;
        double[] a = new double[r];
        for (int i = 0; i < r; i++) {
            a[i] = CollapseMetrics.dot(meanBasis[i], u);
        }
        double q = 0;
        for (int i = 0; i < r; i++) {
            double s = 0;
            for (int j = 0; j < r; j++) {
                s += projectedWithin[i][j] * a[j];
            }
            q += a[i] * s;
        }
        return q;
    }

    /**
     * Π Σ_W Π = P C Pᵀ (d×d), Σ_W compressed to the span of the class means (Π = P Pᵀ the orthogonal projector);
     * equal to Σ_W itself when the means span R^d. Formed on demand, O(d² r).
     */
    public double[][] withinCovarianceOnMeanSpan() {
        int d = dimension();
        int r = meanBasis.length;
        double[][] pc = new double[d][r]; // P C
        for (int i = 0; i < d; i++) {
            for (int a = 0; a < r; a++) {
                double s = 0;
                for (int b = 0; b < r; b++) {
                    s += meanBasis[b][i] * projectedWithin[b][a];
                }
                pc[i][a] = s;
            }
        }
        double[][] out = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int a = 0; a < r; a++) {
                    s += pc[i][a] * meanBasis[a][j];
                }
                out[i][j] = s;
            }
        }
        return out;
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
    public double[][] meanBasis() {
        return copy(meanBasis);
    }

    @Override
    public double[][] projectedWithin() {
        return copy(projectedWithin);
    }

    private static double[][] copy(double[][] m) {
        return Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassStatistics s && Arrays.equals(counts, s.counts) && Arrays.deepEquals(means, s.means)
                && Arrays.equals(globalMean, s.globalMean)
                && Double.compare(withinTrace, s.withinTrace) == 0 && Arrays.deepEquals(meanBasis, s.meanBasis)
                && Arrays.deepEquals(projectedWithin, s.projectedWithin);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {counts, means, globalMean, withinTrace, meanBasis, projectedWithin});
    }

    @Override
    public String toString() {
        return "ClassStatistics[K=" + k() + ", d=" + dimension() + ", N=" + total() + "]";
    }
}
