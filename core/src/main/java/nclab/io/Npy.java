package nclab.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import nclab.InvalidInputException;

/**
 * Reads and writes NumPy {@code .npy} files (the format of {@code np.save} / {@code np.load}, format
 * versions 1.0, 2.0 and 3.0), so that features, labels and classifier weights exported from NumPy or
 * PyTorch ({@code np.save("features.npy", h.numpy())}) can be analysed here and results read back.
 *
 * <p>Reading supports float32/float64, signed integers of 1–8 bytes, unsigned integers of 1–4 bytes and
 * booleans, little- or big-endian, in C or Fortran order. Every malformed file raises an
 * {@link InvalidInputException} whose message names the file and the defect. Whole arrays are loaded
 * into memory (at most 2 GiB of data); for large feature matrices use {@link NpyFeatureRows}.
 *
 * <p>Writing produces little-endian, C-order files with a format 1.0 header (2.0 when the header would
 * not fit), atomically (see {@link AtomicFiles}).
 */
public final class Npy {

    private Npy() {
    }

    /**
     * Reads a whole {@code .npy} file.
     *
     * @throws InvalidInputException naming the file for a missing file, bad magic string, unsupported
     *                               version, truncated or malformed header, unsupported dtype, or data
     *                               that do not match the shape
     */
    public static NpyArray read(Path file) {
        String source = file.toString();
        requireReadableFile(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
            NpyHeader header = NpyHeader.read(source, in);
            long available = fileSize - header.dataOffset();
            long expected = header.dataBytes();
            requireDataLength(source, header, expected, available);
            if (expected > Integer.MAX_VALUE - 16) {
                throw new InvalidInputException(source + ": array of shape " + NpyHeader.shapeText(header.shape())
                        + " has " + expected + " data bytes, too many to load into memory at once"
                        + " (feature matrices of this size are streamed with NpyFeatureRows)");
            }
            ByteBuffer data = ByteBuffer.allocate((int) expected);
            channel.position(header.dataOffset());
            while (data.hasRemaining()) {
                if (channel.read(data) < 0) {
                    throw new InvalidInputException(source + ": truncated data: file ended early");
                }
            }
            data.flip();
            return new NpyArray(header.dtype().descr(), header.fortranOrder(), header.shape(), data, source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /** Parses a {@code .npy} image held in memory (e.g. an entry of an archive). */
    static NpyArray parse(String source, byte[] bytes) {
        try {
            InputStream in = new java.io.ByteArrayInputStream(bytes);
            NpyHeader header = NpyHeader.read(source, in);
            long available = bytes.length - header.dataOffset();
            long expected = header.dataBytes();
            requireDataLength(source, header, expected, available);
            ByteBuffer data = ByteBuffer.wrap(bytes, (int) header.dataOffset(), (int) expected);
            return new NpyArray(header.dtype().descr(), header.fortranOrder(), header.shape(), data, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen for a byte array
        }
    }

    static void requireDataLength(String source, NpyHeader header, long expected, long available) {
        String what = "shape " + NpyHeader.shapeText(header.shape()) + " of " + header.dtype().descr() + " needs "
                + expected + " data bytes, file has " + available;
        if (available < expected) {
            throw new InvalidInputException(source + ": truncated data: " + what);
        }
        if (available > expected) {
            throw new InvalidInputException(source + ": data length mismatch: " + what);
        }
    }

    static void requireReadableFile(Path file) {
        InvalidInputException.require(Files.exists(file), file + ": file not found");
        InvalidInputException.require(!Files.isDirectory(file), file + ": is a directory, not a file");
        InvalidInputException.require(Files.isReadable(file), file + ": file is not readable");
    }

    /** Writes an N×d matrix as float64 ({@code <f8}), C order. Rows must all have the same length. */
    public static void write(Path file, double[][] matrix) {
        AtomicFiles.write(file, out -> writeMatrix(out, matrix, false));
    }

    /** Writes an N×d matrix as float32 ({@code <f4}), C order (values rounded to float). */
    public static void writeFloat32(Path file, double[][] matrix) {
        AtomicFiles.write(file, out -> writeMatrix(out, matrix, true));
    }

    /** Writes a vector as float64 ({@code <f8}). */
    public static void write(Path file, double[] vector) {
        AtomicFiles.write(file, out -> writeVector(out, vector));
    }

    /** Writes an integer vector (e.g. labels) as int64 ({@code <i8}), which {@code np.load} gives as int64. */
    public static void write(Path file, int[] vector) {
        AtomicFiles.write(file, out -> writeVector(out, vector));
    }

    /** Writes an array (e.g. one read earlier) with its own dtype, order and shape. */
    public static void write(Path file, NpyArray array) {
        AtomicFiles.write(file, out -> writeArray(out, array));
    }

    // ---------------------------------------------------------------------------------------- encoding

    static void writeMatrix(OutputStream out, double[][] matrix, boolean float32) throws IOException {
        int rows = matrix.length;
        int cols = rows == 0 ? 0 : matrix[0].length;
        for (int i = 0; i < rows; i++) {
            if (matrix[i].length != cols) {
                throw new InvalidInputException("cannot write a ragged matrix: row " + i + " has length "
                        + matrix[i].length + ", row 0 has " + cols);
            }
        }
        int itemSize = float32 ? 4 : 8;
        writeHeader(out, float32 ? "<f4" : "<f8", false, new int[] {rows, cols});
        ByteBuffer row = ByteBuffer.allocate(cols * itemSize).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] r : matrix) {
            row.clear();
            if (float32) {
                row.asFloatBuffer().put(toFloats(r));
            } else {
                row.asDoubleBuffer().put(r);
            }
            out.write(row.array(), 0, row.capacity());
        }
    }

    private static float[] toFloats(double[] r) {
        float[] f = new float[r.length];
        for (int j = 0; j < r.length; j++) {
            f[j] = (float) r[j];
        }
        return f;
    }

    static void writeVector(OutputStream out, double[] vector) throws IOException {
        writeHeader(out, "<f8", false, new int[] {vector.length});
        ByteBuffer b = ByteBuffer.allocate(vector.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(vector);
        out.write(b.array());
    }

    static void writeVector(OutputStream out, int[] vector) throws IOException {
        writeHeader(out, "<i8", false, new int[] {vector.length});
        ByteBuffer b = ByteBuffer.allocate(vector.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : vector) {
            b.putLong(v);
        }
        out.write(b.array());
    }

    static void writeVector(OutputStream out, long[] vector) throws IOException {
        writeHeader(out, "<i8", false, new int[] {vector.length});
        ByteBuffer b = ByteBuffer.allocate(vector.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(vector);
        out.write(b.array());
    }

    static void writeArray(OutputStream out, NpyArray array) throws IOException {
        writeHeader(out, array.dtype(), array.fortranOrder(), array.shape());
        ByteBuffer data = array.data();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        out.write(bytes);
    }

    /** Encodes one of the supported value types (see {@link Npz#write}). */
    static void writeValue(OutputStream out, String name, Object value) throws IOException {
        if (value instanceof double[][] m) {
            writeMatrix(out, m, false);
        } else if (value instanceof double[] v) {
            writeVector(out, v);
        } else if (value instanceof int[] v) {
            writeVector(out, v);
        } else if (value instanceof long[] v) {
            writeVector(out, v);
        } else if (value instanceof NpyArray a) {
            writeArray(out, a);
        } else {
            throw new IllegalArgumentException("cannot write '" + name + "' as .npy: unsupported value type "
                    + (value == null ? "null" : value.getClass().getSimpleName())
                    + " (supported: double[][], double[], int[], long[], NpyArray)");
        }
    }

    /**
     * Writes magic, version and the header dict padded with spaces and a newline so that the data start
     * at a multiple of 64 bytes. Version 1.0 unless the header exceeds 65535 bytes (then 2.0).
     */
    static void writeHeader(OutputStream out, String descr, boolean fortranOrder, int[] shape) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + NpyHeader.shapeText(shape) + ", }";
        int major = 1;
        int lengthBytes = 2;
        int prefix = NpyHeader.MAGIC.length + 2 + lengthBytes;
        int total = pad(prefix + dict.length() + 1);
        if (total - prefix > 0xffff) {
            major = 2;
            lengthBytes = 4;
            prefix = NpyHeader.MAGIC.length + 2 + lengthBytes;
            total = pad(prefix + dict.length() + 1);
        }
        int headerLength = total - prefix;
        StringBuilder text = new StringBuilder(headerLength).append(dict);
        while (text.length() < headerLength - 1) {
            text.append(' ');
        }
        text.append('\n');
        out.write(NpyHeader.MAGIC);
        out.write(major);
        out.write(0);
        for (int i = 0; i < lengthBytes; i++) {
            out.write((headerLength >>> (8 * i)) & 0xff);
        }
        out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static int pad(int n) {
        return (n + 63) / 64 * 64;
    }
}
