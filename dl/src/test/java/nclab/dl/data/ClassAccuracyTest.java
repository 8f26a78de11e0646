package nclab.dl.data;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassAccuracyTest {
    @Test
    void pooledGroupsAndPerClass() {
        // class 0: 4 examples, 3 right; class 1: 2 examples, 1 right; class 2: 1 example, 0 right; class 3: none
        int[] y = {0, 0, 0, 0, 1, 1, 2};
        int[] p = {0, 0, 0, 1, 1, 0, 3};
        ClassAccuracy a = ClassAccuracy.of(y, p, 4);
        assertEquals(7, a.total());
        assertEquals(4 / 7.0, a.overall(), 1e-15);
        double[] per = a.perClass();
        assertEquals(0.75, per[0]);
        assertEquals(0.5, per[1]);
        assertEquals(0.0, per[2]);
        assertTrue(Double.isNaN(per[3]));
        // pooled, not averaged: (1 + 0) / (2 + 1) = 1/3, while the mean of per-class accuracies is 1/4
        assertEquals(1 / 3.0, a.over(new int[] {1, 2}), 1e-15);
        ClassSizes sizes = ClassSizes.of(10, 10, 1, 1);
        assertEquals(4 / 6.0, a.majority(sizes), 1e-15);
        assertEquals(0.0, a.minority(sizes));
        assertTrue(Double.isNaN(a.minority(ClassSizes.balanced(4, 5))));
        assertEquals(4 / 7.0, a.majority(ClassSizes.balanced(4, 5)), 1e-15);
        assertArrayEquals(new long[] {1, 1, 0, 0}, a.confusion()[1]);
    }

    @Test
    void batchesAddUp() {
        ClassAccuracy a = ClassAccuracy.empty(3);
        a.add(new int[] {0, 1, 2, 9}, new int[] {0, 1, 1, 9}, 3);
        a.add(new int[] {2}, new int[] {2}, 1);
        assertEquals(0.75, a.overall());
        assertEquals("label 3 / prediction 0 of example 0 is out of range for 3 classes",
                assertThrows(InvalidInputException.class, () -> a.add(new int[] {3}, new int[] {0}, 1)).getMessage());
        assertTrue(Double.isNaN(ClassAccuracy.empty(2).overall()));
    }
}
