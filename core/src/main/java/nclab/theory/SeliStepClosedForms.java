package nclab.theory;

import java.util.Arrays;
import java.util.Optional;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

/**
 * Closed forms of the SELI geometry (seed 000) under (R, ρ)-STEP imbalance with the paper's convention
 * (Definition 1): <b>ρ is the minority fraction</b>; there are k_M = (1−ρ)K majority classes of R·n_min
 * samples and k_m = ρK minority classes of n_min samples. With ρ̄ = 1−ρ and s = √(ρ̄ + Rρ):
 *
 * <ul>
 *   <li>singular values of the SEL matrix (Lemma A.3, eq. 9; footnote 3 for n_min):
 *       √n_min·{√R (k_M−1 times), s, 1 (k_m−1 times)};</li>
 *   <li>classifier Gram (Lemmas B.1, B.3, eqs. 13 and 4, generalised to any ρ as in spec §4.5), each
 *       multiplied by √n_min:
 *       ‖w_maj‖² = √R(1−1/k_M) + sρ/(ρ̄K), ‖w_min‖² = (1−1/k_m) + sρ̄/(ρK),
 *       w_majᵀw'_maj = −√R/k_M + sρ/(ρ̄K), w_minᵀw'_min = −1/k_m + sρ̄/(ρK), w_majᵀw_min = −s/K;</li>
 *   <li>class-mean embedding Gram (Lemmas B.2, B.4, eq. 15 generalised), each divided by √n_min:
 *       the same with every singular value inverted:
 *       ‖h_maj‖² = (1−1/k_M)/√R + ρ/(ρ̄Ks), ‖h_min‖² = (1−1/k_m) + ρ̄/(ρKs),
 *       h_majᵀh'_maj = −1/(√R k_M) + ρ/(ρ̄Ks), h_minᵀh'_min = −1/k_m + ρ̄/(ρKs), h_majᵀh_min = −1/(Ks);</li>
 *   <li>logits w_cᵀμ_c = 1 − 1/K, w_cᵀμ_{c'} = −1/K; alignment Cos(w_c, μ_c) = (1−1/K)/(‖w_c‖‖μ_c‖)
 *       (Lemma B.5, eqs. 17–18);</li>
 *   <li>Lemma 3.1 norm ratios ‖w_maj‖²/‖w_min‖² and ‖h_maj‖²/‖h_min‖² (squared, as in the spec) and their
 *       square roots, the ratio of norms used in Figs. 7 and 14.</li>
 * </ul>
 * For ρ = 1/2 these reduce to the paper's eqs. (13), (15) and (4) with σ = √((R+1)/2); for R = 1 or K = 2
 * (Cor 2.3) they give the simplex ETF. Inner products within a group of one class (k_M = 1 or k_m = 1) do
 * not exist and are NaN. R may be any real ≥ 1 (the formulas are analytic in R).
 *
 * @param k                number of classes K ≥ 2
 * @param ratio            imbalance ratio R ≥ 1
 * @param minorityFraction ρ ∈ (0, 1) with ρK a whole number (paper convention: fraction of minority classes)
 * @param nMin             minority class size n_min ≥ 1
 */
public record SeliStepClosedForms(int k, double ratio, double minorityFraction, int nMin) {
    public SeliStepClosedForms {
        InvalidInputException.require(k >= 2, "need at least K = 2 classes, got K = " + k);
        InvalidInputException.require(Double.isFinite(ratio) && ratio >= 1,
                "imbalance ratio R must be >= 1, got R = " + ratio);
        InvalidInputException.require(Double.isFinite(minorityFraction) && minorityFraction > 0 && minorityFraction < 1,
                "minority fraction rho must lie in (0, 1), got rho = " + minorityFraction);
        double minorities = minorityFraction * k;
        long whole = Math.round(minorities);
        InvalidInputException.require(Math.abs(minorities - whole) <= 1e-9 * Math.max(1, minorities),
                "rho*K = " + minorityFraction + "*" + k + " is not a whole number of minority classes");
        InvalidInputException.require(whole >= 1 && whole <= k - 1,
                "rho*K = " + whole + " leaves no " + (whole < 1 ? "minority" : "majority") + " class");
        InvalidInputException.require(nMin >= 1, "minority size n_min must be >= 1, got n_min = " + nMin);
    }

    /**
     * Recognises STEP sizes: exactly two distinct class sizes, in any order. Returns the closed forms with
     * R = n_max/n_min, ρ = (number of smallest classes)/K and n_min; empty for balanced sizes or for three
     * or more distinct sizes.
     */
    public static Optional<SeliStepClosedForms> fromSizes(ClassSizes sizes) {
        int[] distinct = Arrays.stream(sizes.counts()).distinct().toArray();
        if (distinct.length != 2) {
            return Optional.empty();
        }
        int k = sizes.k();
        int minorities = sizes.minorityClasses().length;
        return Optional.of(new SeliStepClosedForms(k, sizes.imbalanceRatio(), minorities / (double) k, sizes.min()));
    }

