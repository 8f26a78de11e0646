package nclab.theory;

import static nclab.theory.TestMatrices.assertArrayClose;
import static nclab.theory.TestMatrices.assertMatrixEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SeliStepClosedFormsTest {

    /** (K, R, ρ = minority fraction, n_min) points where an explicit SVD of the K×N SEL matrix is cheap. */
    static Stream<Arguments> stepGrid() {
        List<Arguments> a = new ArrayList<>();
        for (double r : new double[] {1, 10, 100}) {
            a.add(Arguments.of(2, r, 0.5, 1));
            a.add(Arguments.of(2, r, 0.5, 3));
            a.add(Arguments.of(4, r, 0.5, 1));
            a.add(Arguments.of(4, r, 0.25, 2));
            a.add(Arguments.of(4, r, 0.75, 1));
            for (double rho : new double[] {0.3, 0.5, 0.7}) {
                a.add(Arguments.of(10, r, rho, 1));
            }
            a.add(Arguments.of(10, r, 0.3, 2));
            a.add(Arguments.of(10, r, 0.9, 1));
        }
        a.add(Arguments.of(6, 5, 0.5, 4));
        a.add(Arguments.of(20, 7, 0.5, 1));
        return a.stream();
    }

    @ParameterizedTest(name = "K={0} R={1} rho={2} nMin={3}")
    @MethodSource("stepGrid")
    void closedFormsMatchTheExplicitSvdOfTheSelMatrix(int k, double r, double rho, int nMin) {
        SeliStepClosedForms cf = new SeliStepClosedForms(k, r, rho, nMin);
        ClassSizes sizes = cf.sizes();
        assertEquals(sizes.total(), cf.totalSamples(), 1e-9);
        ExplicitSelSvd svd = ExplicitSelSvd.of(sizes);
        double tol = 1e-9 * Math.max(1, Math.sqrt(r * nMin));

        assertEquals(k - 1, svd.rank());
        assertArrayClose(svd.singularValues(), cf.singularValues(), tol, "singular values");
        assertEquals(svd.singularValues()[0], cf.spectralNorm(), tol);
        assertEquals(sum(svd.singularValues()), cf.nuclearNorm(), tol * k);

        ClassGeometry g = cf.geometry();
        assertMatrixEquals(svd.classifierGram(), g.classifierGram(), tol, "classifier Gram");
        assertMatrixEquals(svd.meanGram(), g.meanGram(), tol, "mean Gram");
        assertMatrixEquals(svd.logits(), g.logits(), tol, "logits");

        int maj = 0;
        int min = k - 1;
        double[][] gw = svd.classifierGram();
        double[][] gm = svd.meanGram();
        double[][] cw = ClassGeometry.cosines(gw);
        double[][] cm = ClassGeometry.cosines(gm);
        assertEquals(gw[maj][maj], cf.majorityClassifierNormSquared(), tol);
        assertEquals(gw[min][min], cf.minorityClassifierNormSquared(), tol);
        assertEquals(gw[maj][min], cf.crossClassifierInnerProduct(), tol);
        assertEquals(cw[maj][min], cf.crossClassifierCosine(), 1e-9);
        assertEquals(gm[maj][maj], cf.majorityEmbeddingNormSquared(), tol);
        assertEquals(gm[min][min], cf.minorityEmbeddingNormSquared(), tol);
        assertEquals(gm[maj][min], cf.crossEmbeddingInnerProduct(), tol);
        assertEquals(cm[maj][min], cf.crossEmbeddingCosine(), 1e-9);
        if (cf.majorityClasses() >= 2) {
            assertEquals(gw[0][1], cf.majorityClassifierInnerProduct(), tol);
            assertEquals(cw[0][1], cf.majorityClassifierCosine(), 1e-9);
            assertEquals(gm[0][1], cf.majorityEmbeddingInnerProduct(), tol);
            assertEquals(cm[0][1], cf.majorityEmbeddingCosine(), 1e-9);
        } else {
            assertTrue(Double.isNaN(cf.majorityClassifierInnerProduct()));
            assertTrue(Double.isNaN(cf.majorityEmbeddingCosine()));
        }
        if (cf.minorityClasses() >= 2) {
            assertEquals(gw[k - 2][k - 1], cf.minorityClassifierInnerProduct(), tol);
            assertEquals(cw[k - 2][k - 1], cf.minorityClassifierCosine(), 1e-9);
            assertEquals(gm[k - 2][k - 1], cf.minorityEmbeddingInnerProduct(), tol);
            assertEquals(cm[k - 2][k - 1], cf.minorityEmbeddingCosine(), 1e-9);
        } else {
            assertTrue(Double.isNaN(cf.minorityClassifierCosine()));
            assertTrue(Double.isNaN(cf.minorityEmbeddingInnerProduct()));
        }
        assertEquals(gw[maj][maj] / gw[min][min], cf.classifierNormRatioSquared(), 1e-9);
        assertEquals(Math.sqrt(gw[maj][maj] / gw[min][min]), cf.classifierNormRatio(), 1e-9);
        assertEquals(Math.sqrt(gm[maj][maj] / gm[min][min]), cf.embeddingNormRatio(), 1e-9);
        assertEquals(svd.logits()[maj][maj] / Math.sqrt(gw[maj][maj] * gm[maj][maj]), cf.majorityAlignment(), 1e-9);
        assertEquals(svd.logits()[min][min] / Math.sqrt(gw[min][min] * gm[min][min]), cf.minorityAlignment(), 1e-9);
        assertEquals(svd.logits()[maj][min], cf.otherClassLogit(), 1e-9);
        assertEquals(svd.logits()[min][min], cf.sameClassLogit(), 1e-9);
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    /** Spec §4.8 reference table (ρ = 1/2, n_min = 1; "ratio" = ratio of norms). */
    @ParameterizedTest(name = "K={0} R={1}")
    @CsvSource({
        "4,1,0.750000,0.750000,1.000000,0.750000,0.750000,1.000000,-0.333333,-0.333333,-0.333333,-0.333333,-0.333333,-0.333333,1.000000,1.000000,3.000000",
        "4,5,1.551047,0.933013,1.289344,0.367944,0.644338,0.755674,-0.441651,-0.071797,-0.359952,-0.215438,-0.551982,-0.296436,0.992791,0.967299,4.968119",
        "4,10,2.167441,1.086302,1.412532,0.264714,0.606600,0.660598,-0.458991,0.079446,-0.382096,-0.194601,-0.648532,-0.266023,0.990145,0.923921,6.507486",
        "4,100,6.776584,2.276584,1.725296,0.085180,0.535180,0.398950,-0.475670,0.560745,-0.452312,-0.173986,-0.868531,-0.164769,0.987160,0.679469,18.106335",
        "10,5,1.962059,0.973205,1.419887,0.415506,0.857735,0.696004,-0.139654,-0.027533,-0.125344,-0.076311,-0.165861,-0.096711,0.996777,0.985062,14.676323",
        "10,10,2.764343,1.034521,1.634656,0.295622,0.842640,0.592308,-0.143953,0.033369,-0.138681,-0.069702,-0.186746,-0.085434,0.995584,0.963944,18.994319",
        "10,100,8.710634,1.510634,2.401294,0.094072,0.814072,0.339937,-0.148022,0.338026,-0.195903,-0.063016,-0.228393,-0.050850,0.994232,0.811580,51.106335"})
    void referenceTableOfTheSpec(int k, double r, double wMaj2, double wMin2, double wRatio, double hMaj2, double hMin2,
                                 double hRatio, double cwMM, double cwNN, double cwMN, double chMM, double chNN, double chMN,
                                 double alignMaj, double alignMin, double nuclear) {
        SeliStepClosedForms cf = new SeliStepClosedForms(k, r, 0.5, 1);
        double tol = 1.5e-6;
        assertEquals(wMaj2, cf.majorityClassifierNormSquared(), tol);
        assertEquals(wMin2, cf.minorityClassifierNormSquared(), tol);
        assertEquals(wRatio, cf.classifierNormRatio(), tol);
        assertEquals(hMaj2, cf.majorityEmbeddingNormSquared(), tol);
        assertEquals(hMin2, cf.minorityEmbeddingNormSquared(), tol);
        assertEquals(hRatio, cf.embeddingNormRatio(), tol);
        assertEquals(cwMM, cf.majorityClassifierCosine(), tol);
        assertEquals(cwNN, cf.minorityClassifierCosine(), tol);
        assertEquals(cwMN, cf.crossClassifierCosine(), tol);
        assertEquals(chMM, cf.majorityEmbeddingCosine(), tol);
        assertEquals(chNN, cf.minorityEmbeddingCosine(), tol);
        assertEquals(chMN, cf.crossEmbeddingCosine(), tol);
        assertEquals(alignMaj, cf.majorityAlignment(), tol);
        assertEquals(alignMin, cf.minorityAlignment(), tol);
        assertEquals(nuclear, cf.nuclearNorm(), tol);
    }

    /** Spec §4.5 reference values for general ρ (k = 10, R = 10). */
    @ParameterizedTest
    @CsvSource({"0.3,2.792961,1.115492,0.293333,0.787971", "0.7,2.738617,0.972936,0.297179,0.873005"})
    void generalRhoReferenceValues(double rho, double wMaj2, double wMin2, double hMaj2, double hMin2) {
        SeliStepClosedForms cf = new SeliStepClosedForms(10, 10, rho, 1);
        assertEquals(10 - (int) Math.round(10 * rho), cf.majorityClasses());
        assertEquals(wMaj2, cf.majorityClassifierNormSquared(), 1e-6);
        assertEquals(wMin2, cf.minorityClassifierNormSquared(), 1e-6);
        assertEquals(hMaj2, cf.majorityEmbeddingNormSquared(), 1e-6);
        assertEquals(hMin2, cf.minorityEmbeddingNormSquared(), 1e-6);
    }

    @Test
    void figureOneInstanceSingularValues() {
        SeliStepClosedForms cf = new SeliStepClosedForms(4, 10, 0.5, 5);
        assertEquals(ClassSizes.of(50, 50, 5, 5), cf.sizes());
        assertArrayClose(new double[] {7.071068, 5.244044, 2.236068}, cf.singularValues(), 1e-6, "Fig. 1 sv");
        assertArrayClose(new double[] {Math.sqrt(10), Math.sqrt(5.5), 1},
                new SeliStepClosedForms(4, 10, 0.5, 1).singularValues(), 1e-12, "k=4 R=10 sv");
    }

    /** ρ = 1/2: the general forms reduce to the paper's eqs. (13), (15) and (4) written with σ = √((R+1)/2). */
    @ParameterizedTest
    @CsvSource({"4,1", "4,3", "4,7", "6,10", "10,100", "20,2.5"})
    void halfMinorityFractionReducesToThePaperEquations(int k, double r) {
        SeliStepClosedForms cf = new SeliStepClosedForms(k, r, 0.5, 1);
        double sigma = Math.sqrt((r + 1) / 2);
        double sr = Math.sqrt(r);
        assertEquals(sr * (1 - 2.0 / k) + sigma / k, cf.majorityClassifierNormSquared(), 1e-12);
        assertEquals((1 - 2.0 / k) + sigma / k, cf.minorityClassifierNormSquared(), 1e-12);
        assertEquals((1 - 2.0 / k) / sr + 1 / (k * sigma), cf.majorityEmbeddingNormSquared(), 1e-12);
        assertEquals((1 - 2.0 / k) + 1 / (k * sigma), cf.minorityEmbeddingNormSquared(), 1e-12);
        assertEquals(((k - 2) * sr + sigma) / ((k - 2) + sigma), cf.classifierNormRatioSquared(), 1e-12);
        assertEquals((-2 * sr + sigma) / ((k - 2) * sr + sigma), cf.majorityClassifierCosine(), 1e-12);
        assertEquals((r - 7) / (r - 7 + 2 * k * (2 + sigma)), cf.minorityClassifierCosine(), 1e-12);
        assertEquals((sr - 2 * sigma) / ((k - 2) * sigma + sr), cf.majorityEmbeddingCosine(), 1e-12);
        assertEquals((1 - 2 * sigma) / ((k - 2) * sigma + 1), cf.minorityEmbeddingCosine(), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6, 10, 20, 40})
    void minorityClassifiersAreOrthogonalAtRatioSeven(int k) {
        assertEquals(0, new SeliStepClosedForms(k, 7, 0.5, 1).minorityClassifierCosine(), 1e-14);
    }

    /** Cor 2.3: R = 1 (any K, ρ) or K = 2 (any R) gives the simplex ETF. */
    @ParameterizedTest
    @CsvSource({"2,1,0.5,1", "2,10,0.5,1", "2,1000,0.5,7", "4,1,0.25,1", "10,1,0.3,5", "10,1,0.5,1"})
    void ratioOneOrTwoClassesIsTheSimplexEtf(int k, double r, double rho, int nMin) {
        SeliStepClosedForms cf = new SeliStepClosedForms(k, r, rho, nMin);
        assertTrue(cf.isEtf());
        ClassGeometry g = cf.geometry();
        assertMatrixEquals(Etf.gram(k), g.classifierCosines(), 1e-12, "classifier cosines");
        assertMatrixEquals(Etf.gram(k), g.meanCosines(), 1e-12, "mean cosines");
        assertEquals(1, cf.majorityAlignment(), 1e-12);
        assertEquals(1, cf.minorityAlignment(), 1e-12);
        assertEquals(1, cf.classifierNormRatio(), 1e-12);
        assertEquals(1, cf.embeddingNormRatio(), 1e-12);
        assertFalse(new SeliStepClosedForms(4, 1.5, 0.5, 1).isEtf());
    }

    /** Cor 2.4 limits R → ∞ (spec §4.7), evaluated at R = 1e12. */
    @ParameterizedTest
    @ValueSource(ints = {4, 10})
    void largeRatioLimits(int k) {
        SeliStepClosedForms cf = new SeliStepClosedForms(k, 1e12, 0.5, 1);
        double r2 = Math.sqrt(2);
        assertRelative(1 + (k - 2) * r2, cf.classifierNormRatioSquared(), 1e-4);
        assertRelative((1 - 2 * r2) / (1 + (k - 2) * r2), cf.majorityClassifierCosine(), 1e-4);
        assertRelative(-1 / Math.sqrt(1 + (k - 2) * r2), cf.crossClassifierCosine(), 1e-4);
        assertRelative((r2 - 2) / (k - 2 + r2), cf.majorityEmbeddingCosine(), 1e-4);
        assertRelative(-2.0 / (k - 2), cf.minorityEmbeddingCosine(), 1e-4);
        assertRelative((k - 1) / (Math.sqrt(k + r2 - 2) * Math.sqrt(k + r2 / 2 - 2)), cf.majorityAlignment(), 1e-4);
        assertEquals(1, cf.minorityClassifierCosine(), 1e-2);
        assertEquals(0, cf.embeddingNormRatioSquared(), 1e-2);
        assertEquals(0, cf.crossEmbeddingCosine(), 1e-2);
        assertEquals(0, cf.minorityAlignment(), 1e-2);
    }

    private static void assertRelative(double expected, double actual, double rel) {
        assertEquals(expected, actual, rel * Math.abs(expected));
    }

    /** Monotonicity claims of spec §4.2 on R ∈ [1, 1000]. */
    @ParameterizedTest
    @ValueSource(ints = {4, 10, 20})
    void monotoneInTheImbalanceRatio(int k) {
        SeliStepClosedForms prev = new SeliStepClosedForms(k, 1, 0.5, 1);
        for (double r = 1.5; r <= 1000; r *= 1.5) {
            SeliStepClosedForms cf = new SeliStepClosedForms(k, r, 0.5, 1);
            assertTrue(cf.majorityClassifierCosine() < prev.majorityClassifierCosine(), "cos w maj at R=" + r);
            assertTrue(cf.minorityClassifierCosine() > prev.minorityClassifierCosine(), "cos w min at R=" + r);
            assertTrue(cf.classifierNormRatio() > prev.classifierNormRatio(), "w ratio at R=" + r);
            assertTrue(cf.embeddingNormRatio() < prev.embeddingNormRatio(), "h ratio at R=" + r);
            assertTrue(cf.minorityEmbeddingCosine() < prev.minorityEmbeddingCosine(), "cos h min at R=" + r);
            prev = cf;
        }
    }

    @Test
    void recognisesStepSizesInAnyOrder() {
        SeliStepClosedForms cf = SeliStepClosedForms.fromSizes(ClassSizes.of(1, 10, 1, 10, 1)).orElseThrow();
        assertEquals(new SeliStepClosedForms(5, 10, 0.6, 1), cf);
        assertEquals(ClassSizes.of(10, 10, 1, 1, 1), cf.sizes());
        assertEquals(new SeliStepClosedForms(4, 2.5, 0.25, 2), SeliStepClosedForms.fromSizes(ClassSizes.of(5, 5, 5, 2)).orElseThrow());
        assertEquals(Optional.empty(), SeliStepClosedForms.fromSizes(ClassSizes.balanced(4, 3)));
        assertEquals(Optional.empty(), SeliStepClosedForms.fromSizes(ClassSizes.of(7, 3, 3, 1)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "4 | 10  | 0    | 1 | minority fraction rho must lie in (0, 1), got rho = 0.0",
        "4 | 10  | 1    | 1 | minority fraction rho must lie in (0, 1), got rho = 1.0",
        "4 | 10  | 1.5  | 1 | minority fraction rho must lie in (0, 1), got rho = 1.5",
        "4 | 10  | -0.5 | 1 | minority fraction rho must lie in (0, 1), got rho = -0.5",
        "4 | 10  | NaN  | 1 | minority fraction rho must lie in (0, 1), got rho = NaN",
        "4 | 10  | 0.3  | 1 | rho*K = 0.3*4 is not a whole number of minority classes",
        "10| 10  | 0.01 | 1 | rho*K = 0.01*10 is not a whole number of minority classes",
        "4 | 0.5 | 0.5  | 1 | imbalance ratio R must be >= 1, got R = 0.5",
        "4 | Infinity | 0.5 | 1 | imbalance ratio R must be >= 1, got R = Infinity",
        "1 | 10  | 0.5  | 1 | need at least K = 2 classes, got K = 1",
        "4 | 10  | 0.5  | 0 | minority size n_min must be >= 1, got n_min = 0"})
    void badParametersAreRejectedWithAMessage(int k, double r, double rho, int nMin, String message) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new SeliStepClosedForms(k, r, rho, nMin));
        assertTrue(e.getMessage().contains(message.trim()), e.getMessage());
    }

    @Test
    void sizesNeedAWholeMajoritySize() {
        SeliStepClosedForms cf = new SeliStepClosedForms(4, 2.5, 0.5, 1);
        assertTrue(Double.isFinite(cf.classifierNormRatio()));
        InvalidInputException e = assertThrows(InvalidInputException.class, cf::sizes);
        assertTrue(e.getMessage().contains("R*n_min = 2.5*1 is not a whole number of samples"), e.getMessage());
    }
}
