package nclab.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import nclab.InvalidInputException;

/**
 * The header of a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0):
 * the magic string {@code \x93NUMPY}, a major and minor version byte, the header length (2 bytes
 * little-endian in version 1, 4 bytes in versions 2 and 3) and a Python dict literal
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }} (latin-1 in versions 1 and 2,
 * UTF-8 in version 3), padded with spaces and a newline. The data follow immediately.
 *
 * @param dtype        element type
 * @param fortranOrder true when the data are stored column-major
 * @param shape        array shape; empty for a 0-d (scalar) array
 * @param dataOffset   byte offset of the first data byte from the start of the file
 * @param version      format version as "major.minor"
 */
record NpyHeader(NpyDtype dtype, boolean fortranOrder, int[] shape, long dataOffset, String version) {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** Number of elements, the product of the shape (1 for a scalar). */
    long size() {
        long n = 1;
        for (int s : shape) {
            n = Math.multiplyExact(n, s);
        }
        return n;
    }

    /** Number of data bytes the shape and dtype call for. */
    long dataBytes() {
        return Math.multiplyExact(size(), dtype.itemSize());
    }

    /** Python-style shape text: {@code ()}, {@code (10,)}, {@code (3, 4)}. */
    static String shapeText(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringJoiner j = new StringJoiner(", ", "(", ")");
        for (int s : shape) {
            j.add(Integer.toString(s));
        }
        return j.toString();
    }

