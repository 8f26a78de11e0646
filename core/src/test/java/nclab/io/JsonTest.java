package nclab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nclab.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {

    @TempDir
    Path dir;

    enum Model { SELI }

    record Point(String name, double x, int[] counts) {
    }

    @Test
    void prettyPrintsMapsListsArraysAndKeepsOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "seli");
        m.put("k", 3);
        m.put("balanced", false);
        m.put("values", new double[] {1.5, 0.1});
        m.put("nested", Map.of("a", List.of(1, 2)));
        assertEquals("""
                {
                  "model" : "seli",
                  "k" : 3,
                  "balanced" : false,
                  "values" : [ 1.5, 0.1 ],
                  "nested" : {
                    "a" : [ 1, 2 ]
                  }
                }""", Json.toPrettyString(m));
    }

    @Test
    void nonFiniteNumbersBecomeNull() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("floats", new float[] {Float.NEGATIVE_INFINITY, 2f});
        m.put("matrix", new double[][] {{1, Double.NaN}, {Double.NEGATIVE_INFINITY, 4}});
        assertEquals("{\"nan\":null,\"inf\":null,\"floats\":[null,2.0],\"matrix\":[[1.0,null],[null,4.0]]}",
                Json.toCompactString(m));
    }

    @Test
    void recordsEnumsAndPathsAreWritten() {
        Object value = List.of(new Point("p", 0.25, new int[] {1, 2}), Model.SELI, Path.of("a", "b.npy"));
        assertEquals("[{\"name\":\"p\",\"x\":0.25,\"counts\":[1,2]},\"SELI\",\"" + Path.of("a", "b.npy") + "\"]",
                Json.toCompactString(value));
    }

    @Test
    void doublesKeepFullPrecision() {
        double x = 0.1 + 0.2;
        String text = Json.toCompactString(List.of(x, Math.PI, 1e-300));
        assertEquals("[" + x + "," + Math.PI + ",1.0E-300]", text);
    }

    @Test
    void unsupportedTypeIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.toPrettyString(new Object()));
        assertEquals("cannot write a value of type java.lang.Object to JSON", e.getMessage());
    }

    @Test
    void writeThenReadRoundTrips() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "run \"1\"\n");
        m.put("n", 60000);
        m.put("big", 1L << 40);
        m.put("x", -0.125);
        m.put("undefined", Double.NaN);
        m.put("list", new int[] {3, 1});
        Path file = dir.resolve("out.json");
        Json.write(file, m);
        assertTrue(Files.readString(file).endsWith("}\n"));
        Map<String, Object> back = Json.read(file);
        assertEquals(List.of("name", "n", "big", "x", "undefined", "list"), List.copyOf(back.keySet()));
        assertEquals("run \"1\"\n", back.get("name"));
        assertEquals(60000, back.get("n"));
        assertEquals(1L << 40, back.get("big"));
        assertEquals(-0.125, back.get("x"));
        assertNull(back.get("undefined"));
        assertEquals(List.of(3, 1), back.get("list"));
    }

    @Test
    void readAcceptsNaNTokens() throws IOException {
        Path file = dir.resolve("nan.json");
        Files.writeString(file, "{\"a\": NaN, \"b\": -Infinity}");
        Map<String, Object> m = Json.read(file);
        assertTrue(Double.isNaN((Double) m.get("a")));
        assertEquals(Double.NEGATIVE_INFINITY, m.get("b"));
    }

    @Test
    void malformedInputNamesFileAndPlace() throws IOException {
        Path missing = dir.resolve("config.json");
        assertEquals(missing + ": file not found", assertThrows(InvalidInputException.class, () -> Json.read(missing)).getMessage());

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\n  \"a\": 1,\n  \"b\": }\n");
        String message = assertThrows(InvalidInputException.class, () -> Json.read(broken)).getMessage();
        assertTrue(message.startsWith(broken + ": malformed JSON: "), message);
        assertTrue(message.endsWith("(line 3, column 8)"), message);

        Path array = dir.resolve("array.json");
        Files.writeString(array, "[1, 2]");
        assertEquals(array + ": expected a JSON object at the top level, got an array",
                assertThrows(InvalidInputException.class, () -> Json.read(array)).getMessage());
    }
}
