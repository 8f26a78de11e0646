package nclab.dl.data;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NormalizationTest {
    @Test
    void handComputedTwoChannelExample() {
        // 2 images of 2 channels of 1x2: channel 0 values {0, 1, 1, 0} -> mean 0.5, std 0.5;
        // channel 1 values {0.2, 0.2, 0.6, 0.6} -> mean 0.4, std 0.2
        float[] px = {0f, 1f, 0.2f, 0.2f, 1f, 0f, 0.6f, 0.6f};
        ImageSet s = new ImageSet("n", 2, 1, 2, px, new int[] {0, 1}, 2);
        Normalization n = Normalization.of(s);
        assertArrayEquals(new double[] {0.5, 0.4}, n.mean(), 1e-7);
        assertArrayEquals(new double[] {0.5, 0.2}, n.std(), 1e-7);
        float[] batch = px.clone();
        n.apply(batch, 2);
        assertArrayEquals(new float[] {-1f, 1f, -1f, -1f, 1f, -1f, 1f, 1f}, batch, 1e-5f);
    }

    @Test
    void appliedToTheWholeSetGivesZeroMeanUnitStd() {
        ImageSet s = TestImages.random("r", 50, 3, 4, 4, 2, 8);
        Normalization n = Normalization.of(s);
        float[] all = s.pixels().clone();
        n.apply(all, 3);
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sq = 0;
            int count = 0;
            for (int i = 0; i < 50; i++) {
                for (int p = 0; p < 16; p++) {
                    double v = all[(i * 3 + c) * 16 + p];
                    sum += v;
                    sq += v * v;
                    count++;
                }
            }
            assertEquals(0, sum / count, 1e-5);
            assertEquals(1, Math.sqrt(sq / count), 1e-5);
        }
    }

    @Test
    void constantChannelIsOnlyCentred() {
        ImageSet s = new ImageSet("c", 1, 1, 2, new float[] {0.3f, 0.3f, 0.3f, 0.3f}, new int[] {0, 1}, 2);
        Normalization n = Normalization.of(s);
        assertArrayEquals(new double[] {1}, n.std());
        float[] b = {0.3f, 0.8f};
        n.apply(b, 1);
        assertArrayEquals(new float[] {0f, 0.5f}, b, 1e-6f);
    }

    @Test
    void validation() {
        Normalization n = Normalization.identity(3, 2, 2);
        assertEquals("batch has 1 channels but the normalisation has 3",
                assertThrows(InvalidInputException.class, () -> n.apply(new float[12], 1)).getMessage());
        assertEquals("batch of 13 values is not a whole number of 3x2x2 images",
                assertThrows(InvalidInputException.class, () -> n.apply(new float[13], 3)).getMessage());
    }
}
