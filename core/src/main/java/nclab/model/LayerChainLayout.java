package nclab.model;

/**
 * Flat layout of a deep linear/ReLU head over unconstrained features: weight blocks {@code W1..WL} (W_1..W_{L−1}
 * are d×d, W_L is K×d, stored first), then {@code H} (N×d, one row per sample) and, optionally, {@code b} (K×1).
 * Shared by {@link DeepUfmObjective} and {@link LExtendedObjective}: block offsets, the minibatch contract's shared
 * ranges, and the per-layer ridge Σ_j (λ_j/2)‖W_j‖_F².
 */
final class LayerChainLayout {
    final ParameterLayout layout;
    /** Flat offset of W_{j+1}, j = 0..L−1. */
    final int[] layerOffset;
    final int hOffset;
    /** Flat offset of b, or −1 without a bias. */
    final int bOffset;
    private final int k;
    private final int d;

    LayerChainLayout(int k, int n, int d, int layers, boolean bias) {
        this.k = k;
        this.d = d;
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
    }

    /** Rows of W_{j+1}: K for the top layer, else d. */
    int layerRows(int j) {
        return j == layerOffset.length - 1 ? k : d;
    }

    /** The weight blocks W1..WL and, with a bias, b, as {offset, length} ranges (a fresh array). */
    int[][] sharedRanges() {
        return bOffset >= 0 ? new int[][] {{0, hOffset}, {bOffset, k}} : new int[][] {{0, hOffset}};
    }

    /** Σ_j (λ_j/2)‖W_j‖², adding λ_j·W_j to (not overwriting) the W blocks of {@code grad}. */
    double addLayerRidge(double[] x, double[] grad, double[] lambdaPerLayer) {
        double value = 0;
        for (int j = 0; j < layerOffset.length; j++) {
            value += ModelKernels.addRidge(x, grad, layerOffset[j], layerRows(j) * d, lambdaPerLayer[j]);
        }
        return value;
    }
}
