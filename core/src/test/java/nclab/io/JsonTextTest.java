package nclab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import nclab.data.ClassSizes;
import nclab.data.SyntheticCollapse;
import nclab.metrics.CollapseAnalysis;
import nclab.metrics.FeatureRows;
import nclab.theory.SeliGeometry;
import nclab.theory.TheoryParameters;
import org.junit.jupiter.api.Test;

/** {@link JsonText} must write exactly the text of jackson-databind's pretty printer ({@link Json#jacksonPrettyString}). */
class JsonTextTest {

    /** Json's pretty text equals Jackson's, and was written by JsonText itself. */
    private static void assertSameAsJackson(Object value) {
        assertNotNull(JsonText.toPrettyString(value), "JsonText should cover this value");
        assertEquals(Json.jacksonPrettyString(value), Json.toPrettyString(value));
    }

    /** Json's pretty text equals Jackson's, for a value JsonText hands over. */
    private static void assertHandedToJackson(Object value) {
        assertNull(JsonText.toPrettyString(value), "JsonText should not cover this value");
        assertEquals(Json.jacksonPrettyString(value), Json.toPrettyString(value));
    }

    @Test
    void scalarsStringsAndEscapesMatchJackson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "quote \" backslash \\ slash / tab \t newline \n cr \r bs \b ff \f nul \u0000 us \u001f del \u007f é ∞");
        m.put("char", 'x');
        m.put("path", Path.of("a/b.npy"));
        m.put("true", true);
        m.put("false", false);
        m.put("null", null);
        m.put("int", -7);
        m.put("long", 1L << 40);
        m.put("short", (short) 3);
        m.put("byte", (byte) -2);
        m.put("doubles", new double[] {0.0, -0.0, 1.0, 0.1, 1e-300, 2.085808605012322E-4, 1e21, 123456789.0,
            Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE});
        m.put("boxed", List.of(1.5, Double.NaN, Float.NaN, 0.1f, 3.4028235e38f));
        m.put("ints", new int[] {1, -2, Integer.MIN_VALUE});
        m.put("emptyArray", new double[0]);
        m.put("emptyList", List.of());
        m.put("emptyMap", Map.of());
        m.put("matrix", new double[][] {{1, 2}, {3, Double.NaN}, {}});
        m.put("enum", java.time.DayOfWeek.MONDAY);
        assertSameAsJackson(m);
        m.put(null, "null key"); // a key that is not a string: Jackson writes it
        assertHandedToJackson(m);
    }

    @Test
    void nestedObjectsInsideArraysAndMapsMatchJackson() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("a", 1);
        inner.put("b", Map.of("c", List.of(Map.of("d", 2.5), List.of(1, List.of()))));
        List<Object> list = new ArrayList<>();
        list.add(inner);
        list.add(Map.of());
        list.add(new Object[] {inner, null, "s"});
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("list", list);
        root.put("deep", Map.of("x", Map.of("y", Map.of("z", new int[] {1}))));
        assertSameAsJackson(root);
        assertSameAsJackson(list);
        assertSameAsJackson(Map.of());
        assertSameAsJackson(List.of());
        assertSameAsJackson("top-level string");
    }

    record Pair(int a, String b) {
    }

    @Test
    void valuesOnlyJacksonWritesAreHandedToIt() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("record", new Pair(1, "x"));
        m.put("optional", Optional.of(2.0));
        m.put("big", new java.math.BigDecimal("1.50"));
        m.put("longs", new long[] {1, 2});
        assertHandedToJackson(m);
    }

    @Test
    void aWholeAnalysisMatchesJackson() {
        ClassSizes sizes = ClassSizes.step(4, 5, 0.5, 6);
        var seli = SeliGeometry.predict(TheoryParameters.of(sizes)).geometry();
        SyntheticCollapse data = SyntheticCollapse.generate(seli, sizes, 12, 0.1, 3);
        CollapseAnalysis analysis = CollapseAnalysis.run(FeatureRows.of(data.features()), data.labels(),
                data.weights(), null, new CollapseAnalysis.Options(1e-3, 1e-3, null, null));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("features", "H.npy");
        m.putAll(analysis.toMap());
        assertSameAsJackson(m);
    }
}
