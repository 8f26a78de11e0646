package nclab.dl.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import nclab.InvalidInputException;

import static nclab.InvalidInputException.require;

/**
 * Reader (and writer, for tests and exports) of the IDX files of MNIST and Fashion-MNIST.
 *
 * <p>Format (big-endian): a 4-byte magic 0x00 0x00 type dims, then dims 32-bit sizes, then the data.
 * Images: magic 0x00000803 (unsigned bytes, 3 dimensions N, rows, cols), then N·rows·cols pixels
 * row-major. Labels: magic 0x00000801 (unsigned bytes, 1 dimension N), then N label bytes. A file may be
 * gzip-compressed (detected by its first bytes 1f 8b, whatever its name) or raw. Pixels are returned
 * as p/255 in [0, 1].
 *
 * <p>Every malformed file is reported by an {@link InvalidInputException} whose message starts with the
 * file's path: wrong magic, truncated header, fewer data bytes than the header declares, data after the
 * declared end, corrupt gzip, image/label count mismatch, label out of range.
 */
public final class IdxFiles {
    /** Magic of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxFiles() {
    }

    /** The images of one IDX image file: {@code count} grey images of height×width, values in [0, 1]. */
    public record Images(int count, int height, int width, float[] pixels) {
    }

    /**
     * Reads an image file and a label file into one grey {@link ImageSet} (C = 1).
     *
     * @param name    the set's name, e.g. "mnist/train"
     * @param images  IDX image file (gzip or raw)
     * @param labels  IDX label file (gzip or raw) with as many labels as there are images
     * @param classes number of classes; every label must lie in [0, classes)
     */
    public static ImageSet read(String name, Path images, Path labels, int classes) {
        require(classes >= 2, "need at least 2 classes, got " + classes);
        Images im = readImages(images);
        int[] y = readLabels(labels);
        require(im.count() == y.length, images + " holds " + im.count() + " images but " + labels + " holds "
                + y.length + " labels; the two files must describe the same images");
        for (int i = 0; i < y.length; i++) {
            require(y[i] < classes, labels + ": label " + y[i] + " of image " + i + " is out of range for "
                    + classes + " classes (labels must lie in 0.." + (classes - 1) + ")");
        }
        return new ImageSet(name, 1, im.height(), im.width(), im.pixels(), y, classes);
    }

    /** Reads an IDX image file (magic 0x00000803). */
    public static Images readImages(Path file) {
        try (InputStream in = DataStreams.open(file)) {
            byte[] header = in.readNBytes(16);
            requireMagic(file, header, IMAGES_MAGIC, "image");
            require(header.length == 16, file + ": truncated IDX image header (" + header.length
                    + " bytes; an image header has 16: magic, count, rows, columns)");
            int n = DataStreams.int32(header, 4);
            int rows = DataStreams.int32(header, 8);
            int cols = DataStreams.int32(header, 12);
            require(n >= 0 && rows >= 1 && cols >= 1, file + ": implausible IDX image header: " + Integer.toUnsignedString(n)
                    + " images of " + Integer.toUnsignedString(rows) + "x" + Integer.toUnsignedString(cols));
            long total = (long) n * rows * cols;
            require(total <= Integer.MAX_VALUE - 8, file + ": " + n + " images of " + rows + "x" + cols
                    + " are too many for one array");
            float[] pixels = new float[(int) total];
            long got = readUnitBytes(in, pixels);
            require(got == total, file + ": truncated: header says " + n + " images of " + rows + "x" + cols
                    + " (" + total + " bytes) but only " + got + " bytes follow");
            requireEnd(file, in, n + " images");
            return new Images(n, rows, cols, pixels);
        } catch (IOException e) {
            throw DataStreams.failure(file, e);
        }
    }

