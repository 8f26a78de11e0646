package nclab.dl.data;

import java.util.Arrays;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

import static nclab.InvalidInputException.require;

/**
 * N labelled images of C channels of H×W pixels, stored row-major N×C×H×W in one {@code float[]}
 * with values in [0, 1] (a uint8 pixel p is stored as p/255), and integer labels in [0, classes).
 *
 * <p>For speed the arrays are not copied: {@link #pixels()} and {@link #labels()} return the arrays
 * the set was built with, which callers must treat as read-only (Fashion-MNIST's training split is
 * 60 000·784 floats = 188 MB). {@link #equals(Object)} compares contents.
 *
 * @param name     a label for messages and logs, e.g. "fashion-mnist/train"
 * @param channels C ≥ 1 (1 grey, 3 colour)
 * @param height   H ≥ 1
 * @param width    W ≥ 1
 * @param pixels   N·C·H·W values in [0, 1], image i occupying [i·C·H·W, (i+1)·C·H·W)
 * @param labels   N labels, each in [0, classes)
 * @param classes  number of classes K ≥ 2 (a class may have no image in this set)
 */
public record ImageSet(String name, int channels, int height, int width, float[] pixels, int[] labels, int classes) {

    /** Validates shapes, label range and pixel range; messages name the set and the bad value. */
    public ImageSet {
        require(name != null, "image set name must not be null");
        require(channels >= 1 && height >= 1 && width >= 1,
                name + ": image shape must be positive, got " + channels + "x" + height + "x" + width);
        require(classes >= 2, name + ": need at least 2 classes, got " + classes);
        require(pixels != null && labels != null, name + ": pixels and labels must not be null");
        long expected = (long) labels.length * channels * height * width;
        require(pixels.length == expected, name + ": " + labels.length + " images of " + channels + "x" + height + "x"
                + width + " need " + expected + " pixel values, got " + pixels.length);
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            require(y >= 0 && y < classes, name + ": label " + y + " of image " + i
                    + " is out of range for " + classes + " classes (labels must lie in 0.." + (classes - 1) + ")");
        }
        for (int p = 0; p < pixels.length; p++) {
            float v = pixels[p];
            if (!(v >= 0f && v <= 1f)) {
                throw new InvalidInputException(name + ": pixel value " + v + " of image " + (p / (channels * height * width))
                        + " is outside [0, 1]");
            }
        }
    }

    /** Number of images N. */
    public int size() {
        return labels.length;
    }

    /** Values per image, C·H·W. */
    public int imageSize() {
        return channels * height * width;
    }

    /** Label of image i. */
    public int label(int i) {
        return labels[i];
    }

    /** A copy of image i's C·H·W values. */
    public float[] image(int i) {
        int s = imageSize();
        return Arrays.copyOfRange(pixels, i * s, (i + 1) * s);
    }

    /** Copies image i's values into {@code target} at {@code offset} (for filling batches without allocation). */
    public void copyImage(int i, float[] target, int offset) {
        int s = imageSize();
        System.arraycopy(pixels, i * s, target, offset, s);
    }

    /**
     * Copies the images order[from], …, order[to−1] into {@code pixelsOut} (consecutive, from index 0) and
     * their labels into {@code labelsOut}: one minibatch without allocation. Returns the batch size to−from.
     */
    public int gather(int[] order, int from, int to, float[] pixelsOut, int[] labelsOut) {
        int s = imageSize();
        int b = to - from;
        require(from >= 0 && b >= 0 && to <= order.length, name + ": batch range [" + from + ", " + to
                + ") outside the order of length " + order.length);
        require(pixelsOut.length >= b * s && labelsOut.length >= b, name + ": batch buffers too small for "
                + b + " images");
        for (int j = 0; j < b; j++) {
            int i = order[from + j];
            System.arraycopy(pixels, i * s, pixelsOut, j * s, s);
            labelsOut[j] = labels[i];
        }
        return b;
    }

    /** Images per class n_k = #{i : label_i = k}, k = 0..classes−1 (zeros allowed). */
    public int[] counts() {
        int[] c = new int[classes];
        for (int y : labels) {
            c[y]++;
        }
        return c;
    }

    /**
     * The per-class counts as {@link ClassSizes}; fails (naming the class, 1-based as ClassSizes does)
     * when a class has no image here, because ClassSizes needs every count ≥ 1. Use {@link #counts()}
     * when a class may be empty.
     */
    public ClassSizes classSizes() {
        return ClassSizes.of(counts());
    }

    /** The images at {@code indices}, in that order (repeats allowed), under the same name. */
    public ImageSet subset(int[] indices) {
        return subset(indices, name);
    }

    /** The images at {@code indices}, in that order (repeats allowed), under a new name. */
    public ImageSet subset(int[] indices, String newName) {
        int s = imageSize();
        int n = size();
        long total = (long) indices.length * s;
        require(total <= Integer.MAX_VALUE - 8, name + ": a subset of " + indices.length + " images is too large for one array");
        float[] px = new float[(int) total];
        int[] y = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            int i = indices[j];
            require(i >= 0 && i < n, name + ": image index " + i + " out of range 0.." + (n - 1));
            System.arraycopy(pixels, i * s, px, j * s, s);
            y[j] = labels[i];
        }
        return new ImageSet(newName, channels, height, width, px, y, classes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageSet other && name.equals(other.name) && channels == other.channels
                && height == other.height && width == other.width && classes == other.classes
                && Arrays.equals(labels, other.labels) && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(labels)) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return name + ": " + size() + " images of " + channels + "x" + height + "x" + width + ", " + classes + " classes";
    }
}
