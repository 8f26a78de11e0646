package nclab.sweep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import nclab.io.Json;

/**
 * The runs of a sweep, in a fixed order: the same {@link SweepConfig} always gives the same runs, ids and order.
 *
 * <p>Run id = {@code key=value} of each axis joined by {@code _} (characters outside {@code [A-Za-z0-9.+=-]}
 * replaced by {@code -}, at most 80 characters), then {@code -} and the first 8 hex digits of the SHA-256 of the
 * complete run config (keys sorted, compact JSON). The hash covers the base too, so editing the base of a
 * sweep gives new run directories instead of silently reusing old results.
 *
 * @param config the sweep
 * @param runs   its runs
 */
public record SweepPlan(SweepConfig config, List<SweepRun> runs) {
    /** Sub-directory of the sweep directory that holds one directory per run. */
    public static final String RUNS = "runs";

    public SweepPlan {
        runs = List.copyOf(runs);
    }

    /** Expands the axes of {@code config} into runs. */
    public static SweepPlan expand(SweepConfig config) {
        List<List<Object>> combos = combinations(config);
        List<SweepRun> runs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (List<Object> values : combos) {
            Map<String, Object> params = new LinkedHashMap<>();
            Map<String, Object> run = new LinkedHashMap<>(config.base());
            for (int a = 0; a < values.size(); a++) {
                String key = config.axes().get(a).key();
                params.put(key, values.get(a));
                if (SweepConfig.SIZE_FORMS.contains(key)) {
                    run.keySet().removeAll(SweepConfig.SIZE_FORMS);
                }
                run.put(key, values.get(a));
            }
            String id = id(params, run);
            if (seen.add(id)) { // random mode may draw the same point twice: run it once
                runs.add(new SweepRun(runs.size(), id, config.kind(), params, run));
            }
        }
        return new SweepPlan(config, runs);
    }

    private static List<List<Object>> combinations(SweepConfig config) {
        List<SweepAxis> axes = config.axes();
        List<List<Object>> out = new ArrayList<>();
        switch (config.mode().name()) {
            case SweepMode.ZIP -> {
                for (int i = 0; i < axes.get(0).size(); i++) {
                    List<Object> v = new ArrayList<>();
                    for (SweepAxis a : axes) {
                        v.add(a.values().get(i));
                    }
                    out.add(v);
                }
            }
            case SweepMode.RANDOM -> {
                SplittableRandom rng = new SplittableRandom(config.mode().seed());
                for (int s = 0; s < config.mode().samples(); s++) {
                    List<Object> v = new ArrayList<>();
                    for (SweepAxis a : axes) {
                        v.add(a.values().get(rng.nextInt(a.size())));
                    }
                    out.add(v);
                }
            }
            default -> {
                int[] idx = new int[axes.size()];
                long total = 1;
                for (SweepAxis a : axes) {
                    total *= a.size();
                    nclab.InvalidInputException.require(total <= 10_000_000, "the grid has more than 10^7 runs");
                }
                for (long n = 0; n < total; n++) {
                    List<Object> v = new ArrayList<>();
                    for (int a = 0; a < axes.size(); a++) {
                        v.add(axes.get(a).values().get(idx[a]));
                    }
                    out.add(v);
                    for (int a = axes.size() - 1; a >= 0; a--) { // last axis fastest
                        if (++idx[a] < axes.get(a).size()) {
                            break;
                        }
                        idx[a] = 0;
                    }
                }
            }
        }
        return out;
    }

    /** The number of runs. */
    public int size() {
        return runs.size();
    }

    /** The directory of {@code run} in the sweep directory {@code out}: out/runs/&lt;id&gt;. */
    public static Path runDir(Path out, SweepRun run) {
        return out.resolve(RUNS).resolve(run.id());
    }

    /** The id of a run with these axis values and this complete config. */
    static String id(Map<String, Object> params, Map<String, Object> config) {
        StringBuilder readable = new StringBuilder();
        for (Map.Entry<String, Object> e : params.entrySet()) {
            if (readable.length() > 0) {
                readable.append('_');
            }
            readable.append(e.getKey()).append('=').append(text(e.getValue()));
        }
        String safe = readable.toString().replaceAll("[^A-Za-z0-9.+=_-]", "-").replaceAll("-{2,}", "-");
        if (safe.length() > 80) {
            safe = safe.substring(0, 80);
        }
        return safe + "-" + hash(config);
    }

    /** The text of an axis value in ids and tables: whole doubles without ".0", lists joined by ','. */
    public static String text(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (value instanceof Float f) {
            return text(f.doubleValue());
        }
        if (value instanceof List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object o : list) {
                parts.add(text(o));
            }
            return String.join(",", parts);
        }
        return String.valueOf(value);
    }

    private static String hash(Map<String, Object> config) {
        String canonical = Json.toCompactString(canonical(config));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                hex.append(String.format("%02x", digest[i] & 0xff));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Maps with sorted keys and numbers as text of their double value, so 10, 10L and 10.0 hash alike. */
    private static Object canonical(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> {
                if (v != null) {
                    sorted.put(String.valueOf(k), canonical(v));
                }
            });
            return sorted;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(canonical(o));
            }
            return out;
        }
        if (value instanceof Number n) {
            return Double.toString(n.doubleValue());
        }
        return String.valueOf(value);
    }
}
