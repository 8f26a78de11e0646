package nclab.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import nclab.linalg.Svd;
import nclab.theory.ClassGeometry;
import org.ejml.data.DMatrixRMaj;

/**
 * Neural-collapse metrics of last-layer features h_i (N×d), labels y_i and a linear classifier
 * z = W h + b (W K×d with rows w_k, optional bias b). Every formula, centring and normalisation is stated in
 * {@code docs/metrics.md}; in short, with μ_k the class means, M̃ = [μ_k − μ_G] (K×d) the centred means,
 * Σ_W = (1/N)Σ_i (h_i − μ_{y_i})(h_i − μ_{y_i})ᵀ and Σ_B = (1/K) M̃ᵀM̃:
 * <ul>
 *   <li>NC1 (Papyan et al. 2020; Dang et al. 2024 eq. 19): {@code nc1_pinv} = tr(Σ_W Σ_B⁺)/K and
 *       {@code nc1_quot} = tr Σ_W / tr Σ_B;</li>
 *   <li>NC2 equinorm / equiangularity (Papyan et al.): {@code norm_*_CoV} = std/mean of the norms,
 *       {@code cos_*} = mean over i ≠ j of |cos_ij + 1/(K−1)|, {@code cos_*_std} = std of the cosines,
 *       {@code nc2_etf_err} = ‖G/‖G‖_F − S/‖S‖_F‖_F with S = I − 11ᵀ/K (Garrod–Keating Sec. 5);</li>
 *   <li>NC3 self-duality: {@code W_M_dist} = ‖W/‖W‖_F − M̃/‖M̃‖_F‖_F;</li>
 *   <li>NC4: {@code nc4_agree} = fraction of samples with argmax(W h + b) = argmin_k ‖h − μ_k‖;</li>
 *   <li>ReLU-UFM metrics of Dang et al. (2024) Sec. 5.1 eqs. 20–21 ({@code relu_nc2}, {@code relu_nc3});</li>
 *   <li>imbalance metrics: majority/minority norm ratios (Thrampoulidis et al. 2022 App. G.1.4), minority
 *       cosine average and spread and norm variation (Fang et al. 2021 Figs. 2–4, Table 1);</li>
 *   <li>singular values and numerical ranks of W, M̃ and W M̃ᵀ (Garrod–Keating Sec. 5).</li>
 * </ul>
 */
public final class CollapseMetrics {
    /** Relative tolerance for the numerical ranks reported ({@code rank_*}): σ_i &gt; 1e-3·σ_1 (spec 002 §5). */
    public static final double RANK_REL_TOL = 1e-3;

    private CollapseMetrics() {
    }

    /**
     * All metrics with the default conventions: class means centred by the class-balanced mean
     * ({@link Centring#CLASS_BALANCED}) and no ReLU-UFM logit target ({@code relu_nc3} = NaN).
     *
     * @param h      N×d features, scanned twice
     * @param labels N labels in [0, K)
     * @param w      K×d classifier (rows w_k)
     * @param bias   K biases, or null for none
     */
    public static Map<String, Object> compute(FeatureRows h, int[] labels, double[][] w, double[] bias) {
        return compute(h, labels, w, bias, Centring.CLASS_BALANCED, null);
    }

    /**
     * All metrics.
     *
     * @param centring        centring of the class means for NC1 ({@code nc1_pinv}, {@code nc1_quot}), Grams,
     *                        norms, cosines, {@code W_M_dist} and singular values of M̃
     * @param reluLogitScales the constants M_k of Dang et al. (2024) eq. 6 at the run's λ_W, λ_H, for
     *                        {@code relu_nc3}; null ⇒ {@code relu_nc3} = NaN
     */
    public static Map<String, Object> compute(FeatureRows h, int[] labels, double[][] w, double[] bias,
            Centring centring, double[] reluLogitScales) {
        InvalidInputException.require(w != null && w.length >= 2,
                "classifier W needs at least 2 rows (classes), got " + (w == null ? 0 : w.length));
        int k = w.length;
        requireClassifier(w, k, h.cols());
        InvalidInputException.require(bias == null || bias.length == k,
                "bias has " + (bias == null ? 0 : bias.length) + " entries but W has K = " + k + " rows");
        InvalidInputException.require(reluLogitScales == null || reluLogitScales.length == k,
                "ReLU-UFM logit scales M_k: got " + (reluLogitScales == null ? 0 : reluLogitScales.length)
                        + " values for K = " + k + " classes");
        InvalidInputException.require(centring != null, "centring must be given");
        return compute(CollapseScan.run(h, labels, k, w, bias), w, centring, reluLogitScales);
    }

