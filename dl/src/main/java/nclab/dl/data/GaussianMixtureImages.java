package nclab.dl.data;

import java.util.SplittableRandom;

import static nclab.InvalidInputException.require;

/**
 * A synthetic image set for fast tests: a mixture of K Gaussian classes in pixel space, clipped to [0, 1].
 *
 * <p>Class means: μ_k[p] = 1/2 + (s/2)·u_k[p] with u_k[p] ~ Uniform[−1, 1] independently per class k and
 * pixel p, where s ∈ [0, 1] is the {@code separation}; so μ_k lies in [1/2 − s/2, 1/2 + s/2] ⊂ [0, 1] and
 * two class means differ per pixel by s²/6 in mean square (‖μ_j − μ_k‖ ≈ s·√(D/6) for D = C·H·W pixels).
 * Samples: x[p] = clip(μ_k[p] + σ·g[p], 0, 1) with g[p] ~ N(0, 1) independently and σ the {@code noise}.
 * The clipping keeps the images valid [0, 1] inputs; it shrinks the spread slightly near 0 and 1.
 *
 * <p>Randomness: the means depend only on {@code seed}; the samples on (seed, sample stream), so a training
 * set (stream 0) and a test set (stream 1) of the same seed share their classes. Images come ordered by
 * class (all of class 0, then class 1, …). The same arguments give bit-identical sets.
 */
public final class GaussianMixtureImages {
    private GaussianMixtureImages() {
    }

    /** {@link #generate(String, int[], int, int, int, double, double, long, long)} with name "synthetic" and sample stream 0. */
    public static ImageSet generate(int[] countsPerClass, int channels, int height, int width,
                                    double separation, double noise, long seed) {
        return generate("synthetic", countsPerClass, channels, height, width, separation, noise, seed, 0);
    }

    /**
     * Draws countsPerClass[k] images of class k for every k.
     *
     * @param countsPerClass images per class (≥ 0 each, at least 2 classes)
     * @param separation     s in [0, 1]: the spread of the class means around grey 1/2
     * @param noise          σ ≥ 0: the per-pixel standard deviation of the samples before clipping
     * @param seed           determines the class means (and, with sampleStream, the samples)
     * @param sampleStream   which independent draw of samples (e.g. 0 train, 1 test)
     */
    public static ImageSet generate(String name, int[] countsPerClass, int channels, int height, int width,
                                    double separation, double noise, long seed, long sampleStream) {
        require(countsPerClass != null && countsPerClass.length >= 2, "need at least 2 classes, got "
                + (countsPerClass == null ? 0 : countsPerClass.length));
        require(channels >= 1 && height >= 1 && width >= 1,
                "image shape must be positive, got " + channels + "x" + height + "x" + width);
        require(Double.isFinite(separation) && separation >= 0 && separation <= 1,
                "separation must lie in [0, 1], got " + separation);
        require(Double.isFinite(noise) && noise >= 0, "noise must be a finite number >= 0, got " + noise);
        require(sampleStream >= 0, "sample stream must be >= 0, got " + sampleStream);
        int k = countsPerClass.length;
        long n = 0;
        for (int c = 0; c < k; c++) {
            require(countsPerClass[c] >= 0, "class " + c + " count must be >= 0, got " + countsPerClass[c]);
            n += countsPerClass[c];
        }
        int d = channels * height * width;
        require(n * d <= Integer.MAX_VALUE - 8, n + " images of " + d + " pixels are too many for one array");

        double[][] means = new double[k][d];
        SplittableRandom meanRandom = SeedMix.random(seed, SeedMix.GAUSSIAN_MIXTURE, 0);
        for (int c = 0; c < k; c++) {
            for (int p = 0; p < d; p++) {
                means[c][p] = 0.5 + 0.5 * separation * (2 * meanRandom.nextDouble() - 1);
            }
        }
        SplittableRandom sampleRandom = SeedMix.random(seed, SeedMix.GAUSSIAN_MIXTURE, sampleStream + 1);
        float[] pixels = new float[(int) (n * d)];
        int[] labels = new int[(int) n];
        int i = 0;
        for (int c = 0; c < k; c++) {
            double[] mu = means[c];
            for (int j = 0; j < countsPerClass[c]; j++, i++) {
                labels[i] = c;
                int at = i * d;
                for (int p = 0; p < d; p++) {
                    double x = mu[p] + noise * gaussian(sampleRandom);
                    pixels[at + p] = (float) Math.min(1.0, Math.max(0.0, x));
                }
            }
        }
        return new ImageSet(name, channels, height, width, pixels, labels, k);
    }

    /**
     * A standard normal draw by the Marsaglia polar method, written out here so that the numbers do not
     * depend on the JDK's choice of algorithm for {@code nextGaussian} (which changed in Java 17);
     * StrictMath.log keeps them bit-identical on every platform.
     */
    private static double gaussian(SplittableRandom random) {
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * StrictMath.log(s) / s);
    }
}
