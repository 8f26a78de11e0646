package nclab.theory;

import java.util.ArrayList;
import java.util.List;

import nclab.InvalidInputException;

/**
 * Scales α of the deep-neural-collapse critical points Z = α·S ⊗ 1_nᵀ of the deep linear UFM with
 * cross-entropy (Garrod &amp; Keating, seed 002, Theorem 4, Eq. 19):
 * <pre>
 *   λ·n^{1/(L+1)} = f(α) := α^{(L−1)/(L+1)} / (e^α + K − 1).
 * </pre>
 * Eq. (19) is dℓ_S/dα = 0 for the reduced DNC loss ℓ_S(α) = log(1 + (K−1)e^{−α})
 * + ((L+1)λ/2)(K−1)(α√n)^{2/(L+1)}. For imbalanced sizes the same derivation with
 * σ_i(Z) = α·σ_i(S·D^{1/2}) replaces n^{1/(L+1)} by the size factor
 * ν = Σ_i σ_i(S·D^{1/2})^{2/(L+1)} / (K−1) (equal to n^{1/(L+1)} for balanced classes).
 *
 * <p>For L ≥ 2, f(0) = f(∞) = 0 and f has one maximum, at the root of ((L−1)/(L+1))(e^α + K − 1) = α·e^α:
 * there are two roots when λν &lt; max f (the small one is a saddle, the large one a local minimum, α ~ log 1/λ),
 * one when equal and none above. For L = 1, f decreases from f(0) = 1/K and there is one root iff λν &lt; 1/K.
 * Roots are found by {@link BrentRoot}.
 *
 * @param classes          K
 * @param layers           L
 * @param lambda           λ
 * @param sizeFactor       ν (n^{1/(L+1)} for balanced classes)
 * @param roots            all roots α, increasing
 * @param maxF             max_{α ≥ 0} f(α)
 * @param argmaxF          the α where f is maximal (0 for L = 1)
 */
public record DncCriticalScale(int classes, int layers, double lambda, double sizeFactor, double[] roots,
                               double maxF, double argmaxF) {
    public DncCriticalScale {
        roots = roots.clone();
    }

    @Override
    public double[] roots() {
        return roots.clone();
    }

    /** λ·ν, the left-hand side of Eq. (19). */
    public double rightHandSide() {
        return lambda * sizeFactor;
    }

    /** The largest root (the stable DNC branch), or NaN when Eq. (19) has no root. */
    public double largeRoot() {
        return roots.length == 0 ? Double.NaN : roots[roots.length - 1];
    }

    /** f(α) = α^{(L−1)/(L+1)} / (e^α + K − 1), evaluated without overflow. */
    public static double f(double alpha, int classes, int layers) {
        double p = (layers - 1.0) / (layers + 1);
        double e = Math.exp(-alpha);
        return Math.pow(alpha, p) * e / (1 + (classes - 1) * e);
    }

    /** Solves Eq. (19) for K classes, L layers, strength λ and size factor ν (n^{1/(L+1)} if balanced). */
    public static DncCriticalScale solve(int classes, int layers, double lambda, double sizeFactor) {
        InvalidInputException.require(classes >= 2, "need at least K = 2 classes, got K = " + classes);
        InvalidInputException.require(layers >= 1, "number of layers L must be >= 1, got L = " + layers);
        InvalidInputException.requirePositive("lambda", lambda);
        InvalidInputException.requirePositive("size factor", sizeFactor);
        double rhs = lambda * sizeFactor;
        double argmax;
        if (layers == 1) {
            argmax = 0;
        } else {
            double a = (layers - 1.0) / (layers + 1);
            // ((L−1)/(L+1))(1 + (K−1)e^{−α}) − α changes sign on [0, a·K + 1]
            argmax = BrentRoot.solve(x -> a * (1 + (classes - 1) * Math.exp(-x)) - x, 0, a * classes + 1, 0);
        }
        double maxF = f(argmax, classes, layers);
        List<Double> roots = new ArrayList<>();
        if (rhs < maxF) {
            if (layers > 1) {
                roots.add(BrentRoot.solve(x -> f(x, classes, layers) - rhs, 0, argmax, 0));
            }
            double hi = Math.max(1, 2 * argmax);
            while (f(hi, classes, layers) >= rhs) {
                hi *= 2;
            }
            roots.add(BrentRoot.solve(x -> f(x, classes, layers) - rhs, argmax, hi, 0));
        } else if (rhs == maxF && layers > 1) {
            roots.add(argmax);
        }
        return new DncCriticalScale(classes, layers, lambda, sizeFactor,
                roots.stream().mapToDouble(Double::doubleValue).toArray(), maxF, argmax);
    }
}
