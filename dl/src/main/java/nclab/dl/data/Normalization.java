package nclab.dl.data;

import static nclab.InvalidInputException.require;

/**
 * Per-channel standardisation x ↦ (x − mean_c)/std_c of images laid out C×H×W, with mean_c and std_c
 * the mean and population standard deviation of channel c over all pixels of all images of a set
 * (computed in double). A channel with std 0 (a constant channel) gets std 1, so it is only centred.
 *
 * @param mean     per-channel means, length C
 * @param std      per-channel standard deviations (> 0), length C
 * @param height   image height H the normalisation was computed for
 * @param width    image width W
 */
public record Normalization(double[] mean, double[] std, int height, int width) {

    public Normalization {
        require(mean != null && std != null && mean.length == std.length && mean.length >= 1,
                "normalisation needs as many means as standard deviations, at least one channel");
        require(height >= 1 && width >= 1, "image shape must be positive, got " + height + "x" + width);
        for (int c = 0; c < std.length; c++) {
            require(Double.isFinite(mean[c]), "channel " + c + " mean must be finite, got " + mean[c]);
            require(Double.isFinite(std[c]) && std[c] > 0, "channel " + c + " standard deviation must be > 0, got " + std[c]);
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Per-channel mean and standard deviation over every pixel of every image of {@code set}. */
    public static Normalization of(ImageSet set) {
        require(set.size() > 0, set.name() + ": cannot compute a normalisation from an empty set");
        int c = set.channels();
        int plane = set.height() * set.width();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        float[] px = set.pixels();
        // two passes (mean, then squared deviations) for accuracy
        for (int i = 0; i < set.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int at = (i * c + ch) * plane;
                double s = 0;
                for (int p = 0; p < plane; p++) {
                    s += px[at + p];
                }
                sum[ch] += s;
            }
        }
        double count = (double) set.size() * plane;
        double[] mean = new double[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = sum[ch] / count;
        }
        for (int i = 0; i < set.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int at = (i * c + ch) * plane;
                double m = mean[ch];
                double s = 0;
                for (int p = 0; p < plane; p++) {
                    double dev = px[at + p] - m;
                    s += dev * dev;
                }
                sumSq[ch] += s;
            }
        }
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sd = Math.sqrt(sumSq[ch] / count);
            std[ch] = sd > 0 ? sd : 1;
        }
        return new Normalization(mean, std, set.height(), set.width());
    }

    /** The identity: mean 0, std 1 per channel. */
    public static Normalization identity(int channels, int height, int width) {
        double[] m = new double[channels];
        double[] s = new double[channels];
        java.util.Arrays.fill(s, 1);
        return new Normalization(m, s, height, width);
    }

    /** Number of channels C. */
    public int channels() {
        return mean.length;
    }

    /** A copy of the per-channel means. */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** A copy of the per-channel standard deviations. */
    @Override
    public double[] std() {
        return std.clone();
    }

    /**
     * Standardises a batch of images, B×C×H×W row-major, in place.
     *
     * @param batchPixels B·C·H·W values
     * @param channels    C; must equal this normalisation's channel count (checked)
     */
    public void apply(float[] batchPixels, int channels) {
        require(channels == mean.length, "batch has " + channels + " channels but the normalisation has " + mean.length);
        int plane = height * width;
        int image = channels * plane;
        require(batchPixels.length % image == 0, "batch of " + batchPixels.length + " values is not a whole number of "
                + channels + "x" + height + "x" + width + " images");
        float[] shift = new float[channels];
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) {
            shift[c] = (float) mean[c];
            scale[c] = (float) (1 / std[c]);
        }
        for (int at = 0; at < batchPixels.length; at += plane) {
            int c = (at / plane) % channels;
            float m = shift[c];
            float s = scale[c];
            for (int p = at; p < at + plane; p++) {
                batchPixels[p] = (batchPixels[p] - m) * s;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && java.util.Arrays.equals(mean, n.mean) && java.util.Arrays.equals(std, n.std)
                && height == n.height && width == n.width;
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(mean) + java.util.Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + java.util.Arrays.toString(mean) + ", std=" + java.util.Arrays.toString(std) + "]";
    }
}
