package nclab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ fixtures written by NumPy

    @ParameterizedTest
    @ValueSource(strings = {"f4_1d.npy", "f8_1d.npy", "f8_be_1d.npy"})
    void readsFloatVectors(String name) {
        NpyArray a = Npy.read(Fixtures.npy(name));
        assertEquals(1, a.rank());
        assertEquals(6, a.size());
        double[] v = a.toVector();
        for (int i = 0; i < 6; i++) {
            assertEquals(Fixtures.vectorF(i), v[i], 0.0, name + " [" + i + "]");
        }
    }

    @Test
    void recordsDtypeAndOrderFromHeader() {
        NpyArray be = Npy.read(Fixtures.npy("f8_be_1d.npy"));
        assertEquals(">f8", be.dtype());
        assertFalse(be.fortranOrder());
        assertEquals(ByteOrder.BIG_ENDIAN, be.data().order());
        NpyArray f = Npy.read(Fixtures.npy("f4_2d_f.npy"));
        assertEquals("<f4", f.dtype());
        assertTrue(f.fortranOrder());
        assertArrayEquals(new int[] {3, 4}, f.shape());
        assertEquals("(3, 4)", f.shapeText());
        assertEquals(48, f.data().remaining());
    }

    @ParameterizedTest
    @ValueSource(strings = {"i4_1d.npy", "i8_1d.npy", "i1_1d.npy", "i4_be_1d.npy"})
    void readsIntegerVectors(String name) {
        NpyArray a = Npy.read(Fixtures.npy(name));
        int[] v = a.toIntVector();
        assertEquals(7, v.length);
        for (int i = 0; i < 7; i++) {
            assertEquals(Fixtures.vectorI(i), v[i], name + " [" + i + "]");
            assertEquals(Fixtures.vectorI(i), a.toVector()[i], 0.0);
        }
    }

    @Test
    void readsUnsignedBytesAsUnsigned() {
        assertArrayEquals(new int[] {249, 250, 251, 252, 253, 254, 255}, Npy.read(Fixtures.npy("u1_1d.npy")).toIntVector());
    }

    @Test
    void readsBooleansAsZeroOne() {
        NpyArray a = Npy.read(Fixtures.npy("b1_1d.npy"));
        assertEquals("|b1", a.dtype());
        assertArrayEquals(new int[] {1, 0, 1}, a.toIntVector());
    }

    @Test
    void int64BeyondIntRangeIsKeptAsLongAndRejectedAsInt() {
        NpyArray a = Npy.read(Fixtures.npy("i8_big_1d.npy"));
        assertArrayEquals(new long[] {(1L << 40) + 1, -(1L << 40) - 3}, a.toLongVector());
        InvalidInputException e = assertThrows(InvalidInputException.class, a::toIntVector);
        assertTrue(e.getMessage().endsWith("i8_big_1d.npy: value 1099511627777 at index 0 does not fit in a 32-bit int"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4_2d_c.npy", "f8_2d_c.npy", "f4_2d_f.npy", "f8_2d_f.npy", "f4_2d_be.npy",
        "f8_2d_v2.npy", "f8_2d_v3.npy"})
    void readsFloatMatricesInEitherOrder(String name) {
        double[][] m = Npy.read(Fixtures.npy(name)).toMatrix();
        assertEquals(3, m.length);
        for (int i = 0; i < 3; i++) {
            assertEquals(4, m[i].length);
            for (int j = 0; j < 4; j++) {
                assertEquals(Fixtures.matrixF(i, j), m[i][j], 0.0, name + " [" + i + "][" + j + "]");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"i4_2d_c.npy", "i8_2d_f.npy"})
    void readsIntegerMatrices(String name) {
        double[][] m = Npy.read(Fixtures.npy(name)).toMatrix();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(Fixtures.matrixI(i, j), m[i][j], 0.0, name + " [" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void readsScalarAndEmptyArrays() {
        NpyArray scalar = Npy.read(Fixtures.npy("f8_scalar.npy"));
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.size());
        assertEquals(2.5, scalar.data().getDouble(0), 0.0);
        InvalidInputException e = assertThrows(InvalidInputException.class, scalar::toVector);
        assertTrue(e.getMessage().endsWith("f8_scalar.npy: expected a 1-D array, got shape ()"), e.getMessage());

        NpyArray empty = Npy.read(Fixtures.npy("f8_2d_empty.npy"));
        assertEquals(0, empty.size());
        assertEquals("(0, 4)", empty.shapeText());
        assertEquals(0, empty.toMatrix().length);
    }

    @Test
    void wrongRankNamesFileAndShape() {
        Path file = Fixtures.npy("f8_1d.npy");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(file).toMatrix());
        assertEquals(file + ": expected a 2-D array, got shape (6,)", e.getMessage());
        Path matrix = Fixtures.npy("f8_2d_c.npy");
        e = assertThrows(InvalidInputException.class, () -> Npy.read(matrix).toVector());
        assertEquals(matrix + ": expected a 1-D array, got shape (3, 4)", e.getMessage());
    }

    @Test
    void floatLabelsAreRejectedEvenWhenWhole() throws IOException {
        Path labels = dir.resolve("labels.npy");
        Npy.write(labels, new double[] {0, 1, 2});
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(labels).toIntVector());
        assertEquals(labels + ": expected an integer array, got dtype '<f8' (convert with arr.astype(np.int64))", e.getMessage());
    }

    // ------------------------------------------------------------------ writing

    @Test
    void float64MatrixRoundTripsExactly() {
        double[][] m = {{Math.PI, -0.0, 1e-300}, {Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN}};
        Path file = dir.resolve("m.npy");
        Npy.write(file, m);
        NpyArray a = Npy.read(file);
        assertEquals("<f8", a.dtype());
        assertFalse(a.fortranOrder());
        assertArrayEquals(new int[] {2, 3}, a.shape());
        double[][] back = a.toMatrix();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(Double.doubleToRawLongBits(m[i][j]), Double.doubleToRawLongBits(back[i][j]));
            }
        }
    }

    @Test
    void float32MatrixIsRoundedToFloat() {
        double[][] m = {{0.1, 1.0 / 3}, {-2.5, 1e10}};
        Path file = dir.resolve("m32.npy");
        Npy.writeFloat32(file, m);
        NpyArray a = Npy.read(file);
        assertEquals("<f4", a.dtype());
        double[][] back = a.toMatrix();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals((double) (float) m[i][j], back[i][j], 0.0);
            }
        }
    }

    @Test
    void vectorsRoundTrip() {
        Path f = dir.resolve("v.npy");
        double[] v = {1.5, -2.25, 1e-9};
        Npy.write(f, v);
        assertArrayEquals(v, Npy.read(f).toVector(), 0.0);

        Path l = dir.resolve("labels.npy");
        int[] labels = {0, 3, -1, Integer.MAX_VALUE, Integer.MIN_VALUE};
        Npy.write(l, labels);
        NpyArray a = Npy.read(l);
        assertEquals("<i8", a.dtype());
        assertArrayEquals(labels, a.toIntVector());

        Path empty = dir.resolve("empty.npy");
        Npy.write(empty, new int[0]);
        assertEquals("(0,)", Npy.read(empty).shapeText());
    }

    @Test
    void factoriesBuildTheSameArraysAsTheWriters() {
        double[][] m = {{1, 2, 3}, {4, 5, 6.5}};
        Path file = dir.resolve("m.npy");
        Npy.write(file, m);
        assertEquals(Npy.read(file), NpyArray.of(m));
        assertArrayEquals(m[1], NpyArray.of(m).toMatrix()[1], 0.0);
        assertArrayEquals(new double[] {0.5, -1}, NpyArray.of(new double[] {0.5, -1}).toVector(), 0.0);
        NpyArray labels = NpyArray.of(new int[] {4, -2});
        assertEquals("<i8", labels.dtype());
        assertArrayEquals(new int[] {4, -2}, labels.toIntVector());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> NpyArray.of(new double[][] {{1}, {2, 3}}));
        assertEquals("ragged matrix: row 1 has length 2, row 0 has 1", e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> new NpyArray("<f8", false, new int[] {2, 2}, ByteBuffer.allocate(24), "x.npy"));
        assertEquals("x.npy: shape (2, 2) of <f8 needs 32 data bytes, got 24", e.getMessage());
    }

    @Test
    void arrayWithItsOwnLayoutRoundTrips() {
        NpyArray fortran = Npy.read(Fixtures.npy("i8_2d_f.npy"));
        Path file = dir.resolve("copy.npy");
        Npy.write(file, fortran);
        NpyArray back = Npy.read(file);
        assertEquals(fortran, back);
        assertTrue(back.fortranOrder());
        assertArrayEquals(fortran.toMatrix()[2], back.toMatrix()[2], 0.0);
    }

    @Test
    void writtenHeaderMatchesNumPyLayout() throws IOException {
        Path file = dir.resolve("m.npy");
        Npy.write(file, new double[][] {{1, 2, 3}, {4, 5, 6}});
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(128 + 48, bytes.length, "header padded to 64-byte alignment, then 6 doubles");
        assertEquals(1, bytes[6]);
        assertEquals(0, bytes[7]);
        assertEquals(118, (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8);
        String header = new String(bytes, 10, 118, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertTrue(header.endsWith(" \n"));
        // the bytes NumPy 2.x writes for the same array (float64, C order) have the same header
        byte[] numpy = Files.readAllBytes(Fixtures.npy("f8_2d_c.npy"));
        assertEquals(new String(numpy, 0, 10, StandardCharsets.ISO_8859_1).substring(0, 8),
                new String(bytes, 0, 10, StandardCharsets.ISO_8859_1).substring(0, 8));
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("x.npy");
        Npy.write(file, new double[] {1});
        Npy.write(file, new double[] {2, 3});
        assertArrayEquals(new double[] {2, 3}, Npy.read(file).toVector(), 0.0);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void failedWriteKeepsOldFile() throws IOException {
        Path file = dir.resolve("x.npy");
        Npy.write(file, new double[] {7});
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Npy.write(file, new double[][] {{1, 2}, {3}}));
        assertEquals("cannot write a ragged matrix: row 1 has length 1, row 0 has 2", e.getMessage());
        assertArrayEquals(new double[] {7}, Npy.read(file).toVector(), 0.0);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void writeIntoMissingDirectoryNamesIt() {
        Path file = dir.resolve("nope").resolve("x.npy");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.write(file, new double[] {1}));
        assertEquals("cannot write " + file + ": directory " + file.getParent() + " does not exist", e.getMessage());
    }

    // ------------------------------------------------------------------ malformed files

    private Path corrupt(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static String failure(Path file) {
        return assertThrows(InvalidInputException.class, () -> Npy.read(file)).getMessage();
    }

    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(Fixtures.npy(name));
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("features.npy");
        assertEquals(file + ": file not found", failure(file));
        assertEquals(dir + ": is a directory, not a file", failure(dir));
    }

    @Test
    void emptyFile() throws IOException {
        Path file = corrupt("empty.npy", new byte[0]);
        assertEquals(file + ": file is empty, not a NumPy .npy file", failure(file));
    }

    @Test
    void badMagic() throws IOException {
        byte[] bytes = fixture("f8_1d.npy");
        bytes[1] = 'X';
        Path file = corrupt("magic.npy", bytes);
        assertEquals(file + ": not a NumPy .npy file (bad magic string; expected \\x93NUMPY)", failure(file));
        Path text = corrupt("text.npy", "0.5,1.5\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals(text + ": not a NumPy .npy file (bad magic string; expected \\x93NUMPY)", failure(text));
        Path shortMagic = corrupt("short.npy", Arrays.copyOf(fixture("f8_1d.npy"), 4));
        assertEquals(shortMagic + ": not a NumPy .npy file (bad magic string; expected \\x93NUMPY)", failure(shortMagic));
    }

    @Test
    void unsupportedVersion() throws IOException {
        byte[] bytes = fixture("f8_1d.npy");
        bytes[6] = 4;
        Path file = corrupt("v4.npy", bytes);
        assertEquals(file + ": unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)", failure(file));
        bytes[6] = 1;
        bytes[7] = 1;
        Path minor = corrupt("v11.npy", bytes);
        assertEquals(minor + ": unsupported .npy format version 1.1 (supported: 1.0, 2.0, 3.0)", failure(minor));
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] bytes = fixture("f8_1d.npy");
        Path cut = corrupt("cut.npy", Arrays.copyOf(bytes, 40));
        assertEquals(cut + ": truncated header: expected 118 header bytes, file has only 30", failure(cut));
        Path inLength = corrupt("len.npy", Arrays.copyOf(bytes, 9));
        assertEquals(inLength + ": truncated header: file ends inside the header-length field", failure(inLength));
        Path noVersion = corrupt("nover.npy", Arrays.copyOf(bytes, 7));
        assertEquals(noVersion + ": truncated header: file ends after 7 bytes, before the format version", failure(noVersion));
    }

    @Test
    void headerNotADict() throws IOException {
        Path list = corrupt("list.npy", Fixtures.npy1("[1, 2]"));
        assertEquals(list + ": header is not a Python dict literal: '[1, 2]'", failure(list));
        Path garbage = corrupt("garbage.npy", Fixtures.npy1("{'descr': <f8}"));
        assertEquals(garbage + ": header is not a Python dict literal (unexpected character '<' at character 10): '{'descr': <f8}'",
                failure(garbage));
        Path missingKey = corrupt("nokey.npy", Fixtures.npy1("{'descr': '<f8', 'shape': (1,)}"));
        assertEquals(missingKey + ": header dict must have the keys 'descr', 'fortran_order' and 'shape', got [descr, shape]",
                failure(missingKey));
    }

    @Test
    void badShapeOrOrder() throws IOException {
        Path shape = corrupt("shape.npy", Fixtures.npy1("{'descr': '<f8', 'fortran_order': False, 'shape': [3], }"));
        assertEquals(shape + ": header 'shape' must be a tuple of integers, got [3]", failure(shape));
        Path negative = corrupt("neg.npy", Fixtures.npy1("{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }"));
        assertEquals(negative + ": header 'shape' must be a tuple of integers in [0, 2^31), got [-3]", failure(negative));
        Path order = corrupt("order.npy", Fixtures.npy1("{'descr': '<f8', 'fortran_order': 0, 'shape': (3,), }"));
        assertEquals(order + ": header 'fortran_order' must be True or False, got 0", failure(order));
    }

    @Test
    void unsupportedDtypeIsNamed() throws IOException {
        Path complex = corrupt("c16.npy", Fixtures.npyBytes(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }\n", new byte[16]));
        assertTrue(failure(complex).startsWith(complex + ": unsupported dtype '<c16' (supported: "), failure(complex));
        Path half = corrupt("f2.npy", Fixtures.npyBytes(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }\n", new byte[2]));
        assertTrue(failure(half).startsWith(half + ": unsupported dtype '<f2'"), failure(half));
        Path object = corrupt("o.npy", Fixtures.npyBytes(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }\n", new byte[8]));
        assertTrue(failure(object).startsWith(object + ": unsupported dtype '|O'"), failure(object));
        Path structured = corrupt("rec.npy", Fixtures.npyBytes(1,
                "{'descr': [('x', '<f8'), ('y', '<i4')], 'fortran_order': False, 'shape': (1,), }\n", new byte[12]));
        assertTrue(failure(structured).startsWith(structured + ": unsupported dtype [[x, <f8], [y, <i4]] (structured dtypes are not supported"),
                failure(structured));
    }

    @Test
    void truncatedDataSaysExpectedAndActualBytes() throws IOException {
        byte[] bytes = fixture("f8_2d_c.npy");
        Path file = corrupt("trunc.npy", Arrays.copyOf(bytes, bytes.length - 5));
        assertEquals(file + ": truncated data: shape (3, 4) of <f8 needs 96 data bytes, file has 91", failure(file));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        Path extra = corrupt("extra.npy", longer);
        assertEquals(extra + ": data length mismatch: shape (3, 4) of <f8 needs 96 data bytes, file has 99", failure(extra));
    }

    @Test
    void version2And3HeadersAreParsedFromHandMadeBytes() throws IOException {
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n";
        byte[] data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.25).putDouble(-4).array();
        for (int major : new int[] {2, 3}) {
            Path file = corrupt("v" + major + ".npy", Fixtures.npyBytes(major, header, data));
            assertArrayEquals(new double[] {1.25, -4}, Npy.read(file).toVector(), 0.0);
        }
    }
}
