package nclab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpzTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"stored.npz", "compressed.npz"})
    void readsNumPyArchives(String name) {
        Map<String, NpyArray> arrays = Npz.read(Fixtures.npy(name));
        double[][] features = arrays.get("features").toMatrix();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(Fixtures.matrixF(i, j), features[i][j], 0.0);
            }
        }
        int[] labels = arrays.get("labels").toIntVector();
        for (int i = 0; i < 7; i++) {
            assertEquals(Fixtures.vectorI(i), labels[i]);
        }
        assertEquals(Fixtures.npy(name) + ":features.npy", arrays.get("features").source());
    }

    @Test
    void compressedArchiveKeepsDtypesOrderAndEntryOrder() {
        Map<String, NpyArray> arrays = Npz.read(Fixtures.npy("compressed.npz"));
        assertEquals(List.of("features", "labels", "fortran"), List.copyOf(arrays.keySet()));
        assertEquals("<f4", arrays.get("features").dtype());
        assertEquals("<i4", arrays.get("labels").dtype());
        NpyArray fortran = arrays.get("fortran");
        assertTrue(fortran.fortranOrder());
        assertEquals(Fixtures.matrixF(2, 1), fortran.toMatrix()[2][1], 0.0);
    }

    @Test
    void roundTripsEveryValueType() throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("W", new double[][] {{1, 2}, {3, 4}, {5, 6.5}});
        values.put("b", new double[] {0.5, -0.25});
        values.put("labels", new int[] {2, 0, 1});
        values.put("ids", new long[] {1L << 40});
        values.put("copy", Npy.read(Fixtures.npy("f4_2d_f.npy")));
        Path file = dir.resolve("out.npz");
        Npz.write(file, values);
        Map<String, NpyArray> back = Npz.read(file);
        assertEquals(List.of("W", "b", "labels", "ids", "copy"), List.copyOf(back.keySet()));
        assertArrayEquals(new double[] {5, 6.5}, back.get("W").toMatrix()[2], 0.0);
        assertEquals("<f8", back.get("W").dtype());
        assertArrayEquals(new double[] {0.5, -0.25}, back.get("b").toVector(), 0.0);
        assertArrayEquals(new int[] {2, 0, 1}, back.get("labels").toIntVector());
        assertEquals("<i8", back.get("labels").dtype());
        assertArrayEquals(new long[] {1L << 40}, back.get("ids").toLongVector());
        assertEquals(values.get("copy"), back.get("copy"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void unsupportedValueTypeIsNamed() {
        Path file = dir.resolve("bad.npz");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npz.write(file, Map.of("x", "text")));
        assertEquals("cannot write 'x' as .npy: unsupported value type String (supported: double[][], double[], int[], long[], NpyArray)",
                e.getMessage());
        assertTrue(Files.notExists(file));
    }

    @Test
    void missingFileAndNonZip() throws IOException {
        Path missing = dir.resolve("missing.npz");
        assertEquals(missing + ": file not found", assertThrows(InvalidInputException.class, () -> Npz.read(missing)).getMessage());
        Path npy = Fixtures.npy("f8_1d.npy");
        String message = assertThrows(InvalidInputException.class, () -> Npz.read(npy)).getMessage();
        assertTrue(message.startsWith(npy + ": not a valid .npz (zip) archive"), message);
        Path truncated = dir.resolve("cut.npz");
        byte[] bytes = Files.readAllBytes(Fixtures.npy("compressed.npz"));
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        message = assertThrows(InvalidInputException.class, () -> Npz.read(truncated)).getMessage();
        assertTrue(message.startsWith(truncated + ": not a valid .npz (zip) archive"), message);
    }

    private Path zipWith(String name, String entry, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content);
            zip.closeEntry();
        }
        return file;
    }

    @Test
    void malformedEntryNamesArchiveAndEntry() throws IOException {
        byte[] npy = Files.readAllBytes(Fixtures.npy("f8_2d_c.npy"));
        Path file = zipWith("trunc.npz", "features.npy", Arrays.copyOf(npy, npy.length - 8));
        String message = assertThrows(InvalidInputException.class, () -> Npz.read(file)).getMessage();
        assertEquals(file + ":features.npy: truncated data: shape (3, 4) of <f8 needs 96 data bytes, file has 88", message);

        Path other = zipWith("other.npz", "notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
        message = assertThrows(InvalidInputException.class, () -> Npz.read(other)).getMessage();
        assertEquals(other + ":notes.txt: not a .npy entry (an .npz archive holds only name.npy entries)", message);

        Path magic = zipWith("magic.npz", "x.npy", "not numpy".getBytes(StandardCharsets.UTF_8));
        message = assertThrows(InvalidInputException.class, () -> Npz.read(magic)).getMessage();
        assertEquals(magic + ":x.npy: not a NumPy .npy file (bad magic string; expected \\x93NUMPY)", message);
    }
}
