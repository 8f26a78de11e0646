package nclab.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import nclab.InvalidInputException;
import nclab.metrics.CollapseScan;
import nclab.metrics.FeatureRows;

/**
 * An N×d feature matrix streamed from a memory-mapped 2-D float32 or float64 {@code .npy} file in C
 * order, without loading a copy into the Java heap: each {@link #scan} converts one row at a time into a
 * reused {@code double[]}, and {@link #scanBlocks} converts blocks of rows with bulk reads ({@link
 * #scanFloatBlocks} hands float32 blocks over unconverted). Range scans read
 * only the rows asked for and may run on several threads at once. Files larger than 2 GiB are mapped in several chunks of whole rows.
 *
 * <p>Fortran-order files are rejected (streaming rows from column-major storage would read the whole
 * file per row); save them with {@code np.save(f, np.ascontiguousarray(h))}.
 *
 * <p>Close it to release the file handle; the operating system releases the mapping when the buffers are
 * garbage-collected.
 */
public final class NpyFeatureRows implements FeatureRows, CollapseScan.Float32Rows, AutoCloseable {

    /** Largest chunk mapped at once (a MappedByteBuffer is indexed by int). */
    static final long DEFAULT_MAX_CHUNK_BYTES = 1L << 30;

    private final Path file;
    private final NpyDtype dtype;
    private final int rows;
    private final int cols;
    private final int rowsPerChunk;
    private final List<MappedByteBuffer> chunks;
    private final FileChannel channel;
    private volatile boolean closed;

    private NpyFeatureRows(Path file, NpyDtype dtype, int rows, int cols, int rowsPerChunk,
                           List<MappedByteBuffer> chunks, FileChannel channel) {
        this.file = file;
        this.dtype = dtype;
        this.rows = rows;
        this.cols = cols;
        this.rowsPerChunk = rowsPerChunk;
        this.chunks = chunks;
        this.channel = channel;
    }

    /**
     * Opens and maps a 2-D float32/float64 C-order {@code .npy} file.
     *
     * @throws InvalidInputException naming the file if it is missing or malformed (see {@link Npy#read}),
     *                               not 2-D, not floating point, or in Fortran order
     */
    public static NpyFeatureRows open(Path file) {
        return open(file, DEFAULT_MAX_CHUNK_BYTES);
    }

