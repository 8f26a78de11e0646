package nclab.io;

import java.lang.reflect.Array;
import java.util.Map;

/**
 * The text of {@link Json#toPrettyString}, written by hand without jackson-databind, whose first use costs about
 * 0.07 s of a cold JVM (a tenth of a whole {@code nclab analyze --json} of 60000×512 features). The layout is that
 * of Jackson's pretty printer as Json configures it: two-space indented objects with {@code "key" : value}, arrays
 * on one line as {@code [ a, b ]} (objects inside them indented by object depth), {@code [ ]} and {@code { }} when
 * empty, numbers as {@link Double#toString}/{@link Float#toString}/{@link Long#toString}, non-finite numbers as
 * {@code null}, strings with JSON's escapes (control characters other than \b \t \n \f \r as
 * {@code \}{@code u00XX}).
 *
 * <p>Covers maps with string keys, iterables, arrays, strings, characters, booleans, enums, boxed integers and
 * floating point numbers, paths and null; for any other value (a record, an Optional, a big number, a non-string
 * key) {@link #toPrettyString} answers null and Json writes the whole value with Jackson, so the output is
 * always the same text (JsonTextTest compares the two).
 */
final class JsonText {
    private JsonText() {
    }

    /** Thrown when a value needs jackson-databind. */
    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }

    /**
     * The same text as Jackson writes for {@code Json.toPrettyString(value)}, or null when the value holds a type
     * this writer does not cover.
     */
    static String toPrettyString(Object value) {
        StringBuilder out = new StringBuilder(4096);
        try {
            write(out, value, 0);
        } catch (Unsupported e) {
            return null;
        }
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String || value instanceof Character || value instanceof java.nio.file.Path) {
            string(out, value.toString());
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Double d) {
            number(out, d);
        } else if (value instanceof Float f) {
            if (Float.isFinite(f)) {
                out.append(Float.toString(f));
            } else {
                out.append("null");
            }
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            out.append(((Number) value).longValue());
        } else if (value instanceof Enum<?> e) {
            string(out, e.name());
        } else if (value instanceof Map<?, ?> map) {
            object(out, map, depth);
        } else if (value instanceof Iterable<?> it) {
            out.append('[');
            boolean first = true;
            for (Object v : it) {
                out.append(first ? " " : ", ");
                first = false;
                write(out, v, depth);
            }
            out.append(" ]");
        } else if (value instanceof double[] a) {
            out.append('[');
            for (int i = 0; i < a.length; i++) {
                out.append(i == 0 ? " " : ", ");
                number(out, a[i]);
            }
            out.append(" ]");
        } else if (value instanceof int[] a) {
            out.append('[');
            for (int i = 0; i < a.length; i++) {
                out.append(i == 0 ? " " : ", ").append(a[i]);
            }
            out.append(" ]");
        } else if (value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive()) {
            int n = Array.getLength(value);
            out.append('[');
            for (int i = 0; i < n; i++) {
                out.append(i == 0 ? " " : ", ");
                write(out, Array.get(value, i), depth);
            }
            out.append(" ]");
        } else {
            throw new Unsupported();
        }
    }

    private static void object(StringBuilder out, Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{ }");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new Unsupported(); // keys that may coincide as text: Json merges them
            }
            out.append(first ? "\n" : ",\n");
            first = false;
            indent(out, depth + 1);
            string(out, key);
            out.append(" : ");
            write(out, e.getValue(), depth + 1);
        }
        out.append('\n');
        indent(out, depth);
        out.append('}');
    }

    private static void indent(StringBuilder out, int depth) {
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }

    private static void number(StringBuilder out, double d) {
        if (Double.isFinite(d)) {
            out.append(Double.toString(d));
        } else {
            out.append("null");
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
