package nclab.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.InvalidInputException;
import nclab.experiment.ConfigReader;

/**
 * A sweep as read from a {@code sweep.yaml}: a base run config of one kind plus axes that vary some of its
 * keys. Keys:
 * <ul>
 *   <li>{@code kind}: the run command, {@code solve} or {@code train} (any kind the caller knows);</li>
 *   <li>{@code base}: a map of config keys of that kind, and/or {@code base_config: FILE} (relative to the sweep
 *       file), whose keys {@code base} then overrides;</li>
 *   <li>{@code axes}: key → spec ({@link SweepAxis}); each key must be a config key of the kind;</li>
 *   <li>{@code mode}: {@link SweepMode} (default grid);</li>
 *   <li>{@code out}: the sweep directory (runs in out/runs/&lt;id&gt;), optional when given on the command line;</li>
 *   <li>{@code workers}: parallel runs (default: the available processors);</li>
 *   <li>{@code metric}: a column of each run's final metrics row to tabulate against the axes (optional).</li>
 * </ul>
 * A class-size axis ({@code sizes}, {@code step}, {@code majority}, {@code long_tail}) replaces whichever size
 * form the base gives. The run key {@code out} is set per run by the sweep and cannot be given.
 *
 * @param kind    run kind (solve | train)
 * @param base    the base run config (base_config merged with base), without {@code out}
 * @param axes    the axes, in the order given (first = outermost in grid mode, first in run ids)
 * @param mode    how the axes combine (null = grid)
 * @param out     sweep directory, null = not given
 * @param workers parallel runs, null = not given (the available processors)
 * @param metric  final-metrics column to tabulate, null = none
 */
