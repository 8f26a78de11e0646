package nclab.dl.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CifarBinaryTest {
    @TempDir
    Path dir;

    @Test
    void recordLayoutIsLabelThenRedGreenBluePlanes() throws IOException {
        byte[] record = new byte[CifarBinary.RECORD_BYTES];
        record[0] = 7;
        record[1] = (byte) 255;              // red (0,0)
        record[1 + 33] = 10;                 // red (1,1)
        record[1 + 1024 + 31] = 20;          // green (0,31)
        record[1 + 2048 + 1023] = (byte) 200; // blue (31,31)
        Path f = Files.write(dir.resolve("one.bin"), record);
        ImageSet s = CifarBinary.read("c", List.of(f));
        assertEquals(1, s.size());
        assertEquals(7, s.label(0));
        assertEquals(3, s.channels());
        float[] im = s.image(0);
        // index = c*1024 + row*32 + col
        assertEquals(1f, im[0]);
        assertEquals(10 / 255f, im[32 + 1]);
        assertEquals(20 / 255f, im[1024 + 31]);
        assertEquals(200 / 255f, im[2048 + 31 * 32 + 31]);
        assertEquals(0f, im[1]);
    }

    @Test
    void roundTripAcrossSeveralBatchesInOrder() {
        ImageSet a = TestImages.random("a", 5, 3, 32, 32, 10, 1);
        ImageSet b = TestImages.random("b", 3, 3, 32, 32, 10, 2);
        CifarBinary.write(a, dir.resolve("a.bin"));
        CifarBinary.write(b, dir.resolve("b.bin"));
        ImageSet both = CifarBinary.read("ab", List.of(dir.resolve("a.bin"), dir.resolve("b.bin")));
        assertEquals(8, both.size());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(a.image(i), both.image(i));
            assertEquals(a.label(i), both.label(i));
        }
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(b.image(i), both.image(5 + i));
            assertEquals(b.label(i), both.label(5 + i));
        }
    }

    @Test
    void truncatedBatch() throws IOException {
        Path f = Files.write(dir.resolve("t.bin"), new byte[2 * CifarBinary.RECORD_BYTES + 100]);
        String m = assertThrows(InvalidInputException.class, () -> CifarBinary.read("c", List.of(f))).getMessage();
        assertEquals(f + ": not a CIFAR-10 binary batch: 6246 bytes is not a whole number of 3073-byte records"
                + " (1 label + 3072 pixels); truncated after 2 records?", m);
        Path e = Files.write(dir.resolve("e.bin"), new byte[0]);
        assertEquals(e + ": empty file; a CIFAR-10 batch holds 3073-byte records (1 label + 3072 pixels)",
                assertThrows(InvalidInputException.class, () -> CifarBinary.read("c", List.of(e))).getMessage());
    }

    @Test
    void labelOutOfRange() throws IOException {
        byte[] data = new byte[2 * CifarBinary.RECORD_BYTES];
        data[CifarBinary.RECORD_BYTES] = 10;
        Path f = Files.write(dir.resolve("l.bin"), data);
        assertEquals(f + ": label 10 of record 1 is out of range for CIFAR-10 (labels must lie in 0..9)",
                assertThrows(InvalidInputException.class, () -> CifarBinary.read("c", List.of(f))).getMessage());
    }
}
