package nclab.dl.data;

import java.util.Arrays;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImbalancedSubsetTest {
    /** 10 classes of 600 tiny 1x3x3 images. */
    private static final ImageSet FULL = GaussianMixtureImages.generate(fill(10, 600), 1, 3, 3, 0.5, 0.2, 11);

    private static int[] fill(int k, int n) {
        int[] c = new int[k];
        Arrays.fill(c, n);
        return c;
    }

    /** Checks that subset = full restricted to idx, idx by class then ascending, with exactly sizes' counts. */
    private static void assertExactSubset(ImageSet full, ClassSizes sizes, long seed) {
        int[] idx = ImbalancedSubset.indices(full.labels(), sizes, seed, full.name());
        ImageSet sub = ImbalancedSubset.select(full, sizes, seed);
        assertArrayEquals(sizes.counts(), sub.counts());
        assertEquals(sizes, sub.classSizes());
        assertEquals(idx.length, sub.size());
        assertEquals(idx.length, Arrays.stream(idx).distinct().count());
        for (int j = 0; j < idx.length; j++) {
            assertArrayEquals(full.image(idx[j]), sub.image(j));
            assertEquals(full.label(idx[j]), sub.label(j));
            if (j > 0) {
                boolean sameClass = sub.label(j) == sub.label(j - 1);
                assertTrue(sub.label(j) > sub.label(j - 1) || (sameClass && idx[j] > idx[j - 1]),
                        "order: by class, then original index");
            }
        }
    }

    @Test
    void stepSizesExactly() {
        ClassSizes step = ClassSizes.step(10, 10, 0.5, 50);
        assertArrayEquals(new int[] {500, 500, 500, 500, 500, 50, 50, 50, 50, 50}, step.counts());
        assertExactSubset(FULL, step, 1);
    }

    @Test
    void explicitCountsOfSeed001Exactly() {
        assertExactSubset(FULL, ClassSizes.of(100, 100, 200, 200, 300, 300, 400, 400, 500, 500), 2);
    }

    @Test
    void majorityMinorityOfSeed003Exactly() {
        ClassSizes lpm = ClassSizes.majorityMinority(3, 7, 600, 10);
        assertArrayEquals(new int[] {600, 600, 600, 60, 60, 60, 60, 60, 60, 60}, lpm.counts());
        assertExactSubset(FULL, lpm, 3);
    }

    @Test
    void deterministicForASeedDifferentForAnother() {
        ClassSizes sizes = ClassSizes.step(10, 10, 0.5, 50);
        assertEquals(ImbalancedSubset.select(FULL, sizes, 7), ImbalancedSubset.select(FULL, sizes, 7));
        assertFalse(Arrays.equals(ImbalancedSubset.indices(FULL.labels(), sizes, 7, "f"),
                ImbalancedSubset.indices(FULL.labels(), sizes, 8, "f")));
    }

    @Test
    void smallerCountsAreNestedAndClassesIndependent() {
        int[] r10 = ImbalancedSubset.indices(FULL.labels(), ClassSizes.step(10, 10, 0.5, 50), 5, "f");
        int[] r100 = ImbalancedSubset.indices(FULL.labels(), ClassSizes.step(10, 100, 0.5, 5), 5, "f");
        // classes 5..9: the 5 minority images at R = 100 are among the 50 at R = 10
        for (int j = 0; j < r100.length; j++) {
            final int i = r100[j];
            assertTrue(Arrays.stream(r10).anyMatch(x -> x == i), "image " + i + " not kept at the larger size");
        }
        // classes 0..4 keep the same 500 images whatever the minority size
        assertArrayEquals(Arrays.copyOf(r10, 2500), Arrays.copyOf(r100, 2500));
    }

    @Test
    void selectionIsUniform() {
        // class 0 has 10 images, keep 3: over 4000 seeds each image is kept with frequency 0.3 (sd 0.007)
        int[] labels = new int[20];
        for (int i = 10; i < 20; i++) {
            labels[i] = 1;
        }
        int[] kept = new int[10];
        int seeds = 4000;
        for (long s = 0; s < seeds; s++) {
            for (int i : ImbalancedSubset.indices(labels, ClassSizes.of(3, 1), s, "u")) {
                if (i < 10) {
                    kept[i]++;
                }
            }
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(0.3, kept[i] / (double) seeds, 0.035, "image " + i);
        }
    }

    @Test
    void tooFewImagesNamesTheClass() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ImbalancedSubset.select(FULL, ClassSizes.of(600, 600, 600, 700, 1, 1, 1, 1, 1, 1), 1));
        assertEquals("class 3 has 600 images in synthetic, 700 requested", e.getMessage());
        assertEquals("class sizes [5, 5] give K = 2 classes but synthetic has 10",
                assertThrows(InvalidInputException.class,
                        () -> ImbalancedSubset.select(FULL, ClassSizes.of(5, 5), 1)).getMessage());
    }

    @Test
    void oversampleRepeatsMinorityImages() {
        ImageSet set = TestImages.indexed(new int[] {0, 2, 1, 2, 0, 1}, 3);
        ImageSet o = ImbalancedSubset.oversample(set, new int[] {1, 2}, 3);
        assertArrayEquals(new int[] {2, 6, 6}, o.counts());
        assertArrayEquals(new int[] {0, 2, 2, 2, 1, 1, 1, 2, 2, 2, 0, 1, 1, 1}, o.labels());
        int[] source = {0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 5, 5, 5};
        for (int j = 0; j < source.length; j++) {
            assertArrayEquals(set.image(source[j]), o.image(j));
        }
        assertSame(set, ImbalancedSubset.oversample(set, new int[] {1}, 1));

        // seed 003's setting: w_r = R balances a (K_A, K_B) = (3, 7), R = 10 subset
        ImageSet lpm = ImbalancedSubset.select(FULL, ClassSizes.majorityMinority(3, 7, 500, 10), 4);
        ImageSet balanced = ImbalancedSubset.oversample(lpm, new int[] {3, 4, 5, 6, 7, 8, 9}, 10);
        assertArrayEquals(fill(10, 500), balanced.counts());
        assertEquals(3 * 500 + 10 * 7 * 50, balanced.size());
    }

    @Test
    void oversampleValidates() {
        ImageSet set = TestImages.indexed(new int[] {0, 1}, 2);
        assertEquals("oversampling rate w_r must be a whole number >= 1, got 0",
                assertThrows(InvalidInputException.class, () -> ImbalancedSubset.oversample(set, new int[] {1}, 0)).getMessage());
        assertEquals("minority class 2 is out of range for 2 classes (0..1)",
                assertThrows(InvalidInputException.class, () -> ImbalancedSubset.oversample(set, new int[] {2}, 2)).getMessage());
        assertEquals("minority class 1 is listed twice",
                assertThrows(InvalidInputException.class, () -> ImbalancedSubset.oversample(set, new int[] {1, 1}, 2)).getMessage());
    }

    @Test
    void perClassCounts() {
        assertArrayEquals(new int[] {2, 0, 1}, ImbalancedSubset.perClassCounts(new int[] {0, 2, 0}, 3));
        assertEquals("label 3 of sample 1 is out of range for 3 classes (0..2)",
                assertThrows(InvalidInputException.class,
                        () -> ImbalancedSubset.perClassCounts(new int[] {0, 3}, 3)).getMessage());
    }
}
