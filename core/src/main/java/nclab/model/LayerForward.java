package nclab.model;

/**
 * One layer of a deep UFM applied to feature rows: {@code out[i] = σ(W · h_i)} with σ the identity or the ReLU
 * (seed 002 eq. 1; H is stored one row per sample, W is d_out × d_in). Used to read the per-layer features of a
 * solved deep UFM back from its parameters.
 */
public final class LayerForward {
    private LayerForward() {
    }

    /** Rows {@code h} (N × d_in) through W (d_out × d_in), rectified when {@code relu}: an N × d_out array. */
    public static double[][] apply(double[][] h, double[][] w, boolean relu) {
        double[][] next = new double[h.length][w.length];
        for (int i = 0; i < h.length; i++) {
            for (int a = 0; a < w.length; a++) {
                double s = 0;
                for (int j = 0; j < w[a].length; j++) {
                    s += w[a][j] * h[i][j];
                }
                next[i][a] = relu ? Math.max(0, s) : s;
            }
        }
        return next;
    }
}
