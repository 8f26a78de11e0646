package nclab.dl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import nclab.dl.data.ImageSet;
import nclab.dl.data.Normalization;

/** Builds the NDArrays of one minibatch (images N×C×H×W, normalised; labels int64) from an {@link ImageSet}. */
final class Batches {
    private Batches() {
    }

    /** Images {@code order[from..to)} of {@code set}, normalised, as a (to−from)×C×H×W float32 array. */
    static NDArray images(ImageSet set, int[] order, int from, int to, Normalization norm, NDManager manager) {
        int size = set.imageSize();
        float[] pixels = new float[(to - from) * size];
        float[] all = set.pixels();
        for (int i = from; i < to; i++) {
            int idx = order == null ? i : order[i];
            System.arraycopy(all, idx * size, pixels, (i - from) * size, size);
        }
        if (norm != null) {
            norm.apply(pixels, set.channels());
        }
        return manager.create(pixels, new Shape(to - from, set.channels(), set.height(), set.width()));
    }

    /** Labels {@code order[from..to)} as an int64 vector. */
    static NDArray labels(ImageSet set, int[] order, int from, int to, NDManager manager) {
        long[] y = new long[to - from];
        int[] labels = set.labels();
        for (int i = from; i < to; i++) {
            y[i - from] = labels[order == null ? i : order[i]];
        }
        return manager.create(y);
    }
}
