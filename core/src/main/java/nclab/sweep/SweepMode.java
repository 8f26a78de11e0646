package nclab.sweep;

import java.util.Map;

import nclab.InvalidInputException;

/**
 * How the axes combine into runs: {@code grid} (the cartesian product, first axis outermost; the default),
 * {@code zip} (the i-th values of every axis together; all axes of equal length) or
 * {@code random: {samples: N, seed: S}} (N draws, each axis value chosen uniformly and independently from
 * its list with {@link java.util.SplittableRandom} seeded by S; identical draws are run once).
 *
 * @param name    grid, zip or random
 * @param samples number of draws (random only, else 0)
 * @param seed    seed of the draws (random only, else 0)
 */
public record SweepMode(String name, int samples, long seed) {
    public static final String GRID = "grid";
    public static final String ZIP = "zip";
    public static final String RANDOM = "random";

    public static final SweepMode DEFAULT = new SweepMode(GRID, 0, 0);

    public SweepMode {
        InvalidInputException.require(GRID.equals(name) || ZIP.equals(name) || RANDOM.equals(name),
                "mode must be grid, zip or random: {samples: N, seed: S}; got '" + name + "'");
        InvalidInputException.require(!RANDOM.equals(name) || samples >= 1,
                "mode random needs samples >= 1, got samples = " + samples);
    }

    /** Parses the value of the {@code mode} key (null = grid). */
    public static SweepMode parse(Object spec, String source) {
        if (spec == null) {
            return DEFAULT;
        }
        if (spec instanceof String s) {
            InvalidInputException.require(!s.trim().equals(RANDOM), "mode random in " + source
                    + " needs its draws: mode: {random: {samples: N, seed: S}}");
            return new SweepMode(s.trim(), 0, 0);
        }
        if (spec instanceof Map<?, ?> map && map.size() == 1 && RANDOM.equals(String.valueOf(map.keySet().iterator().next()))) {
            Object args = map.values().iterator().next();
            InvalidInputException.require(args instanceof Map, "mode.random in " + source
                    + " must be a map {samples: N, seed: S}, got " + args);
            Map<?, ?> a = (Map<?, ?>) args;
            for (Object k : a.keySet()) {
                InvalidInputException.require("samples".equals(k) || "seed".equals(k),
                        "unknown key '" + k + "' in mode.random of " + source + " (known keys: samples, seed)");
            }
            long samples = whole(a.get("samples"), "mode.random.samples in " + source, -1);
            long seed = whole(a.get("seed"), "mode.random.seed in " + source, 1);
            InvalidInputException.require(samples >= 1 && samples <= 10_000_000,
                    "mode.random.samples in " + source + " must be a whole number >= 1, got " + a.get("samples"));
            return new SweepMode(RANDOM, (int) samples, seed);
        }
        throw new InvalidInputException("mode in " + source + " must be grid, zip or {random: {samples: N, seed: S}}, got " + spec);
    }

    private static long whole(Object v, String where, long fallback) {
        if (v == null) {
            return fallback;
        }
        double x;
        try {
            x = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(where + " must be a whole number, got '" + v + "'");
        }
        InvalidInputException.require(x == Math.rint(x) && Math.abs(x) < 9e18, where + " must be a whole number, got " + v);
        return (long) x;
    }

    /** The YAML value of this mode ({@code grid}, {@code zip} or the random map). */
    public Object yamlValue() {
        if (!RANDOM.equals(name)) {
            return name;
        }
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        args.put("samples", samples);
        args.put("seed", seed);
        return Map.of(RANDOM, args);
    }
}
