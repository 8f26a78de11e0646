package nclab.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

import nclab.InvalidInputException;

/**
 * An n-dimensional NumPy array as read from a {@code .npy} file (or an entry of a {@code .npz}
 * archive): its element type, storage order, shape and raw data bytes. Elements are stored in C order
 * (last index fastest) unless {@code fortranOrder} is set (first index fastest); the conversions below
 * return logical (row-major) values either way.
 *
 * @param dtype        NumPy type descriptor, e.g. {@code "<f4"}, {@code "<i8"}, {@code "|u1"}
 * @param fortranOrder true when the data are stored column-major
 * @param shape        shape (empty for a 0-d array); the accessor returns a copy
 * @param data         the raw element bytes in storage order, {@code size() × itemsize} bytes; the
 *                     accessor returns a read-only view with the dtype's byte order
 * @param source       what the array was read from (a file name, or {@code archive.npz:entry.npy}), used
 *                     in error messages
 */
public record NpyArray(String dtype, boolean fortranOrder, int[] shape, ByteBuffer data, String source) {

    /** Validates the dtype and that the data hold exactly the elements the shape calls for. */
    public NpyArray {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        source = source == null ? "array" : source;
        NpyDtype type = NpyDtype.parse(source, dtype);
        shape = shape.clone();
        for (int s : shape) {
            InvalidInputException.require(s >= 0, source + ": negative dimension in shape " + NpyHeader.shapeText(shape));
        }
        long expected = Math.multiplyExact(sizeOf(shape), type.itemSize());
        InvalidInputException.require(data.remaining() == expected, source + ": shape " + NpyHeader.shapeText(shape)
                + " of " + dtype + " needs " + expected + " data bytes, got " + data.remaining());
        data = data.slice().asReadOnlyBuffer().order(type.order());
    }

    /** An array without a source name. */
    public NpyArray(String dtype, boolean fortranOrder, int[] shape, ByteBuffer data) {
        this(dtype, fortranOrder, shape, data, "array");
    }

    /** A float64 ({@code <f8}) C-order 2-D array holding a copy of {@code matrix} (rows of equal length). */
    public static NpyArray of(double[][] matrix) {
        int rows = matrix.length;
        int cols = rows == 0 ? 0 : matrix[0].length;
        ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(Math.multiplyExact(rows, cols), 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows; i++) {
            InvalidInputException.require(matrix[i].length == cols,
                    "ragged matrix: row " + i + " has length " + matrix[i].length + ", row 0 has " + cols);
            data.asDoubleBuffer().position(i * cols).put(matrix[i]);
        }
        return new NpyArray("<f8", false, new int[] {rows, cols}, data);
    }

    /** A float64 ({@code <f8}) 1-D array holding a copy of {@code vector}. */
    public static NpyArray of(double[] vector) {
        ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(vector.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        data.asDoubleBuffer().put(vector);
        return new NpyArray("<f8", false, new int[] {vector.length}, data);
    }

    /** An int64 ({@code <i8}) 1-D array holding {@code vector}. */
    public static NpyArray of(int[] vector) {
        ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(vector.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < vector.length; i++) {
            data.putLong(8 * i, vector[i]);
        }
        return new NpyArray("<i8", false, new int[] {vector.length}, data);
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public ByteBuffer data() {
        return data.duplicate().order(data.order());
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements: the product of the shape (1 for a 0-d array). */
    public long size() {
        return sizeOf(shape);
    }

    /** Python-style shape text, e.g. {@code (60000, 512)} or {@code (10,)}. */
    public String shapeText() {
        return NpyHeader.shapeText(shape);
    }

    /**
     * The 2-D array as rows: {@code result[i][j]} = element (i, j), whatever the storage order. Integer
     * and boolean dtypes are converted to double.
     *
     * @throws InvalidInputException if the array is not 2-D
     */
    public double[][] toMatrix() {
        requireRank(2);
        NpyDtype type = type();
        int rows = shape[0];
        int cols = shape[1];
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            double[] row = m[i];
            for (int j = 0; j < cols; j++) {
                long index = fortranOrder ? (long) j * rows + i : (long) i * cols + j;
                row[j] = type.getDouble(data, index);
            }
        }
        return m;
    }

    /**
     * The 1-D array as doubles (integer and boolean dtypes converted).
     *
     * @throws InvalidInputException if the array is not 1-D
     */
    public double[] toVector() {
        requireRank(1);
        NpyDtype type = type();
        double[] v = new double[shape[0]];
        for (int i = 0; i < v.length; i++) {
            v[i] = type.getDouble(data, i);
        }
        return v;
    }

    /**
     * The 1-D integer array (e.g. class labels) as ints. Floating-point arrays are rejected even when
     * they hold whole numbers, so that a features file passed as labels fails loudly.
     *
     * @throws InvalidInputException if the array is not 1-D, not of an integer dtype, or holds a value
     *                               outside the int range
     */
    public int[] toIntVector() {
        long[] values = toLongVector();
        int[] v = new int[values.length];
        for (int i = 0; i < v.length; i++) {
            long x = values[i];
            if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
                throw new InvalidInputException(source + ": value " + x + " at index " + i + " does not fit in a 32-bit int");
            }
            v[i] = (int) x;
        }
        return v;
    }

    /**
     * The 1-D integer array as longs.
     *
     * @throws InvalidInputException if the array is not 1-D or not of an integer dtype
     */
    public long[] toLongVector() {
        requireRank(1);
        NpyDtype type = type();
        if (!type.isInteger()) {
            throw new InvalidInputException(source + ": expected an integer array, got dtype '" + dtype
                    + "' (convert with arr.astype(np.int64))");
        }
        long[] v = new long[shape[0]];
        for (int i = 0; i < v.length; i++) {
            v[i] = type.getLong(data, i);
        }
        return v;
    }

    /**
     * @throws InvalidInputException naming the source and the actual shape unless the array has
     *                               {@code rank} dimensions
     */
    public void requireRank(int rank) {
        if (shape.length != rank) {
            throw new InvalidInputException(source + ": expected a " + rank + "-D array, got shape " + shapeText());
        }
    }

    NpyDtype type() {
        return NpyDtype.parse(source, dtype);
    }

    static long sizeOf(int[] shape) {
        long n = 1;
        for (int s : shape) {
            n = Math.multiplyExact(n, (long) s);
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && a.dtype.equals(dtype) && a.fortranOrder == fortranOrder
                && Arrays.equals(a.shape, shape) && a.data.equals(data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, fortranOrder, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
        return "NpyArray[" + source + ", dtype=" + dtype + ", shape=" + shapeText() + (fortranOrder ? ", Fortran order" : "") + "]";
    }
}
