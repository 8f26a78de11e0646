package nclab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NpyFeatureRows#scanFloatBlocks}: the stored float32 values, block by block, across mapped chunks. */
class NpyFloatBlocksTest {
    @TempDir
    Path dir;

    @Test
    void floatBlocksAcrossChunksHoldTheStoredValues() {
        Random rnd = new Random(12);
        double[][] m = new double[37][5];
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        Path f4 = dir.resolve("f4.npy");
        Npy.writeFloat32(f4, m);
        // 3 rows per mapped chunk: blocks of 4 rows straddle chunk boundaries
        try (NpyFeatureRows rows = NpyFeatureRows.open(f4, 3L * 5 * 4)) {
            assertTrue(rows.storedAsFloat32());
            List<Integer> firsts = new ArrayList<>();
            rows.scanFloatBlocks(5, 30, 4, (first, count, block) -> {
                firsts.add(first);
                assertEquals(Math.min(4, 30 - first), count);
                for (int b = 0; b < count; b++) {
                    for (int j = 0; j < 5; j++) {
                        assertEquals((float) m[first + b][j], block[b * 5 + j], 0.0f, "row " + (first + b));
                    }
                }
            });
            assertEquals(List.of(5, 9, 13, 17, 21, 25, 29), firsts);
            assertThrows(IndexOutOfBoundsException.class, () -> rows.scanFloatBlocks(3, 38, 4, (f, c, b) -> { }));
            assertThrows(IllegalArgumentException.class, () -> rows.scanFloatBlocks(0, 3, 0, (f, c, b) -> { }));
        }
        Path f8 = dir.resolve("f8.npy");
        Npy.write(f8, m);
        try (NpyFeatureRows rows = NpyFeatureRows.open(f8)) {
            assertFalse(rows.storedAsFloat32());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> rows.scanFloatBlocks(0, 3, 2, (f, c, b) -> { }));
            assertTrue(e.getMessage().contains("not float32"), e.getMessage());
        }
    }
}
