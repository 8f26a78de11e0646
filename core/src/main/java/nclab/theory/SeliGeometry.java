package nclab.theory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import nclab.linalg.SymmetricEigen;
import org.ejml.data.DMatrixRMaj;

/**
 * The SELI geometry ("Simplex-Encoded-Labels Interpolation", seed 000, Definition 3 and Theorem 1) for
 * any class sizes n_1..n_K: the class-level geometry of the global minimisers of the unconstrained-features
 * SVM (2), which Theorem 1 proves for (R, ρ)-STEP imbalance and which defines the SELI reference for any
 * counts.
 *
 * <p><b>Math.</b> The SEL matrix (Def. 2, eq. 3) is Ẑ = (I_K − 11ᵀ/K)·Y ∈ ℝ^{K×N}, column i = e_{y_i} − 1/K·1,
 * with compact SVD Ẑ = VΛUᵀ (V K×(K−1), Λ (K−1)×(K−1), U N×(K−1); rank K−1). SELI (Def. 3,
 * Thm 1(iii)) says that, up to a common rotation, the classifiers are the columns of W = Λ^{1/2}Vᵀ and the
 * embeddings the columns of H = Λ^{1/2}Uᵀ, so WᵀW = VΛVᵀ (K×K), HᵀH = UΛUᵀ (N×N, h_i = μ_{y_i}) and
 * WᵀH = Ẑ.
 *
 * <p><b>Basis-free construction</b> (spec §3.2; only a K×K symmetric eigenproblem, so N may be huge):
 * <pre>
 *   S = ẐẐᵀ = S_K diag(n) S_K   (Lemma A.1(iv); S_K = I − 11ᵀ/K),  S = V diag(λ_j²) Vᵀ
 *   classifierGram  G_W = VΛVᵀ      = S^{1/2}
 *   meanGram        G_M = VΛ^{−1}Vᵀ = (S^{1/2})^†      (class rows of UΛUᵀ, since U = ẐᵀVΛ^{−1})
 *   logits          WᵀM = VVᵀ       = I − 11ᵀ/K       (the SEL matrix at class level)
 * </pre>
 * Coordinates in d = K−1 dimensions: w_c = row c of VΛ^{1/2}, μ_c = row c of VΛ^{−1/2}
 * ({@link #classifierVectors()}, {@link #meanVectors()}). SELI is defined up to a global scale α &gt; 0
 * (Def. 3); this class uses α = 1, i.e. the UF-SVM solution with all margins 1.
 *
 * <p>For balanced sizes (Cor 2.1/1.3) and for K = 2 (Cor 2.3) the normalised Grams equal the simplex ETF.
 */
public final class SeliGeometry implements GeometryPrediction {
    /** Model id on the command line. */
    public static final String MODEL = "seli";

    private final ClassSizes sizes;
    private final double[] singularValues;
    private final double[][] vectors; // K×(K−1), orthonormal columns v_j ⟂ 1
    private final ClassGeometry geometry;

