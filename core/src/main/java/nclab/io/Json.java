package nclab.io;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import nclab.InvalidInputException;

/**
 * JSON output for results and JSON input for configurations. Reading and compact output use jackson-databind;
 * pretty output is written by {@link JsonText} (the same text as Jackson's pretty printer, without loading
 * Jackson, whose first use costs about 0.07 s of a cold JVM), falling back to Jackson for the value types
 * JsonText does not cover.
 *
 * <p>Writable values: {@link Map} (keys via {@code String.valueOf}, order kept), {@link Iterable},
 * Java arrays of any element type (so {@code double[][]} becomes a list of lists), records (an object of
 * their components in declaration order), {@link Optional}, {@link Number}, {@link String} and other
 * {@link CharSequence}s, {@link Boolean}, {@link Character}, enums (their name), {@link Path} (its text)
 * and {@code null}. Non-finite numbers (NaN, ±∞, used in this project for "undefined") become
 * {@code null}, since JSON has no literal for them.
 */
public final class Json {

    /**
     * Every use of jackson-databind, in a class of its own that is loaded (and its mapper built) on first use
     * only, so that pretty output of the values JsonText covers never loads a Jackson class.
     */
    private static final class Jackson {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();

        static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(DefaultPrettyPrinter.FixedSpaceIndenter.instance);

        static String write(Object tree, boolean pretty) {
            try {
                return pretty ? MAPPER.writer(PRETTY).writeValueAsString(tree) : MAPPER.writeValueAsString(tree);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
            }
        }

        static Object read(Path file) {
            try {
                return MAPPER.readValue(file.toFile(), Object.class);
            } catch (JsonProcessingException e) {
                throw new InvalidInputException(file + ": malformed JSON: " + e.getOriginalMessage()
                        + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr() + ")"), e);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private Json() {
    }

    /** Pretty-printed JSON (two-space indent, arrays on one line, {@code \n} line ends). */
    public static String toPrettyString(Object value) {
        String text = JsonText.toPrettyString(value);
        return text != null ? text : jacksonPrettyString(value);
    }

    /** {@link #toPrettyString} as written by Jackson's pretty printer (the reference JsonText must match). */
    static String jacksonPrettyString(Object value) {
        return Jackson.write(toTree(value), true);
    }

    /** Compact single-line JSON. */
    public static String toCompactString(Object value) {
        return Jackson.write(toTree(value), false);
    }

    /** Atomically writes {@link #toPrettyString} of {@code value} plus a final newline, UTF-8. */
    public static void write(Path file, Object value) {
        AtomicFiles.writeString(file, toPrettyString(value) + "\n");
    }

    /**
     * Reads a JSON file whose top level is an object. Objects become ordered maps, arrays lists, numbers
     * Integer/Long/BigInteger or Double, {@code NaN}/{@code Infinity} tokens are accepted.
     *
     * @throws InvalidInputException naming the file for a missing file, malformed JSON (with line and
     *                               column) or a top level that is not an object
     */
    public static Map<String, Object> read(Path file) {
        Npy.requireReadableFile(file);
        Object value = Jackson.read(file);
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidInputException(file + ": expected a JSON object at the top level, got "
                    + (value == null ? "null" : value instanceof List ? "an array" : "a " + value.getClass().getSimpleName()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) map;
        return result;
    }

    /** Converts a value to plain maps, lists, strings, booleans and finite numbers (or null). */
    static Object toTree(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Double d) {
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof Float f) {
            return Float.isFinite(f) ? f : null;
        }
        if (value instanceof Number n) {
            if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
                    || n instanceof BigInteger || n instanceof BigDecimal) {
                return n;
            }
            double d = n.doubleValue();
            return Double.isFinite(d) ? d : null;
        }
        if (value instanceof CharSequence || value instanceof Character || value instanceof Path) {
            return value.toString();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof Optional<?> o) {
            return toTree(o.orElse(null));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), toTree(v)));
            return out;
        }
        if (value instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            it.forEach(v -> out.add(toTree(v)));
            return out;
        }
        if (value.getClass().isArray()) {
            int n = Array.getLength(value);
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(toTree(Array.get(value, i)));
            }
            return out;
        }
        if (value instanceof Record r) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    java.lang.reflect.Method accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    out.put(c.getName(), toTree(accessor.invoke(r)));
                } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
                    throw new IllegalArgumentException("cannot write record component " + r.getClass().getSimpleName()
                            + "." + c.getName() + " to JSON: " + e, e);
                }
            }
            return out;
        }
        throw new IllegalArgumentException("cannot write a value of type " + value.getClass().getName() + " to JSON");
    }
}
