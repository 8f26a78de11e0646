package nclab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import nclab.InvalidInputException;
import nclab.metrics.FeatureRows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyFeatureRowsTest {

    @TempDir
    Path dir;

    private static List<double[]> collect(FeatureRows rows) {
        List<double[]> out = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        rows.scan((i, r) -> {
            indices.add(i);
            out.add(r.clone());
        });
        for (int i = 0; i < indices.size(); i++) {
            assertEquals(i, indices.get(i), "rows are visited in order");
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4_2d_c.npy", "f8_2d_c.npy", "f4_2d_be.npy", "f8_2d_v2.npy"})
    void streamsNumPyFixtures(String name) {
        try (NpyFeatureRows rows = NpyFeatureRows.open(Fixtures.npy(name))) {
            assertEquals(3, rows.rows());
            assertEquals(4, rows.cols());
            assertEquals(1, rows.chunkCount());
            List<double[]> seen = collect(rows);
            assertEquals(3, seen.size());
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(Fixtures.matrixF(i, j), seen.get(i)[j], 0.0, name + " [" + i + "][" + j + "]");
                }
            }
            assertEquals(3, collect(rows).size(), "a second scan sees the rows again");
        }
    }

    private static double[][] randomMatrix(int n, int d, long seed) {
        Random rnd = new Random(seed);
        double[][] m = new double[n][d];
        for (double[] row : m) {
            for (int j = 0; j < d; j++) {
                row[j] = rnd.nextGaussian();
            }
        }
        return m;
    }

    @Test
    void chunkedMappingMatchesInMemoryRows() {
        double[][] m = randomMatrix(37, 5, 1);
        Path f8 = dir.resolve("f8.npy");
        Npy.write(f8, m);
        Path f4 = dir.resolve("f4.npy");
        Npy.writeFloat32(f4, m);
        // 3 rows of 5 doubles per chunk (120 bytes) → 13 chunks, the last holding one row
        try (NpyFeatureRows rows = NpyFeatureRows.open(f8, 3 * 5 * 8 + 7)) {
            assertEquals(13, rows.chunkCount());
            List<double[]> seen = collect(rows);
            for (int i = 0; i < m.length; i++) {
                assertArrayEquals(m[i], seen.get(i), 0.0, "row " + i);
            }
        }
        try (NpyFeatureRows rows = NpyFeatureRows.open(f4, 4 * 5 * 4)) {
            assertEquals(10, rows.chunkCount());
            assertEquals("<f4", rows.dtype());
            List<double[]> seen = collect(rows);
            for (int i = 0; i < m.length; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals((float) m[i][j], seen.get(i)[j], 0.0);
                }
            }
        }
    }

    @Test
    void rangesAndBlocksAcrossChunksMatchInMemoryRows() {
        double[][] m = randomMatrix(37, 5, 4);
        Path f8 = dir.resolve("f8b.npy");
        Npy.write(f8, m);
        Path f4 = dir.resolve("f4b.npy");
        Npy.writeFloat32(f4, m);
        for (Path file : new Path[] {f8, f4}) {
            boolean single = file == f4;
            // 3 rows per mapped chunk: blocks of 4 rows straddle chunk boundaries
            try (NpyFeatureRows rows = NpyFeatureRows.open(file, 3L * 5 * (single ? 4 : 8))) {
                assertTrue(rows.supportsRangeScan());
                List<Integer> firsts = new ArrayList<>();
                rows.scanBlocks(5, 30, 4, (first, count, block) -> {
                    firsts.add(first);
                    assertEquals(Math.min(4, 30 - first), count);
                    for (int b = 0; b < count; b++) {
                        for (int j = 0; j < 5; j++) {
                            double expected = single ? (float) m[first + b][j] : m[first + b][j];
                            assertEquals(expected, block[b * 5 + j], 0.0, "row " + (first + b));
                        }
                    }
                });
                assertEquals(List.of(5, 9, 13, 17, 21, 25, 29), firsts);
                List<Integer> seen = new ArrayList<>();
                rows.scan(10, 14, (i, r) -> {
                    seen.add(i);
                    assertEquals(single ? (float) m[i][2] : m[i][2], r[2], 0.0);
                });
                assertEquals(List.of(10, 11, 12, 13), seen);
                assertThrows(IndexOutOfBoundsException.class, () -> rows.scan(3, 38, (i, r) -> { }));
            }
        }
    }

    @Test
    void rowVectorsInFortranOrderAreStillRows() {
        // a single-row array is laid out identically in C and Fortran order
        Path file = dir.resolve("one.npy");
        Npy.write(file, new NpyArray("<f8", true, new int[] {1, 3},
                java.nio.ByteBuffer.wrap(new byte[24])));
        try (NpyFeatureRows rows = NpyFeatureRows.open(file)) {
            assertEquals(1, collect(rows).size());
        }
    }

    @Test
    void emptyMatrix() {
        try (NpyFeatureRows rows = NpyFeatureRows.open(Fixtures.npy("f8_2d_empty.npy"))) {
            assertEquals(0, rows.rows());
            assertEquals(4, rows.cols());
            assertEquals(0, collect(rows).size());
        }
    }

    private String failure(Path file) {
        return assertThrows(InvalidInputException.class, () -> NpyFeatureRows.open(file)).getMessage();
    }

    @Test
    void rejectsWrongRankDtypeAndOrder() {
        Path vector = Fixtures.npy("f8_1d.npy");
        assertEquals(vector + ": expected a 2-D array, got shape (6,)", failure(vector));
        Path ints = Fixtures.npy("i4_2d_c.npy");
        assertEquals(ints + ": expected float32 or float64 features, got dtype '<i4' (convert with arr.astype(np.float32))",
                failure(ints));
        Path fortran = Fixtures.npy("f4_2d_f.npy");
        assertEquals(fortran + ": Fortran-order (column-major) arrays cannot be streamed by row;"
                + " save with np.save(f, np.ascontiguousarray(arr))", failure(fortran));
    }

    @Test
    void rejectsMissingAndTruncatedFiles() throws IOException {
        Path missing = dir.resolve("features.npy");
        assertEquals(missing + ": file not found", failure(missing));
        byte[] bytes = Files.readAllBytes(Fixtures.npy("f4_2d_c.npy"));
        Path truncated = dir.resolve("cut.npy");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 4));
        assertEquals(truncated + ": truncated data: shape (3, 4) of <f4 needs 48 data bytes, file has 44", failure(truncated));
        bytes[0] = 0;
        Path magic = dir.resolve("magic.npy");
        Files.write(magic, bytes);
        assertTrue(failure(magic).startsWith(magic + ": not a NumPy .npy file"));
    }

    @Test
    void scanAfterCloseFails() {
        NpyFeatureRows rows = NpyFeatureRows.open(Fixtures.npy("f8_2d_c.npy"));
        rows.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rows.scan((i, r) -> { }));
        assertTrue(e.getMessage().endsWith("f8_2d_c.npy is closed"));
    }
}
