package nclab.dl.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import nclab.InvalidInputException;

/** Opening data files that may be gzip-compressed, and turning their I/O failures into clear messages. */
final class DataStreams {
    /** Read buffer: large, so that inflating 26 MB of Fashion-MNIST costs few system calls. */
    static final int BUFFER = 1 << 20;

    /** p/255 for every byte value p, so that conversion is one table look-up per pixel. */
    static final float[] UNIT = new float[256];

    static {
        for (int p = 0; p < 256; p++) {
            UNIT[p] = p / 255f;
        }
    }

    private DataStreams() {
    }

    /** A buffered stream of {@code file}'s content, inflated when it starts with the gzip magic 1f 8b. */
    static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
            } catch (IOException e) {
                raw.close();
                throw e;
            }
        }
        return raw;
    }

    /** Whether {@code file} starts with the gzip magic bytes. */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * The exception to throw for an I/O failure while reading {@code file}: corrupt compressed data and
     * missing files become {@link InvalidInputException}s that name the file; other errors stay I/O errors.
     */
    static RuntimeException failure(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new InvalidInputException(file + ": no such file", e);
        }
        if (e instanceof ZipException || e instanceof EOFException) {
            return new InvalidInputException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        }
        return new UncheckedIOException(file + ": " + e.getMessage(), e);
    }

    /** Big-endian 32-bit integer from 4 bytes at {@code offset}. */
    static int int32(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 24) | ((b[offset + 1] & 0xff) << 16) | ((b[offset + 2] & 0xff) << 8) | (b[offset + 3] & 0xff);
    }
}
