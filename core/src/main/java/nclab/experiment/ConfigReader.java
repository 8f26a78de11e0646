package nclab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import nclab.InvalidInputException;

/**
 * Typed access to the raw key → value map of a YAML config file or of command-line flags, with messages that
 * name the key and the source; shared by every run config ({@link SolveConfig}, the deep-network train config).
 * A null value means "not given"; numbers may be given as text; lists also as one comma-separated text.
 */
public final class ConfigReader {
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    private final Map<String, ?> map;
    private final String source;

    /** @param source named in messages ("lr in SOURCE must be a number") */
    public ConfigReader(Map<String, ?> map, String source) {
        this.map = map;
        this.source = source;
    }

    /** The source named in messages. */
    public String source() {
        return source;
    }

    /** The raw value of {@code key}, null when not given. */
    public Object raw(String key) {
        return map.get(key);
    }

    public String string(String key, String fallback) {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        InvalidInputException.require(v instanceof String || v instanceof Number || v instanceof Boolean,
                key + " in " + source + " must be a single value, got " + v);
        return v.toString().trim();
    }

    public Double number(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number num) {
            return num.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new InvalidInputException(key + " in " + source + " must be a number, got '" + s + "'");
            }
        }
        throw new InvalidInputException(key + " in " + source + " must be a number, got " + v);
    }

    public double numberOr(String key, double fallback) {
        Double v = number(key);
        return v == null ? fallback : v;
    }

    public long whole(String key, double x) {
        InvalidInputException.require(x == Math.rint(x) && Math.abs(x) < 9.0e18,
                key + " in " + source + " must be a whole number, got " + x);
        return (long) x;
    }

    public Long longValue(String key) {
        Double v = number(key);
        return v == null ? null : whole(key, v);
    }

    public long longOr(String key, long fallback) {
        Long v = longValue(key);
        return v == null ? fallback : v;
    }

    public Integer integer(String key) {
        Long v = longValue(key);
        if (v == null) {
            return null;
        }
        InvalidInputException.require(Math.abs(v) <= Integer.MAX_VALUE, key + " in " + source + " is too large: " + v);
        return v.intValue();
    }

    public int integerOr(String key, int fallback) {
        Integer v = integer(key);
        return v == null ? fallback : v;
    }

    public boolean bool(String key, boolean fallback) {
        Object v = raw(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new InvalidInputException(key + " in " + source + " must be true or false, got " + v);
    }

    /** A list of numbers, or one comma-separated text ("4,10,0.5,5"), or a single number. */
    public double[] numbers(String key) {
        Object v = raw(key);
        if (v == null) {
            return null;
        }
        List<Object> items = new ArrayList<>();
        if (v instanceof List<?> list) {
            items.addAll(list);
        } else if (v instanceof String s) {
            items.addAll(Arrays.asList((Object[]) s.split(",", -1)));
        } else {
            items.add(v);
        }
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) {
            Object item = items.get(i);
            if (item instanceof Number num) {
                out[i] = num.doubleValue();
            } else {
                try {
                    out[i] = Double.parseDouble(String.valueOf(item).trim());
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(key + " in " + source + ": '" + item + "' is not a number");
                }
            }
        }
        return out;
    }

    /** Fails on the first key not in {@code keys}, suggesting the nearest known key. */
    public static void requireKnownKeys(Map<String, ?> map, List<String> keys, String source) {
        for (String key : map.keySet()) {
            if (!keys.contains(key)) {
                String near = closestKey(key, keys);
                throw new InvalidInputException("unknown key '" + key + "' in " + source
                        + (near == null ? " (known keys: " + String.join(", ", keys) + ")" : " (did you mean " + near + "?)"));
            }
        }
    }

    /** The known key within edit distance 2 of {@code key} (or equal ignoring '-'/'_' and case), else null. */
    public static String closestKey(String key, List<String> keys) {
        String normal = key.toLowerCase().replace('-', '_');
        String best = null;
        int bestDistance = 3;
        for (String k : keys) {
            int dist = k.equals(normal) ? 0 : editDistance(normal, k);
            if (dist < bestDistance) {
                bestDistance = dist;
                best = k;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The file name used in messages about {@code file}. */
    public static String sourceName(Path file) {
        return file.getFileName() == null ? file.toString() : file.getFileName().toString();
    }

    /** The raw key → value map of a YAML file (not yet validated); messages name the file. */
    public static Map<String, Object> readYamlMap(Path file) {
        InvalidInputException.require(Files.isRegularFile(file), "config file " + file + " does not exist");
        Object tree;
        try {
            tree = YAML.readValue(file.toFile(), Object.class);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file + ": malformed YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (tree == null) {
            return new LinkedHashMap<>();
        }
        InvalidInputException.require(tree instanceof Map, file + ": expected a map of keys at the top level");
        Map<String, Object> map = new LinkedHashMap<>();
        ((Map<?, ?>) tree).forEach((k, v) -> map.put(String.valueOf(k), v));
        return map;
    }

    /** {@code map} as block YAML (no document marker, minimal quotes). */
    public static String yaml(Map<String, Object> map) {
        try {
            return YAML.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write config as YAML: " + e.getMessage(), e);
        }
    }
}