public record SweepConfig(String kind, Map<String, Object> base, List<SweepAxis> axes, SweepMode mode, String out,
                          Integer workers, String metric) {
    /** Accepted top-level keys of a sweep file. */
    public static final List<String> KEYS = List.of("kind", "base", "base_config", "axes", "mode", "out", "workers", "metric");
    /** The class-size forms shared by every run kind; an axis on one replaces the base's. */
    public static final List<String> SIZE_FORMS = List.of("sizes", "step", "majority", "long_tail");

    public SweepConfig {
        InvalidInputException.require(kind != null && !kind.isBlank(), "kind is required (solve or train)");
        InvalidInputException.require(axes != null && !axes.isEmpty(), "axes are required: give at least one axis");
        InvalidInputException.require(workers == null || workers >= 1, "workers must be >= 1, got workers = " + workers);
        base = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(base == null ? Map.of() : base));
        axes = List.copyOf(axes);
        mode = mode == null ? SweepMode.DEFAULT : mode;
        if (SweepMode.ZIP.equals(mode.name())) {
            int n = axes.get(0).size();
            for (SweepAxis a : axes) {
                InvalidInputException.require(a.size() == n, "mode zip needs axes of equal length: "
                        + axes.get(0).key() + " has " + n + " values, " + a.key() + " has " + a.size());
            }
        }
    }

    /** This sweep with another output directory. */
    public SweepConfig withOut(String newOut) {
        return new SweepConfig(kind, base, axes, mode, newOut, workers, metric);
    }

    /** This sweep with another number of workers. */
    public SweepConfig withWorkers(int newWorkers) {
        return new SweepConfig(kind, base, axes, mode, out, newWorkers, metric);
    }

    /**
     * Reads and validates a sweep file.
     *
     * @param keysByKind the config keys of each run kind the caller can launch (e.g. solve →
     *                   {@code SolveConfig.KEYS}, train → the train config's keys)
     */
    public static SweepConfig read(Path file, Map<String, List<String>> keysByKind) {
        Path dir = file.toAbsolutePath().getParent();
        return fromMap(ConfigReader.readYamlMap(file), dir, ConfigReader.sourceName(file), keysByKind);
    }

    /**
     * Validates a sweep map.
     *
     * @param baseDir    directory against which {@code base_config} is resolved
     * @param source     named in messages
     * @param keysByKind the config keys of each known run kind
     */
    public static SweepConfig fromMap(Map<String, ?> map, Path baseDir, String source, Map<String, List<String>> keysByKind) {
        ConfigReader.requireKnownKeys(map, KEYS, source);
        ConfigReader r = new ConfigReader(map, source);
        String kind = r.string("kind", null);
        InvalidInputException.require(kind != null, "kind is required in " + source + ": one of "
                + String.join(", ", keysByKind.keySet()));
        List<String> keys = keysByKind.get(kind);
        InvalidInputException.require(keys != null, "kind in " + source + " must be one of "
                + String.join(", ", keysByKind.keySet()) + ", got '" + kind + "'");
        List<String> runKeys = new ArrayList<>(keys);
        runKeys.remove("out");

        Map<String, Object> base = new LinkedHashMap<>();
        String baseConfig = r.string("base_config", null);
        if (baseConfig != null) {
            Path f = baseDir == null ? Path.of(baseConfig) : baseDir.resolve(baseConfig);
            Map<String, Object> fromFile = ConfigReader.readYamlMap(f);
            fromFile.remove("out");
            ConfigReader.requireKnownKeys(fromFile, runKeys, "base_config " + baseConfig + " of " + source);
            base.putAll(fromFile);
        }
        Object baseMap = map.get("base");
        if (baseMap != null) {
            InvalidInputException.require(baseMap instanceof Map, "base in " + source + " must be a map of " + kind
                    + " config keys, got " + baseMap);
            Map<String, Object> b = new LinkedHashMap<>();
            ((Map<?, ?>) baseMap).forEach((k, v) -> b.put(String.valueOf(k), v));
            InvalidInputException.require(!b.containsKey("out"), "base.out in " + source
                    + ": the sweep sets each run's directory (out/runs/<id>); give out at the top level");
            ConfigReader.requireKnownKeys(b, runKeys, "base of " + source);
            if (b.keySet().stream().anyMatch(SIZE_FORMS::contains)) {
                base.keySet().removeAll(SIZE_FORMS);
            }
            base.putAll(b);
        }
        InvalidInputException.require(baseConfig != null || baseMap != null, "give the base run config in " + source
                + ": base: {key: value, ...} or base_config: FILE");

        Object axesMap = map.get("axes");
        InvalidInputException.require(axesMap instanceof Map<?, ?> m && !m.isEmpty(), "axes in " + source
                + " must be a map key -> values with at least one axis, got " + axesMap);
        List<SweepAxis> axes = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) axesMap).entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!runKeys.contains(key)) {
                String near = ConfigReader.closestKey(key, runKeys);
                throw new InvalidInputException("unknown axis key '" + key + "' in " + source + ": not a " + kind
                        + " config key" + (near == null ? " (known keys: " + String.join(", ", runKeys) + ")"
                        : " (did you mean " + near + "?)"));
            }
            axes.add(SweepAxis.parse(key, e.getValue(), source));
        }
        long sizeAxes = axes.stream().filter(a -> SIZE_FORMS.contains(a.key())).count();
        InvalidInputException.require(sizeAxes <= 1, "axes in " + source
                + " vary more than one class-size form; use one of " + String.join(", ", SIZE_FORMS));

        SweepMode mode = SweepMode.parse(map.get("mode"), source);
        Integer workers = r.integer("workers");
        String metric = r.string("metric", null);
        try {
            return new SweepConfig(kind, base, axes, mode, r.string("out", null), workers, metric);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(source + ": " + e.getMessage(), e);
        }
    }

    /** The resolved sweep as an ordered map (axes expanded to their value lists), as written to sweep.yaml. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("base", new LinkedHashMap<>(base));
        Map<String, Object> a = new LinkedHashMap<>();
        for (SweepAxis axis : axes) {
            a.put(axis.key(), new ArrayList<>(axis.values()));
        }
        m.put("axes", a);
        m.put("mode", mode.yamlValue());
        m.put("out", out);
        m.put("workers", workers);
        m.put("metric", metric);
        return m;
    }

    /** The resolved sweep as YAML text. */
    public String toYaml() {
        return "# nclab sweep, resolved (axes expanded; base_config merged into base)\n" + ConfigReader.yaml(toMap());
    }
}