    /**
     * Reads the magic string, version and header dict from {@code in}, leaving it positioned at the
     * first data byte. {@code source} names the file in error messages.
     */
    static NpyHeader read(String source, InputStream in) throws IOException {
        byte[] lead = new byte[8];
        int got = readUpTo(in, lead);
        for (int i = 0; i < Math.min(got, MAGIC.length); i++) {
            if (lead[i] != MAGIC[i]) {
                throw badMagic(source);
            }
        }
        if (got < MAGIC.length) {
            throw got == 0 ? new InvalidInputException(source + ": file is empty, not a NumPy .npy file")
                    : badMagic(source);
        }
        if (got < 8) {
            throw new InvalidInputException(source + ": truncated header: file ends after " + got
                    + " bytes, before the format version");
        }
        int major = lead[6] & 0xff;
        int minor = lead[7] & 0xff;
        String version = major + "." + minor;
        if (!(minor == 0 && (major == 1 || major == 2 || major == 3))) {
            throw new InvalidInputException(source + ": unsupported .npy format version " + version
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lengthField = new byte[lengthBytes];
        int gotLength = readUpTo(in, lengthField);
        if (gotLength < lengthBytes) {
            throw new InvalidInputException(source + ": truncated header: file ends inside the header-length field");
        }
        long headerLength = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            headerLength = (headerLength << 8) | (lengthField[i] & 0xff);
        }
        if (headerLength > 100_000_000L) {
            throw new InvalidInputException(source + ": header length " + headerLength + " bytes is implausible (corrupt file?)");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        int gotHeader = readUpTo(in, headerBytes);
        if (gotHeader < headerLength) {
            throw new InvalidInputException(source + ": truncated header: expected " + headerLength
                    + " header bytes, file has only " + gotHeader);
        }
        Charset charset = major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        String text = new String(headerBytes, charset);
        Map<String, Object> dict = parseDict(source, text);
        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shapeValue = dict.get("shape");
        if (descr == null || fortran == null || shapeValue == null) {
            throw new InvalidInputException(source + ": header dict must have the keys 'descr', 'fortran_order' and 'shape', got "
                    + dict.keySet());
        }
        if (!(descr instanceof String descrText)) {
            throw new InvalidInputException(source + ": unsupported dtype " + PythonLiteral.show(descr)
                    + " (structured dtypes are not supported; supported: " + NpyDtype.SUPPORTED + ")");
        }
        NpyDtype dtype = NpyDtype.parse(source, descrText);
        if (!(fortran instanceof Boolean fortranOrder)) {
            throw new InvalidInputException(source + ": header 'fortran_order' must be True or False, got "
                    + PythonLiteral.show(fortran));
        }
        int[] shape = toShape(source, shapeValue);
        return new NpyHeader(dtype, fortranOrder, shape, MAGIC.length + 2L + lengthBytes + headerLength, version);
    }

    private static InvalidInputException badMagic(String source) {
        return new InvalidInputException(source + ": not a NumPy .npy file (bad magic string; expected \\x93NUMPY)");
    }

    private static int[] toShape(String source, Object value) {
        if (!(value instanceof List<?> list) || value instanceof PythonLiteral.PyList) {
            throw new InvalidInputException(source + ": header 'shape' must be a tuple of integers, got " + PythonLiteral.show(value));
        }
        int[] shape = new int[list.size()];
        for (int i = 0; i < shape.length; i++) {
            Object dim = list.get(i);
            if (!(dim instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new InvalidInputException(source + ": header 'shape' must be a tuple of integers in [0, 2^31), got "
                        + PythonLiteral.show(value));
            }
            shape[i] = (int) (long) d;
        }
        return shape;
    }

    private static Map<String, Object> parseDict(String source, String text) {
        Object value;
        try {
            PythonLiteral parser = new PythonLiteral(text);
            value = parser.parseAll();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source + ": header is not a Python dict literal (" + e.getMessage() + "): "
                    + abbreviate(text.strip()));
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidInputException(source + ": header is not a Python dict literal: " + abbreviate(text.strip()));
        }
        Map<String, Object> dict = new LinkedHashMap<>();
        map.forEach((k, v) -> dict.put(String.valueOf(k), v));
        return dict;
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? "'" + s + "'" : "'" + s.substring(0, 117) + "...'";
    }

    /** Reads until {@code buffer} is full or the stream ends; returns the bytes read. */
    static int readUpTo(InputStream in, byte[] buffer) throws IOException {
        int total = 0;
        while (total < buffer.length) {
            int n = in.read(buffer, total, buffer.length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && h.dtype.equals(dtype) && h.fortranOrder == fortranOrder
                && Arrays.equals(h.shape, shape) && h.dataOffset == dataOffset && h.version.equals(version);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + dtype.hashCode();
    }

    /**
     * A recursive-descent parser for the Python literals that appear in {@code .npy} headers: dicts,
     * tuples, lists, single- or double-quoted strings, integers, True, False, None. Tuples become
     * {@link List}s, lists {@link PyList}s, integers {@link Long}s.
     */
    static final class PythonLiteral {
        /** Marks a Python list (as opposed to a tuple). */
        static final class PyList extends ArrayList<Object> {
            private static final long serialVersionUID = 1L;
        }

        private final String s;
        private int pos;

        PythonLiteral(String s) {
            this.s = s;
        }

        Object parseAll() {
            Object v = value();
            skipSpace();
            if (pos != s.length()) {
                throw new IllegalArgumentException("unexpected text at character " + pos);
            }
            return v;
        }

        static String show(Object v) {
            if (v instanceof String str) {
                return "'" + str + "'";
            }
            if (v instanceof Boolean b) {
                return b ? "True" : "False";
            }
            if (v == null) {
                return "None";
            }
            return v.toString();
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            skipSpace();
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end of header");
            }
            return s.charAt(pos);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at character " + pos);
            }
            pos++;
        }

        private Object value() {
            char c = peek();
            if (c == '{') {
                return dict();
            }
            if (c == '(') {
                return sequence('(', ')', new ArrayList<>());
            }
            if (c == '[') {
                return sequence('[', ']', new PyList());
            }
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '-' || c == '+' || Character.isDigit(c)) {
                return integer();
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("None", pos)) {
                pos += 4;
                return null;
            }
            throw new IllegalArgumentException("unexpected character '" + c + "' at character " + pos);
        }

        private Map<Object, Object> dict() {
            expect('{');
            Map<Object, Object> map = new LinkedHashMap<>();
            while (peek() != '}') {
                Object key = value();
                expect(':');
                map.put(key, value());
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw new IllegalArgumentException("expected ',' or '}' at character " + pos);
                }
            }
            pos++;
            return map;
        }

        private List<Object> sequence(char open, char close, List<Object> out) {
            expect(open);
            while (peek() != close) {
                out.add(value());
                if (peek() == ',') {
                    pos++;
                } else if (peek() != close) {
                    throw new IllegalArgumentException("expected ',' or '" + close + "' at character " + pos);
                }
            }
            pos++;
            return out;
        }

        private String string() {
            char quote = s.charAt(pos++);
            StringBuilder b = new StringBuilder();
            while (pos < s.length() && s.charAt(pos) != quote) {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                b.append(c);
            }
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unterminated string");
            }
            pos++;
            return b.toString();
        }

        private Long integer() {
            int start = pos;
            if (s.charAt(pos) == '-' || s.charAt(pos) == '+') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (pos < s.length() && s.charAt(pos) == 'L') { // Python 2 long suffix in old files
                pos++;
                return parseLong(s.substring(start, pos - 1));
            }
            return parseLong(s.substring(start, pos));
        }

        private static Long parseLong(String text) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad integer '" + text + "'");
            }
        }
    }
}
