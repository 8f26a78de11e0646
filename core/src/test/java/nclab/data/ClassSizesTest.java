package nclab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Test;

class ClassSizesTest {

    @Test
    void stepPutsMajoritiesFirst() {
        ClassSizes s = ClassSizes.step(4, 10, 0.5, 1);
        assertArrayEquals(new int[] {10, 10, 1, 1}, s.counts());
        assertEquals(22, s.total());
        assertEquals(10.0, s.imbalanceRatio());
        assertArrayEquals(new int[] {0, 1}, s.majorityClasses());
        assertArrayEquals(new int[] {2, 3}, s.minorityClasses());
    }

    @Test
    void stepRhoIsTheMinorityFractionAsInSeliDefinition1() {
        assertArrayEquals(new int[] {50, 50, 50, 50, 50, 50, 50, 5, 5, 5},
                ClassSizes.step(10, 10, 0.3, 5).counts());
    }

    @Test
    void majorityMinorityDividesByRatio() {
        assertArrayEquals(new int[] {1000, 1000, 1000, 10, 10}, ClassSizes.majorityMinority(3, 2, 1000, 100).counts());
    }

    @Test
    void longTailEndsAtNmaxOverR() {
        int[] c = ClassSizes.longTail(5, 1000, 100).counts();
        assertEquals(1000, c[0]);
        assertEquals(10, c[4]);
        for (int i = 1; i < c.length; i++) {
            assertTrue(c[i] < c[i - 1]);
        }
        assertEquals(316, c[1]); // 1000 * 100^(-1/4) = 316.2
    }

    @Test
    void balancedHasNoMinority() {
        ClassSizes s = ClassSizes.balanced(3, 7);
        assertTrue(s.isBalanced());
        assertEquals(0, s.minorityClasses().length);
        assertFalse(ClassSizes.of(2, 1).isBalanced());
    }

    @Test
    void countsAreDefensivelyCopied() {
        int[] raw = {3, 4};
        ClassSizes s = ClassSizes.of(raw);
        raw[0] = 99;
        s.counts()[1] = 99;
        assertArrayEquals(new int[] {3, 4}, s.counts());
    }

    @Test
    void rejectsBadInputNamingTheValue() {
        assertMessage("got K = 1", () -> ClassSizes.of(5));
        assertMessage("class 2 has 0 samples", () -> ClassSizes.of(5, 0, 3));
        assertMessage("R must be >= 1, got R = 0.5", () -> ClassSizes.step(4, 0.5, 0.5, 1));
        assertMessage("rho must lie in (0, 1), got rho = 1.0", () -> ClassSizes.step(4, 10, 1.0, 1));
        assertMessage("rho must lie in (0, 1), got rho = 0.0", () -> ClassSizes.step(4, 10, 0.0, 1));
        assertMessage("rho*K = 0.3*4 is not a whole number", () -> ClassSizes.step(4, 10, 0.3, 1));
        assertMessage("R*n_min = 2.5*1 is not a whole number", () -> ClassSizes.step(4, 2.5, 0.5, 1));
        assertMessage("n_min must be >= 1, got n_min = 0", () -> ClassSizes.step(4, 10, 0.5, 0));
        assertMessage("n_A/R = 1000/3.0 is not a whole number", () -> ClassSizes.majorityMinority(5, 5, 1000, 3));
        assertMessage("leaves the minority classes with no sample", () -> ClassSizes.majorityMinority(5, 5, 10, 20));
        assertMessage("K_B must be >= 1, got K_B = 0", () -> ClassSizes.majorityMinority(5, 0, 10, 2));
        assertMessage("leaves the smallest class with no sample", () -> ClassSizes.longTail(5, 10, 100));
    }

    private static void assertMessage(String expectedPart, Runnable r) {
        InvalidInputException e = assertThrows(InvalidInputException.class, r::run);
        assertTrue(e.getMessage().contains(expectedPart), () -> "message '" + e.getMessage() + "' lacks '" + expectedPart + "'");
    }
}
