package nclab.optim;

import nclab.InvalidInputException;

/**
 * Momentum of (stochastic) gradient descent in PyTorch's form, with velocity v and gradient g:
 * heavy ball v ← μv + g, x ← x − η v; Nesterov v ← μv + g, x ← x − η (g + μv); none: x ← x − η g.
 *
 * @param kind  the method
 * @param mu    momentum coefficient μ ∈ [0, 1) (0 for {@link Kind#NONE})
 */
public record Momentum(Kind kind, double mu) {
    /** Which momentum rule. */
    public enum Kind { NONE, HEAVY_BALL, NESTEROV }

    public Momentum {
        InvalidInputException.require(kind != null, "momentum kind is required");
        InvalidInputException.require(Double.isFinite(mu) && mu >= 0 && mu < 1, "momentum must be in [0, 1), got " + mu);
        InvalidInputException.require(kind != Kind.NONE || mu == 0, "momentum " + mu + " given without a momentum kind");
    }

    public static Momentum none() {
        return new Momentum(Kind.NONE, 0);
    }

    public static Momentum heavyBall(double mu) {
        return new Momentum(Kind.HEAVY_BALL, mu);
    }

    public static Momentum nesterov(double mu) {
        return new Momentum(Kind.NESTEROV, mu);
    }

    public boolean enabled() {
        return kind != Kind.NONE;
    }
}
