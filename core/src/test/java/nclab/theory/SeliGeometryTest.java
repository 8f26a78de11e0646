package nclab.theory;

import static nclab.theory.TestMatrices.assertArrayClose;
import static nclab.theory.TestMatrices.assertMatrixEquals;
import static nclab.theory.TestMatrices.normalised;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.linalg.Linalg;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SeliGeometryTest {

    static Stream<ClassSizes> sizesForExplicitSvd() {
        return Stream.of(
                ClassSizes.of(50, 50, 5, 5),
                ClassSizes.of(7, 3, 3, 1),
                ClassSizes.of(1, 2, 3, 4, 5),
                ClassSizes.of(5, 5, 50, 50),
                ClassSizes.of(100, 3),
                ClassSizes.of(1, 1, 1, 1, 1, 1, 200),
                ClassSizes.longTail(10, 200, 20),
                ClassSizes.of(10, 10, 1, 1),
                ClassSizes.of(100, 100, 100, 100, 100, 1, 1, 1, 1, 1),
                ClassSizes.of(30, 30, 30, 30, 30, 30, 30, 3, 3, 3),
                ClassSizes.balanced(6, 4));
    }

    /** The K×K basis-free construction equals the geometry read off an explicit SVD of the K×N SEL matrix. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sizesForExplicitSvd")
    void basisFreeConstructionMatchesExplicitSvd(ClassSizes sizes) {
        SeliGeometry seli = SeliGeometry.of(sizes);
        ExplicitSelSvd svd = ExplicitSelSvd.of(sizes);
        double tol = 1e-9 * Math.sqrt(sizes.max());
        assertEquals(svd.rank(), seli.rank());
        assertEquals(sizes.k() - 1, seli.rank());
        assertArrayClose(svd.singularValues(), seli.singularValues(), tol, "singular values");
        ClassGeometry g = seli.geometry();
        assertMatrixEquals(svd.classifierGram(), g.classifierGram(), tol, "classifier Gram");
        assertMatrixEquals(svd.meanGram(), g.meanGram(), tol, "mean Gram");
        assertMatrixEquals(svd.logits(), g.logits(), tol, "logits");
    }

    /** Explicit SVD of the materialised SEL matrix: its class columns are I − 11ᵀ/K (Def. 2). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sizesForExplicitSvd")
    void logitsAreTheClassLevelSelMatrixAndMeanGramIsThePseudoInverseSquareRoot(ClassSizes sizes) {
        SeliGeometry seli = SeliGeometry.of(sizes);
        int k = sizes.k();
        double[][] expected = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                expected[i][j] = (i == j ? 1 : 0) - 1.0 / k;
            }
        }
        assertMatrixEquals(expected, seli.geometry().logits(), 1e-15, "logits");
        double[][] pinv = Linalg.array(Linalg.pinv(Linalg.matrix(seli.geometry().classifierGram()), 1e-10));
        assertMatrixEquals(pinv, seli.geometry().meanGram(), 1e-9, "G_M = pinv(G_W)");
        // Lemma A.4: every off-diagonal entry of G_M is negative, the diagonal positive
        double[][] gm = seli.geometry().meanGram();
        for (int i = 0; i < k; i++) {
            assertTrue(gm[i][i] > 0);
            for (int j = 0; j < k; j++) {
                if (i != j) {
                    assertTrue(gm[i][j] < 0, "G_M[" + i + "][" + j + "] = " + gm[i][j]);
                }
            }
        }
    }

    /**
     * Thm 1: W = Λ^{1/2}Vᵀ, H = [μ_{y_i}] with μ_c = Λ^{−1/2}Vᵀe_c is UF-SVM feasible with every margin 1 and
     * ‖W‖_F² = ‖H‖_F² = ‖Ẑ‖_* (the UF-SVM optimum); classifiers sum to 0 and so do the class means (eqs. 19–20).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sizesForExplicitSvd")
    void coordinatesSolveTheUfSvmWithUnitMarginsAndObjectiveEqualToTheNuclearNorm(ClassSizes sizes) {
        SeliGeometry seli = SeliGeometry.of(sizes);
        double[][] w = seli.classifierVectors();
        double[][] m = seli.meanVectors();
        int k = sizes.k();
        assertEquals(k - 1, w[0].length);
        double wNorm2 = 0;
        double hNorm2 = 0;
        double[] wSum = new double[k - 1];
        double[] mSum = new double[k - 1];
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < k - 1; r++) {
                wNorm2 += w[c][r] * w[c][r];
                hNorm2 += sizes.count(c) * m[c][r] * m[c][r];
                wSum[r] += w[c][r];
                mSum[r] += m[c][r];
            }
        }
        for (int y = 0; y < k; y++) {
            for (int c = 0; c < k; c++) {
                if (c != y) {
                    double margin = 0;
                    for (int r = 0; r < k - 1; r++) {
                        margin += (w[y][r] - w[c][r]) * m[y][r];
                    }
                    assertEquals(1, margin, 1e-10, "margin of class " + y + " against " + c);
                }
            }
        }
        double nuclear = sum(ExplicitSelSvd.of(sizes).singularValues());
        assertEquals(nuclear, seli.nuclearNorm(), 1e-9 * nuclear);
        assertEquals(nuclear, wNorm2, 1e-9 * nuclear);
        assertEquals(nuclear, hNorm2, 1e-9 * nuclear);
        for (int r = 0; r < k - 1; r++) {
            assertEquals(0, wSum[r], 1e-10);
            assertEquals(0, mSum[r], 1e-10);
        }
        ClassGeometry fromVectors = ClassGeometry.fromVectors(w, m);
        assertMatrixEquals(seli.geometry().classifierGram(), fromVectors.classifierGram(), 1e-10, "W Gram");
        assertMatrixEquals(seli.geometry().meanGram(), fromVectors.meanGram(), 1e-10, "M Gram");
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    static Stream<Arguments> etfCases() {
        return Stream.of(Arguments.of(ClassSizes.balanced(2, 1)), Arguments.of(ClassSizes.balanced(4, 25)),
                Arguments.of(ClassSizes.balanced(10, 3)), Arguments.of(ClassSizes.of(100, 3)),
                Arguments.of(ClassSizes.of(1, 1000000)), Arguments.of(ClassSizes.balanced(7, 123456)));
    }

    /** Cor 2.1/1.3 (balanced) and Cor 2.3 (K = 2): the normalised SELI Grams equal the simplex ETF. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("etfCases")
    void balancedOrTwoClassesIsTheSimplexEtf(ClassSizes sizes) {
        SeliGeometry seli = SeliGeometry.of(sizes);
        double[][] etf = normalised(Etf.gram(sizes.k()));
        assertMatrixEquals(etf, normalised(seli.geometry().classifierGram()), 1e-12, "classifiers");
        assertMatrixEquals(etf, normalised(seli.geometry().meanGram()), 1e-12, "means");
        assertEquals(0, seli.distanceToEtfClassifiers(), 1e-12);
        assertEquals(0, seli.distanceToEtfMeans(), 1e-12);
        assertArrayClose(new double[sizes.k()], subtractOne(seli.alignment()), 1e-12, "alignment");
    }

    private static double[] subtractOne(double[] a) {
        double[] d = a.clone();
        for (int i = 0; i < d.length; i++) {
            d[i] -= 1;
        }
        return d;
    }

    /** Spec §4.8: ‖Ĝ^SELI − Ĝ*‖_F for W and M at ρ = 1/2, n_min = 1 (and, being scale-free, any n_min). */
    @ParameterizedTest
    @CsvSource({"4,5,0.296260,0.334790", "4,10,0.387469,0.471909", "4,100,0.548990,0.766957",
        "10,5,0.342092,0.356057", "10,10,0.447411,0.476901", "10,100,0.633919,0.705419"})
    void distanceToEtfReferenceValues(int k, int r, double dw, double dm) {
        for (int nMin : new int[] {1, 7}) {
            int[] c = new int[k];
            for (int i = 0; i < k; i++) {
                c[i] = i < k / 2 ? r * nMin : nMin;
            }
            SeliGeometry seli = SeliGeometry.of(ClassSizes.of(c));
            assertEquals(dw, seli.distanceToEtfClassifiers(), 1e-6);
            assertEquals(dm, seli.distanceToEtfMeans(), 1e-6);
        }
    }

    @Test
    void figureOneInstance() {
        SeliGeometry seli = SeliGeometry.of(ClassSizes.of(50, 50, 5, 5));
        assertArrayClose(new double[] {7.071068, 5.244044, 2.236068}, seli.singularValues(), 1e-6, "sv");
    }

    /** Huge N (no SEL matrix is ever formed): agrees with the STEP closed forms at R = 10⁶. */
    @Test
    void hugeClassSizesAgreeWithTheStepClosedForms() {
        ClassSizes sizes = ClassSizes.of(1000000, 1000000, 1000000, 3, 3, 3, 3);
        SeliGeometry seli = SeliGeometry.of(sizes);
        SeliStepClosedForms cf = SeliStepClosedForms.fromSizes(sizes).orElseThrow();
        assertArrayClose(cf.singularValues(), seli.singularValues(), 1e-9 * 1000, "sv");
        ClassGeometry expected = cf.geometry();
        assertMatrixEquals(expected.classifierGram(), seli.geometry().classifierGram(), 1e-8, "G_W");
        // eigenvalues 3..3e6 of S: round-off ε·n_max in the small ones gives ~1e-11 relative error in G_M
        assertMatrixEquals(expected.meanGram(), seli.geometry().meanGram(), 1e-9, "G_M");
        assertEquals(cf.classifierNormRatio(), seli.normRatioClassifiers(), 1e-10);
        assertEquals(cf.embeddingNormRatio(), seli.normRatioEmbeddings(), 1e-10);
    }

    @Test
    void predictionCarriesModelSizesAndDetails() {
        ClassSizes sizes = ClassSizes.of(10, 10, 1, 1);
        GeometryPrediction p = SeliGeometry.predict(TheoryParameters.of(sizes));
        assertEquals("seli", p.model());
        assertEquals(sizes, p.sizes());
        Map<String, Object> d = p.details();
        assertEquals(List.of("singularValues", "rank", "nuclearNorm", "spectralNorm", "normRatioClassifiers",
                "normRatioEmbeddings", "alignment", "distanceToEtfClassifiers", "distanceToEtfMeans"), List.copyOf(d.keySet()));
        assertArrayClose(new double[] {Math.sqrt(10), Math.sqrt(5.5), 1}, (double[]) d.get("singularValues"), 1e-12, "sv");
        assertEquals(3, d.get("rank"));
        assertEquals(6.507486, (double) d.get("nuclearNorm"), 1e-6);
        assertEquals(Math.sqrt(10), (double) d.get("spectralNorm"), 1e-12);
        assertEquals(1.412532, (double) d.get("normRatioClassifiers"), 1e-6);
        assertEquals(0.660598, (double) d.get("normRatioEmbeddings"), 1e-6);
        double[] align = (double[]) d.get("alignment");
        assertArrayClose(new double[] {0.990145, 0.990145, 0.923921, 0.923921}, align, 1e-6, "alignment");
        assertEquals(0.387469, (double) d.get("distanceToEtfClassifiers"), 1e-6);
        assertThrows(UnsupportedOperationException.class, () -> d.put("x", 1));
    }

    /** Classes of equal size are interchangeable, so norm ratios use any largest and any smallest class. */
    @Test
    void normRatiosForUnorderedAndMultiLevelSizes() {
        SeliGeometry seli = SeliGeometry.of(ClassSizes.of(3, 70, 10, 70, 3));
        double[] wn = seli.geometry().classifierNorms();
        double[] mn = seli.geometry().meanNorms();
        assertEquals(wn[1], wn[3], 1e-12);
        assertEquals(wn[0], wn[4], 1e-12);
        assertEquals(wn[1] / wn[0], seli.normRatioClassifiers(), 1e-12);
        assertEquals(mn[1] / mn[0], seli.normRatioEmbeddings(), 1e-12);
        assertTrue(seli.normRatioClassifiers() > 1);
        assertTrue(seli.normRatioEmbeddings() < 1);
        assertEquals(1.0, SeliGeometry.of(ClassSizes.balanced(3, 8)).normRatioClassifiers(), 1e-12);
    }

    @Test
    void badInputIsRejectedWithAMessage() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SeliGeometry.of(ClassSizes.of(5)));
        assertTrue(e.getMessage().contains("need at least K = 2 classes, got K = 1"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> SeliGeometry.of(null));
        assertTrue(e.getMessage().contains("class sizes are required"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> SeliGeometry.predict(TheoryParameters.of(null)));
        assertTrue(e.getMessage().contains("class sizes are required"), e.getMessage());
    }
}
