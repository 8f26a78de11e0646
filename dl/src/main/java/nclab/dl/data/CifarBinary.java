package nclab.dl.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import static nclab.InvalidInputException.require;

/**
 * Reader (and writer, for tests) of the CIFAR-10 "binary version" batches (data_batch_1.bin …
 * data_batch_5.bin, test_batch.bin).
 *
 * <p>A batch file is a sequence of 3073-byte records: 1 label byte (0..9), then 3072 pixel bytes, the
 * 1024 red values of the 32×32 image row-major, then the 1024 green, then the 1024 blue. That is already
 * C×H×W order, so image i of the result is the record's pixels divided by 255. A file may also be
 * gzip-compressed (detected by its first bytes). The standard files hold 10 000 records each; any whole
 * number of records is accepted.
 */
public final class CifarBinary {
    /** Image side: 32. */
    public static final int SIDE = 32;
    /** Colour channels: 3 (R, G, B planes). */
    public static final int CHANNELS = 3;
    /** Pixel bytes per record, 3·32·32. */
    public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    /** Bytes per record: 1 label + 3072 pixels. */
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    /** CIFAR-10 classes. */
    public static final int CLASSES = 10;

    private CifarBinary() {
    }

    /** Reads and concatenates the batch files in the given order. */
    public static ImageSet read(String name, List<Path> files) {
        require(!files.isEmpty(), name + ": no CIFAR-10 batch file given");
        byte[][] records = new byte[files.size()][];
        long total = 0;
        for (int f = 0; f < files.size(); f++) {
            records[f] = readBatch(files.get(f));
            total += records[f].length / RECORD_BYTES;
        }
        require(total * IMAGE_BYTES <= Integer.MAX_VALUE - 8, name + ": " + total + " images are too many for one array");
        float[] pixels = new float[(int) (total * IMAGE_BYTES)];
        int[] labels = new int[(int) total];
        float[] unit = DataStreams.UNIT;
        int image = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] data = records[f];
            int n = data.length / RECORD_BYTES;
            for (int r = 0; r < n; r++, image++) {
                int at = r * RECORD_BYTES;
                int label = data[at] & 0xff;
                require(label < CLASSES, files.get(f) + ": label " + label + " of record " + r
                        + " is out of range for CIFAR-10 (labels must lie in 0.." + (CLASSES - 1) + ")");
                labels[image] = label;
                int out = image * IMAGE_BYTES;
                for (int p = 0; p < IMAGE_BYTES; p++) {
                    pixels[out + p] = unit[data[at + 1 + p] & 0xff];
                }
            }
            records[f] = null;
        }
        return new ImageSet(name, CHANNELS, SIDE, SIDE, pixels, labels, CLASSES);
    }

    /** The raw records of one batch file, checked to be a whole, non-zero number of 3073-byte records. */
    private static byte[] readBatch(Path file) {
        byte[] data;
        try (InputStream in = DataStreams.open(file)) {
            data = in.readAllBytes();
        } catch (IOException e) {
            throw DataStreams.failure(file, e);
        }
        require(data.length > 0, file + ": empty file; a CIFAR-10 batch holds 3073-byte records (1 label + 3072 pixels)");
        require(data.length % RECORD_BYTES == 0, file + ": not a CIFAR-10 binary batch: " + data.length
                + " bytes is not a whole number of 3073-byte records (1 label + 3072 pixels); truncated after "
                + data.length / RECORD_BYTES + " records?");
        return data;
    }

    /** Writes a 3×32×32 set with labels 0..9 as one binary batch file (gzip when the name ends in ".gz"). */
    public static void write(ImageSet set, Path file) {
        require(set.channels() == CHANNELS && set.height() == SIDE && set.width() == SIDE,
                set.name() + ": CIFAR-10 batches hold 3x32x32 images, got " + set.channels() + "x" + set.height() + "x" + set.width());
        require(set.classes() <= 256, set.name() + ": labels are bytes; " + set.classes() + " classes do not fit");
        byte[] data = new byte[set.size() * RECORD_BYTES];
        float[] px = set.pixels();
        for (int i = 0; i < set.size(); i++) {
            int at = i * RECORD_BYTES;
            data[at] = (byte) set.label(i);
            for (int p = 0; p < IMAGE_BYTES; p++) {
                data[at + 1 + p] = (byte) Math.round(px[i * IMAGE_BYTES + p] * 255f);
            }
        }
        IdxFiles.writeFile(file, data);
    }
}
