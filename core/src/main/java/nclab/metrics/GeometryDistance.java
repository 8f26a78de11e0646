package nclab.metrics;

import nclab.InvalidInputException;
import nclab.theory.ClassGeometry;

/**
 * Scale-free distance between two matrices, ‖A/‖A‖_F − B/‖B‖_F‖_F ∈ [0, 2], as used by Thrampoulidis et al.
 * (2022, "Imbalance Trouble", Sec. 5) to compare measured classifier, embedding and logit matrices with the
 * SELI and ETF references. The distance is undefined (NaN) when either matrix is exactly zero.
 */
public final class GeometryDistance {
    private GeometryDistance() {
    }

    /** A/‖A‖_F, the matrix this distance compares (NaN entries when A = 0). */
    public static double[][] unitFrobenius(double[][] a) {
        double f = 0;
        for (double[] row : a) {
            for (double v : row) {
                f += v * v;
            }
        }
        double n = Math.sqrt(f);
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                out[i][j] = a[i][j] / n;
            }
        }
        return out;
    }

    /** ‖A/‖A‖_F − B/‖B‖_F‖_F for matrices of equal shape; NaN if ‖A‖_F = 0 or ‖B‖_F = 0. */
    public static double normalisedFrobenius(double[][] a, double[][] b) {
        InvalidInputException.require(a.length == b.length,
                "matrices to compare have " + a.length + " and " + b.length + " rows");
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            InvalidInputException.require(a[i].length == b[i].length,
                    "matrices to compare differ in row " + i + ": " + a[i].length + " and " + b[i].length + " columns");
            for (int j = 0; j < a[i].length; j++) {
                na += a[i][j] * a[i][j];
                nb += b[i][j] * b[i][j];
            }
        }
        if (na == 0 || nb == 0) {
            return Double.NaN;
        }
        na = Math.sqrt(na);
        nb = Math.sqrt(nb);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                double e = a[i][j] / na - b[i][j] / nb;
                s += e * e;
            }
        }
        return Math.sqrt(s);
    }

    /**
     * The three distances of SELI Sec. 5: classifier Grams WWᵀ (K×K), class-mean Grams MMᵀ (K×K) and
     * class-level logits W Mᵀ (K×K), each compared after Frobenius normalisation.
     */
    public record Distances(double classifier, double embedding, double logits) {
        /** Compares a measured geometry with a predicted one (same K). */
        public static Distances between(ClassGeometry measured, ClassGeometry predicted) {
            InvalidInputException.require(measured.k() == predicted.k(),
                    "measured geometry has K = " + measured.k() + " classes but the prediction has K = " + predicted.k());
            return new Distances(
                    normalisedFrobenius(measured.classifierGram(), predicted.classifierGram()),
                    normalisedFrobenius(measured.meanGram(), predicted.meanGram()),
                    normalisedFrobenius(measured.logits(), predicted.logits()));
        }
    }
}