    /** Number of majority classes k_M = (1−ρ)K. */
    public int majorityClasses() {
        return k - minorityClasses();
    }

    /** Number of minority classes k_m = ρK. */
    public int minorityClasses() {
        return (int) Math.round(minorityFraction * k);
    }

    /** s = √(ρ̄ + Rρ), the middle singular value for n_min = 1 (Lemma A.3). */
    public double middleSingularValue() {
        return Math.sqrt(rhoBar() + ratio * minorityFraction);
    }

    /**
     * Class sizes in the paper's order (majorities first), when R·n_min is a whole number.
     *
     * @throws InvalidInputException if R·n_min is not whole
     */
    public ClassSizes sizes() {
        double nMaj = ratio * nMin;
        long whole = Math.round(nMaj);
        InvalidInputException.require(Math.abs(nMaj - whole) <= 1e-9 * Math.max(1, nMaj) && whole <= Integer.MAX_VALUE,
                "R*n_min = " + ratio + "*" + nMin + " is not a whole number of samples");
        int[] c = new int[k];
        for (int i = 0; i < k; i++) {
            c[i] = i < majorityClasses() ? (int) whole : nMin;
        }
        return ClassSizes.of(c);
    }

    /** Total sample count n = n_min·K·(ρ + Rρ̄). */
    public double totalSamples() {
        return nMin * (double) k * (minorityFraction + ratio * rhoBar());
    }

    /** Non-zero singular values of the SEL matrix, decreasing (Lemma A.3, eq. 9, times √n_min). */
    public double[] singularValues() {
        double[] s = new double[k - 1];
        int i = 0;
        for (int j = 0; j < majorityClasses() - 1; j++) {
            s[i++] = Math.sqrt(ratio);
        }
        s[i++] = middleSingularValue();
        for (int j = 0; j < minorityClasses() - 1; j++) {
            s[i++] = 1;
        }
        double scale = Math.sqrt(nMin);
        for (int j = 0; j < s.length; j++) {
            s[j] *= scale;
        }
        return s;
    }

    /** ‖Ẑ‖_* = √n_min[(k_M−1)√R + s + (k_m−1)] (UF-SVM optimum, Thm 1). */
    public double nuclearNorm() {
        return Math.sqrt(nMin) * ((majorityClasses() - 1) * Math.sqrt(ratio) + middleSingularValue() + (minorityClasses() - 1));
    }

    /** ‖Ẑ‖_2: the largest singular value. */
    public double spectralNorm() {
        return singularValues()[0];
    }

    // ---- classifiers (scale √n_min) -------------------------------------------------------------

    /** ‖w_maj‖² (eq. 13 for ρ = 1/2). */
    public double majorityClassifierNormSquared() {
        return wScale() * (Math.sqrt(ratio) * (1 - 1.0 / majorityClasses()) + majorityMixW());
    }

    /** ‖w_min‖² (eq. 13 for ρ = 1/2). */
    public double minorityClassifierNormSquared() {
        return wScale() * ((1 - 1.0 / minorityClasses()) + minorityMixW());
    }

    /** w_majᵀw'_maj for two different majority classes (Lemma B.3); NaN when k_M = 1. */
    public double majorityClassifierInnerProduct() {
        return majorityClasses() < 2 ? Double.NaN : wScale() * (-Math.sqrt(ratio) / majorityClasses() + majorityMixW());
    }

    /** w_minᵀw'_min for two different minority classes (Lemma B.3); NaN when k_m = 1. */
    public double minorityClassifierInnerProduct() {
        return minorityClasses() < 2 ? Double.NaN : wScale() * (-1.0 / minorityClasses() + minorityMixW());
    }

    /** w_majᵀw_min = −√n_min·s/K (Lemma B.3). */
    public double crossClassifierInnerProduct() {
        return -wScale() * middleSingularValue() / k;
    }

    public double majorityClassifierCosine() {
        return majorityClassifierInnerProduct() / majorityClassifierNormSquared();
    }

    /** Cos(w_min, w'_min); for ρ = 1/2 eq. (4): (R−7)/(R−7+2K(2+σ)), zero at R = 7. */
    public double minorityClassifierCosine() {
        return minorityClassifierInnerProduct() / minorityClassifierNormSquared();
    }

    public double crossClassifierCosine() {
        return crossClassifierInnerProduct() / Math.sqrt(majorityClassifierNormSquared() * minorityClassifierNormSquared());
    }

    /** Lemma 3.1: ‖w_maj‖²/‖w_min‖². */
    public double classifierNormRatioSquared() {
        return majorityClassifierNormSquared() / minorityClassifierNormSquared();
    }

    /** ‖w_maj‖/‖w_min‖ (square root of Lemma 3.1; r̄_w of Fig. 7). */
    public double classifierNormRatio() {
        return Math.sqrt(classifierNormRatioSquared());
    }

    // ---- class-mean embeddings (scale 1/√n_min) ---------------------------------------------------

    /** ‖h_maj‖² (eq. 15 for ρ = 1/2). */
    public double majorityEmbeddingNormSquared() {
        return hScale() * ((1 - 1.0 / majorityClasses()) / Math.sqrt(ratio) + majorityMixH());
    }

