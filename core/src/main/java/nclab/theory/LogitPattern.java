package nclab.theory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import nclab.linalg.Svd;

/**
 * A class-level logit pattern M ∈ R^{K×K} of the deep unconstrained feature model with cross-entropy
 * (Garrod &amp; Keating, seed 002), expanded over the class sizes to the logit matrix
 * Z = t·M·E, where E ∈ R^{K×N} is the class-indicator matrix (column block c = e_c·1_{n_c}ᵀ; for
 * balanced classes Z = t·M ⊗ 1_nᵀ). Entry M[i][c] is the logit of class i at a sample of class c.
 *
 * <p>By Lemma 1 (Eq. 3–4) and App. B.3, every critical point of the deep linear UFM (Eq. 1) with logits Z
 * has the balanced factorization whose L+1 factors share the singular values σ_i(Z)^{1/(L+1)}, and its
 * loss is the reduced loss
 * <pre>
 *   ℓ_M(t) = g(Z) + ((L+1)λ/2)·Σ_i σ_i(Z)^{2/(L+1)},
 *   g(Z)   = Σ_c (n_c/N)·log Σ_{c'} exp(t·(M[c'][c] − M[c][c]))              (Eq. 2, mean CE)
 *   σ_i(Z) = t·σ_i(M·D^{1/2}),  D = diag(n_1..n_K)                          (balanced: t·√n·σ_i(M))
 * </pre>
 * (App. A: Lemma 1 and the reduced loss hold unchanged for imbalanced sizes.) This class evaluates ℓ_M,
 * its derivative, and the optimal scale min_{t ≥ 0} ℓ_M(t): a log-spaced grid over [0, t_max] (ℓ_M can
 * have a local minimum at 0 and an interior one for L ≥ 2) followed by a Brent root of dℓ_M/dt inside
 * the bracket of the best grid point.
 *
 * <p>Singular values of M·D^{1/2} below 10⁻⁹ of the largest are set to exactly 0 (spec §1.4).
 */
public final class LogitPattern {
    /** Relative threshold below which a singular value of M·D^{1/2} counts as exactly zero. */
    public static final double ZERO_SINGULAR_VALUE = 1e-9;
    private static final int GRID_POINTS = 800;
    private static final double GRID_DECADES = 16;

    private final String name;
    private final double[][] pattern;
    private final ClassSizes sizes;
    private final double[] singularValues;
    private final double[][] u;
    private final double[][] q;
    private final double[] groupWeight;
    private final double[][] groupGap;
    private final double[][] groupCount;

