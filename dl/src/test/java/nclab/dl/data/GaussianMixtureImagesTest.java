package nclab.dl.data;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianMixtureImagesTest {
    @Test
    void shapeCountsOrderAndRange() {
        ImageSet s = GaussianMixtureImages.generate(new int[] {3, 0, 5}, 2, 4, 5, 1.0, 2.0, 1);
        assertEquals(8, s.size());
        assertEquals(40, s.imageSize());
        assertArrayEquals(new int[] {0, 0, 0, 2, 2, 2, 2, 2}, s.labels());
        boolean clippedLow = false;
        boolean clippedHigh = false;
        for (float v : s.pixels()) {
            assertTrue(v >= 0 && v <= 1);
            clippedLow |= v == 0f;
            clippedHigh |= v == 1f;
        }
        assertTrue(clippedLow && clippedHigh, "noise 2 must clip at both ends");
    }

    @Test
    void deterministicPerSeedAndStream() {
        int[] c = {20, 20};
        assertEquals(GaussianMixtureImages.generate(c, 1, 6, 6, 0.5, 0.1, 3), GaussianMixtureImages.generate(c, 1, 6, 6, 0.5, 0.1, 3));
        assertNotEquals(GaussianMixtureImages.generate(c, 1, 6, 6, 0.5, 0.1, 3), GaussianMixtureImages.generate(c, 1, 6, 6, 0.5, 0.1, 4));
        assertNotEquals(GaussianMixtureImages.generate("s", c, 1, 6, 6, 0.5, 0.1, 3, 0),
                GaussianMixtureImages.generate("s", c, 1, 6, 6, 0.5, 0.1, 3, 1));
    }

    @Test
    void momentsMatchTheModelWhereNothingIsClipped() {
        // s = 0.5: means in [0.25, 0.75]; σ = 0.04 keeps samples 6σ away from 0 and 1
        int n = 4000;
        int d = 16;
        double sigma = 0.04;
        ImageSet a = GaussianMixtureImages.generate("a", new int[] {n, n}, 1, 4, 4, 0.5, sigma, 9, 0);
        ImageSet b = GaussianMixtureImages.generate("b", new int[] {n, n}, 1, 4, 4, 0.5, sigma, 9, 1);
        double[][] meanA = classMeans(a, 2, d);
        double[][] meanB = classMeans(b, 2, d);
        double between = 0;
        for (int k = 0; k < 2; k++) {
            for (int p = 0; p < d; p++) {
                // two streams estimate the same mean: difference sd = σ·sqrt(2/n) = 0.0009
                assertEquals(meanA[k][p], meanB[k][p], 0.005);
                assertTrue(meanA[k][p] > 0.25 - 0.005 && meanA[k][p] < 0.75 + 0.005);
            }
        }
        for (int p = 0; p < d; p++) {
            between += Math.pow(meanA[0][p] - meanA[1][p], 2);
        }
        // E‖μ0 − μ1‖² = D·s²/6 = 16·0.25/6 = 0.667; loose bounds for one draw of 16 pixels
        assertTrue(between > 0.1 && between < 2.0, "squared mean distance " + between);
        // within-class standard deviation per pixel = σ
        double ss = 0;
        for (int i = 0; i < a.size(); i++) {
            float[] im = a.image(i);
            for (int p = 0; p < d; p++) {
                ss += Math.pow(im[p] - meanA[a.label(i)][p], 2);
            }
        }
        assertEquals(sigma, Math.sqrt(ss / (a.size() * d)), 0.002);
    }

    @Test
    void zeroSeparationGivesGreyMeans() {
        ImageSet s = GaussianMixtureImages.generate(new int[] {2, 2}, 1, 2, 2, 0.0, 0.0, 5);
        for (float v : s.pixels()) {
            assertEquals(0.5f, v);
        }
    }

    @Test
    void validation() {
        assertEquals("separation must lie in [0, 1], got 1.5", assertThrows(InvalidInputException.class,
                () -> GaussianMixtureImages.generate(new int[] {1, 1}, 1, 2, 2, 1.5, 0.1, 1)).getMessage());
        assertEquals("noise must be a finite number >= 0, got -0.1", assertThrows(InvalidInputException.class,
                () -> GaussianMixtureImages.generate(new int[] {1, 1}, 1, 2, 2, 0.5, -0.1, 1)).getMessage());
        assertEquals("need at least 2 classes, got 1", assertThrows(InvalidInputException.class,
                () -> GaussianMixtureImages.generate(new int[] {1}, 1, 2, 2, 0.5, 0.1, 1)).getMessage());
        assertEquals("class 1 count must be >= 0, got -2", assertThrows(InvalidInputException.class,
                () -> GaussianMixtureImages.generate(new int[] {1, -2}, 1, 2, 2, 0.5, 0.1, 1)).getMessage());
    }

    private static double[][] classMeans(ImageSet s, int k, int d) {
        double[][] m = new double[k][d];
        int[] n = s.counts();
        for (int i = 0; i < s.size(); i++) {
            float[] im = s.image(i);
            for (int p = 0; p < d; p++) {
                m[s.label(i)][p] += im[p] / n[s.label(i)];
            }
        }
        return m;
    }
}
