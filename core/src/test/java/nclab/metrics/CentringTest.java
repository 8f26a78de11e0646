package nclab.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import nclab.theory.ClassGeometry;
import org.junit.jupiter.api.Test;

class CentringTest {
    @Test
    void centringAGramEqualsTheGramOfExplicitlyCentredVectors() {
        Random rnd = new Random(5);
        int[] counts = {50, 30, 5, 2};
        double[][] mu = new double[4][6];
        for (double[] m : mu) {
            for (int j = 0; j < m.length; j++) {
                m[j] = rnd.nextGaussian() + 3;
            }
        }
        double[][] gram = ClassGeometry.fromVectors(mu, mu).meanGram();
        for (Centring c : Centring.values()) {
            double[] a = c.weights(counts);
            double[] centre = new double[6];
            for (int k = 0; k < 4; k++) {
                for (int j = 0; j < 6; j++) {
                    centre[j] += a[k] * mu[k][j];
                }
            }
            double[][] centred = new double[4][6];
            for (int k = 0; k < 4; k++) {
                for (int j = 0; j < 6; j++) {
                    centred[k][j] = mu[k][j] - centre[j];
                }
            }
            double[][] expected = ClassGeometry.fromVectors(centred, centred).meanGram();
            double[][] actual = c.centreGram(gram, counts);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(expected[i][j], actual[i][j], 1e-10, c + " [" + i + "][" + j + "]");
                }
            }
        }
        assertEquals(87.0 / 87, java.util.Arrays.stream(Centring.SAMPLE_WEIGHTED.weights(counts)).sum(), 1e-15);
        assertEquals(0.25, Centring.CLASS_BALANCED.weights(counts)[3]);
        assertEquals(0.0, Centring.NONE.weights(counts)[0]);
    }
}
