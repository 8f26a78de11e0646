package nclab.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayerPeeledGeometryTest {

    private static LayerPeeledGeometry solve(int kA, int kB, int nA, double r) {
        return LayerPeeledGeometry.solve(ClassSizes.majorityMinority(kA, kB, nA, r), 1, 5, 1);
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    /** Theorem 1 and its optimal value log(1 + (K−1) exp(−K√(E_H E_W)/(K−1))) (spec §2, [D][V]). */
    @ParameterizedTest
    @CsvSource({"4, 7, 1, 5", "10, 1000, 1, 5", "3, 2, 2, 0.5", "6, 40, 0.3, 3"})
    void balancedSizesGiveTheSimplexEtf(int k, int n, double eW, double eH) {
        LayerPeeledGeometry lpm = LayerPeeledGeometry.solve(ClassSizes.balanced(k, n), eW, eH, 1);
        ClassGeometry g = lpm.geometry();
        double[][] cw = g.classifierCosines();
        double[][] cm = g.meanCosines();
        double[][] z = g.logits();
        double[][] ww = g.classifierGram();
        for (int i = 0; i < k; i++) {
            assertEquals(eW, ww[i][i], 1e-9, "||w_k||^2 = E_W");
            assertEquals(eH, g.meanGram()[i][i], 1e-9, "||h_k||^2 = E_H");
            for (int j = 0; j < k; j++) {
                double expected = i == j ? 1 : -1.0 / (k - 1);
                assertEquals(expected, cw[i][j], 1e-9);
                assertEquals(expected, cm[i][j], 1e-9);
                // h_k = sqrt(E_H/E_W) w_k  ⇒  w_i·h_j = sqrt(E_H/E_W) w_i·w_j
                assertEquals(Math.sqrt(eH / eW) * ww[i][j], z[i][j], 1e-8);
            }
        }
        double optimum = Math.log(1 + (k - 1) * Math.exp(-k * Math.sqrt(eH * eW) / (k - 1)));
        assertEquals(optimum, lpm.objective(), 1e-11);
        assertTrue(lpm.certificate().converged());
        assertFalse(lpm.minorityCollapsed());
        assertTrue(Double.isNaN(lpm.minorityCosine()), "balanced: no minority classes");
    }

    @Test
    void specOptimalValueAtBalanceIsReproduced() {
        // spec §6 item 1: K = 10, E_W = 1, E_H = 5
        assertEquals(0.559781524010, solve(5, 5, 1000, 1).objective(), 1e-11);
        LayerPeeledGeometry r1 = solve(5, 5, 1000, 1);
        assertEquals(-1.0 / 9, LayerPeeledGeometry.meanPairwiseCosine(r1.geometry().classifierGram(), range(5, 10)), 1e-10);
    }

    /** Spec §6 items 3–4 (independent numpy/scipy solver): optimal values and minority cosines. */
    @Test
    void fiveFiveSplitMatchesTheSpecAcceptanceNumbers() {
        LayerPeeledGeometry r10 = solve(5, 5, 1000, 10);
        assertEquals(0.261677038637, r10.objective(), 1e-11);
        assertEquals(0.517496, r10.minorityCosine(), 1e-6);
        assertEquals(0.9412, r10.minorityCosineGramRows(), 1e-4);
        assertEquals(-0.1675, r10.majorityCosine(), 1e-4);
        assertEquals(0.4406, r10.minorityClassifierNorm(), 1e-4);
        assertFalse(r10.minorityClassifiersEqual());
        assertTrue(r10.normRatio() > 1);

        LayerPeeledGeometry r100 = solve(5, 5, 1000, 100);
        assertEquals(0.091299164075, r100.objective(), 1e-11);
        assertEquals(1.0, r100.minorityCosine(), 1e-9);
        assertTrue(r100.minorityClassifiersEqual(), "Minority Collapse past R_0 = 12.19");
        assertFalse(r100.minorityCollapsed(), "(5,5) never reaches zero classifiers");
        assertEquals(0.1848, r100.minorityClassifierNorm(), 1e-4);
    }

    /** Spec §6 item 4 table: true classifier cosine / row-of-X cosine, 4 digits. */
    @ParameterizedTest
    @CsvSource({
        "3, 7, 10,  -0.0202, 0.1738",
        "5, 5, 5,    0.0725, 0.3647",
        "7, 3, 2,   -0.0251, 0.0702",
        "3, 3, 10,   0.1905, 0.6164",
        "7, 7, 7,    0.4336, 0.9194",
        "3, 7, 100,  0.3107, 0.8898"})
    void minorityCosinesMatchTheSpecTable(int kA, int kB, double r, double cosine, double gramRows) {
        LayerPeeledGeometry lpm = solve(kA, kB, (int) Math.round(1000 * r), r);
        assertEquals(cosine, lpm.minorityCosine(), 6e-5);
        assertEquals(gramRows, lpm.minorityCosineGramRows(), 6e-5);
        assertTrue(lpm.certificate().converged());
    }

    /** Spec §6 item 5: for (K_A, K_B) = (7, 3) the minority classifiers become zero at R_z ≈ 5.705. */
    @Test
    void sevenThreeSplitZeroesTheMinoritiesAboveTheSecondThreshold() {
        LayerPeeledGeometry below = solve(7, 3, 5650, 5.65);
        assertTrue(below.minorityClassifiersEqual(), "past R_0 = 4.00 the minorities coincide");
        assertFalse(below.minorityCollapsed());
        assertTrue(below.minorityClassifierNorm() > 0.01, "nonzero common classifier below R_z: " + below.minorityClassifierNorm());
        assertEquals(1.0, below.minorityCosine(), 1e-9);
        assertTrue(below.certificate().converged());

        LayerPeeledGeometry above = solve(7, 3, 5760, 5.76);
        assertTrue(above.minorityCollapsed());
        assertTrue(Double.isNaN(above.minorityCosine()));
        assertTrue(Double.isNaN(above.minorityCosineGramRows()));
        assertTrue(Double.isNaN(above.normRatio()));
        ClassGeometry g = above.geometry();
        for (int i = 7; i < 10; i++) {
            assertEquals(0.0, g.classifierNorms()[i], 0.0, "minority classifier exactly zero");
            assertEquals(0.0, g.meanNorms()[i], 0.0, "minority class mean exactly zero");
        }
        // the majorities form an exact K_A-simplex ETF with ||w_A||^2 = K E_W / K_A
        for (int i = 0; i < 7; i++) {
            assertEquals(10.0 / 7, g.classifierGram()[i][i], 1e-9);
            for (int j = 0; j < 7; j++) {
                if (i != j) {
                    assertEquals(-1.0 / 6, g.classifierCosines()[i][j], 1e-9);
                }
            }
        }
        assertTrue(above.certificate().converged(), "the snapped solution is certified too");
        assertTrue(above.certificate().relativeGap() < 1e-10);
        Map<String, Object> d = above.details();
        assertEquals(Boolean.TRUE, d.get("minorityCollapsed"));
        assertTrue(Double.isNaN((Double) d.get("minorityCosine")));
    }

    /** Spec §3.4: small duality gap and KKT residual, both energy budgets active. */
    @ParameterizedTest
    @CsvSource({"5, 5, 10", "7, 3, 3", "3, 7, 30", "2, 2, 4"})
    void certificateIsSmallAndBudgetsAreActive(int kA, int kB, double r) {
        LayerPeeledGeometry lpm = LayerPeeledGeometry.solve(ClassSizes.majorityMinority(kA, kB, 1200, r), 1.5, 2, 1);
        int k = kA + kB;
        assertTrue(lpm.certificate().relativeGap() < 1e-6, "gap " + lpm.certificate().relativeGap());
        assertTrue(lpm.certificate().converged());
        assertTrue(lpm.certificate().kktResidual() < 1e-8, "KKT " + lpm.certificate().kktResidual());
        double traceW = 0;
        double traceH = 0;
        for (int i = 0; i < k; i++) {
            traceW += lpm.geometry().classifierGram()[i][i];
            traceH += lpm.geometry().meanGram()[i][i];
        }
        assertEquals(1.5, traceW / k, 1e-9, "(1/K) sum ||w_k||^2 = E_W");
        assertEquals(2.0, traceH / k, 1e-9, "(1/K) sum ||h_k||^2 = E_H");
    }

    /** The gap is a true upper bound on F(Z) − F*: check it on an unconverged iterate. */
    @Test
    void dualityGapBoundsTheSuboptimalityOfAnEarlyIterate() {
        double[] pi = LayerPeeledGeometry.classWeights(ClassSizes.majorityMinority(5, 5, 1000, 10), 1);
        double tau = 10 * Math.sqrt(5);
        double optimum = NuclearBallCrossEntropy.minimize(pi, tau, 1e-12, 100_000).objective();
        for (int steps : new int[] {1, 2, 3, 5, 8}) {
            NuclearBallCrossEntropy.Solution early = NuclearBallCrossEntropy.minimize(pi, tau, 1e-12, steps);
            assertFalse(early.converged());
            double excess = early.objective() - optimum;
            assertTrue(excess > 0, steps + ": excess " + excess);
            assertTrue(early.dualityGap() >= excess, steps + ": gap " + early.dualityGap() + " < excess " + excess);
        }
    }

    /**
     * Independent check: projected gradient on the original non-convex LPM (eq. 7) with one feature per example,
     * from several random starts, reaches the convex solver's optimum and its minority cosine.
     */
    @Test
    void nonConvexPerExampleDescentReachesTheSameOptimum() {
        int[] counts = {6, 6, 2, 2, 2};
        LayerPeeledGeometry lpm = LayerPeeledGeometry.solve(ClassSizes.of(counts), 1, 2, 1);
        for (long seed : new long[] {1, 2, 3}) {
            NonConvexLayerPeeledDescent pg = NonConvexLayerPeeledDescent.run(counts, 1, 2, 10, seed, 5_000);
            assertEquals(lpm.objective(), pg.objective, 1e-8 * lpm.objective(), "seed " + seed);
            double[][] gram = new double[5][5];
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    for (int c = 0; c < pg.w[0].length; c++) {
                        gram[i][j] += pg.w[i][c] * pg.w[j][c];
                    }
                }
            }
            assertEquals(lpm.minorityCosine(), LayerPeeledGeometry.meanPairwiseCosine(gram, new int[] {2, 3, 4}), 1e-4);
        }
    }

    /** Proposition 1 / eq. 18: oversampling by w_r is the same as multiplying the minority sizes by w_r. */
    @Test
    void oversamplingEqualsScalingTheMinoritySizes() {
        ClassSizes sizes = ClassSizes.majorityMinority(7, 3, 1200, 12);
        double[] pi = LayerPeeledGeometry.classWeights(sizes, 4);
        double nPrime = 1200 * 7 + 4 * 100 * 3;
        assertEquals(1200 / nPrime, pi[0], 1e-15);
        assertEquals(4 * 100 / nPrime, pi[9], 1e-15);

        LayerPeeledGeometry oversampled = LayerPeeledGeometry.solve(sizes, 1, 5, 4);
        LayerPeeledGeometry scaled = LayerPeeledGeometry.solve(ClassSizes.majorityMinority(7, 3, 1200, 3), 1, 5, 1);
        assertEquals(0.476396165203, scaled.objective(), 1e-11, "spec §6 item 3");
        assertEquals(scaled.objective(), oversampled.objective(), 1e-12);
        assertEquals(0.1656, oversampled.minorityCosine(), 1e-4, "spec table, (7,3), R_eff = 3");
        assertEquals(scaled.minorityCosine(), oversampled.minorityCosine(), 1e-9);
        assertEquals(scaled.minorityClassifierNorm(), oversampled.minorityClassifierNorm(), 1e-9);
        LayerPeeledGeometry plain = LayerPeeledGeometry.solve(sizes, 1, 5, 1);
        assertTrue(plain.minorityCollapsed(), "without oversampling R = 12 > R_z = 5.705 zeroes the minorities");

        // w_r = R restores balance: the simplex ETF (spec §6 item 7)
        LayerPeeledGeometry restored = LayerPeeledGeometry.solve(ClassSizes.majorityMinority(5, 5, 1000, 10), 1, 5, 10);
        assertEquals(-1.0 / 9, restored.minorityCosine(), 1e-9);
        assertEquals(0.559781524010, restored.objective(), 1e-11);
        assertEquals(1.0, restored.normRatio(), 1e-9);
    }

    /** Spec §6 item 5: cosines depend on E_W·E_H only; the Grams scale with √(E_W/E_H) and √(E_H/E_W). */
    @Test
    void onlyTheProductOfTheEnergiesMatters() {
        ClassSizes sizes = ClassSizes.majorityMinority(7, 3, 3000, 3);
        LayerPeeledGeometry a = LayerPeeledGeometry.solve(sizes, 1, 10, 1);
        LayerPeeledGeometry b = LayerPeeledGeometry.solve(sizes, 2, 5, 1);
        assertEquals(a.objective(), b.objective(), 1e-11);
        assertEquals(a.minorityCosine(), b.minorityCosine(), 1e-8);
        assertEquals(2 * a.geometry().classifierGram()[9][9], b.geometry().classifierGram()[9][9], 1e-8);
        assertEquals(a.geometry().meanGram()[9][9] / 2, b.geometry().meanGram()[9][9], 1e-8);
        LayerPeeledGeometry c = LayerPeeledGeometry.solve(sizes, 1, 5, 1);
        assertTrue(c.minorityCosine() > a.minorityCosine() + 0.05, "a smaller E_W E_H collapses earlier (spec §6 item 5)");
    }

    @Test
    void predictUsesTheDefaultsAndFillsTheDetails() {
        GeometryPrediction p = LayerPeeledGeometry.predict(TheoryParameters.of(ClassSizes.majorityMinority(7, 3, 3000, 3)));
        assertEquals("lpm", p.model());
        Map<String, Object> d = p.details();
        assertEquals(0.1656, (Double) d.get("minorityCosine"), 1e-4);
        assertEquals(0.4678, (Double) d.get("minorityCosineGramRows"), 1e-4);
        assertEquals(1.0, d.get("eW"));
        assertEquals(5.0, d.get("eH"));
        for (String key : new String[] {"objective", "certificate", "iterations", "minorityCosineGramRows", "normRatio",
            "minorityCollapsed", "singularValues"}) {
            assertTrue(d.containsKey(key), key);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> cert = (Map<String, Object>) d.get("certificate");
        assertEquals(Boolean.TRUE, cert.get("converged"));
        assertTrue((Double) cert.get("dualityGap") < 1e-9);
    }

    @Test
    void badInputsAreRejectedWithMessages() {
        ClassSizes sizes = ClassSizes.of(10, 2);
        assertEquals("E_W must be a finite number > 0, got 0.0",
                assertThrows(InvalidInputException.class, () -> LayerPeeledGeometry.solve(sizes, 0, 5, 1)).getMessage());
        assertEquals("E_H must be a finite number > 0, got -1.0",
                assertThrows(InvalidInputException.class, () -> LayerPeeledGeometry.solve(sizes, 1, -1, 1)).getMessage());
        assertEquals("oversampling rate w_r must be a finite number >= 1, got 0.5",
                assertThrows(InvalidInputException.class, () -> LayerPeeledGeometry.solve(sizes, 1, 5, 0.5)).getMessage());
        assertEquals("oversampling rate w_r must be a finite number >= 1, got NaN",
                assertThrows(InvalidInputException.class, () -> LayerPeeledGeometry.solve(sizes, 1, 5, Double.NaN)).getMessage());
        TheoryParameters badEw = new TheoryParameters(sizes, null, null, null, -2.0, null, null, null, false);
        assertEquals("--ew must be a finite number > 0, got -2.0",
                assertThrows(InvalidInputException.class, () -> LayerPeeledGeometry.predict(badEw)).getMessage());
        TheoryParameters badOversample = new TheoryParameters(sizes, null, null, null, null, null, 0.5, null, false);
        assertEquals("--oversample must be a rate >= 1, got 0.5",
                assertThrows(InvalidInputException.class, () -> LayerPeeledGeometry.predict(badOversample)).getMessage());
    }
}
