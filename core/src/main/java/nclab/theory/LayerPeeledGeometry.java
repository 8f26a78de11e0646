package nclab.theory;

import java.util.LinkedHashMap;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import nclab.linalg.Svd;
import org.ejml.data.DMatrixRMaj;

/**
 * Optimal class-level geometry of the Layer-Peeled Model with cross-entropy (Fang, He, Long, Su, PNAS 2021;
 * seed 003, spec 003-layer-peeled.md).
 *
 * <p>The model (eq. 7) minimises (1/N) Σ_k Σ_i CE(W h_{k,i}, k) subject to (1/K) Σ_k ‖w_k‖² ≤ E_W and
 * (1/K) Σ_k (1/n_k) Σ_i ‖h_{k,i}‖² ≤ E_H. With oversampling (eqs. 17–18) every minority example counts w_r
 * times in the loss, while the feature budget still averages over the original examples; at the class level
 * this is class weight π_k ∝ n_k for the other classes and π_k ∝ w_r·n_k for the minority classes
 * (Proposition 1: the same as scaling the minority sizes by w_r).
 *
 * <p>By Lemma 1 (Jensen) only class means matter, and the convex relaxation (eq. 15) has the same value as the
 * nuclear-norm program (SI eq. 91)
 * <pre>
 *   minimise Σ_k π_k CE(Z[:,k], k)   subject to ‖Z‖_* ≤ K·√(E_H E_W),      Z = W·H̄,
 * </pre>
 * solved here by {@link NuclearBallCrossEntropy} (no external solver). From Z = U diag(s) Vᵀ the optimal
 * class-level geometry is recovered as
 * <pre>
 *   W Wᵀ = √(E_W/E_H) · U diag(s) Uᵀ,    H̄ᵀ H̄ = √(E_H/E_W) · V diag(s) Vᵀ,    W H̄ = Z,
 * </pre>
 * so (1/K) tr WWᵀ = E_W and (1/K) tr H̄ᵀH̄ = E_H when the ball constraint is active (spec §3.2). Balanced sizes
 * give the simplex ETF of Theorem 1 (h_k = √(E_H/E_W) w_k, cosines −1/(K−1)). Under imbalance the minority
 * classifiers become equal past a first threshold R_0 (Minority Collapse, Theorem 5) and, for some splits,
 * exactly zero past a second one (spec §6 item 5); the latter is reported in {@code minorityCollapsed},
 * never treated as an error. A class whose recovered classifier (class-mean) norm is below {@link #ZERO_TOLERANCE}
 * times √E_W (√E_H) is set to exactly zero in Z and in the Gram matrices, and the certificate is evaluated at
 * that snapped Z, so a zero vector never yields round-off cosines.
 *
 * <p>Certificates (spec §3.4): the Frank–Wolfe duality gap ⟨G, Z⟩ + τ‖G‖_op ≥ F(Z) − F*, and the KKT residual
 * ‖S X‖_F of the relaxation (15) with X = [[H̄ᵀH̄, Zᵀ], [Z, WWᵀ]] (features first) and dual matrix
 * S = [[α I, Gᵀ/2], [G/2, β I]], α = (‖G‖_op/2)√(E_W/E_H), β = (‖G‖_op/2)√(E_H/E_W).
 *
 * @param sizes       class sizes n_1..n_K (minority classes: {@link ClassSizes#minorityClasses()})
 * @param eW          classifier energy E_W
 * @param eH          feature energy E_H
 * @param oversample  minority oversampling rate w_r ≥ 1
 * @param geometry    optimal classifier Gram, class-mean Gram and logits
 * @param objective   optimal value Σ_k π_k CE(z_k, k) (π normalised to sum 1)
 * @param certificate duality gap, KKT residual and convergence flag
 * @param iterations  accelerated projected-gradient iterations used
 * @param singularValues singular values of Z (decreasing)
 */
