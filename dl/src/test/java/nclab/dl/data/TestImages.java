package nclab.dl.data;

import java.util.SplittableRandom;

/** Small image sets whose pixels are exact multiples of 1/255, so that writing and reading bytes round-trips. */
final class TestImages {
    private TestImages() {
    }

    static ImageSet random(String name, int n, int channels, int height, int width, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = channels * height * width;
        float[] px = new float[n * d];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(256) / 255f;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return new ImageSet(name, channels, height, width, px, y, classes);
    }

    /** A set whose image i has every pixel equal to (i mod 256)/255 and label labels[i]. */
    static ImageSet indexed(int[] labels, int classes) {
        int d = 4;
        float[] px = new float[labels.length * d];
        for (int i = 0; i < labels.length; i++) {
            for (int p = 0; p < d; p++) {
                px[i * d + p] = (i % 256) / 255f;
            }
        }
        return new ImageSet("indexed", 1, 2, 2, px, labels.clone(), classes);
    }
}
