package nclab.theory;

import java.util.Arrays;

import nclab.InvalidInputException;

/**
 * Class-level geometry of a classifier W (K×d, rows w_k) and class-mean embeddings μ_k, described by
 * three K×K matrices that do not depend on a basis of feature space:
 * <ul>
 *   <li>{@code classifierGram}[i][j] = w_iᵀ w_j,</li>
 *   <li>{@code meanGram}[i][j] = μ_iᵀ μ_j,</li>
 *   <li>{@code logits}[i][j] = w_iᵀ μ_j (logit of class i at the mean of class j).</li>
 * </ul>
 * Norms and cosines are derived; a cosine involving a zero vector (a collapsed class) is undefined and
 * returned as {@link Double#NaN}, which JSON output writes as {@code null}.
 */
public record ClassGeometry(double[][] classifierGram, double[][] meanGram, double[][] logits) {
    /** Norms below this are treated as exactly zero when forming cosines. */
    public static final double ZERO_NORM = 1e-12;

    public ClassGeometry {
        int k = classifierGram.length;
        InvalidInputException.require(k >= 1, "geometry needs at least one class");
        classifierGram = copySquare(classifierGram, k, "classifierGram");
        meanGram = copySquare(meanGram, k, "meanGram");
        logits = copySquare(logits, k, "logits");
    }

    private static double[][] copySquare(double[][] m, int k, String name) {
        InvalidInputException.require(m.length == k, name + " has " + m.length + " rows, expected " + k);
        double[][] c = new double[k][];
        for (int i = 0; i < k; i++) {
            InvalidInputException.require(m[i].length == k, name + " row " + i + " has " + m[i].length + " entries, expected " + k);
            c[i] = m[i].clone();
        }
        return c;
    }

    private static double[][] deepCopy(double[][] m) {
        return Arrays.stream(m).map(double[]::clone).toArray(double[][]::new);
    }

    /** Builds the geometry from explicit W (K×d) and class means M (K×d, one row per class). */
    public static ClassGeometry fromVectors(double[][] w, double[][] means) {
        InvalidInputException.require(w.length == means.length,
                "W has " + w.length + " rows but there are " + means.length + " class means");
        int k = w.length;
        double[][] gw = new double[k][k];
        double[][] gm = new double[k][k];
        double[][] z = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                gw[i][j] = dot(w[i], w[j]);
                gm[i][j] = dot(means[i], means[j]);
                z[i][j] = dot(w[i], means[j]);
            }
        }
        return new ClassGeometry(gw, gm, z);
    }

    private static double dot(double[] a, double[] b) {
        InvalidInputException.require(a.length == b.length, "vectors of different dimension: " + a.length + " and " + b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public int k() {
        return classifierGram.length;
    }

    @Override
    public double[][] classifierGram() {
        return deepCopy(classifierGram);
    }

    @Override
    public double[][] meanGram() {
        return deepCopy(meanGram);
    }

    @Override
    public double[][] logits() {
        return deepCopy(logits);
    }

    public double[] classifierNorms() {
        return norms(classifierGram);
    }

    public double[] meanNorms() {
        return norms(meanGram);
    }

    public double[][] classifierCosines() {
        return cosines(classifierGram);
    }

    public double[][] meanCosines() {
        return cosines(meanGram);
    }

    /** √diag(G), with tiny negative round-off clamped to 0. */
    public static double[] norms(double[][] gram) {
        double[] n = new double[gram.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = Math.sqrt(Math.max(0, gram[i][i]));
        }
        return n;
    }

    /** G_ij / (‖i‖‖j‖); NaN where either norm is below {@link #ZERO_NORM}·max norm. */
    public static double[][] cosines(double[][] gram) {
        double[] n = norms(gram);
        double max = Arrays.stream(n).max().orElse(0);
        double[][] c = new double[n.length][n.length];
        for (int i = 0; i < n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                boolean zero = n[i] <= ZERO_NORM * Math.max(1, max) || n[j] <= ZERO_NORM * Math.max(1, max);
                c[i][j] = zero ? Double.NaN : Math.max(-1, Math.min(1, gram[i][j] / (n[i] * n[j])));
            }
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassGeometry g && Arrays.deepEquals(classifierGram, g.classifierGram)
                && Arrays.deepEquals(meanGram, g.meanGram) && Arrays.deepEquals(logits, g.logits);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {classifierGram, meanGram, logits});
    }

    @Override
    public String toString() {
        return "ClassGeometry[K=" + k() + "]";
    }
}
