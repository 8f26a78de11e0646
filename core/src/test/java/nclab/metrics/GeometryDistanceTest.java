package nclab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import nclab.InvalidInputException;
import nclab.data.ClassSizes;
import nclab.data.SyntheticCollapse;
import nclab.linalg.Linalg;
import nclab.linalg.Svd;
import nclab.theory.ClassGeometry;
import org.junit.jupiter.api.Test;

class GeometryDistanceTest {
    /**
     * SELI geometry (Thrampoulidis et al. 2022, Thm 1 / Def. 2) from an explicit SVD of the SEL matrix
     * Ẑ = (I − 11ᵀ/K)Y = V Λ Uᵀ (K×N): G_W = VΛVᵀ, G_M = VΛ⁻¹Vᵀ, logits VVᵀ (zero singular value dropped).
     */
    static ClassGeometry seli(ClassSizes sizes) {
        int k = sizes.k();
        int n = Math.toIntExact(sizes.total());
        double[][] z = new double[k][n];
        for (int c = 0, col = 0; c < k; c++) {
            for (int i = 0; i < sizes.count(c); i++, col++) {
                for (int r = 0; r < k; r++) {
                    z[r][col] = (r == c ? 1.0 : 0.0) - 1.0 / k;
                }
            }
        }
        Svd svd = Linalg.svd(Linalg.matrix(z));
        double[] s = svd.s();
        int rank = svd.rank(1e-10);
        assertEquals(k - 1, rank, "the SEL matrix has rank K − 1");
        double[][] gw = new double[k][k];
        double[][] gm = new double[k][k];
        double[][] logits = new double[k][k];
        for (int r = 0; r < rank; r++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double vv = svd.u().get(i, r) * svd.u().get(j, r);
                    gw[i][j] += s[r] * vv;
                    gm[i][j] += vv / s[r];
                    logits[i][j] += vv;
                }
            }
        }
        return new ClassGeometry(gw, gm, logits);
    }

    static ClassGeometry etf(int k) {
        double[][] s = CollapseMetrics.simplexGram(k);
        return new ClassGeometry(s, s, s);
    }

    @Test
    void normalisedFrobeniusIsScaleFree() {
        double[][] a = {{1, 2}, {3, 4}};
        double[][] b = {{3, 6}, {9, 12}};
        double[][] neg = {{-1, -2}, {-3, -4}};
        assertEquals(0, GeometryDistance.normalisedFrobenius(a, b), 1e-15);
        assertEquals(2, GeometryDistance.normalisedFrobenius(a, neg), 1e-15);
        // orthogonal unit-norm matrices are √2 apart
        assertEquals(Math.sqrt(2), GeometryDistance.normalisedFrobenius(new double[][] {{1, 0}}, new double[][] {{0, 5}}), 1e-15);
        assertTrue(Double.isNaN(GeometryDistance.normalisedFrobenius(a, new double[2][2])), "zero matrix: undefined");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> GeometryDistance.normalisedFrobenius(a, new double[][] {{1, 2, 3}, {4, 5, 6}}));
        assertEquals("matrices to compare differ in row 0: 2 and 3 columns", e.getMessage());
    }

    @Test
    void seliFeaturesAreAtZeroSeliDistanceAndAwayFromEtf() {
        ClassSizes sizes = ClassSizes.step(4, 10, 0.5, 1); // 10, 10, 1, 1
        ClassGeometry seli = seli(sizes);
        SyntheticCollapse data = SyntheticCollapse.generate(seli, sizes, 10, 0.0, 17);
        ClassStatistics s = ClassStatistics.compute(FeatureRows.of(data.features()), data.labels(), 4);
        ClassGeometry measured = MeasuredGeometry.of(s, data.weights(), Centring.CLASS_BALANCED);

        GeometryDistance.Distances toSeli = GeometryDistance.Distances.between(measured, seli);
        assertEquals(0, toSeli.classifier(), 1e-10);
        assertEquals(0, toSeli.embedding(), 1e-10);
        assertEquals(0, toSeli.logits(), 1e-10);

        GeometryDistance.Distances toEtf = GeometryDistance.Distances.between(measured, etf(4));
        assertTrue(toEtf.classifier() > 0.05, "classifier distance to ETF " + toEtf.classifier());
        assertTrue(toEtf.embedding() > 0.05, "embedding distance to ETF " + toEtf.embedding());
        // the class-level SEL logits are I − 11ᵀ/K: SELI and ETF predict the same logits (SELI Sec. 5)
        assertEquals(0, toEtf.logits(), 1e-10);

        // SELI means sum to zero, but the sample-weighted mean does not: centring matters under imbalance
        ClassGeometry weighted = MeasuredGeometry.of(s, data.weights(), Centring.SAMPLE_WEIGHTED);
        assertTrue(GeometryDistance.Distances.between(weighted, seli).embedding() > 1e-3);
        double[] g = s.centre(Centring.SAMPLE_WEIGHTED);
        double norm = Math.sqrt(CollapseMetrics.dot(g, g));
        assertEquals(0.2671, norm, 5e-5, "SELI spec §4.4: plain global mean norm for k = 4, R = 10");
        ClassGeometry none = MeasuredGeometry.of(s, data.weights(), Centring.NONE);
        assertEquals(0, GeometryDistance.Distances.between(none, seli).embedding(), 1e-10);
    }

    @Test
    void balancedSeliIsTheEtf() {
        ClassGeometry seli = seli(ClassSizes.balanced(5, 3));
        GeometryDistance.Distances d = GeometryDistance.Distances.between(seli, etf(5));
        assertEquals(0, d.classifier(), 1e-12);
        assertEquals(0, d.embedding(), 1e-12);
        assertEquals(0, d.logits(), 1e-12);
    }

    @Test
    void mismatchedShapesAreRejected() {
        ClassStatistics s = ClassStatistics.compute(FeatureRows.of(new double[][] {{1, 0}, {0, 1}}), new int[] {0, 1}, 2);
        InvalidInputException w = assertThrows(InvalidInputException.class,
                () -> MeasuredGeometry.of(s, new double[][] {{1, 0, 0}, {0, 1, 0}}, Centring.NONE));
        assertEquals("classifier W row 0 has width 3 but the features have d = 2", w.getMessage());
        InvalidInputException rows = assertThrows(InvalidInputException.class,
                () -> MeasuredGeometry.of(s, new double[][] {{1, 0}}, Centring.NONE));
        assertEquals("classifier W has 1 rows but there are K = 2 classes", rows.getMessage());
        InvalidInputException k = assertThrows(InvalidInputException.class,
                () -> GeometryDistance.Distances.between(etf(3), etf(4)));
        assertEquals("measured geometry has K = 3 classes but the prediction has K = 4", k.getMessage());
    }

    @Test
    void unitFrobeniusDividesByTheFrobeniusNormAndIsWhatTheDistanceCompares() {
        double[][] a = {{3, 0}, {0, -4}};
        double[][] u = GeometryDistance.unitFrobenius(a);
        assertEquals(0.6, u[0][0], 1e-15);
        assertEquals(-0.8, u[1][1], 1e-15);
        assertEquals(0, u[0][1], 0);
        assertEquals(3, a[0][0], 0, "the input is not modified");
        assertEquals(0, GeometryDistance.normalisedFrobenius(a, u), 1e-15);
        assertTrue(Double.isNaN(GeometryDistance.unitFrobenius(new double[][] {{0, 0}})[0][0]), "zero matrix: undefined");
    }
}
