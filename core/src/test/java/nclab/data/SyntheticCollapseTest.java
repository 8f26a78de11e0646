package nclab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nclab.InvalidInputException;
import nclab.theory.ClassGeometry;
import org.junit.jupiter.api.Test;

class SyntheticCollapseTest {
    /** A geometry that is not an ETF: unequal norms, W and means not aligned. */
    private static ClassGeometry lopsided() {
        double[][] w = {{2, 0, 0}, {-1, 1, 0}, {-1, -1, 0.5}};
        double[][] m = {{1, 0.2, 0}, {-0.5, 2, 0}, {0, -1, 1}};
        return ClassGeometry.fromVectors(w, m);
    }

    @Test
    void noiselessFeaturesReproduceTheGeometryExactly() {
        ClassSizes sizes = ClassSizes.of(5, 3, 2);
        SyntheticCollapse s = SyntheticCollapse.generate(lopsided(), sizes, 8, 0.0, 7);
        assertEquals(10, s.features().length);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 2, 2}, s.labels());
        double[][] means = {s.features()[0], s.features()[5], s.features()[8]};
        ClassGeometry rebuilt = ClassGeometry.fromVectors(s.weights(), means);
        ClassGeometry target = lopsided();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(target.classifierGram()[i], rebuilt.classifierGram()[i], 1e-10);
            assertArrayEquals(target.meanGram()[i], rebuilt.meanGram()[i], 1e-10);
            assertArrayEquals(target.logits()[i], rebuilt.logits()[i], 1e-10);
        }
    }

    @Test
    void noiseHasTheRequestedScaleAndSeedIsReproducible() {
        ClassSizes sizes = ClassSizes.balanced(3, 400);
        SyntheticCollapse a = SyntheticCollapse.generate(lopsided(), sizes, 50, 0.5, 3);
        SyntheticCollapse b = SyntheticCollapse.generate(lopsided(), sizes, 50, 0.5, 3);
        assertArrayEquals(a.features()[17], b.features()[17]);
        SyntheticCollapse clean = SyntheticCollapse.generate(lopsided(), sizes, 50, 0.0, 3);
        double sq = 0;
        for (int i = 0; i < a.features().length; i++) {
            for (int j = 0; j < 50; j++) {
                double e = a.features()[i][j] - clean.features()[i][j];
                sq += e * e;
            }
        }
        double meanSq = sq / a.features().length;
        assertTrue(Math.abs(meanSq - 0.25) < 0.01, "mean squared noise " + meanSq);
    }

    @Test
    void rejectsTooSmallDimension() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SyntheticCollapse.generate(lopsided(), ClassSizes.of(1, 1, 1), 5, 0, 1));
        assertTrue(e.getMessage().contains("d must be >= 2K = 6, got d = 5"));
    }
}
