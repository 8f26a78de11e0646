package nclab.io;

import java.nio.ByteOrder;
import java.util.Locale;

import nclab.InvalidInputException;

/**
 * A NumPy scalar type descriptor as written in a {@code .npy} header ({@code descr}): byte order
 * ({@code <} little, {@code >} big, {@code |} not applicable), kind ({@code f} float, {@code i} signed
 * integer, {@code u} unsigned integer, {@code b} boolean) and item size in bytes.
 *
 * @param descr    the descriptor as NumPy writes it, e.g. {@code "<f4"}
 * @param kind     {@code 'f'}, {@code 'i'}, {@code 'u'} or {@code 'b'}
 * @param itemSize bytes per element
 * @param order    byte order of the elements
 */
record NpyDtype(String descr, char kind, int itemSize, ByteOrder order) {

    static final String SUPPORTED = "<f4, <f8, <i1..<i8, <u1..<u4, |b1 and their big-endian (>) forms";

    /** Parses a descriptor; {@code source} names the file for the error message. */
    static NpyDtype parse(String source, String descr) {
        if (descr.length() >= 3) {
            char orderChar = descr.charAt(0);
            char kind = descr.charAt(1);
            int size;
            try {
                size = Integer.parseInt(descr.substring(2));
            } catch (NumberFormatException e) {
                size = -1;
            }
            boolean sizeOk = switch (kind) {
                case 'f' -> size == 4 || size == 8;
                case 'i' -> size == 1 || size == 2 || size == 4 || size == 8;
                case 'u' -> size == 1 || size == 2 || size == 4;
                case 'b' -> size == 1;
                default -> false;
            };
            boolean orderOk = orderChar == '<' || orderChar == '>' || orderChar == '=' || (orderChar == '|' && size == 1);
            if (sizeOk && orderOk) {
                ByteOrder order = orderChar == '>' ? ByteOrder.BIG_ENDIAN
                        : orderChar == '=' ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
                return new NpyDtype(descr, kind, size, order);
            }
        }
        throw new InvalidInputException(source + ": unsupported dtype '" + descr + "' (supported: " + SUPPORTED
                + "; convert with arr.astype(np.float64) or arr.astype(np.int64))");
    }

    boolean isFloat() {
        return kind == 'f';
    }

    boolean isInteger() {
        return kind == 'i' || kind == 'u' || kind == 'b';
    }

    /** Element {@code index} (in storage order) of {@code data} as a double. */
    double getDouble(java.nio.ByteBuffer data, long index) {
        int at = Math.toIntExact(index * itemSize);
        return switch (kind) {
            case 'f' -> itemSize == 4 ? data.getFloat(at) : data.getDouble(at);
            default -> (double) getLong(data, index);
        };
    }

    /** Element {@code index} (in storage order) of {@code data} as a long (integer kinds only). */
    long getLong(java.nio.ByteBuffer data, long index) {
        int at = Math.toIntExact(index * itemSize);
        return switch (kind) {
            case 'i' -> switch (itemSize) {
                case 1 -> data.get(at);
                case 2 -> data.getShort(at);
                case 4 -> data.getInt(at);
                default -> data.getLong(at);
            };
            case 'u' -> switch (itemSize) {
                case 1 -> Byte.toUnsignedLong(data.get(at));
                case 2 -> Short.toUnsignedLong(data.getShort(at));
                default -> Integer.toUnsignedLong(data.getInt(at));
            };
            case 'b' -> data.get(at) != 0 ? 1 : 0;
            default -> throw new IllegalStateException("not an integer dtype: " + descr.toLowerCase(Locale.ROOT));
        };
    }
}