    /** Reads an IDX label file (magic 0x00000801); labels are returned as 0..255. */
    public static int[] readLabels(Path file) {
        try (InputStream in = DataStreams.open(file)) {
            byte[] header = in.readNBytes(8);
            requireMagic(file, header, LABELS_MAGIC, "label");
            require(header.length == 8, file + ": truncated IDX label header (" + header.length
                    + " bytes; a label header has 8: magic, count)");
            int n = DataStreams.int32(header, 4);
            require(n >= 0 && n <= Integer.MAX_VALUE - 8, file + ": implausible label count " + Integer.toUnsignedString(n));
            byte[] raw = in.readNBytes(n);
            require(raw.length == n, file + ": truncated: header says " + n + " labels but only " + raw.length + " bytes follow");
            requireEnd(file, in, n + " labels");
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        } catch (IOException e) {
            throw DataStreams.failure(file, e);
        }
    }

    /**
     * Writes a grey set as an IDX image file and an IDX label file, gzip-compressed when a file name ends
     * in ".gz". Pixels are stored as round(255·v); labels must be ≤ 255.
     */
    public static void write(ImageSet set, Path images, Path labels) {
        require(set.channels() == 1, set.name() + ": IDX holds grey images only, got " + set.channels() + " channels");
        require(set.classes() <= 256, set.name() + ": IDX labels are bytes; " + set.classes() + " classes do not fit");
        byte[] header = new byte[16];
        putInt32(header, 0, IMAGES_MAGIC);
        putInt32(header, 4, set.size());
        putInt32(header, 8, set.height());
        putInt32(header, 12, set.width());
        float[] px = set.pixels();
        byte[] data = new byte[px.length];
        for (int i = 0; i < px.length; i++) {
            data[i] = (byte) Math.round(px[i] * 255f);
        }
        writeFile(images, header, data);
        byte[] labelHeader = new byte[8];
        putInt32(labelHeader, 0, LABELS_MAGIC);
        putInt32(labelHeader, 4, set.size());
        byte[] y = new byte[set.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = (byte) set.label(i);
        }
        writeFile(labels, labelHeader, y);
    }

    private static void requireMagic(Path file, byte[] header, int magic, String kind) {
        require(header.length >= 4, file + ": truncated IDX " + kind + " header (" + header.length + " bytes; the magic number alone has 4)");
        int found = DataStreams.int32(header, 0);
        if (found != magic) {
            String hint = found == IMAGES_MAGIC ? " (that is an IDX image file)"
                    : found == LABELS_MAGIC ? " (that is an IDX label file)" : "";
            throw new InvalidInputException(String.format("%s: not an IDX %s file (magic 0x%08x, expected 0x%08x)%s",
                    file, kind, found, magic, hint));
        }
    }

    private static void requireEnd(Path file, InputStream in, String what) throws IOException {
        // reading to the end also makes GZIPInputStream check the trailer's CRC and length
        require(in.read() == -1, file + ": data continues after the " + what + " its header declares");
    }

    /** Fills {@code target} with p/255 from the stream's bytes; returns how many bytes were read (short at EOF). */
    private static long readUnitBytes(InputStream in, float[] target) throws IOException {
        byte[] buffer = new byte[Math.min(DataStreams.BUFFER, Math.max(1, target.length))];
        float[] unit = DataStreams.UNIT;
        int done = 0;
        while (done < target.length) {
            int want = Math.min(buffer.length, target.length - done);
            int got = in.readNBytes(buffer, 0, want);
            for (int i = 0; i < got; i++) {
                target[done + i] = unit[buffer[i] & 0xff];
            }
            done += got;
            if (got < want) {
                break;
            }
        }
        return done;
    }

    static void putInt32(byte[] b, int offset, int v) {
        b[offset] = (byte) (v >>> 24);
        b[offset + 1] = (byte) (v >>> 16);
        b[offset + 2] = (byte) (v >>> 8);
        b[offset + 3] = (byte) v;
    }

    static void writeFile(Path file, byte[]... parts) {
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), DataStreams.BUFFER);
             OutputStream out = file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(raw, DataStreams.BUFFER) : raw) {
            for (byte[] p : parts) {
                out.write(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
