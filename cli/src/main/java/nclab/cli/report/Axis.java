package nclab.cli.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A chart axis: data range, linear or base-10 logarithmic scale, and its tick values. A linear axis is
 * widened to multiples of a "nice" step (1, 2 or 5 × 10^k, about five ticks); a log axis to whole decades,
 * with ticks at the decades (and at 2× and 5× when it spans at most one decade).
 *
 * @param lo    lower end (data units)
 * @param hi    upper end (data units), &gt; lo
 * @param log   logarithmic scale
 * @param ticks tick values in [lo, hi], increasing
 */
record Axis(double lo, double hi, boolean log, List<Double> ticks) {

    /** An axis covering [min, max] (both finite, positive on a log axis). */
    static Axis covering(double min, double max, boolean log) {
        if (log) {
            int a = (int) Math.floor(Math.log10(min) + 1e-12);
            int b = (int) Math.ceil(Math.log10(max) - 1e-12);
            if (b <= a) {
                b = a + 1;
            }
            List<Double> ticks = new ArrayList<>();
            int every = Math.max(1, (int) Math.ceil((b - a) / 8.0));
            for (int e = a; e <= b; e++) {
                if ((e - a) % every == 0) {
                    ticks.add(Math.pow(10, e));
                }
                if (b - a == 1 && e < b) {
                    ticks.add(2 * Math.pow(10, e));
                    ticks.add(5 * Math.pow(10, e));
                }
            }
            ticks.sort(Double::compare);
            return new Axis(Math.pow(10, a), Math.pow(10, b), true, ticks);
        }
        if (max - min <= 1e-12 * Math.max(1, Math.abs(max))) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        double step = niceStep((max - min) / 5);
        double lo = Math.floor(min / step + 1e-9) * step;
        double hi = Math.ceil(max / step - 1e-9) * step;
        List<Double> ticks = new ArrayList<>();
        for (long i = Math.round(lo / step); i <= Math.round(hi / step); i++) {
            ticks.add(i * step);
        }
        return new Axis(lo, hi, false, ticks);
    }

    /** 1, 2 or 5 × 10^k, the smallest of these ≥ raw. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw * (1 - 1e-9)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** Position of a value on [0, 1] along the axis. */
    double fraction(double v) {
        return log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
    }

    /** Tick label: plain decimal for moderate magnitudes, else 1e-5 style. */
    static String label(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            int e = (int) Math.floor(Math.log10(a) + 1e-12);
            double m = v / Math.pow(10, e);
            String mant = new BigDecimal(m).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
            return (mant.equals("1") ? "" : mant.equals("-1") ? "-" : mant + "×") + "1e" + e;
        }
        return new BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