    /** ‖h_min‖² (eq. 15 for ρ = 1/2). */
    public double minorityEmbeddingNormSquared() {
        return hScale() * ((1 - 1.0 / minorityClasses()) + minorityMixH());
    }

    /** h_majᵀh'_maj for two different majority classes (Lemma B.4); NaN when k_M = 1. */
    public double majorityEmbeddingInnerProduct() {
        return majorityClasses() < 2 ? Double.NaN
                : hScale() * (-1.0 / (Math.sqrt(ratio) * majorityClasses()) + majorityMixH());
    }

    /** h_minᵀh'_min for two different minority classes (Lemma B.4); NaN when k_m = 1. */
    public double minorityEmbeddingInnerProduct() {
        return minorityClasses() < 2 ? Double.NaN : hScale() * (-1.0 / minorityClasses() + minorityMixH());
    }

    /** h_majᵀh_min = −1/(K s √n_min) (Lemma B.4). */
    public double crossEmbeddingInnerProduct() {
        return -hScale() / (k * middleSingularValue());
    }

    public double majorityEmbeddingCosine() {
        return majorityEmbeddingInnerProduct() / majorityEmbeddingNormSquared();
    }

    public double minorityEmbeddingCosine() {
        return minorityEmbeddingInnerProduct() / minorityEmbeddingNormSquared();
    }

    public double crossEmbeddingCosine() {
        return crossEmbeddingInnerProduct() / Math.sqrt(majorityEmbeddingNormSquared() * minorityEmbeddingNormSquared());
    }

    /** Lemma 3.1: ‖h_maj‖²/‖h_min‖². */
    public double embeddingNormRatioSquared() {
        return majorityEmbeddingNormSquared() / minorityEmbeddingNormSquared();
    }

    /** ‖h_maj‖/‖h_min‖ (r̄_h of Fig. 14). */
    public double embeddingNormRatio() {
        return Math.sqrt(embeddingNormRatioSquared());
    }

    // ---- logits and alignment (Lemma B.5) ---------------------------------------------------------

    /** w_cᵀμ_c = 1 − 1/K. */
    public double sameClassLogit() {
        return 1 - 1.0 / k;
    }

    /** w_cᵀμ_{c'} = −1/K for c ≠ c'. */
    public double otherClassLogit() {
        return -1.0 / k;
    }

    /** Cos(w_maj, h_maj) (eq. 17). */
    public double majorityAlignment() {
        return sameClassLogit() / Math.sqrt(majorityClassifierNormSquared() * majorityEmbeddingNormSquared());
    }

    /** Cos(w_min, h_min) (eq. 18). */
    public double minorityAlignment() {
        return sameClassLogit() / Math.sqrt(minorityClassifierNormSquared() * minorityEmbeddingNormSquared());
    }

    /** Cor 2.3: SELI equals the simplex ETF exactly when R = 1 or K = 2. */
    public boolean isEtf() {
        return ratio == 1 || k == 2;
    }

    /**
     * The K×K class-level geometry assembled from the closed forms, majority classes first (classes
     * 1..k_M), as in Definition 1.
     */
    public ClassGeometry geometry() {
        int kM = majorityClasses();
        double[][] gw = new double[k][k];
        double[][] gm = new double[k][k];
        double[][] z = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                boolean iMaj = i < kM;
                boolean jMaj = j < kM;
                if (i == j) {
                    gw[i][j] = iMaj ? majorityClassifierNormSquared() : minorityClassifierNormSquared();
                    gm[i][j] = iMaj ? majorityEmbeddingNormSquared() : minorityEmbeddingNormSquared();
                } else if (iMaj && jMaj) {
                    gw[i][j] = majorityClassifierInnerProduct();
                    gm[i][j] = majorityEmbeddingInnerProduct();
                } else if (!iMaj && !jMaj) {
                    gw[i][j] = minorityClassifierInnerProduct();
                    gm[i][j] = minorityEmbeddingInnerProduct();
                } else {
                    gw[i][j] = crossClassifierInnerProduct();
                    gm[i][j] = crossEmbeddingInnerProduct();
                }
                z[i][j] = i == j ? sameClassLogit() : otherClassLogit();
            }
        }
        return new ClassGeometry(gw, gm, z);
    }

    private double rhoBar() {
        return 1 - minorityFraction;
    }

    /** sρ/(ρ̄K): the majority-block share of the middle singular direction (classifiers). */
    private double majorityMixW() {
        return middleSingularValue() * minorityFraction / (rhoBar() * k);
    }

    private double minorityMixW() {
        return middleSingularValue() * rhoBar() / (minorityFraction * k);
    }

    private double majorityMixH() {
        return minorityFraction / (rhoBar() * k * middleSingularValue());
    }

    private double minorityMixH() {
        return rhoBar() / (minorityFraction * k * middleSingularValue());
    }

    private double wScale() {
        return Math.sqrt(nMin);
    }

    private double hScale() {
        return 1 / Math.sqrt(nMin);
    }
}
