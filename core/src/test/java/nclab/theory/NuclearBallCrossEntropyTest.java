package nclab.theory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import nclab.InvalidInputException;
import nclab.linalg.Linalg;
import org.junit.jupiter.api.Test;

class NuclearBallCrossEntropyTest {

    private static double[][] gaussian(Random rnd, int n, double scale) {
        double[][] m = new double[n][n];
        for (double[] row : m) {
            for (int j = 0; j < n; j++) {
                row[j] = scale * rnd.nextGaussian();
            }
        }
        return m;
    }

    private static double nuclear(double[][] m) {
        double s = 0;
        for (double v : Linalg.singularValues(Linalg.matrix(m))) {
            s += v;
        }
        return s;
    }

    /**
     * P is the projection of A onto the convex ball C iff ⟨A − P, X − P⟩ ≤ 0 for all X ∈ C; the maximum over C of
     * ⟨A − P, X⟩ is τ‖A − P‖_op, so the condition reads τ‖A − P‖_op ≤ ⟨A − P, P⟩.
     */
    @Test
    void projectionSatisfiesTheVariationalInequality() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 5; trial++) {
            double[][] a = gaussian(rnd, 6, 2);
            double tau = 3 + trial;
            double[][] p = NuclearBallCrossEntropy.projectNuclearBall(a, tau);
            assertEquals(tau, nuclear(p), 1e-9, "the ball is active for a far point");
            double[][] r = new double[6][6];
            double inner = 0;
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 6; j++) {
                    r[i][j] = a[i][j] - p[i][j];
                    inner += r[i][j] * p[i][j];
                }
            }
            double op = Linalg.singularValues(Linalg.matrix(r))[0];
            assertTrue(tau * op <= inner + 1e-9, trial + ": " + tau * op + " > " + inner);
        }
        double[][] inside = gaussian(rnd, 4, 0.01);
        assertArrayEquals(inside[2], NuclearBallCrossEntropy.projectNuclearBall(inside, 10)[2], 0.0);
    }

    @Test
    void simplexProjectionSumsToTheRadius() {
        double[] x = NuclearBallCrossEntropy.projectSortedOntoSimplex(new double[] {5, 3, 1, 0.5}, 4);
        assertArrayEquals(new double[] {3, 1, 0, 0}, x, 1e-15);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Random rnd = new Random(3);
        double[][] z = gaussian(rnd, 5, 1.5);
        double[] w = {0.4, 0.3, 0.1, 0.1, 0.1};
        double[][] g = NuclearBallCrossEntropy.gradient(w, z);
        double h = 1e-6;
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double keep = z[i][j];
                z[i][j] = keep + h;
                double up = NuclearBallCrossEntropy.objective(w, z);
                z[i][j] = keep - h;
                double down = NuclearBallCrossEntropy.objective(w, z);
                z[i][j] = keep;
                assertEquals((up - down) / (2 * h), g[i][j], 1e-8);
            }
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertEquals("class weight 2 must be a finite number > 0, got 0.0", assertThrows(InvalidInputException.class,
                () -> NuclearBallCrossEntropy.minimize(new double[] {1, 0}, 1, 1e-9, 10)).getMessage());
        assertEquals("nuclear-norm radius must be a finite number > 0, got -1.0", assertThrows(InvalidInputException.class,
                () -> NuclearBallCrossEntropy.minimize(new double[] {1, 1}, -1, 1e-9, 10)).getMessage());
    }
}
