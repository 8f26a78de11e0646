package nclab.dl.train;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;

import nclab.dl.data.ImageSet;
import nclab.dl.data.Normalization;
import nclab.dl.net.ClassifierNet;

/**
 * One evaluation-mode pass of a network over a whole image set, in order, keeping what the metrics need: the
 * classifier-input features H (N×d, the "penultimate features" of the papers), the inputs of every head layer
 * (seeds 002/004: H_1 … H_L, then H), the logits' arg-max and the per-sample loss-free logits. Each batch's
 * arrays live in a sub-manager closed after the batch (native memory otherwise grows without bound).
 *
 * @param features    N×d classifier inputs
 * @param layerInputs inputs of each head layer then of the classifier (one entry, = features, without a head)
 * @param logits      N×K logits
 */
public record FeaturePass(double[][] features, List<double[][]> layerInputs, double[][] logits) {

    /** Evaluation batch size: batches of 128 were 4× faster per sample than 500 here (pitfalls.md). */
    public static final int BATCH = 128;

    /** Runs the pass; {@code keepLayers} = false keeps only the classifier input. */
    public static FeaturePass run(ClassifierNet net, ImageSet set, Normalization norm, NDManager manager,
                                  boolean keepLayers) {
        int n = set.size();
        ParameterStore ps = new ParameterStore(manager, false);
        double[][] features = new double[n][];
        double[][] logits = new double[n][];
        List<double[][]> layers = new ArrayList<>();
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            try (NDManager batch = manager.newSubManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray x = Batches.images(set, null, from, to, norm, batch);
                ClassifierNet.Forward f = net.forward(ps, x, false);
                copyRows(f.features(), features, from);
                copyRows(f.logits(), logits, from);
                if (keepLayers) {
                    List<NDArray> inputs = f.layerInputs();
                    for (int l = 0; l < inputs.size(); l++) {
                        if (layers.size() <= l) {
                            layers.add(new double[n][]);
                        }
                        copyRows(inputs.get(l), layers.get(l), from);
                    }
                }
            }
        }
        return new FeaturePass(features, keepLayers ? layers : List.<double[][]>of(features), logits);
    }

    private static void copyRows(NDArray a, double[][] out, int from) {
        long[] shape = a.getShape().getShape();
        int rows = (int) shape[0];
        int cols = (int) (a.size() / rows);
        float[] v = a.toFloatArray();
        for (int r = 0; r < rows; r++) {
            double[] row = new double[cols];
            for (int c = 0; c < cols; c++) {
                row[c] = v[r * cols + c];
            }
            out[from + r] = row;
        }
    }

    /** Predicted class of each sample: the arg-max logit (lowest index on ties). */
    public int[] predictions() {
        int[] p = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int best = 0;
            for (int c = 1; c < logits[i].length; c++) {
                if (logits[i][c] > logits[i][best]) {
                    best = c;
                }
            }
            p[i] = best;
        }
        return p;
    }
}
