package nclab.dl.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxFilesTest {
    @TempDir
    Path dir;

    private static byte[] header(int magic, int... dims) {
        byte[] h = new byte[4 + 4 * dims.length];
        IdxFiles.putInt32(h, 0, magic);
        for (int i = 0; i < dims.length; i++) {
            IdxFiles.putInt32(h, 4 + 4 * i, dims[i]);
        }
        return h;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private String failure(Runnable r) {
        return assertThrows(InvalidInputException.class, r::run).getMessage();
    }

    @Test
    void roundTripRawAndGzipExactly() throws IOException {
        ImageSet set = TestImages.random("t", 37, 1, 5, 7, 10, 1);
        for (String ext : new String[] {"", ".gz"}) {
            Path im = dir.resolve("im" + ext);
            Path lb = dir.resolve("lb" + ext);
            IdxFiles.write(set, im, lb);
            assertEquals(ext.equals(".gz"), DataStreams.isGzip(im));
            ImageSet back = IdxFiles.read("t", im, lb, 10);
            assertEquals(set, back);
            assertEquals(5, back.height());
            assertEquals(7, back.width());
            assertArrayEquals(set.pixels(), back.pixels());
            assertArrayEquals(set.labels(), back.labels());
        }
    }

    @Test
    void readsHandWrittenBytes() throws IOException {
        // 2 images of 1x3: bytes 0, 128, 255 and 1, 2, 3; labels 4 and 0
        Path im = file("im", concat(header(0x803, 2, 1, 3), new byte[] {0, (byte) 128, (byte) 255, 1, 2, 3}));
        Path lb = file("lb", concat(header(0x801, 2), new byte[] {4, 0}));
        ImageSet s = IdxFiles.read("h", im, lb, 5);
        assertArrayEquals(new float[] {0f, 128 / 255f, 1f, 1 / 255f, 2 / 255f, 3 / 255f}, s.pixels());
        assertArrayEquals(new int[] {4, 0}, s.labels());
        assertEquals(1, s.height());
        assertEquals(3, s.width());
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        byte[] raw = concat(header(0x803, 1, 2, 2), new byte[] {9, 8, 7, 6});
        Path gzNamedPlain = file("images-without-suffix", gzip(raw));
        Path plainNamedGz = file("images.gz", raw);
        assertArrayEquals(IdxFiles.readImages(gzNamedPlain).pixels(), IdxFiles.readImages(plainNamedGz).pixels());
    }

    @Test
    void wrongMagicNamesFileAndMagic() throws IOException {
        Path im = file("bad", concat(header(0x12345678, 1, 1, 1), new byte[] {0}));
        String m = failure(() -> IdxFiles.readImages(im));
        assertEquals(im + ": not an IDX image file (magic 0x12345678, expected 0x00000803)", m);
        Path labels = file("labels", concat(header(0x801, 1), new byte[] {0}));
        assertTrue(failure(() -> IdxFiles.readImages(labels)).endsWith("(that is an IDX label file)"));
        Path images = file("images", concat(header(0x803, 1, 1, 1), new byte[] {0}));
        assertTrue(failure(() -> IdxFiles.readLabels(images))
                .startsWith(images + ": not an IDX label file (magic 0x00000803, expected 0x00000801)"));
    }

    @Test
    void truncatedImageData() throws IOException {
        Path im = file("trunc", concat(header(0x803, 3, 2, 2), new byte[10]));
        assertEquals(im + ": truncated: header says 3 images of 2x2 (12 bytes) but only 10 bytes follow",
                failure(() -> IdxFiles.readImages(im)));
        Path gz = file("trunc.gz", gzip(concat(header(0x803, 60000, 28, 28), new byte[1000])));
        assertEquals(gz + ": truncated: header says 60000 images of 28x28 (47040000 bytes) but only 1000 bytes follow",
                failure(() -> IdxFiles.readImages(gz)));
    }

    @Test
    void truncatedHeaders() throws IOException {
        Path im = file("short", Arrays.copyOf(header(0x803, 3, 2, 2), 10));
        assertEquals(im + ": truncated IDX image header (10 bytes; an image header has 16: magic, count, rows, columns)",
                failure(() -> IdxFiles.readImages(im)));
        Path empty = file("empty", new byte[0]);
        assertEquals(empty + ": truncated IDX image header (0 bytes; the magic number alone has 4)",
                failure(() -> IdxFiles.readImages(empty)));
        Path lb = file("shortlabels", Arrays.copyOf(header(0x801, 3), 6));
        assertEquals(lb + ": truncated IDX label header (6 bytes; a label header has 8: magic, count)",
                failure(() -> IdxFiles.readLabels(lb)));
        Path lb2 = file("fewlabels", concat(header(0x801, 5), new byte[] {1, 2}));
        assertEquals(lb2 + ": truncated: header says 5 labels but only 2 bytes follow", failure(() -> IdxFiles.readLabels(lb2)));
    }

    @Test
    void trailingDataIsRejected() throws IOException {
        Path im = file("long", concat(header(0x803, 1, 2, 2), new byte[5]));
        assertEquals(im + ": data continues after the 1 images its header declares", failure(() -> IdxFiles.readImages(im)));
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path im = file("im", concat(header(0x803, 3, 1, 1), new byte[3]));
        Path lb = file("lb", concat(header(0x801, 2), new byte[2]));
        assertEquals(im + " holds 3 images but " + lb + " holds 2 labels; the two files must describe the same images",
                failure(() -> IdxFiles.read("x", im, lb, 10)));
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path im = file("im", concat(header(0x803, 3, 1, 1), new byte[3]));
        Path lb = file("lb", concat(header(0x801, 3), new byte[] {0, 9, 10}));
        assertEquals(lb + ": label 10 of image 2 is out of range for 10 classes (labels must lie in 0..9)",
                failure(() -> IdxFiles.read("x", im, lb, 10)));
        Path lb255 = file("lb255", concat(header(0x801, 3), new byte[] {0, (byte) 255, 1}));
        assertTrue(failure(() -> IdxFiles.read("x", im, lb255, 10)).startsWith(lb255 + ": label 255 of image 1"));
    }

    @Test
    void corruptGzip() throws IOException {
        byte[] raw = new byte[20000];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 31 + i / 7);
        }
        byte[] gz = gzip(concat(header(0x803, 20, 25, 40), raw));
        // damage the deflate stream in the middle
        byte[] damaged = gz.clone();
        for (int i = 40; i < 60; i++) {
            damaged[i] = (byte) ~damaged[i];
        }
        Path bad = file("damaged.gz", damaged);
        String m = failure(() -> IdxFiles.readImages(bad));
        assertTrue(m.startsWith(bad + ": corrupt or truncated gzip data ("), m);
        // cut the compressed file short
        Path cut = file("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        String m2 = failure(() -> IdxFiles.readImages(cut));
        assertTrue(m2.startsWith(cut + ": corrupt or truncated gzip data ("), m2);
        // a wrong CRC in the trailer is found because the reader reads to the end
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 1;
        Path crc = file("crc.gz", badCrc);
        String m3 = failure(() -> IdxFiles.readImages(crc));
        assertTrue(m3.startsWith(crc + ": corrupt or truncated gzip data ("), m3);
    }

    @Test
    void missingFile() {
        Path nowhere = dir.resolve("nowhere");
        assertEquals(nowhere + ": no such file", failure(() -> IdxFiles.readImages(nowhere)));
    }

    @Test
    void writerRejectsColour() {
        ImageSet colour = TestImages.random("rgb", 2, 3, 2, 2, 3, 1);
        assertEquals("rgb: IDX holds grey images only, got 3 channels",
                failure(() -> IdxFiles.write(colour, dir.resolve("a"), dir.resolve("b"))));
    }
}
