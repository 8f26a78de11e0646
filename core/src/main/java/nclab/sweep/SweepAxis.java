package nclab.sweep;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import nclab.InvalidInputException;

/**
 * One axis of a sweep: a config key and the values it takes, in order. Read from one of the forms
 * <ul>
 *   <li>a list {@code [v1, v2, ...]} (values may themselves be lists, e.g. {@code majority: [[5,5,500,1], [5,5,500,10]]});</li>
 *   <li>{@code {log_range: [from, to, count]}}: count values from·(to/from)^(i/(count−1)), i = 0..count−1
 *       (from, to &gt; 0, count ≥ 2), rounded to 12 significant digits so that ids stay short;</li>
 *   <li>{@code {range: [from, to, step]}}: from, from+step, ... up to to inclusive (step ≠ 0, towards to);
 *       whole numbers when all three are whole;</li>
 *   <li>{@code {seeds: N}}: 1, 2, ..., N.</li>
 * </ul>
 *
 * @param key    the config key of the run kind this axis sets
 * @param values the values, at least one
 */
public record SweepAxis(String key, List<Object> values) {
    /** The spec forms accepted in a map. */
    public static final List<String> FORMS = List.of("log_range", "range", "seeds");

    public SweepAxis {
        InvalidInputException.require(values != null && !values.isEmpty(), "axis " + key + " has no values");
        values = List.copyOf(values);
    }

    /** The number of values. */
    public int size() {
        return values.size();
    }

    /** Parses an axis spec (list or one-entry map); messages name the axis key and the source. */
    public static SweepAxis parse(String key, Object spec, String source) {
        String where = "axes." + key + " in " + source;
        if (spec instanceof List<?> list) {
            InvalidInputException.require(!list.isEmpty(), where + " is an empty list; give at least one value");
            for (Object v : list) {
                InvalidInputException.require(v != null, where + " contains an empty (null) value");
            }
            return new SweepAxis(key, new ArrayList<>(list));
        }
        if (spec instanceof Map<?, ?> map) {
            InvalidInputException.require(map.size() == 1, where + " must have exactly one of "
                    + String.join(", ", FORMS) + ", got " + map.keySet());
            String form = String.valueOf(map.keySet().iterator().next());
            Object arg = map.values().iterator().next();
            return switch (form) {
                case "log_range" -> new SweepAxis(key, logRange(three(arg, where + ".log_range", "[from, to, count]"), where));
                case "range" -> new SweepAxis(key, range(three(arg, where + ".range", "[from, to, step]"), where));
                case "seeds" -> new SweepAxis(key, seeds(arg, where));
                default -> throw new InvalidInputException(where + ": unknown axis form '" + form + "' (use a list, "
                        + String.join(", ", FORMS) + ")");
            };
        }
        throw new InvalidInputException(where + " must be a list of values or a map {log_range: [from, to, count]}, "
                + "{range: [from, to, step]} or {seeds: N}; got " + spec);
    }

    private static double[] three(Object arg, String where, String shape) {
        InvalidInputException.require(arg instanceof List<?> l && l.size() == 3, where + " must be " + shape + ", got " + arg);
        double[] out = new double[3];
        List<?> l = (List<?>) arg;
        for (int i = 0; i < 3; i++) {
            out[i] = number(l.get(i), where);
        }
        return out;
    }

    private static double number(Object v, String where) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(where + ": '" + v + "' is not a number");
        }
    }

    private static List<Object> logRange(double[] a, String where) {
        double from = a[0];
        double to = a[1];
        InvalidInputException.require(from > 0 && to > 0 && Double.isFinite(from) && Double.isFinite(to),
                where + ".log_range needs from > 0 and to > 0, got from = " + from + ", to = " + to);
        InvalidInputException.require(a[2] == Math.rint(a[2]) && a[2] >= 2 && a[2] <= 100_000,
                where + ".log_range count must be a whole number >= 2, got " + a[2]);
        int count = (int) a[2];
        double lf = Math.log(from);
        double lt = Math.log(to);
        List<Object> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double x = i == 0 ? from : i == count - 1 ? to : Math.exp(lf + (lt - lf) * i / (count - 1));
            out.add(round12(x));
        }
        return out;
    }

    private static List<Object> range(double[] a, String where) {
        double from = a[0];
        double to = a[1];
        double step = a[2];
        InvalidInputException.require(Double.isFinite(from) && Double.isFinite(to) && Double.isFinite(step),
                where + ".range values must be finite");
        InvalidInputException.require(step != 0, where + ".range step must not be 0");
        InvalidInputException.require((to - from) * step >= 0, where + ".range step " + step + " does not lead from "
                + from + " to " + to);
        double n = Math.floor((to - from) / step + 1e-9);
        InvalidInputException.require(n < 100_000, where + ".range has too many values (" + (long) (n + 1) + ")");
        boolean whole = from == Math.rint(from) && step == Math.rint(step) && Math.abs(from) < 1e15 && Math.abs(to) < 1e15;
        List<Object> out = new ArrayList<>();
        for (int i = 0; i <= (int) n; i++) {
            if (whole) {
                out.add((long) from + (long) step * i);
            } else {
                out.add(round12(from + step * i));
            }
        }
        return out;
    }

    private static List<Object> seeds(Object arg, String where) {
        double n = number(arg, where + ".seeds");
        InvalidInputException.require(n == Math.rint(n) && n >= 1 && n <= 1_000_000,
                where + ".seeds must be a whole number >= 1, got " + arg);
        List<Object> out = new ArrayList<>();
        for (long s = 1; s <= (long) n; s++) {
            out.add(s);
        }
        return out;
    }

    /** x rounded to 12 significant digits (so that 10^-3 reads 0.001, not 0.0010000000000000002). */
    static double round12(double x) {
        return new BigDecimal(x).round(new MathContext(12)).doubleValue();
    }
}
