package nclab.theory;

import static nclab.theory.TestMatrices.assertMatrixEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EtfTest {

    /** Independent construction: the simplex vertices e_c − 1/K·1, rescaled to unit norm. */
    private static double[][] simplexVertices(int k) {
        double scale = 1 / Math.sqrt(1 - 1.0 / k);
        double[][] v = new double[k][k];
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < k; r++) {
                v[c][r] = ((r == c ? 1.0 : 0.0) - 1.0 / k) * scale;
            }
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 10, 25})
    void gramEqualsTheGramOfExplicitSimplexVertices(int k) {
        double[][] v = simplexVertices(k);
        ClassGeometry explicit = ClassGeometry.fromVectors(v, v);
        assertMatrixEquals(explicit.classifierGram(), Etf.gram(k), 1e-12, "ETF Gram");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 10})
    void gramHasEigenvalueKOverKMinusOneOnTheCentredSubspaceAndZeroOnOnes(int k) {
        double[] eig = Linalg.symmetricEigen(Linalg.matrix(Etf.gram(k))).values();
        for (int i = 0; i < k - 1; i++) {
            assertEquals(k / (k - 1.0), eig[i], 1e-12, "eigenvalue " + i);
        }
        assertEquals(0, eig[k - 1], 1e-12);
    }

    @Test
    void predictionIsEquiangularUnitNormAndIgnoresClassSizes() {
        GeometryPrediction p = Etf.predict(TheoryParameters.of(ClassSizes.of(100, 7, 3, 1)));
        assertEquals("etf", p.model());
        assertEquals(ClassSizes.of(100, 7, 3, 1), p.sizes());
        ClassGeometry g = p.geometry();
        assertMatrixEquals(Etf.gram(4), g.classifierGram(), 0, "classifierGram");
        assertMatrixEquals(Etf.gram(4), g.meanGram(), 0, "meanGram");
        assertMatrixEquals(Etf.gram(4), g.logits(), 0, "logits");
        for (int i = 0; i < 4; i++) {
            assertEquals(1, g.classifierNorms()[i], 1e-15);
            assertEquals(1, g.meanNorms()[i], 1e-15);
            for (int j = 0; j < 4; j++) {
                if (i != j) {
                    assertEquals(-1.0 / 3, g.classifierCosines()[i][j], 1e-15);
                    assertEquals(-1.0 / 3, g.meanCosines()[i][j], 1e-15);
                }
            }
        }
        assertEquals(-1.0 / 3, (double) p.details().get("cosine"), 1e-15);
        assertEquals(1.0, (double) p.details().get("norm"));
        assertEquals(g, Etf.predict(TheoryParameters.of(ClassSizes.balanced(4, 9))).geometry());
    }

    @Test
    void kEqualsTwoGivesAntipodalVectors() {
        assertEquals(-1, Etf.cosine(2));
        assertMatrixEquals(new double[][] {{1, -1}, {-1, 1}}, Etf.gram(2), 0, "K=2");
    }

    @Test
    void detailsAreReadOnly() {
        GeometryPrediction p = Etf.predict(TheoryParameters.of(ClassSizes.balanced(3, 2)));
        assertThrows(UnsupportedOperationException.class, () -> p.details().put("x", 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 0, -3})
    void fewerThanTwoClassesIsRejectedWithAMessage(int k) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Etf.gram(k));
        assertTrue(e.getMessage().contains("the simplex ETF needs at least K = 2 classes, got K = " + k), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Etf.cosine(k));
    }
}