    private SeliGeometry(ClassSizes sizes, double[] singularValues, double[][] vectors) {
        this.sizes = sizes;
        this.singularValues = singularValues;
        this.vectors = vectors;
        int k = sizes.k();
        double[][] gw = new double[k][k];
        double[][] gm = new double[k][k];
        double[][] logits = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double sw = 0;
                double sm = 0;
                for (int r = 0; r < singularValues.length; r++) {
                    double vv = vectors[i][r] * vectors[j][r];
                    sw += vv * singularValues[r];
                    sm += vv / singularValues[r];
                }
                gw[i][j] = sw;
                gm[i][j] = sm;
                logits[i][j] = (i == j ? 1.0 : 0.0) - 1.0 / k;
            }
        }
        this.geometry = new ClassGeometry(gw, gm, logits);
    }

    /** The SELI prediction for {@code p.sizes()} (no other parameter is used). */
    public static GeometryPrediction predict(TheoryParameters p) {
        return of(p.sizes());
    }

    /**
     * SELI geometry for any class sizes via the K×K eigenproblem of S = S_K diag(n) S_K.
     * The K−1 non-zero eigenvalues of S are ≥ n_min (interlacing), so the null direction 1_K is always
     * the one dropped.
     */
    public static SeliGeometry of(ClassSizes sizes) {
        InvalidInputException.require(sizes != null, "class sizes are required");
        int k = sizes.k();
        double n = sizes.total();
        double[][] s = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                s[i][j] = (i == j ? sizes.count(i) : 0.0) - (sizes.count(i) + sizes.count(j)) / (double) k
                        + n / ((double) k * k);
            }
        }
        SymmetricEigen eig = Linalg.symmetricEigen(Linalg.matrix(s));
        double[] mu = eig.values();
        DMatrixRMaj q = eig.vectors();
        double[] sv = new double[k - 1];
        double[][] v = new double[k][k - 1];
        for (int r = 0; r < k - 1; r++) {
            sv[r] = Math.sqrt(Math.max(0, mu[r]));
            // remove the round-off component along 1_K and renormalise
            double mean = 0;
            for (int i = 0; i < k; i++) {
                mean += q.get(i, r) / k;
            }
            double norm = 0;
            for (int i = 0; i < k; i++) {
                v[i][r] = q.get(i, r) - mean;
                norm += v[i][r] * v[i][r];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < k; i++) {
                v[i][r] /= norm;
            }
        }
        return new SeliGeometry(sizes, sv, v);
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public ClassSizes sizes() {
        return sizes;
    }

    @Override
    public ClassGeometry geometry() {
        return geometry;
    }

    /**
     * Details: {@code singularValues} (the K−1 non-zero singular values of Ẑ, decreasing), {@code rank},
     * {@code nuclearNorm} ‖Ẑ‖_* (= UF-SVM optimum p*, Thm 1), {@code spectralNorm} ‖Ẑ‖_2 (the λ at which the
     * nuclear-CE solution (7) vanishes, Lemma D.3), {@code normRatioClassifiers} / {@code normRatioEmbeddings}
     * (norm of a largest class over norm of a smallest class; Lemma 3.1 square-rooted for STEP sizes),
     * {@code alignment} (Cos(w_c, μ_c) per class, eqs. 17–18), {@code distanceToEtfClassifiers} /
     * {@code distanceToEtfMeans} (‖Ĝ − Ĝ_ETF‖_F of Frobenius-normalised Grams, Sec. 5).
     */
    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("singularValues", singularValues());
        d.put("rank", rank());
        d.put("nuclearNorm", nuclearNorm());
        d.put("spectralNorm", spectralNorm());
        d.put("normRatioClassifiers", normRatioClassifiers());
        d.put("normRatioEmbeddings", normRatioEmbeddings());
        d.put("alignment", alignment());
        d.put("distanceToEtfClassifiers", distanceToEtfClassifiers());
        d.put("distanceToEtfMeans", distanceToEtfMeans());
        return Collections.unmodifiableMap(d);
    }

    /** The K−1 non-zero singular values of the SEL matrix, decreasing. */
    public double[] singularValues() {
        return singularValues.clone();
    }

    /** rank Ẑ = K−1 (Lemma A.1(ii)). */
    public int rank() {
        return singularValues.length;
    }

    /** ‖Ẑ‖_* = Σ singular values. */
    public double nuclearNorm() {
        double s = 0;
        for (double x : singularValues) {
            s += x;
        }
        return s;
    }

    /** ‖Ẑ‖_2 = largest singular value. */
    public double spectralNorm() {
        return singularValues[0];
    }

    /** Classifiers in d = K−1 coordinates: row c is w_c = Λ^{1/2}Vᵀe_c. */
    public double[][] classifierVectors() {
        return scaledVectors(0.5);
    }

    /** Class-mean embeddings in the same K−1 coordinates: row c is μ_c = Λ^{−1/2}Vᵀe_c. */
    public double[][] meanVectors() {
        return scaledVectors(-0.5);
    }

    private double[][] scaledVectors(double power) {
        int k = sizes.k();
        double[][] out = new double[k][k - 1];
        for (int i = 0; i < k; i++) {
            for (int r = 0; r < k - 1; r++) {
                out[i][r] = vectors[i][r] * Math.pow(singularValues[r], power);
            }
        }
        return out;
    }

    /** ‖w_a‖/‖w_b‖ for a a largest and b a smallest class (1 when balanced). */
    public double normRatioClassifiers() {
        double[] norms = geometry.classifierNorms();
        return norms[largestClass()] / norms[smallestClass()];
    }

    /** ‖μ_a‖/‖μ_b‖ for a a largest and b a smallest class (1 when balanced). */
    public double normRatioEmbeddings() {
        double[] norms = geometry.meanNorms();
        return norms[largestClass()] / norms[smallestClass()];
    }

    /** Cos(w_c, μ_c) = (1 − 1/K)/(‖w_c‖‖μ_c‖) for each class c (eqs. 17–18). */
    public double[] alignment() {
        double[] wn = geometry.classifierNorms();
        double[] mn = geometry.meanNorms();
        double[][] z = geometry.logits();
        double[] a = new double[wn.length];
        for (int c = 0; c < a.length; c++) {
            a[c] = z[c][c] / (wn[c] * mn[c]);
        }
        return a;
    }

    /** ‖G_W/‖G_W‖_F − G_E/‖G_E‖_F‖_F with G_E the simplex ETF Gram (Sec. 5). */
    public double distanceToEtfClassifiers() {
        return normalisedDistance(geometry.classifierGram(), Etf.gram(sizes.k()));
    }

    /** ‖G_M/‖G_M‖_F − G_E/‖G_E‖_F‖_F with G_E the simplex ETF Gram (Sec. 5). */
    public double distanceToEtfMeans() {
        return normalisedDistance(geometry.meanGram(), Etf.gram(sizes.k()));
    }

    /** ‖A/‖A‖_F − B/‖B‖_F‖_F for two matrices of the same shape. */
    static double normalisedDistance(double[][] a, double[][] b) {
        double na = Linalg.frobenius(Linalg.matrix(a));
        double nb = Linalg.frobenius(Linalg.matrix(b));
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double d = a[i][j] / na - b[i][j] / nb;
                s += d * d;
            }
        }
        return Math.sqrt(s);
    }

    private int largestClass() {
        return sizes.majorityClasses()[0];
    }

    private int smallestClass() {
        int min = sizes.min();
        for (int c = 0; c < sizes.k(); c++) {
            if (sizes.count(c) == min) {
                return c;
            }
        }
        throw new IllegalStateException("no smallest class");
    }

    @Override
    public String toString() {
        return "SeliGeometry" + sizes;
    }
}
