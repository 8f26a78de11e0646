package nclab.theory;

import nclab.InvalidInputException;

/**
 * The scalar problem behind Theorem 4.3 of seed 004 (Liu, arXiv 2411.17278; Lemma A.2, taken from Dang
 * et al. 2023, D.2.1): minimise over x ≥ 0
 * <pre>
 *   g(x) = 1/(x^L + 1) + a·x,     a &gt; 0, L ≥ 1.
 * </pre>
 * With a*_L = (L−1)^{(L−1)/L}/L (a*_1 = 1, since 0⁰ = 1; a*_2 = 0.5, a*_3 ≈ 0.529134) the minimiser is
 * <ul>
 *   <li>x = 0 when a ≥ a*_L (at a = a*_L, for L ≥ 2, both 0 and (L−1)^{1/L} are minimisers: this class
 *       returns 0, i.e. <b>ties collapse</b>);</li>
 *   <li>for L = 1 and a &lt; 1: x = a^{−1/2} − 1;</li>
 *   <li>for L ≥ 2 and a &lt; a*_L: the largest root of a = φ(x) = L·x^{L−1}/(x^L + 1)², found by bisection
 *       on [(L−1)^{1/L}, (L/a)^{1/(L+1)}], where φ is strictly decreasing (the smaller root is a local
 *       maximum of g).</li>
 * </ul>
 * For L ≥ 2 the minimiser jumps from x ≥ (L−1)^{1/L} to 0 at a = a*_L (first-order collapse); for L = 1 it
 * goes to 0 continuously.
 */
public final class LemmaA2 {
    private LemmaA2() {
    }

    /** a*_L = (L−1)^{(L−1)/L} / L; 1 for L = 1. */
    public static double threshold(int layers) {
        requireLayers(layers);
        if (layers == 1) {
            return 1.0;
        }
        return Math.pow(layers - 1, (layers - 1.0) / layers) / layers;
    }

    /** g(x) = 1/(x^L + 1) + a·x. */
    public static double value(double x, double a, int layers) {
        return 1.0 / (Math.pow(x, layers) + 1.0) + a * x;
    }

    /** φ(x) = L·x^{L−1}/(x^L + 1)², so that g'(x) = a − φ(x). */
    public static double phi(double x, int layers) {
        double xl = Math.pow(x, layers);
        return layers * Math.pow(x, layers - 1) / ((xl + 1) * (xl + 1));
    }

    /**
     * The global minimiser x* ≥ 0 of g for the given a &gt; 0 (a = +∞ allowed: x* = 0); ties at a = a*_L
     * return 0.
     */
    public static double minimizer(double a, int layers) {
        requireLayers(layers);
        InvalidInputException.require(a > 0 && !Double.isNaN(a), "a must be > 0, got " + a);
        double aStar = threshold(layers);
        if (a >= aStar) {
            return 0.0;
        }
        if (layers == 1) {
            return 1.0 / Math.sqrt(a) - 1.0;
        }
        double lo = Math.pow(layers - 1, 1.0 / layers);
        double hi = Math.pow(layers / a, 1.0 / (layers + 1));
        for (int it = 0; it < 200 && hi - lo > 0; it++) {
            double mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) {
                break;
            }
            if (phi(mid, layers) > a) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    private static void requireLayers(int layers) {
        InvalidInputException.require(layers >= 1, "number of layers L must be >= 1, got L = " + layers);
    }
}
