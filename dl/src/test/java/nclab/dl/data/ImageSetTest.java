package nclab.dl.data;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageSetTest {
    private static String failure(Runnable r) {
        return assertThrows(InvalidInputException.class, r::run).getMessage();
    }

    @Test
    void validation() {
        assertEquals("s: 2 images of 1x2x2 need 8 pixel values, got 7",
                failure(() -> new ImageSet("s", 1, 2, 2, new float[7], new int[2], 2)));
        assertEquals("s: label 2 of image 1 is out of range for 2 classes (labels must lie in 0..1)",
                failure(() -> new ImageSet("s", 1, 1, 1, new float[2], new int[] {0, 2}, 2)));
        assertEquals("s: label -1 of image 0 is out of range for 2 classes (labels must lie in 0..1)",
                failure(() -> new ImageSet("s", 1, 1, 1, new float[1], new int[] {-1}, 2)));
        assertEquals("s: need at least 2 classes, got 1",
                failure(() -> new ImageSet("s", 1, 1, 1, new float[1], new int[] {0}, 1)));
        assertEquals("s: pixel value 1.5 of image 1 is outside [0, 1]",
                failure(() -> new ImageSet("s", 1, 1, 2, new float[] {0, 0, 1.5f, 0}, new int[] {0, 1}, 2)));
        assertEquals("s: pixel value NaN of image 0 is outside [0, 1]",
                failure(() -> new ImageSet("s", 1, 1, 1, new float[] {Float.NaN}, new int[] {0}, 2)));
        assertEquals("s: image shape must be positive, got 0x1x1",
                failure(() -> new ImageSet("s", 0, 1, 1, new float[0], new int[0], 2)));
    }

    @Test
    void subsetCountsAndImages() {
        ImageSet s = TestImages.indexed(new int[] {0, 1, 2, 1, 1}, 4);
        assertEquals(5, s.size());
        assertEquals(4, s.imageSize());
        assertArrayEquals(new int[] {1, 3, 1, 0}, s.counts());
        assertEquals("class 4 has 0 samples; every class needs at least 1", failure(s::classSizes));
        ImageSet sub = s.subset(new int[] {3, 0, 3});
        assertArrayEquals(new int[] {1, 0, 1}, sub.labels());
        assertArrayEquals(s.image(3), sub.image(0));
        assertArrayEquals(s.image(0), sub.image(1));
        assertArrayEquals(s.image(3), sub.image(2));
        assertEquals("indexed: image index 5 out of range 0..4", failure(() -> s.subset(new int[] {5})));
        float[] copy = s.image(2);
        copy[0] = 0.9f;
        assertEquals(2 / 255f, s.pixels()[8]);
        float[] batch = new float[6];
        s.copyImage(4, batch, 2);
        assertArrayEquals(new float[] {0, 0, 4 / 255f, 4 / 255f, 4 / 255f, 4 / 255f}, batch);
        assertEquals("indexed: 5 images of 1x2x2, 4 classes", s.toString());

        float[] px = new float[3 * 4];
        int[] y = new int[3];
        assertEquals(2, s.gather(new int[] {4, 2, 0, 1}, 1, 3, px, y));
        assertArrayEquals(new int[] {2, 0, 0}, y);
        assertArrayEquals(new float[] {2 / 255f, 2 / 255f, 2 / 255f, 2 / 255f, 0, 0, 0, 0, 0, 0, 0, 0}, px);
    }
}
