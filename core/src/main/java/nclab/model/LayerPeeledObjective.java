package nclab.model;

import java.util.SplittableRandom;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.theory.TheoryParameters;

/**
 * The Layer-Peeled Model with cross-entropy and minority oversampling, in its original non-convex per-sample form
 * (Fang, He, Long, Su, PNAS 2021, seed 003, eqs. 7 and 18; spec 003-layer-peeled.md §1.2, §1.5):
 * <pre>
 *   minimise  (1/N') [ Σ_{k majority} Σ_i CE(W h_{k,i}, k) + w_r Σ_{k minority} Σ_i CE(W h_{k,i}, k) ],
 *             N' = Σ_{k majority} n_k + w_r Σ_{k minority} n_k,
 *   subject to (1/K) Σ_k ‖w_k‖² ≤ E_W,
 *              (1/K) Σ_k (1/n_k) Σ_i ‖h_{k,i}‖² ≤ E_H.
 * </pre>
 * Minority classes are {@link ClassSizes#minorityClasses()} (the classes of the smallest size; none when balanced),
 * as in {@link nclab.theory.LayerPeeledGeometry#classWeights}; w_r = 1 is eq. 7. The feature budget averages over
 * the original examples (duplicates do not change a class average). Layout: {@code W} (K×d, rows w_k) and
 * {@code H} (N×d, one row per sample, samples ordered class by class).
 *
 * <p>{@link #project} is the exact Euclidean projection onto the feasible set, which is a product of two sets:
 * the W ball (a rescaling) and, for H, the ellipsoid Σ_i c_i‖h_i‖² ≤ E_H with c_i = 1/(K·n_{y_i}). Its projection is
 * h_i ↦ h_i/(1 + μ c_i) with μ ≥ 0 the root of Σ_k c_k S_k/(1 + μ c_k)² = E_H (S_k = Σ_{i∈k}‖h_i‖², KKT of the
 * projection problem), found by Newton's method, which converges monotonically on this convex decreasing function.
 * With equal class sizes every c_i is equal and the projection is the rescaling h ↦ h·√(E_H/value).
 *
 * <p>The optimum over (W, H) equals the convex program solved by {@link nclab.theory.LayerPeeledGeometry}
 * (Lemma 1 and the nuclear-norm form, SI eq. 91), reached by projected gradient for d ≥ 2K (spec §1.6).
 *
 * <p>Initialisation: i.i.d. N(0, 1) entries, then each block rescaled so that both constraints hold with equality.
 *
 * <p>Minibatches ({@link #batchValueAndGradient}): per-sample terms φ_i = (N ω_i/N') CE(W h_i, y_i), so
 * f_𝔅 = (1/B) Σ_{i∈𝔅} φ_i is unbiased; {@code samples}, {@code sampleOffset}, {@code sampleWidth},
 * {@code sharedRanges}, {@code batchValueAndGradient} and {@code projectBatch} follow the solver engine's minibatch
 * contract (the projection stays the full one: the feature budget couples all samples).
 *
 * <p>Not thread-safe: {@link #valueAndGradient} and {@link #batchValueAndGradient} use workspaces allocated once by
 * the constructor (no allocation per call). Use one instance per thread.
 */
public final class LayerPeeledObjective implements StochasticObjective {
    private final ClassSizes sizes;
    private final int k;
    private final int n;
    private final int d;
    private final double eW;
    private final double eH;
    private final double oversample;
    private final int[] label;
    /** ω_i: w_r for minority samples, else 1. */
    private final double[] weight;
    private final double weightTotal;
    /** c_k = 1/(K n_k). */
    private final double[] featureCoefficient;
    private final boolean balanced;
    private final ParameterLayout layout;
    private final int wOffset;
    private final int hOffset;
    private final double[] logits;
    private final double[] classEnergy;
    private final SampleBatch sampleBatch;
    private final double[] batchWeight;