public record LayerPeeledGeometry(ClassSizes sizes, double eW, double eH, double oversample,
                                  ClassGeometry geometry, double objective, Certificate certificate,
                                  int iterations, double[] singularValues) implements GeometryPrediction {

    /** Stop the solver once the duality gap is below this times max(1, objective). */
    public static final double GAP_TOLERANCE = 1e-12;
    /** Iteration budget of the solver. */
    public static final int MAX_ITERATIONS = 200_000;
    /** Converged means gap ≤ this times the objective (the solver aims much lower, {@link #GAP_TOLERANCE}). */
    public static final double CONVERGED_RELATIVE_GAP = 1e-8;
    /** Minority classifiers count as zero when their mean norm is below this times √E_W. */
    public static final double ZERO_TOLERANCE = 1e-6;
    /** Minority classifiers count as equal when their largest distance is below this times √(K E_W). */
    public static final double EQUAL_TOLERANCE = 1e-6;

    /**
     * Optimality certificate of the solution (spec §3.4).
     *
     * @param dualityGap  ⟨G, Z⟩ + τ‖G‖_op, an upper bound on objective − optimum
     * @param relativeGap dualityGap / objective
     * @param kktResidual ‖S X‖_F (complementary slackness of relaxation (15))
     * @param converged   relativeGap ≤ {@link #CONVERGED_RELATIVE_GAP}
     */
    public record Certificate(double dualityGap, double relativeGap, double kktResidual, boolean converged) {
        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dualityGap", dualityGap);
            m.put("relativeGap", relativeGap);
            m.put("kktResidual", kktResidual);
            m.put("converged", converged);
            return m;
        }
    }

    public LayerPeeledGeometry {
        singularValues = singularValues.clone();
    }

    @Override
    public double[] singularValues() {
        return singularValues.clone();
    }

    /**
     * Prediction for the CLI: E_W = {@code --ew} (default 1), E_H = {@code --eh} (default 5), w_r =
     * {@code --oversample} (default 1).
     */
    public static GeometryPrediction predict(TheoryParameters p) {
        return solve(p.sizes(), p.eWOr(1), p.eHOr(5), p.oversampleOr(1));
    }

    /**
     * Solves the Layer-Peeled Model for the given class sizes, energies and minority oversampling rate.
     *
     * @throws InvalidInputException when E_W or E_H is not a finite positive number or w_r &lt; 1
     */
    public static LayerPeeledGeometry solve(ClassSizes sizes, double eW, double eH, double oversample) {
        return solve(sizes, eW, eH, oversample, GAP_TOLERANCE, MAX_ITERATIONS);
    }

    /**
     * As {@link #solve(ClassSizes, double, double, double)}, stopping once the Frank–Wolfe gap is at most
     * {@code gapTolerance}·max(1, F) or after {@code maxIterations} (the certificate reports the gap reached and
     * whether it converged). Measuring a network at many epochs needs a bounded cost: at the large E_W·E_H of
     * trained networks (a flat objective) the default budget costs seconds per solve.
     */
    public static LayerPeeledGeometry solve(ClassSizes sizes, double eW, double eH, double oversample,
                                            double gapTolerance, int maxIterations) {
        InvalidInputException.require(sizes != null, "class sizes are required");
        InvalidInputException.requirePositive("E_W", eW);
        InvalidInputException.requirePositive("E_H", eH);
        InvalidInputException.require(Double.isFinite(oversample) && oversample >= 1,
                "oversampling rate w_r must be a finite number >= 1, got " + oversample);
        int k = sizes.k();
        double[] weights = classWeights(sizes, oversample);
        double radius = k * Math.sqrt(eH * eW);
        NuclearBallCrossEntropy.Solution sol =
                NuclearBallCrossEntropy.minimize(weights, radius, gapTolerance, maxIterations);
        double c = Math.sqrt(eW / eH);
        double[][] z = sol.z();
        Svd svd = Linalg.svd(Linalg.matrix(z));
        boolean[] zeroW = belowNorm(weightedOuter(svd.u(), svd.s(), c), ZERO_TOLERANCE * Math.sqrt(eW));
        boolean[] zeroH = belowNorm(weightedOuter(svd.v(), svd.s(), 1 / c), ZERO_TOLERANCE * Math.sqrt(eH));
        if (any(zeroW) || any(zeroH)) {
            // classes whose classifier (feature) vanishes at the optimum: make that exact and certify again
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    if (zeroW[i] || zeroH[j]) {
                        z[i][j] = 0;
                    }
                }
            }
            sol = NuclearBallCrossEntropy.certify(weights, radius, z, sol.iterations(), gapTolerance);
            svd = Linalg.svd(Linalg.matrix(z));
        }
        double[] s = svd.s();
        double[][] classifierGram = zeroRowsAndColumns(weightedOuter(svd.u(), s, c), zeroW);
        double[][] meanGram = zeroRowsAndColumns(weightedOuter(svd.v(), s, 1 / c), zeroH);
        ClassGeometry geometry = new ClassGeometry(classifierGram, meanGram, z);

        double[][] g = sol.gradient();
        double gOp = Linalg.singularValues(Linalg.matrix(g))[0];
        double kkt = kktResidual(g, gOp, classifierGram, meanGram, z, eW, eH);
        double relativeGap = sol.dualityGap() / sol.objective();
        Certificate cert = new Certificate(sol.dualityGap(), relativeGap, kkt,
                relativeGap <= CONVERGED_RELATIVE_GAP);
        return new LayerPeeledGeometry(sizes, eW, eH, oversample, geometry, sol.objective(), cert,
                sol.iterations(), s);
    }

    /**
     * Class weights π_k of the oversampled model (eq. 18), normalised to sum 1: π_k ∝ n_k, times w_r for the
     * minority classes ({@link ClassSizes#minorityClasses()}, empty when balanced).
     */
    public static double[] classWeights(ClassSizes sizes, double oversample) {
        double[] w = new double[sizes.k()];
        for (int i = 0; i < w.length; i++) {
            w[i] = sizes.count(i);
        }
        for (int i : sizes.minorityClasses()) {
            w[i] *= oversample;
        }
        double total = 0;
        for (double v : w) {
            total += v;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= total;
        }
        return w;
    }

    @Override
    public String model() {
        return "lpm";
    }

    /** Class weights π_k used in the objective. */
    public double[] classWeights() {
        return classWeights(sizes, oversample);
    }

    /** Mean pairwise cosine of the minority classifiers; NaN when there are fewer than 2 or they are zero. */
    public double minorityCosine() {
        return minorityCollapsed() ? Double.NaN : meanPairwiseCosine(geometry.classifierGram(), sizes.minorityClasses());
    }

    /** Mean pairwise cosine of the majority classifiers ({@link ClassSizes#majorityClasses()}). */
    public double majorityCosine() {
        return meanPairwiseCosine(geometry.classifierGram(), sizes.majorityClasses());
    }

    /**
     * The authors' public-code variant (spec §4 pitfall): mean cosine between the rows K+i, K+j of the 2K×2K
     * Gram matrix X = [[H̄ᵀH̄, Zᵀ], [Z, WWᵀ]] for minority classes i ≠ j. Row K+i is (Z[i,:], WWᵀ[i,:]).
     * NaN when there are fewer than 2 minority classes or they are zero.
     */
    public double minorityCosineGramRows() {
        int[] minority = sizes.minorityClasses();
        if (minority.length < 2 || minorityCollapsed()) {
            return Double.NaN;
        }
        double[][] z = geometry.logits();
        double[][] ww = geometry.classifierGram();
        int k = z.length;
        double[][] rows = new double[minority.length][2 * k];
        for (int a = 0; a < minority.length; a++) {
            System.arraycopy(z[minority[a]], 0, rows[a], 0, k);
            System.arraycopy(ww[minority[a]], 0, rows[a], k, k);
        }
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < rows.length; a++) {
            for (int b = a + 1; b < rows.length; b++) {
                sum += dot(rows[a], rows[b]) / Math.sqrt(dot(rows[a], rows[a]) * dot(rows[b], rows[b]));
                pairs++;
            }
        }
        return sum / pairs;
    }

    /** Mean norm ‖w_k‖ over the minority classes (NaN when balanced). */
    public double minorityClassifierNorm() {
        return meanNorm(sizes.minorityClasses());
    }

    /** Mean norm ‖w_k‖ over the majority classes. */
    public double majorityClassifierNorm() {
        return meanNorm(sizes.majorityClasses());
    }

    /** Mean majority classifier norm / mean minority classifier norm; NaN when balanced or minorities are zero. */
    public double normRatio() {
        return minorityCollapsed() ? Double.NaN : majorityClassifierNorm() / minorityClassifierNorm();
    }

    /**
     * Whether all minority classifiers are zero (mean norm below {@link #ZERO_TOLERANCE}·√E_W): the regime past
     * the second threshold, where minority cosines are 0/0 (spec §6 items 4–5).
     */
    public boolean minorityCollapsed() {
        int[] minority = sizes.minorityClasses();
        return minority.length > 0 && minorityClassifierNorm() < ZERO_TOLERANCE * Math.sqrt(eW);
    }

    /**
     * Minority Collapse (Theorem 5): whether all minority classifiers coincide, i.e. max_{i,j} ‖w_i − w_j‖ is below
     * {@link #EQUAL_TOLERANCE}·√(K E_W) (true as well when they are all zero). False when balanced.
     */
    public boolean minorityClassifiersEqual() {
        int[] minority = sizes.minorityClasses();
        if (minority.length == 0) {
            return false;
        }
        double[][] gram = geometry.classifierGram();
        double max = 0;
        for (int i : minority) {
            for (int j : minority) {
                max = Math.max(max, gram[i][i] + gram[j][j] - 2 * gram[i][j]);
            }
        }
        return Math.sqrt(max) < EQUAL_TOLERANCE * Math.sqrt(sizes.k() * eW);
    }

    /**
     * Details for the CLI: objective, certificate, iterations, the cosines and norms above, the class weights, the
     * radius τ and the singular values of Z.
     */
    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("eW", eW);
        d.put("eH", eH);
        d.put("oversample", oversample);
        d.put("classWeights", classWeights());
        d.put("nuclearNormRadius", sizes.k() * Math.sqrt(eW * eH));
        d.put("objective", objective);
        d.put("certificate", certificate.asMap());
        d.put("iterations", iterations);
        d.put("minorityClasses", sizes.minorityClasses());
        d.put("minorityCosine", minorityCosine());
        d.put("minorityCosineGramRows", minorityCosineGramRows());
        d.put("majorityCosine", majorityCosine());
        d.put("minorityClassifierNorm", minorityClassifierNorm());
        d.put("majorityClassifierNorm", majorityClassifierNorm());
        d.put("normRatio", normRatio());
        d.put("minorityClassifiersEqual", minorityClassifiersEqual());
        d.put("minorityCollapsed", minorityCollapsed());
        d.put("singularValues", singularValues());
        return d;
    }

    /** Mean over pairs i ≠ j in {@code classes} of G_ij/√(G_ii G_jj); NaN for fewer than 2 classes or a zero vector. */
    public static double meanPairwiseCosine(double[][] gram, int[] classes) {
        if (classes.length < 2) {
            return Double.NaN;
        }
        double[][] cos = ClassGeometry.cosines(gram);
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < classes.length; a++) {
            for (int b = a + 1; b < classes.length; b++) {
                sum += cos[classes[a]][classes[b]];
                pairs++;
            }
        }
        return sum / pairs;
    }

    private double meanNorm(int[] classes) {
        if (classes.length == 0) {
            return Double.NaN;
        }
        double[] norms = geometry.classifierNorms();
        double sum = 0;
        for (int i : classes) {
            sum += norms[i];
        }
        return sum / classes.length;
    }

    private static boolean[] belowNorm(double[][] gram, double tolerance) {
        boolean[] below = new boolean[gram.length];
        for (int i = 0; i < gram.length; i++) {
            below[i] = Math.sqrt(Math.max(0, gram[i][i])) < tolerance;
        }
        return below;
    }

    private static boolean any(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    private static double[][] zeroRowsAndColumns(double[][] gram, boolean[] zero) {
        for (int i = 0; i < gram.length; i++) {
            for (int j = 0; j < gram.length; j++) {
                if (zero[i] || zero[j]) {
                    gram[i][j] = 0;
                }
            }
        }
        return gram;
    }

    private static double[][] weightedOuter(DMatrixRMaj u, double[] s, double scale) {
        int n = u.numRows;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = 0;
                for (int r = 0; r < s.length; r++) {
                    v += u.get(i, r) * s[r] * u.get(j, r);
                }
                out[i][j] = scale * v;
            }
        }
        return out;
    }

    private static double kktResidual(double[][] g, double gOp, double[][] ww, double[][] hh, double[][] z,
                                      double eW, double eH) {
        int k = g.length;
        double alpha = gOp / 2 * Math.sqrt(eW / eH);
        double beta = gOp / 2 * Math.sqrt(eH / eW);
        double[][] s = new double[2 * k][2 * k];
        double[][] x = new double[2 * k][2 * k];
        for (int i = 0; i < k; i++) {
            s[i][i] = alpha;
            s[k + i][k + i] = beta;
            for (int j = 0; j < k; j++) {
                s[i][k + j] = g[j][i] / 2;
                s[k + i][j] = g[i][j] / 2;
                x[i][j] = hh[i][j];
                x[i][k + j] = z[j][i];
                x[k + i][j] = z[i][j];
                x[k + i][k + j] = ww[i][j];
            }
        }
        double sum = 0;
        for (int i = 0; i < 2 * k; i++) {
            for (int j = 0; j < 2 * k; j++) {
                double v = 0;
                for (int r = 0; r < 2 * k; r++) {
                    v += s[i][r] * x[r][j];
                }
                sum += v * v;
            }
        }
        return Math.sqrt(sum);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerPeeledGeometry other && sizes.equals(other.sizes) && eW == other.eW
                && eH == other.eH && oversample == other.oversample && geometry.equals(other.geometry)
                && objective == other.objective && certificate.equals(other.certificate)
                && iterations == other.iterations && java.util.Arrays.equals(singularValues, other.singularValues);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(sizes, eW, eH, oversample, geometry, objective, certificate, iterations,
                java.util.Arrays.hashCode(singularValues));
    }
}
