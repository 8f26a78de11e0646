package nclab.model;

import java.util.Arrays;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

/**
 * Common part of the models whose parameters are a chain of weight blocks {@code W1..WL} (W_1..W_{L−1} are d×d,
 * W_L is K×d, stored first), the feature rows {@code H} (N×d, one row per sample, samples ordered class by class)
 * and, optionally, a bias {@code b} (K×1), with objective
 * <pre>
 *   f = fit(W_L..W_1, H, b) + Σ_j (λ_j/2)‖W_j‖_F² + (λ_H/2)‖H‖_F²
 * </pre>
 * ({@link DeepUfmObjective}, {@link LExtendedObjective}). A subclass supplies the data-fit term and its
 * back-propagation over any m feature rows ({@link #fit}, {@link #backward}); this class adds the ridges and
 * implements the full gradient and the solver engine's minibatch contract with per-sample terms
 * φ_i = fit_i + (Nλ_H/2)‖h_i‖² (each subclass states its fit_i), so f_𝔅 = (1/B) Σ_{i∈𝔅} φ_i + Σ_j (λ_j/2)‖W_j‖².
 */
abstract class LayerChainObjective implements StochasticObjective {
    final ClassSizes sizes;
    final int k;
    final int n;
    final int d;
    final int[] label;
    final ParameterLayout layout;
    /** Flat offset of W_{j+1}, j = 0..L−1. */
    final int[] layerOffset;
    final int hOffset;
    /** Flat offset of b, or −1 without a bias. */
    final int bOffset;
    /** λ_j of W_{j+1}, j = 0..L−1 (owned: callers pass a private copy). */
    final double[] layerLambda;
    /** λ_H of the feature rows. */
    private final double rowLambda;
    private final SampleBatch sampleBatch;

    /** Arguments are validated by the subclass; {@code layerLambda} is kept, not copied. */
    LayerChainObjective(ClassSizes sizes, int d, double[] layerLambda, double rowLambda, boolean bias) {
        this.sizes = sizes;
        this.k = sizes.k();
        this.label = ModelKernels.labels(sizes);
        this.n = label.length;
        this.d = d;
        this.layerLambda = layerLambda;
        this.rowLambda = rowLambda;
        int layers = layerLambda.length;
        ParameterLayout.Builder builder = ParameterLayout.builder();
        for (int j = 1; j <= layers; j++) {
            builder.add("W" + j, j == layers ? k : d, d);
        }
        builder.add("H", n, d);
        if (bias) {
            builder.add("b", k, 1);
        }
        this.layout = builder.build();
        this.layerOffset = new int[layers];
        for (int j = 0; j < layers; j++) {
            layerOffset[j] = layout.block("W" + (j + 1)).offset();
        }
        this.hOffset = layout.block("H").offset();
        this.bOffset = bias ? layout.block("b").offset() : -1;
        this.sampleBatch = new SampleBatch(n, d);
    }

    /** The same λ for each of L ≥ 1 layers. */
    static double[] uniform(int layers, double lambda) {
        InvalidInputException.require(layers >= 1, "number of layers L must be >= 1, got L = " + layers);
        double[] l = new double[layers];
        Arrays.fill(l, lambda);
        return l;
    }

    /**
     * The data-fit term averaged over the m feature rows hs[hOff..] (m×d) with labels lab; leaves in the subclass's
     * workspace what {@link #backward} needs.
     */
    abstract double fit(double[] x, double[] hs, int hOff, int m, int[] lab);

    /**
     * For the last {@link #fit}: overwrites the W blocks (and b) of {@code grad} and writes ∂fit/∂h (without the
     * ridge) into gH[gHOff..] (m×d).
     */
    abstract void backward(double[] x, double[] hs, int hOff, int m, double[] grad, double[] gH, int gHOff);

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

    /** Number of layers L. */
    public int layers() {
        return layerLambda.length;
    }

    @Override
    public double valueAndGradient(double[] x, double[] grad) {
        ModelKernels.requireLength(x, layout.size(), "x");
        ModelKernels.requireLength(grad, layout.size(), "grad");
        double value = fit(x, x, hOffset, n, label);
        backward(x, x, hOffset, n, grad, grad, hOffset);
        value += sharedRidge(x, grad);
        value += ModelKernels.addRidge(x, grad, hOffset, n * d, rowLambda);
        return value;
    }

    /** Number of samples N. */
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

    /** The weight blocks W1..WL (stored before H) and, with a bias, b, as {offset, length} ranges. */
    @Override
    public int[][] sharedRanges() {
        return bOffset >= 0 ? new int[][] {{0, hOffset}, {bOffset, k}} : new int[][] {{0, hOffset}};
    }

    /**
     * Minibatch objective f_𝔅 = (1/B) Σ_{i∈𝔅} [fit_i + (Nλ_H/2)‖h_i‖²] + Σ_j (λ_j/2)‖W_j‖² over the samples
     * batch[from..to) (duplicates allowed, B ≤ N; fit_i as in the class description), an unbiased estimate of f for
     * uniform batches, and its gradient. Writes only the shared entries and the batch rows of {@code grad}; costs
     * O(B) per layer, not O(N).
     */
    @Override
    public double batchValueAndGradient(double[] x, int[] batch, int from, int to, double[] grad) {
        int m = sampleBatch.gather(x, hOffset, label, batch, from, to);
        double[] rows = sampleBatch.rows;
        double[] gRows = sampleBatch.gradRows;
        double value = fit(x, rows, 0, m, sampleBatch.labels);
        backward(x, rows, 0, m, grad, gRows, 0);
        double rowRidge = rowLambda * n / m;
        double h2 = sampleBatch.addRowRidge(m, rowRidge);
        sampleBatch.scatter(grad, hOffset, batch, from, to);
        return value + 0.5 * rowRidge * h2 + sharedRidge(x, grad);
    }

    /** Rows of W_{j+1}: K for the top layer, else d. */
    int layerRows(int j) {
        return j == layerOffset.length - 1 ? k : d;
    }

    /** Σ_j (λ_j/2)‖W_j‖², adding λ_j·W_j to (not overwriting) the W blocks of {@code grad}. */
    private double sharedRidge(double[] x, double[] grad) {
        double value = 0;
        for (int j = 0; j < layerOffset.length; j++) {
            value += ModelKernels.addRidge(x, grad, layerOffset[j], layerRows(j) * d, layerLambda[j]);
        }
        return value;
    }
}