    /** As {@link #open(Path)}, mapping at most {@code maxChunkBytes} per chunk (for tests of chunking). */
    static NpyFeatureRows open(Path file, long maxChunkBytes) {
        String source = file.toString();
        Npy.requireReadableFile(file);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            NpyHeader header = NpyHeader.read(source, new BufferedInputStream(Channels.newInputStream(channel), 4096));
            int[] shape = header.shape();
            if (shape.length != 2) {
                throw new InvalidInputException(source + ": expected a 2-D array, got shape " + NpyHeader.shapeText(shape));
            }
            NpyDtype dtype = header.dtype();
            if (!dtype.isFloat()) {
                throw new InvalidInputException(source + ": expected float32 or float64 features, got dtype '"
                        + dtype.descr() + "' (convert with arr.astype(np.float32))");
            }
            if (header.fortranOrder() && shape[0] > 1 && shape[1] > 1) {
                throw new InvalidInputException(source + ": Fortran-order (column-major) arrays cannot be streamed by row;"
                        + " save with np.save(f, np.ascontiguousarray(arr))");
            }
            Npy.requireDataLength(source, header, header.dataBytes(), channel.size() - header.dataOffset());
            int rows = shape[0];
            int cols = shape[1];
            long rowBytes = (long) cols * dtype.itemSize();
            int rowsPerChunk = rowBytes == 0 ? Math.max(rows, 1)
                    : (int) Math.max(1, Math.min(rows, maxChunkBytes / rowBytes));
            List<MappedByteBuffer> chunks = new ArrayList<>();
            for (long start = 0; start < rows && rowBytes > 0; start += rowsPerChunk) {
                long count = Math.min(rowsPerChunk, rows - start);
                MappedByteBuffer chunk = channel.map(FileChannel.MapMode.READ_ONLY,
                        header.dataOffset() + start * rowBytes, count * rowBytes);
                chunk.order(dtype.order());
                chunks.add(chunk);
            }
            return new NpyFeatureRows(file, dtype, rows, cols, rowsPerChunk, List.copyOf(chunks), channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    /** The mapped file. */
    public Path file() {
        return file;
    }

    /** The element type, {@code <f4}, {@code <f8} or a big-endian form. */
    public String dtype() {
        return dtype.descr();
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    /** Number of mapped chunks (1 for files under 1 GiB). */
    int chunkCount() {
        return chunks.size();
    }

    @Override
    public void scan(RowVisitor visitor) {
        scan(0, rows, visitor);
    }

    /** Reads only rows {@code from}..{@code to−1}; safe to call from several threads at once. */
    @Override
    public void scan(int from, int to, RowVisitor visitor) {
        requireOpen();
        checkRange(from, to);
        double[] row = new double[cols];
        if (cols == 0) {
            for (int i = from; i < to; i++) {
                visitor.visit(i, row);
            }
            return;
        }
        float[] floats = dtype.itemSize() == 4 ? new float[cols] : null;
        for (int i = from; i < to; i++) {
            read(i, 1, row, floats);
            visitor.visit(i, row);
        }
    }

    /**
     * Converts each block of rows straight from the mapped file into the block array (bulk reads, no
     * per-row copy); safe to call from several threads at once.
     */
    @Override
    public void scanBlocks(int from, int to, int blockRows, BlockVisitor visitor) {
        requireOpen();
        checkRange(from, to);
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be >= 1, got " + blockRows);
        }
        int size = Math.max(1, Math.min(blockRows, to - from));
        double[] block = new double[size * cols];
        float[] floats = dtype.itemSize() == 4 ? new float[size * cols] : null;
        for (int first = from; first < to; first += blockRows) {
            int count = Math.min(blockRows, to - first);
            // a block may straddle two mapped chunks: read it chunk by chunk
            for (int done = 0; done < count && cols > 0; ) {
                int row = first + done;
                int inChunk = Math.min(count - done, rowsPerChunk - row % rowsPerChunk);
                readWithin(row, inChunk, block, done * cols, floats);
                done += inChunk;
            }
            visitor.visit(first, count, block);
        }
    }

    @Override
    public boolean storedAsFloat32() {
        return dtype.itemSize() == 4;
    }

    /**
     * As {@link #scanBlocks} for a float32 file, with the stored values not widened; safe to call from several
     * threads at once.
     *
     * @throws IllegalStateException for a float64 file
     */
    @Override
    public void scanFloatBlocks(int from, int to, int blockRows, CollapseScan.FloatBlockVisitor visitor) {
        requireOpen();
        checkRange(from, to);
        if (!storedAsFloat32()) {
            throw new IllegalStateException(file + " holds " + dtype.descr() + ", not float32");
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows must be >= 1, got " + blockRows);
        }
        float[] block = new float[Math.max(1, Math.min(blockRows, to - from)) * cols];
        for (int first = from; first < to; first += blockRows) {
            int count = Math.min(blockRows, to - first);
            for (int done = 0; done < count && cols > 0; ) {
                int row = first + done;
                int inChunk = Math.min(count - done, rowsPerChunk - row % rowsPerChunk);
                MappedByteBuffer chunk = chunks.get(row / rowsPerChunk);
                chunk.duplicate().order(dtype.order()).asFloatBuffer()
                        .get((row % rowsPerChunk) * cols, block, done * cols, inChunk * cols);
                done += inChunk;
            }
            visitor.visit(first, count, block);
        }
    }

    @Override
    public boolean supportsRangeScan() {
        return true;
    }

    /** Reads {@code count} rows starting at {@code row} (which may cross chunks) into {@code dst} from offset 0. */
    private void read(int row, int count, double[] dst, float[] floats) {
        for (int done = 0; done < count; ) {
            int r = row + done;
            int inChunk = Math.min(count - done, rowsPerChunk - r % rowsPerChunk);
            readWithin(r, inChunk, dst, done * cols, floats);
            done += inChunk;
        }
    }

    /** Reads {@code count} rows that lie in one mapped chunk, converting float32 to double. */
    private void readWithin(int row, int count, double[] dst, int offset, float[] floats) {
        MappedByteBuffer chunk = chunks.get(row / rowsPerChunk);
        int index = (row % rowsPerChunk) * cols;
        int length = count * cols;
        ByteBuffer view = chunk.duplicate().order(dtype.order());
        if (floats != null) {
            view.asFloatBuffer().get(index, floats, 0, length);
            widen(floats, dst, offset, length);
        } else {
            view.asDoubleBuffer().get(index, dst, offset, length);
        }
    }

    /** dst[offset + j] = src[j] for j &lt; length; unrolled by four (a third faster in a short run, where the JIT
     *  has compiled the loop without unrolling it). */
    private static void widen(float[] src, double[] dst, int offset, int length) {
        int j = 0;
        for (; j + 4 <= length; j += 4) {
            dst[offset + j] = src[j];
            dst[offset + j + 1] = src[j + 1];
            dst[offset + j + 2] = src[j + 2];
            dst[offset + j + 3] = src[j + 3];
        }
        for (; j < length; j++) {
            dst[offset + j] = src[j];
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(file + " is closed");
        }
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to < from || to > rows) {
            throw new IndexOutOfBoundsException("row range [" + from + ", " + to + ") outside [0, " + rows + ")");
        }
    }

    /** Releases the file handle; later scans fail. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "NpyFeatureRows[" + file + ", " + dtype.descr() + ", (" + rows + ", " + cols + "), "
                + chunks.size() + " chunk(s) of up to " + rowsPerChunk + " rows]";
    }
}