    private LogitPattern(String name, double[][] pattern, ClassSizes sizes) {
        int k = sizes.k();
        InvalidInputException.require(pattern.length == k, "pattern has " + pattern.length + " rows, expected K = " + k);
        this.name = name;
        this.sizes = sizes;
        this.pattern = new double[k][];
        for (int i = 0; i < k; i++) {
            InvalidInputException.require(pattern[i].length == k,
                    "pattern row " + i + " has " + pattern[i].length + " entries, expected K = " + k);
            for (double v : pattern[i]) {
                InvalidInputException.requireFinite("pattern entry", v);
            }
            this.pattern[i] = pattern[i].clone();
        }
        double[][] scaled = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int c = 0; c < k; c++) {
                scaled[i][c] = pattern[i][c] * Math.sqrt(sizes.count(c));
            }
        }
        Svd svd = Linalg.svd(Linalg.matrix(scaled));
        double[] s = svd.s();
        double cut = ZERO_SINGULAR_VALUE * (s.length == 0 ? 0 : s[0]);
        int r = 0;
        while (r < s.length && s[r] > cut) {
            r++;
        }
        singularValues = Arrays.copyOf(s, r);
        u = new double[k][r];
        q = new double[k][r];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < r; j++) {
                u[i][j] = svd.u().get(i, j);
                q[i][j] = svd.v().get(i, j);
            }
        }
        // group columns with the same multiset of logit gaps M[c'][c] − M[c][c]; weight n_c/N
        Map<String, double[][]> groups = new LinkedHashMap<>();
        Map<String, Double> weights = new LinkedHashMap<>();
        double total = sizes.total();
        for (int c = 0; c < k; c++) {
            double[] gaps = new double[k];
            for (int i = 0; i < k; i++) {
                gaps[i] = pattern[i][c] - pattern[c][c];
            }
            Arrays.sort(gaps);
            List<Double> values = new ArrayList<>();
            List<Double> counts = new ArrayList<>();
            for (double g : gaps) {
                if (!values.isEmpty() && values.get(values.size() - 1) == g) {
                    counts.set(counts.size() - 1, counts.get(counts.size() - 1) + 1);
                } else {
                    values.add(g);
                    counts.add(1.0);
                }
            }
            double[][] group = {values.stream().mapToDouble(Double::doubleValue).toArray(),
                counts.stream().mapToDouble(Double::doubleValue).toArray()};
            String key = Arrays.toString(group[0]) + Arrays.toString(group[1]);
            groups.putIfAbsent(key, group);
            weights.merge(key, sizes.count(c) / total, Double::sum);
        }
        int g = groups.size();
        groupWeight = new double[g];
        groupGap = new double[g][];
        groupCount = new double[g][];
        int idx = 0;
        for (Map.Entry<String, double[][]> e : groups.entrySet()) {
            groupWeight[idx] = weights.get(e.getKey());
            groupGap[idx] = e.getValue()[0];
            groupCount[idx] = e.getValue()[1];
            idx++;
        }
    }

    /** An arbitrary pattern M (K×K, M[i][c] = logit of class i at class c). */
    public static LogitPattern of(String name, double[][] pattern, ClassSizes sizes) {
        return new LogitPattern(name, pattern, sizes);
    }

    /** DNC: the simplex matrix S = I_K − (1/K)·1·1ᵀ (Definition 2, Proposition 1; §3.1 of the spec). */
    public static LogitPattern simplex(ClassSizes sizes) {
        int k = sizes.k();
        double[][] m = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                m[i][j] = (i == j ? 1.0 : 0.0) - 1.0 / k;
            }
        }
        return new LogitPattern("dnc", m, sizes);
    }

    /**
     * The low-rank "pairs" pattern of Eq. (5): classes (1,2), (3,4), … in class order form blocks
     * [[1, −1], [−1, 1]]; for odd K the last class is alone with logit 1 (pattern blockdiag(I_m ⊗ B, 1)).
     * Rank ⌈K/2⌉.
     */
    public static LogitPattern pairs(ClassSizes sizes) {
        int k = sizes.k();
        double[][] m = new double[k][k];
        for (int p = 0; p + 1 < k; p += 2) {
            m[p][p] = 1;
            m[p + 1][p + 1] = 1;
            m[p][p + 1] = -1;
            m[p + 1][p] = -1;
        }
        if (k % 2 == 1) {
            m[k - 1][k - 1] = 1;
        }
        return new LogitPattern("lowRank", m, sizes);
    }

    public String name() {
        return name;
    }

    public ClassSizes sizes() {
        return sizes;
    }

    /** A copy of M. */
    public double[][] pattern() {
        return Arrays.stream(pattern).map(double[]::clone).toArray(double[][]::new);
    }

    /** Nonzero singular values of M·D^{1/2}, decreasing (σ_i(Z) = t times these). */
    public double[] singularValues() {
        return singularValues.clone();
    }

    /** rank Z for t &gt; 0. */
    public int rank() {
        return singularValues.length;
    }

    /** Σ_i σ_i(M·D^{1/2})^{2/(L+1)}: the Schatten quasi-norm sum entering the regularizer. */
    public double schattenSum(int layers) {
        requireLayers(layers);
        double p = 2.0 / (layers + 1);
        double sum = 0;
        for (double s : singularValues) {
            sum += Math.pow(s, p);
        }
        return sum;
    }

    /** g(Z) at scale t (Eq. 2), computed with a shifted log-sum-exp. */
    public double fit(double t) {
        double f = 0;
        for (int gi = 0; gi < groupWeight.length; gi++) {
            double[] gap = groupGap[gi];
            double max = Double.NEGATIVE_INFINITY;
            for (double g : gap) {
                max = Math.max(max, t * g);
            }
            double sum = 0;
            for (int j = 0; j < gap.length; j++) {
                sum += groupCount[gi][j] * Math.exp(t * gap[j] - max);
            }
            f += groupWeight[gi] * (max + Math.log(sum));
        }
        return f;
    }

    /** dg/dt at scale t. */
    public double fitDerivative(double t) {
        double d = 0;
        for (int gi = 0; gi < groupWeight.length; gi++) {
            double[] gap = groupGap[gi];
            double max = Double.NEGATIVE_INFINITY;
            for (double g : gap) {
                max = Math.max(max, t * g);
            }
            double num = 0;
            double den = 0;
            for (int j = 0; j < gap.length; j++) {
                double e = groupCount[gi][j] * Math.exp(t * gap[j] - max);
                num += gap[j] * e;
                den += e;
            }
            d += groupWeight[gi] * num / den;
        }
        return d;
    }

    /** ((L+1)λ/2)·Σ_i (t·σ_i)^{2/(L+1)}. */
    public double regularizer(double t, int layers, double lambda) {
        requireScale(t);
        return (layers + 1) * lambda / 2 * Math.pow(t, 2.0 / (layers + 1)) * schattenSum(layers);
    }

    /** The reduced loss ℓ_M(t) = fit + regularizer. */
    public double loss(double t, int layers, double lambda) {
        return fit(t) + regularizer(t, layers, lambda);
    }

    /** dℓ_M/dt = g'(t) + λ·t^{(1−L)/(L+1)}·Σσ_i^{2/(L+1)} (+∞ at t = 0 for L ≥ 2). */
    public double lossDerivative(double t, int layers, double lambda) {
        requireScale(t);
        return derivativeWith(t, layers, lambda * schattenSum(layers));
    }

    private double lossWith(double t, int layers, double lambdaSchatten) {
        return fit(t) + (layers + 1) / 2.0 * lambdaSchatten * Math.pow(t, 2.0 / (layers + 1));
    }

    private double derivativeWith(double t, int layers, double lambdaSchatten) {
        return fitDerivative(t) + lambdaSchatten * Math.pow(t, (1.0 - layers) / (layers + 1));
    }

    /** min over t ≥ 0 of ℓ_M(t); ties with the zero solution go to t = 0. */
    public ScaleOptimum optimum(int layers, double lambda) {
        requireLayers(layers);
        InvalidInputException.requirePositive("lambda", lambda);
        double schatten = schattenSum(layers);
        double zeroLoss = fit(0);
        if (schatten == 0) {
            return new ScaleOptimum(0, zeroLoss, zeroLoss, 0);
        }
        double ls = lambda * schatten;
        double c = (layers + 1) * ls / 2;
        // beyond tMax the regularizer alone exceeds ℓ(0) + 1, so the minimum lies in [0, tMax]
        double tMax = Math.pow((zeroLoss + 1) / c, (layers + 1) / 2.0);
        double[] grid = new double[GRID_POINTS + 1];
        grid[0] = 0;
        for (int i = 1; i <= GRID_POINTS; i++) {
            grid[i] = tMax * Math.pow(10, -GRID_DECADES * (GRID_POINTS - i) / (GRID_POINTS - 1));
        }
        int best = 0;
        double bestLoss = zeroLoss;
        for (int i = 1; i <= GRID_POINTS; i++) {
            double v = lossWith(grid[i], layers, ls);
            if (v < bestLoss) {
                bestLoss = v;
                best = i;
            }
        }
        if (best == 0) {
            return new ScaleOptimum(0, zeroLoss, zeroLoss, 0);
        }
        int lo = best - 1;
        while (lo > 0 && !(derivativeWith(grid[lo], layers, ls) < 0)) {
            lo--;
        }
        int hi = Math.min(best + 1, GRID_POINTS);
        while (hi < GRID_POINTS && !(derivativeWith(grid[hi], layers, ls) > 0)) {
            hi++;
        }
        double t = grid[best];
        if (derivativeWith(grid[lo], layers, ls) < 0 && derivativeWith(grid[hi], layers, ls) > 0) {
            double root = BrentRoot.solve(x -> derivativeWith(x, layers, ls), grid[lo], grid[hi], 0);
            if (lossWith(root, layers, ls) <= bestLoss) {
                t = root;
            }
        }
        double value = lossWith(t, layers, ls);
        if (value >= zeroLoss) {
            return new ScaleOptimum(0, zeroLoss, zeroLoss, 0);
        }
        double fit = fit(t);
        double reg = c * Math.pow(t, 2.0 / (layers + 1));
        return new ScaleOptimum(t, fit + reg, fit, reg);
    }

    /**
     * Class-level geometry at scale t of the balanced (Lemma 1) factorization of Z = t·M·E: with
     * M·D^{1/2} = U·diag(σ)·Qᵀ, the last-layer classifier is W_L = U·diag(tσ)^{1/(L+1)} (rows w_c) and
     * the class means of the penultimate features H_L = W_{L−1}⋯W_1H_1 are the columns of
     * diag(tσ)^{L/(L+1)}·Qᵀ·D^{−1/2}, both written in the r-dimensional coordinates of the singular
     * subspace (Proposition 1: every nonzero singular value of the means is n^{−1/2}(tσ)^{L/(L+1)} in the
     * balanced DNC case). Logits w_iᵀμ_c = t·M[i][c].
     */
    public ClassGeometry geometry(double t, int layers) {
        requireScale(t);
        requireLayers(layers);
        int k = sizes.k();
        int r = singularValues.length;
        double[][] w = new double[k][r];
        double[][] means = new double[k][r];
        for (int j = 0; j < r; j++) {
            double s = t * singularValues[j];
            double classifierScale = Math.pow(s, 1.0 / (layers + 1));
            double meanScale = Math.pow(s, (double) layers / (layers + 1));
            for (int i = 0; i < k; i++) {
                w[i][j] = u[i][j] * classifierScale;
                means[i][j] = meanScale * q[i][j] / Math.sqrt(sizes.count(i));
            }
        }
        if (r == 0) {
            return ClassGeometry.fromVectors(new double[k][1], new double[k][1]);
        }
        return ClassGeometry.fromVectors(w, means);
    }

    private static void requireLayers(int layers) {
        InvalidInputException.require(layers >= 1, "number of layers L must be >= 1, got L = " + layers);
    }

    private static void requireScale(double t) {
        InvalidInputException.require(Double.isFinite(t) && t >= 0, "scale t must be a finite number >= 0, got " + t);
    }

    @Override
    public String toString() {
        return "LogitPattern[" + name + ", K=" + sizes.k() + ", rank=" + rank() + "]";
    }
}
