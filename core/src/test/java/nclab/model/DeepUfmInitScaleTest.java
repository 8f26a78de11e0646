package nclab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;

/** The deep UFM's initialisation scale (solve key {@code init_scale}). */
class DeepUfmInitScaleTest {
    @Test
    void scaledStartIsTheDefaultStartTimesTheScale() {
        ClassSizes sizes = ClassSizes.balanced(4, 3);
        for (DeepUfmObjective.Activation a : DeepUfmObjective.Activation.values()) {
            double[] one = new DeepUfmObjective(sizes, 6, 3, 0.01, a).initialPoint(new SplittableRandom(7));
            double[] half = new DeepUfmObjective(sizes, 6, 3, 0.01, a, 0.5).initialPoint(new SplittableRandom(7));
            double[] expected = new double[one.length];
            for (int i = 0; i < one.length; i++) {
                expected[i] = 0.5 * one[i];
            }
            assertArrayEquals(expected, half, 1e-15);
            // W entries bounded by scale/sqrt(d)
            double bound = 0;
            for (int i = 0; i < 6 * 6 + 6 * 6 + 4 * 6; i++) {
                bound = Math.max(bound, Math.abs(half[i]));
            }
            assertEquals(true, bound <= 0.5 / Math.sqrt(6));
        }
    }

    @Test
    void rejectsANonPositiveScale() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new DeepUfmObjective(ClassSizes.balanced(3, 2), 4, 2, 0.01, DeepUfmObjective.Activation.RELU, 0));
        assertEquals(true, e.getMessage().contains("init scale"), e.getMessage());
    }
}
