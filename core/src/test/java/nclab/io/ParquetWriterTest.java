package nclab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decodes the written file by hand with a generic Thrift compact-protocol reader written here from the format
 * specification (any struct to a map field id → value), and checks the footer, the page headers, the definition
 * levels and the values against the table. Spark reading the same kind of file is tested in the spark module.
 */
class ParquetWriterTest {
    @TempDir
    Path tmp;

    private static final List<ParquetWriter.Column> COLUMNS = List.of(
            new ParquetWriter.Column("id", ParquetWriter.Type.STRING),
            new ParquetWriter.Column("d", ParquetWriter.Type.INT64),
            new ParquetWriter.Column("loss", ParquetWriter.Type.DOUBLE));

    @Test
    void footerPagesLevelsAndValuesDecodeToTheTable() throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(Arrays.asList("a,b", 10, 0.5));
        rows.add(Arrays.asList("ünï", null, Double.NaN));
        rows.add(Arrays.asList(null, -3L, null));
        rows.add(Arrays.asList("x".repeat(300), Long.MAX_VALUE, -1e300));
        for (int i = 0; i < 20; i++) { // long runs of levels (present id and d, missing loss)
            rows.add(Arrays.asList("r" + i, i, null));
        }
        Path file = tmp.resolve("t.parquet");
        ParquetWriter.write(file, COLUMNS, rows);
        byte[] b = Files.readAllBytes(file);
        assertEquals("PAR1", new String(b, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("PAR1", new String(b, b.length - 4, 4, StandardCharsets.US_ASCII));
        int footerLength = ByteBuffer.wrap(b, b.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        Reader footer = new Reader(b, b.length - 8 - footerLength);
        Map<Integer, Object> meta = footer.struct();
        assertEquals(b.length - 8, footer.pos, "the footer length covers exactly the FileMetaData");

        assertEquals(1L, meta.get(1), "version");
        List<?> schema = (List<?>) meta.get(2);
        assertEquals(4, schema.size());
        assertEquals(3L, field(schema.get(0), 5), "root num_children");
        long[] physical = {6, 2, 5};
        for (int c = 0; c < 3; c++) {
            Map<?, ?> leaf = (Map<?, ?>) schema.get(c + 1);
            assertEquals(physical[c], leaf.get(1), "type of " + COLUMNS.get(c).name());
            assertEquals(1L, leaf.get(3), "OPTIONAL");
            assertEquals(COLUMNS.get(c).name(), new String((byte[]) leaf.get(4), StandardCharsets.UTF_8));
        }
        assertEquals(0L, field(schema.get(1), 6), "UTF8 converted type on the string column");
        assertTrue(((Map<?, ?>) field(schema.get(1), 10)).containsKey(1), "STRING logical type");
        assertEquals((long) rows.size(), meta.get(3), "num_rows");
        List<?> groups = (List<?>) meta.get(4);
        assertEquals(1, groups.size());
        Map<?, ?> group = (Map<?, ?>) groups.get(0);
        assertEquals((long) rows.size(), group.get(3));
        List<?> chunks = (List<?>) group.get(1);
        assertEquals(3, chunks.size());
        long total = 0;
        for (int c = 0; c < 3; c++) {
            Map<?, ?> md = (Map<?, ?>) field(chunks.get(c), 3);
            assertEquals(physical[c], md.get(1));
            assertEquals(List.of(COLUMNS.get(c).name()),
                    ((List<?>) md.get(3)).stream().map(x -> new String((byte[]) x, StandardCharsets.UTF_8)).toList());
            assertEquals(0L, md.get(4), "uncompressed");
            assertEquals((long) rows.size(), md.get(5));
            long offset = (long) md.get(9);
            assertEquals(offset, field(chunks.get(c), 2));
            total += (long) md.get(6);

            Reader page = new Reader(b, (int) offset);
            Map<Integer, Object> header = page.struct();
            assertEquals(0L, header.get(1), "DATA_PAGE");
            int size = (int) (long) header.get(3);
            assertEquals((long) md.get(6), page.pos - offset + size, "chunk size = header + page");
            Map<?, ?> dph = (Map<?, ?>) header.get(5);
            assertEquals((long) rows.size(), dph.get(1));
            assertEquals(0L, dph.get(2), "PLAIN");
            assertEquals(3L, dph.get(3), "RLE levels");
            List<Object> decoded = decodePage(b, page.pos, size, rows.size(), COLUMNS.get(c).type());
            for (int r = 0; r < rows.size(); r++) {
                Object expected = rows.get(r).get(c);
                Object got = decoded.get(r);
                if (expected instanceof Number n && COLUMNS.get(c).type() == ParquetWriter.Type.DOUBLE) {
                    assertEquals(Double.doubleToLongBits(n.doubleValue()), Double.doubleToLongBits((double) got), "row " + r);
                } else if (expected instanceof Number n) {
                    assertEquals(n.longValue(), got, "row " + r);
                } else {
                    assertEquals(expected, got, "row " + r + " of " + COLUMNS.get(c).name());
                }
            }
        }
        assertEquals(total, group.get(2), "total_byte_size");
        assertEquals("nclab version 0.1.0", new String((byte[]) meta.get(6), StandardCharsets.UTF_8));
    }

    @Test
    void anEmptyTableHasTheSchemaAndNoRowGroup() throws Exception {
        byte[] b = ParquetWriter.encode(COLUMNS, List.of());
        int footerLength = ByteBuffer.wrap(b, b.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(b.length - 12, footerLength, "magic, footer, length, magic");
        Map<Integer, Object> meta = new Reader(b, 4).struct();
        assertEquals(4, ((List<?>) meta.get(2)).size());
        assertEquals(0L, meta.get(3));
        assertEquals(List.of(), meta.get(4));
    }

    @Test
    void badTablesAreRefusedWithTheReason() {
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> ParquetWriter.encode(
                List.of(new ParquetWriter.Column("a", ParquetWriter.Type.INT64), new ParquetWriter.Column("a", ParquetWriter.Type.DOUBLE)),
                List.of()));
        assertEquals("duplicate Parquet column name 'a'", dup.getMessage());
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> ParquetWriter.encode(COLUMNS, List.of(List.of("x", 1))));
        assertEquals("row 0 has 2 values but the table has 3 columns", width.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> ParquetWriter.encode(COLUMNS, List.of(List.of("x", 1.5, 2.0))));
        assertEquals("column d (INT64), row 0: not an integer: 1.5 (Double)", type.getMessage());
        assertArrayEquals(ParquetWriter.MAGIC, "PAR1".getBytes(StandardCharsets.US_ASCII));
    }

    private static Object field(Object struct, int id) {
        return ((Map<?, ?>) struct).get(id);
    }

    /** Definition levels (4-byte length, RLE/bit-packed hybrid, bit width 1), then PLAIN values for level 1. */
    private static List<Object> decodePage(byte[] b, int start, int size, int n, ParquetWriter.Type type) {
        ByteBuffer buf = ByteBuffer.wrap(b, start, size).order(ByteOrder.LITTLE_ENDIAN);
        int levelBytes = buf.getInt();
        int levelsEnd = buf.position() + levelBytes;
        List<Integer> levels = new ArrayList<>();
        while (buf.position() < levelsEnd) {
            long header = uleb(buf);
            if ((header & 1) == 0) { // RLE run: count, then the value in one byte
                int value = buf.get() & 0xff;
                for (long i = 0; i < header >>> 1; i++) {
                    levels.add(value);
                }
            } else { // bit-packed groups of 8 one-bit values
                for (long g = 0; g < header >>> 1; g++) {
                    int bits = buf.get() & 0xff;
                    for (int i = 0; i < 8; i++) {
                        levels.add((bits >>> i) & 1);
                    }
                }
            }
        }
        List<Object> out = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            if (levels.get(r) == 0) {
                out.add(null);
            } else if (type == ParquetWriter.Type.STRING) {
                byte[] s = new byte[buf.getInt()];
                buf.get(s);
                out.add(new String(s, StandardCharsets.UTF_8));
            } else if (type == ParquetWriter.Type.DOUBLE) {
                out.add(buf.getDouble());
            } else {
                out.add(buf.getLong());
            }
        }
        assertEquals(start + size, buf.position(), "the page is used up exactly");
        return out;
    }

