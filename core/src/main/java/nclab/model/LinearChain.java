package nclab.model;

/**
 * The end-to-end matrix A = W_L⋯W_1 (K×d) of a chain of linear layers (W_L is K×d, W_1..W_{L−1} are d×d, all
 * stored in one flat parameter vector) and the back-propagation of ∂f/∂A to the layers:
 * <pre>
 *   ∂f/∂W_j = P_jᵀ · (∂f/∂A) · S_jᵀ,    P_j = W_L⋯W_{j+1} (P_L = I_K),   S_j = W_{j−1}⋯W_1 (S_1 = I_d).
 * </pre>
 * Both passes work with K×d matrices only (O(L·K·d²) per call, never N×d per layer): P_j is formed from the top
 * and Q_j = (∂f/∂A)·S_jᵀ recursively by Q_{j+1} = Q_j·W_jᵀ, so ∂f/∂W_j = P_jᵀ·Q_j. Workspaces are allocated once;
 * an instance is not thread-safe.
 */
final class LinearChain {
    private final int k;
    private final int d;
    private final int layers;
    private final int[] offset;
    /** prefix[j] = P_j for j = 1..L−1 (K×d); prefix[0] = A. */
    private final double[][] prefix;
    private final double[] qA;
    private final double[] qB;

    /** @param offset offset[j] = start of W_{j+1} in the flat vector, j = 0..L−1 */
    LinearChain(int k, int d, int[] offset) {
        this.k = k;
        this.d = d;
        this.layers = offset.length;
        this.offset = offset.clone();
        this.prefix = new double[layers][k * d];
        this.qA = new double[k * d];
        this.qB = new double[k * d];
    }

    /** Computes A = W_L⋯W_1 (K×d, row-major) from {@code x}; the returned array is a reused workspace. */
    double[] product(double[] x) {
        int top = layers - 1;
        System.arraycopy(x, offset[top], prefix[top], 0, k * d);
        for (int j = top; j >= 1; j--) {
            // P_{j-1} = P_j · W_j  (W_j is the layer at offset[j-1], d×d)
            ModelKernels.multiply(prefix[j], 0, k, d, x, offset[j - 1], d, prefix[j - 1], 0);
        }
        return prefix[0];
    }

    /** A from the last {@link #product} call (the same workspace array). */
    double[] lastProduct() {
        return prefix[0];
    }

    /**
     * Writes ∂f/∂W_j = P_jᵀ·dA·S_jᵀ into the layer blocks of {@code grad} (overwriting them), for the x of the last
     * {@link #product} call. {@code dA} (K×d) is not modified and must not be a workspace of this chain.
     */
    void backward(double[] x, double[] dA, double[] grad) {
        double[] q = dA;
        for (int j = 1; j <= layers; j++) {
            if (j == layers) {
                System.arraycopy(q, 0, grad, offset[j - 1], k * d);
            } else {
                // P_j = prefix[j] (K×d); grad W_j = P_jᵀ · Q_j (d×d)
                ModelKernels.multiplyTransA(prefix[j], 0, k, d, q, 0, d, grad, offset[j - 1]);
                double[] next = q == qA ? qB : qA;
                // Q_{j+1} = Q_j · W_jᵀ
                ModelKernels.multiplyTransB(q, 0, k, d, x, offset[j - 1], d, next, 0);
                q = next;
            }
        }
    }
}