    /**
     * All metrics from a finished {@link CollapseScan} (so that the features are scanned once for the metrics
     * and every theory comparison).
     *
     * @param scan            the two passes over the features, run with this classifier {@code w} and its bias
     * @param w               K×d classifier (rows w_k)
     * @param centring        as in {@link #compute(FeatureRows, int[], double[][], double[], Centring, double[])}
     * @param reluLogitScales as there
     */
    public static Map<String, Object> compute(CollapseScan scan, double[][] w, Centring centring,
            double[] reluLogitScales) {
        ClassStatistics s = scan.statistics();
        int k = s.k();
        requireClassifier(w, k, s.dimension());
        InvalidInputException.require(scan.scannedWith(w), "the scan was run without this classifier W");
        InvalidInputException.require(reluLogitScales == null || reluLogitScales.length == k,
                "ReLU-UFM logit scales M_k: got " + (reluLogitScales == null ? 0 : reluLogitScales.length)
                        + " values for K = " + k + " classes");
        InvalidInputException.require(centring != null, "centring must be given");
        ClassSizes sizes = ClassSizes.of(s.counts());
        int[] maj = sizes.majorityClasses();
        int[] min = sizes.minorityClasses();
        double[][] mc = s.means(centring);
        ClassGeometry g = ClassGeometry.fromVectors(w, mc);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("k", k);
        out.put("n", s.total());
        out.put("d", s.dimension());
        out.put("centring", centring.name());
        out.put("nc1_pinv", nc1Pinv(s, centring, Linalg.DEFAULT_REL_TOL));
        out.put("nc1_pinv_balanced", nc1Pinv(s, Centring.CLASS_BALANCED, Linalg.DEFAULT_REL_TOL));
        out.put("nc1_pinv_weighted", nc1Pinv(s, Centring.SAMPLE_WEIGHTED, Linalg.DEFAULT_REL_TOL));
        double trSb = s.betweenTrace(centring);
        out.put("nc1_quot", trSb == 0 ? Double.NaN : s.withinTrace() / trSb);
        out.put("tr_Sw", s.withinTrace());
        out.put("tr_Sb", trSb);

        double[] normsW = g.classifierNorms();
        double[] normsM = g.meanNorms();
        double[][] cosW = g.classifierCosines();
        double[][] cosM = g.meanCosines();
        out.put("norm_M_CoV", coefficientOfVariation(normsM, all(k)));
        out.put("norm_W_CoV", coefficientOfVariation(normsW, all(k)));
        out.put("cos_M", etfCosineDeviation(cosM));
        out.put("cos_W", etfCosineDeviation(cosW));
        out.put("cos_M_std", offDiagonalStd(cosM, all(k)));
        out.put("cos_W_std", offDiagonalStd(cosW, all(k)));
        double[][] simplex = simplexGram(k);
        out.put("nc2_etf_err", GeometryDistance.normalisedFrobenius(g.meanGram(), simplex));
        out.put("nc2_etf_err_W", GeometryDistance.normalisedFrobenius(g.classifierGram(), simplex));
        out.put("W_M_dist", GeometryDistance.normalisedFrobenius(w, mc));

        Agreement a = scan.agreement();
        out.put("nc4_agree", a.agree());
        out.put("NCC_mismatch", 1 - a.agree());
        out.put("accuracy", a.accuracy());
        out.put("accuracy_majority", a.accuracy(maj, s.counts()));
        out.put("accuracy_minority", a.accuracy(min, s.counts()));

        double[][] raw = s.means(Centring.NONE);
        out.put("relu_nc2", GeometryDistance.normalisedFrobenius(w, reluClassifierTarget(raw, s.counts())));
        out.put("relu_nc3", reluLogitScales == null ? Double.NaN : reluNc3(w, raw, reluLogitScales));

        out.put("norm_ratio_W", normRatio(normsW, maj, min));
        out.put("norm_ratio_M", normRatio(normsM, maj, min));
        out.put("majority_cos_W_avg", offDiagonalMean(cosW, maj));
        out.put("minority_cos_W_avg", offDiagonalMean(cosW, min));
        out.put("minority_cos_W_spread", offDiagonalSpread(cosW, min));
        out.put("minority_cos_M_avg", offDiagonalMean(cosM, min));
        out.put("minority_cos_M_spread", offDiagonalSpread(cosM, min));
        out.put("minority_W_zero", countZero(normsW, min));
        out.put("minority_W_collapse", maxPairDistance(w, min) / frobenius(w));
        out.put("norm_variation_W", coefficientOfVariation(normsW, min));
        out.put("norm_variation_M", coefficientOfVariation(normsM, min));

        double[] svW = Linalg.singularValues(Linalg.matrix(w));
        double[] svM = Linalg.singularValues(Linalg.matrix(mc));
        double[] svWM = Linalg.singularValues(Linalg.matrix(g.logits()));
        out.put("sv_W", svW);
        out.put("sv_M", svM);
        out.put("sv_WM", svWM);
        out.put("rank_W", Linalg.numericalRank(svW, RANK_REL_TOL));
        out.put("rank_M", Linalg.numericalRank(svM, RANK_REL_TOL));
        out.put("rank_WM", Linalg.numericalRank(svWM, RANK_REL_TOL));
        return out;
    }