    private static long uleb(ByteBuffer buf) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = buf.get() & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }

    /** Thrift compact protocol input: a struct as field id → value (integers as Long, binary as byte[]). */
    static final class Reader {
        final byte[] b;
        int pos;

        Reader(byte[] b, int pos) {
            this.b = b;
            this.pos = pos;
        }

        Map<Integer, Object> struct() {
            Map<Integer, Object> fields = new LinkedHashMap<>();
            int last = 0;
            while (true) {
                int head = b[pos++] & 0xff;
                if (head == 0) {
                    return fields;
                }
                int type = head & 0x0f;
                int delta = head >>> 4;
                int id = delta != 0 ? last + delta : (int) unzigzag(varint());
                fields.put(id, value(type));
                last = id;
            }
        }

        Object value(int type) {
            switch (type) {
                case 1: return Boolean.TRUE;
                case 2: return Boolean.FALSE;
                case 3: return (long) b[pos++];
                case 4: case 5: case 6: return unzigzag(varint());
                case 7: {
                    double d = ByteBuffer.wrap(b, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getDouble();
                    pos += 8;
                    return d;
                }
                case 8: {
                    int len = (int) varint();
                    byte[] s = Arrays.copyOfRange(b, pos, pos + len);
                    pos += len;
                    return s;
                }
                case 9: case 10: {
                    int head = b[pos++] & 0xff;
                    int size = head >>> 4;
                    if (size == 15) {
                        size = (int) varint();
                    }
                    List<Object> list = new ArrayList<>();
                    for (int i = 0; i < size; i++) {
                        list.add(value(head & 0x0f));
                    }
                    return list;
                }
                case 12: return struct();
                default: throw new AssertionError("unexpected compact type " + type + " at " + pos);
            }
        }

        long varint() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                int x = b[pos++] & 0xff;
                v |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
        }

        static long unzigzag(long v) {
            return (v >>> 1) ^ -(v & 1);
        }
    }
}
