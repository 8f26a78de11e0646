package nclab.experiment;

import nclab.model.ParameterLayout;

/**
 * Reads, from a model's flat parameter vector, what the collapse metrics look at: the last-layer features
 * (N×d', one row per sample, in label order), the linear classifier acting on them (K×d') and its bias.
 * For the unconstrained-feature models these are the blocks {@code H}, {@code W} and {@code b}
 * ({@link #fromLayout}); deep models supply their own view (features after the first L−1 layers).
 */
public interface LastLayer {
    /** N×d' last-layer features at {@code x}. */
    double[][] features(double[] x);

    /** K×d' classifier at {@code x}. */
    double[][] classifier(double[] x);

    /** K biases at {@code x}, or null when the model has none. */
    double[] bias(double[] x);

    /**
     * The standard view: features = block {@code H}, classifier = block {@code W} (or the highest-numbered
     * {@code W<L>} when there is no {@code W}), bias = block {@code b} when present.
     *
     * @throws IllegalArgumentException if the layout has no {@code H} or no classifier block
     */
    static LastLayer fromLayout(ParameterLayout layout) {
        String classifier = layout.has("W") ? "W" : highestLayer(layout);
        layout.block("H");
        boolean hasBias = layout.has("b");
        return new LastLayer() {
            @Override
            public double[][] features(double[] x) {
                return layout.get(x, "H");
            }

            @Override
            public double[][] classifier(double[] x) {
                return layout.get(x, classifier);
            }

            @Override
            public double[] bias(double[] x) {
                if (!hasBias) {
                    return null;
                }
                double[][] b = layout.get(x, "b");
                double[] v = new double[b.length * b[0].length];
                for (int i = 0; i < b.length; i++) {
                    System.arraycopy(b[i], 0, v, i * b[0].length, b[0].length);
                }
                return v;
            }
        };
    }

    private static String highestLayer(ParameterLayout layout) {
        String best = null;
        int bestLayer = 0;
        for (String name : layout.names()) {
            if (name.matches("W[0-9]+")) {
                int l = Integer.parseInt(name.substring(1));
                if (l > bestLayer) {
                    bestLayer = l;
                    best = name;
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no classifier block W or W1..WL in " + layout.names());
        }
        return best;
    }
}