    /**
     * NC1 = tr(Σ_W Σ_B⁺)/K with Σ_B = (1/K) M̃ᵀM̃ for the given centring and Σ_B⁺ the pseudo-inverse that
     * treats eigenvalues of Σ_B ≤ relTol·λ_max as zero (the same cut as {@link Linalg#pinv} applied to Σ_B).
     * Computed from the thin SVD M̃ᵀ = U diag(s) Vᵀ: Σ_B⁺ = Σ_r K u_r u_rᵀ / s_r², so
     * NC1 = Σ_r u_rᵀ Σ_W u_r / s_r², and each u_r lies in the span of the class means, where
     * u_rᵀ Σ_W u_r = a_rᵀ C a_r with C = Pᵀ Σ_W P and a_r = Pᵀu_r ({@link ClassStatistics}). NaN when Σ_B = 0.
     */
    public static double nc1Pinv(ClassStatistics s, Centring centring, double relTol) {
        InvalidInputException.requireNonNegative("pseudo-inverse tolerance", relTol);
        DMatrixRMaj mt = Linalg.transpose(Linalg.matrix(s.means(centring)));
        Svd svd = Linalg.svd(mt);
        double[] sv = svd.s();
        if (sv.length == 0 || sv[0] == 0) {
            return Double.NaN;
        }
        int rank = 0;
        while (rank < sv.length && sv[rank] * sv[rank] > relTol * sv[0] * sv[0]) {
            rank++;
        }
        int d = mt.numRows;
        double[] u = new double[d];
        double total = 0;
        for (int r = 0; r < rank; r++) {
            for (int i = 0; i < d; i++) {
                u[i] = svd.u().get(i, r);
            }
            // u_r lies in the span of the centred means, inside span P: u_rᵀ Σ_W u_r = a_rᵀ C a_r, a_r = Pᵀu_r
            total += s.withinQuadraticForm(u) / (sv[r] * sv[r]);
        }
        return total;
    }

    /**
     * NC3 of Dang et al. (2024) eq. 21: ‖Z/‖Z‖_F − Z_t/‖Z_t‖_F‖_F with Z = W H̄ (K×K, Z[j][k] = w_j·μ_k, uncentred
     * means, bias ignored) and target Z_t[j][k] = M_k(δ_jk − 1/K). NaN when all M_k are 0.
     */
    public static double reluNc3(double[][] w, double[][] classMeans, double[] logitScales) {
        int k = w.length;
        double[][] z = new double[k][k];
        double[][] t = new double[k][k];
        for (int j = 0; j < k; j++) {
            for (int c = 0; c < k; c++) {
                z[j][c] = dot(w[j], classMeans[c]);
                t[j][c] = logitScales[c] * ((j == c ? 1.0 : 0.0) - 1.0 / k);
            }
        }
        return GeometryDistance.normalisedFrobenius(z, t);
    }

