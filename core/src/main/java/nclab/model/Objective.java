package nclab.model;

import java.util.SplittableRandom;

/**
 * A differentiable training objective f(x) of one of the papers' models over the flat parameter vector
 * of its {@link #layout()}. Losses are averaged over the N samples as the papers' experiments do;
 * regularisers are added as the model's equation states (each implementation cites it).
 */
public interface Objective {
    /** Model id, as in configs and on the command line (e.g. {@code ufm}, {@code lpm}, {@code deep-ufm}). */
    String model();

    ParameterLayout layout();

    /** f(x); {@code grad} (length {@code layout().size()}) is overwritten with ∇f(x). */
    double valueAndGradient(double[] x, double[] grad);

    /** f(x) without a gradient. */
    default double value(double[] x) {
        return valueAndGradient(x, new double[x.length]);
    }

    /** Euclidean projection onto the feasible set (non-negative features, norm balls); none by default. */
    default void project(double[] x) {
    }

    /** A random starting point from the model's recommended initialisation (see pitfalls.md). */
    double[] initialPoint(SplittableRandom random);
}
