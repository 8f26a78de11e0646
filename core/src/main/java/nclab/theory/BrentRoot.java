package nclab.theory;

import java.util.function.DoubleUnaryOperator;

/**
 * Brent's method (Brent 1973, "Algorithms for Minimization without Derivatives", ch. 4): a bracketing
 * root finder that combines bisection, the secant step and inverse quadratic interpolation. It keeps a
 * sign change in every iteration, so it always converges for a continuous function with
 * f(a)·f(b) ≤ 0, and it converges superlinearly near a simple root.
 */
public final class BrentRoot {
    private static final int MAX_ITERATIONS = 500;

    private BrentRoot() {
    }

    /**
     * A root of {@code f} in [a, b].
     *
     * @param f      continuous function with f(a)·f(b) ≤ 0
     * @param a      one end of the bracket
     * @param b      the other end
     * @param absTol absolute tolerance on the root (a relative 4·ulp tolerance is added)
     * @throws IllegalArgumentException if f(a) and f(b) have the same strict sign or are not finite
     */
    public static double solve(DoubleUnaryOperator f, double a, double b, double absTol) {
        double fa = f.applyAsDouble(a);
        double fb = f.applyAsDouble(b);
        if (fa == 0) {
            return a;
        }
        if (fb == 0) {
            return b;
        }
        if (!(Double.isFinite(fa) && Double.isFinite(fb)) || Math.signum(fa) == Math.signum(fb)) {
            throw new IllegalArgumentException("no sign change on [" + a + ", " + b + "]: f = " + fa + ", " + fb);
        }
        double c = a;
        double fc = fa;
        double d = b - a;
        double e = d;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            if (Math.signum(fb) == Math.signum(fc)) {
                c = a;
                fc = fa;
                d = b - a;
                e = d;
            }
            if (Math.abs(fc) < Math.abs(fb)) {
                a = b;
                b = c;
                c = a;
                fa = fb;
                fb = fc;
                fc = fa;
            }
            double tol = 2 * Math.ulp(b) * 2 + 0.5 * absTol;
            double m = 0.5 * (c - b);
            if (Math.abs(m) <= tol || fb == 0) {
                return b;
            }
            if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
                double s = fb / fa;
                double p;
                double q;
                if (a == c) {
                    p = 2 * m * s;
                    q = 1 - s;
                } else {
                    double qq = fa / fc;
                    double r = fb / fc;
                    p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
                    q = (qq - 1) * (r - 1) * (s - 1);
                }
                if (p > 0) {
                    q = -q;
                } else {
                    p = -p;
                }
                if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
                    e = d;
                    d = p / q;
                } else {
                    d = m;
                    e = m;
                }
            } else {
                d = m;
                e = m;
            }
            a = b;
            fa = fb;
            b += Math.abs(d) > tol ? d : Math.copySign(tol, m);
            fb = f.applyAsDouble(b);
        }
        return b;
    }
}