    /**
     * @param oversample minority oversampling rate w_r ≥ 1 (1 = eq. 7)
     * @throws InvalidInputException when E_W or E_H is not a finite number &gt; 0, w_r &lt; 1, or d &lt; K − 1 (Theorem 1
     *                               needs p ≥ K − 1)
     */
    public LayerPeeledObjective(ClassSizes sizes, int d, double eW, double eH, double oversample) {
        InvalidInputException.require(sizes != null, "class sizes are required");
        InvalidInputException.requirePositive("E_W", eW);
        InvalidInputException.requirePositive("E_H", eH);
        InvalidInputException.require(Double.isFinite(oversample) && oversample >= 1,
                "oversampling rate w_r must be a finite number >= 1, got " + oversample);
        this.sizes = sizes;
        this.k = sizes.k();
        InvalidInputException.require(d >= k - 1,
                "feature dimension d must be >= K-1 = " + (k - 1) + " for the lpm model, got d = " + d);
        this.d = d;
        this.eW = eW;
        this.eH = eH;
        this.oversample = oversample;
        this.label = ModelKernels.labels(sizes);
        this.n = label.length;
        boolean[] minority = new boolean[k];
        for (int c : sizes.minorityClasses()) {
            minority[c] = true;
        }
        this.weight = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            weight[i] = minority[label[i]] ? oversample : 1;
            total += weight[i];
        }
        this.weightTotal = total;
        this.featureCoefficient = new double[k];
        for (int c = 0; c < k; c++) {
            featureCoefficient[c] = 1.0 / ((double) k * sizes.count(c));
        }
        this.balanced = sizes.isBalanced();
        this.layout = ParameterLayout.builder().add("W", k, d).add("H", n, d).build();
        this.wOffset = layout.block("W").offset();
        this.hOffset = layout.block("H").offset();
        this.logits = new double[n * k];
        this.classEnergy = new double[k];
        this.sampleBatch = new SampleBatch(n, d);
        this.batchWeight = new double[n];
    }

    /**
     * The objective for {@code nclab theory lpm}'s parameters, with the same defaults as
     * {@link nclab.theory.LayerPeeledGeometry#predict}: E_W = {@code --ew} (1), E_H = {@code --eh} (5), w_r = {@code --oversample} (1).
     */
    public static LayerPeeledObjective of(TheoryParameters p, int d) {
        return new LayerPeeledObjective(p.sizes(), d, p.eWOr(1), p.eHOr(5), p.oversampleOr(1));
    }

    @Override
    public String model() {
        return "lpm";
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    public ClassSizes sizes() {
        return sizes;
    }

    public int width() {
        return d;
    }

    public double eW() {
        return eW;
    }

    public double eH() {
        return eH;
    }

    public double oversample() {
        return oversample;
    }

    @Override
    public double valueAndGradient(double[] x, double[] grad) {
        ModelKernels.requireLength(x, layout.size(), "x");
        ModelKernels.requireLength(grad, layout.size(), "grad");
        ModelKernels.multiplyTransB(x, hOffset, n, d, x, wOffset, k, logits, 0);
        double value = ModelKernels.crossEntropyInPlace(logits, n, k, label, weight, 1.0 / weightTotal) / weightTotal;
        // ∂/∂W = Gᵀ·H, ∂/∂H = G·W
        ModelKernels.multiplyTransA(logits, 0, n, k, x, hOffset, d, grad, wOffset);
        ModelKernels.multiply(logits, 0, n, k, x, wOffset, d, grad, hOffset);
        return value;
    }

    /** Number of samples N (original examples; oversampling is a weight, not a copy). */
    @Override
    public int samples() {
        return n;
    }

    /** Flat index of sample i's feature row h_i. */
    @Override
    public int sampleOffset(int i) {
        return hOffset + i * d;
    }

    /** Private parameters per sample: d. */
    @Override
    public int sampleWidth() {
        return d;
    }

    /** The classifier block W as one {offset, length} range. */
    @Override
    public int[][] sharedRanges() {
        return new int[][] {{wOffset, k * d}};
    }

    /**
     * Minibatch objective f_𝔅 = (1/B) Σ_{i∈𝔅} (N ω_i/N') CE(W h_i, y_i) over batch[from..to) (duplicates allowed,
     * B ≤ N; ω_i = w_r for minority samples, else 1), an unbiased estimate of the eq. 18 objective, and its gradient.
     * Writes only W and the batch rows of {@code grad}.
     */
    @Override
    public double batchValueAndGradient(double[] x, int[] batch, int from, int to, double[] grad) {
        int m = sampleBatch.gather(x, hOffset, label, batch, from, to);
        double[] rows = sampleBatch.rows;
        for (int t = 0; t < m; t++) {
            batchWeight[t] = weight[batch[from + t]] * n / weightTotal;
        }
        ModelKernels.multiplyTransB(rows, 0, m, d, x, wOffset, k, logits, 0);
        double value = ModelKernels.crossEntropyInPlace(logits, m, k, sampleBatch.labels, batchWeight, 1.0 / m) / m;
        ModelKernels.multiplyTransA(logits, 0, m, k, rows, 0, d, grad, wOffset);
        ModelKernels.multiply(logits, 0, m, k, x, wOffset, d, sampleBatch.gradRows, 0);
        sampleBatch.scatter(grad, hOffset, batch, from, to);
        return value;
    }

    /**
     * The feature constraint couples every sample, so this is the full exact {@link #project} (O(N·d)); the batch
     * arguments are not needed.
     */
    @Override
    public void projectBatch(double[] x, int[] batch, int from, int to) {
        project(x);
    }

    /** f(x) without the gradient (no allocation). */
    @Override
    public double value(double[] x) {
        ModelKernels.requireLength(x, layout.size(), "x");
        ModelKernels.multiplyTransB(x, hOffset, n, d, x, wOffset, k, logits, 0);
        return ModelKernels.crossEntropyInPlace(logits, n, k, label, weight, 1.0 / weightTotal) / weightTotal;
    }

    /**
     * Constraint values [(1/K) Σ_k ‖w_k‖², (1/K) Σ_k (1/n_k) Σ_i ‖h_{k,i}‖²] at x (feasible iff ≤ [E_W, E_H]).
     */
    public double[] constraintValues(double[] x) {
        ModelKernels.requireLength(x, layout.size(), "x");
        return new double[] {ModelKernels.squaredNorm(x, wOffset, k * d) / k, featureEnergy(x)};
    }

    /** Σ_k c_k S_k, filling classEnergy with S_k. */
    private double featureEnergy(double[] x) {
        for (int c = 0; c < k; c++) {
            classEnergy[c] = 0;
        }
        for (int i = 0; i < n; i++) {
            classEnergy[label[i]] += ModelKernels.squaredNorm(x, hOffset + i * d, d);
        }
        double e = 0;
        for (int c = 0; c < k; c++) {
            e += featureCoefficient[c] * classEnergy[c];
        }
        return e;
    }

    @Override
    public void project(double[] x) {
        ModelKernels.requireLength(x, layout.size(), "x");
        double wEnergy = ModelKernels.squaredNorm(x, wOffset, k * d) / k;
        if (wEnergy > eW) {
            scale(x, wOffset, k * d, Math.sqrt(eW / wEnergy));
        }
        double hEnergy = featureEnergy(x);
        if (hEnergy <= eH) {
            return;
        }
        if (balanced) {
            scale(x, hOffset, n * d, Math.sqrt(eH / hEnergy));
            return;
        }
        double mu = multiplier();
        for (int i = 0; i < n; i++) {
            double f = 1 / (1 + mu * featureCoefficient[label[i]]);
            int o = hOffset + i * d;
            for (int t = 0; t < d; t++) {
                x[o + t] *= f;
            }
        }
    }

    /** Root μ &gt; 0 of φ(μ) = Σ_k c_k S_k/(1 + μ c_k)² − E_H (φ(0) &gt; 0, convex and decreasing: Newton from 0). */
    private double multiplier() {
        double mu = 0;
        for (int iter = 0; iter < 200; iter++) {
            double phi = -eH;
            double slope = 0;
            for (int c = 0; c < k; c++) {
                double q = 1 / (1 + mu * featureCoefficient[c]);
                double term = featureCoefficient[c] * classEnergy[c] * q * q;
                phi += term;
                slope -= 2 * term * featureCoefficient[c] * q;
            }
            if (phi <= 0 || slope == 0) {
                break;
            }
            double next = mu - phi / slope;
            if (!(next > mu)) {
                break;
            }
            boolean done = next - mu <= 1e-15 * next;
            mu = next;
            if (done) {
                break;
            }
        }
        return mu;
    }

    private static void scale(double[] x, int off, int len, double f) {
        for (int i = off; i < off + len; i++) {
            x[i] *= f;
        }
    }

    /** N(0, 1) entries, each block rescaled onto its constraint boundary. */
    @Override
    public double[] initialPoint(SplittableRandom random) {
        double[] x = new double[layout.size()];
        ModelKernels.gaussian(random, x, 0, x.length, 1);
        scale(x, wOffset, k * d, Math.sqrt(eW / (ModelKernels.squaredNorm(x, wOffset, k * d) / k)));
        scale(x, hOffset, n * d, Math.sqrt(eH / featureEnergy(x)));
        return x;
    }
}