    /** Target of Dang et al. (2024) eq. 20: row k = K√n_k μ_kᵀ − Σ_m √n_m μ_mᵀ (uncentred means). */
    static double[][] reluClassifierTarget(double[][] means, int[] counts) {
        int k = means.length;
        int d = means[0].length;
        double[] sum = new double[d];
        for (int m = 0; m < k; m++) {
            for (int j = 0; j < d; j++) {
                sum[j] += Math.sqrt(counts[m]) * means[m][j];
            }
        }
        double[][] t = new double[k][d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                t[c][j] = k * Math.sqrt(counts[c]) * means[c][j] - sum[j];
            }
        }
        return t;
    }

    /** Checks that W is K×d with the expected K and d (message names the bad shape). */
    static void requireClassifier(double[][] w, int k, int d) {
        InvalidInputException.require(w != null && w.length == k,
                "classifier W has " + (w == null ? 0 : w.length) + " rows but there are K = " + k + " classes");
        for (int i = 0; i < k; i++) {
            InvalidInputException.require(w[i].length == d,
                    "classifier W row " + i + " has width " + w[i].length + " but the features have d = " + d);
        }
    }

    /** The simplex-ETF Gram S = I − 11ᵀ/K. */
    public static double[][] simplexGram(int k) {
        double[][] s = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                s[i][j] = (i == j ? 1.0 : 0.0) - 1.0 / k;
            }
        }
        return s;
    }

    static int[] all(int k) {
        int[] a = new int[k];
        for (int i = 0; i < k; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Population std / mean of the values at {@code idx}; NaN when fewer than 2 indices or mean 0. */
    static double coefficientOfVariation(double[] v, int[] idx) {
        if (idx.length < 2) {
            return Double.NaN;
        }
        double mean = 0;
        for (int i : idx) {
            mean += v[i] / idx.length;
        }
        double var = 0;
        for (int i : idx) {
            var += (v[i] - mean) * (v[i] - mean) / idx.length;
        }
        return mean == 0 ? Double.NaN : Math.sqrt(var) / mean;
    }

    /** Mean over i ≠ j of |cos_ij + 1/(K−1)| (Papyan's "coherence"; 0 for a simplex ETF). */
    static double etfCosineDeviation(double[][] cos) {
        int k = cos.length;
        double s = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                if (i != j) {
                    s += Math.abs(cos[i][j] + 1.0 / (k - 1));
                }
            }
        }
        return s / (k * (k - 1.0));
    }

    static double offDiagonalMean(double[][] cos, int[] idx) {
        if (idx.length < 2) {
            return Double.NaN;
        }
        double s = 0;
        for (int i : idx) {
            for (int j : idx) {
                if (i != j) {
                    s += cos[i][j];
                }
            }
        }
        return s / (idx.length * (idx.length - 1.0));
    }

    static double offDiagonalStd(double[][] cos, int[] idx) {
        double mean = offDiagonalMean(cos, idx);
        if (Double.isNaN(mean)) {
            return Double.NaN;
        }
        double s = 0;
        for (int i : idx) {
            for (int j : idx) {
                if (i != j) {
                    s += (cos[i][j] - mean) * (cos[i][j] - mean);
                }
            }
        }
        return Math.sqrt(s / (idx.length * (idx.length - 1.0)));
    }

    /** max − min of the off-diagonal cosines within {@code idx}; NaN if fewer than 2 classes or undefined. */
    static double offDiagonalSpread(double[][] cos, int[] idx) {
        if (idx.length < 2) {
            return Double.NaN;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i : idx) {
            for (int j : idx) {
                if (i != j) {
                    if (Double.isNaN(cos[i][j])) {
                        return Double.NaN;
                    }
                    lo = Math.min(lo, cos[i][j]);
                    hi = Math.max(hi, cos[i][j]);
                }
            }
        }
        return hi - lo;
    }

    /** Mean over (c majority, c' minority) of ‖v_c‖/‖v_c'‖ (SELI App. G.1.4); NaN when a group is empty. */
    static double normRatio(double[] norms, int[] maj, int[] min) {
        if (maj.length == 0 || min.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int a : maj) {
            for (int b : min) {
                s += norms[b] == 0 ? Double.NaN : norms[a] / norms[b];
            }
        }
        return s / (maj.length * (double) min.length);
    }

    static int countZero(double[] norms, int[] idx) {
        double max = 0;
        for (double v : norms) {
            max = Math.max(max, v);
        }
        int c = 0;
        for (int i : idx) {
            if (norms[i] <= ClassGeometry.ZERO_NORM * Math.max(1, max)) {
                c++;
            }
        }
        return c;
    }

    /** max over i, j in idx of ‖v_i − v_j‖; NaN for fewer than 2 indices. */
    static double maxPairDistance(double[][] v, int[] idx) {
        if (idx.length < 2) {
            return Double.NaN;
        }
        double best = 0;
        for (int i : idx) {
            for (int j : idx) {
                double s = 0;
                for (int t = 0; t < v[i].length; t++) {
                    double e = v[i][t] - v[j][t];
                    s += e * e;
                }
                best = Math.max(best, Math.sqrt(s));
            }
        }
        return best;
    }

    static double frobenius(double[][] a) {
        double s = 0;
        for (double[] row : a) {
            for (double x : row) {
                s += x * x;
            }
        }
        return Math.sqrt(s);
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
