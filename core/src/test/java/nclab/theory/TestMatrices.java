package nclab.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Assertion helpers for K×K matrices. */
final class TestMatrices {
    private TestMatrices() {
    }

    static void assertMatrixEquals(double[][] expected, double[][] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " rows");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + " row " + i);
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], actual[i][j], tol, what + "[" + i + "][" + j + "]");
            }
        }
    }

    static void assertArrayClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
        }
    }

    static double[][] normalised(double[][] g) {
        double s = 0;
        for (double[] row : g) {
            for (double x : row) {
                s += x * x;
            }
        }
        double n = Math.sqrt(s);
        double[][] out = new double[g.length][];
        for (int i = 0; i < g.length; i++) {
            out[i] = new double[g[i].length];
            for (int j = 0; j < g[i].length; j++) {
                out[i][j] = g[i][j] / n;
            }
        }
        return out;
    }
}
