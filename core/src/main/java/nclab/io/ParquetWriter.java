package nclab.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a flat table as an Apache Parquet file, without a Parquet library: one row group, one data page (v1)
 * per column, PLAIN encoding, no compression, no dictionary, no statistics. Every column is OPTIONAL (a missing
 * value is written as {@code null}) of one of three types: {@link Type#INT64}, {@link Type#DOUBLE} (IEEE 754,
 * NaN and infinities kept) or {@link Type#STRING} (BYTE_ARRAY with the UTF8 converted type and the STRING logical
 * type). Written from the format specification; the tests read it back with Apache Spark.
 *
 * <p>Layout (Apache Parquet format specification, {@code parquet.thrift}): {@code PAR1}, then per column a
 * {@code PageHeader} (Thrift compact protocol) followed by the page: definition levels (RLE/bit-packed hybrid with
 * bit width 1, preceded by their 4-byte little-endian length; 1 = value present, 0 = null), then the present values
 * PLAIN-encoded (8-byte little-endian for INT64 and DOUBLE; 4-byte little-endian length + UTF-8 bytes for STRING);
 * then the {@code FileMetaData} (Thrift compact protocol: version 1, the schema as a root group with one leaf per
 * column, the row count, the row group with one {@code ColumnChunk}/{@code ColumnMetaData} per column, created_by),
 * its 4-byte little-endian length and {@code PAR1}. A table with no rows has no row group.
 *
 * <p>The file is written atomically ({@link AtomicFiles}): readers see the old file or the complete new one.
 */
public final class ParquetWriter {
    /** The four bytes at the start and at the end of a Parquet file. */
    public static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    /** The {@code created_by} of the files written here ("application version X" as the format recommends). */
    public static final String CREATED_BY = "nclab version 0.1.0";

    /** Column types; the numbers are Parquet's physical {@code Type} enum. */
    public enum Type {
        /** 64-bit signed integer (physical INT64 = 2); accepts Integer, Long, Short, Byte. */
        INT64(2),
        /** IEEE 754 double (physical DOUBLE = 5); accepts any {@link Number}. */
        DOUBLE(5),
        /** UTF-8 text (physical BYTE_ARRAY = 6, converted type UTF8, logical type STRING); any value's text. */
        STRING(6);

        final int physical;

        Type(int physical) {
            this.physical = physical;
        }
    }

    /**
     * One column of the table.
     *
     * @param name column name (non-empty, unique in the table)
     * @param type its type
     */
    public record Column(String name, Type type) {
        public Column {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a Parquet column needs a non-empty name");
            }
            if (type == null) {
                throw new IllegalArgumentException("Parquet column " + name + " needs a type");
            }
        }
    }

    // Thrift compact protocol type ids
    private static final int T_I32 = 5;
    private static final int T_I64 = 6;
    private static final int T_BINARY = 8;
    private static final int T_LIST = 9;
    private static final int T_STRUCT = 12;
    // Parquet enums
    private static final int ENCODING_PLAIN = 0;
    private static final int ENCODING_RLE = 3;
    private static final int PAGE_DATA = 0;
    private static final int CODEC_UNCOMPRESSED = 0;
    private static final int REPETITION_OPTIONAL = 1;
    private static final int CONVERTED_UTF8 = 0;
    private static final int LOGICAL_STRING = 1;

    private ParquetWriter() {
    }

    /**
     * Atomically writes {@code rows} (each one value per column, {@code null} = missing) to {@code target}.
     *
     * @throws IllegalArgumentException for duplicate column names, a row of the wrong length or a value that does
     *                                  not fit its column's type (e.g. a Double in an INT64 column)
     */
    public static void write(Path target, List<Column> columns, List<? extends List<?>> rows) {
        byte[] bytes = encode(columns, rows);
        AtomicFiles.write(target, bytes);
    }

    /** The bytes of the Parquet file of this table (see {@link #write}). */
    public static byte[] encode(List<Column> columns, List<? extends List<?>> rows) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a Parquet table needs at least one column");
        }
        Set<String> names = new HashSet<>();
        for (Column c : columns) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("duplicate Parquet column name '" + c.name() + "'");
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).size() != columns.size()) {
                throw new IllegalArgumentException("row " + r + " has " + rows.get(r).size() + " values but the table has "
                        + columns.size() + " columns");
            }
        }
        Bytes file = new Bytes();
        file.write(MAGIC);
        List<long[]> chunks = new ArrayList<>(); // per column: data page offset, chunk size (header + page)
        if (!rows.isEmpty()) {
            for (int c = 0; c < columns.size(); c++) {
                byte[] page = page(columns.get(c), c, rows);
                byte[] header = pageHeader(rows.size(), page.length);
                long offset = file.size();
                file.write(header);
                file.write(page);
                chunks.add(new long[] {offset, header.length + (long) page.length});
            }
        }
        byte[] footer = fileMetaData(columns, rows.size(), chunks);
        file.write(footer);
        file.writeIntLE(footer.length);
        file.write(MAGIC);
        return file.toByteArray();
    }

    /** Definition levels (4-byte length + RLE runs) followed by the PLAIN values present. */
    private static byte[] page(Column column, int index, List<? extends List<?>> rows) {
        Bytes levels = new Bytes();
        Bytes values = new Bytes();
        int run = 0;
        int runLevel = -1;
        for (int r = 0; r < rows.size(); r++) {
            Object v = rows.get(r).get(index);
            int level = v == null ? 0 : 1;
            if (level != runLevel && run > 0) {
                rleRun(levels, run, runLevel);
                run = 0;
            }
            runLevel = level;
            run++;
            if (v != null) {
                plain(values, column, v, r);
            }
        }
        if (run > 0) {
            rleRun(levels, run, runLevel);
        }
        Bytes page = new Bytes();
        page.writeIntLE(levels.size());
        page.write(levels.toByteArray());
        page.write(values.toByteArray());
        return page.toByteArray();
    }

    /** An RLE run of the hybrid encoding: ULEB128(count &lt;&lt; 1), then the level in one byte (bit width 1). */
    private static void rleRun(Bytes out, int count, int level) {
        out.uvarint((long) count << 1);
        out.write(level);
    }

    private static void plain(Bytes out, Column column, Object v, int row) {
        switch (column.type()) {
            case INT64 -> {
                if (!(v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)) {
                    throw new IllegalArgumentException("column " + column.name() + " (INT64), row " + row
                            + ": not an integer: " + v + " (" + v.getClass().getSimpleName() + ")");
                }
                out.writeLongLE(((Number) v).longValue());
            }
            case DOUBLE -> {
                if (!(v instanceof Number n)) {
                    throw new IllegalArgumentException("column " + column.name() + " (DOUBLE), row " + row + ": not a number: " + v);
                }
                out.writeLongLE(Double.doubleToRawLongBits(n.doubleValue()));
            }
            case STRING -> {
                byte[] utf8 = String.valueOf(v).getBytes(StandardCharsets.UTF_8);
                out.writeIntLE(utf8.length);
                out.write(utf8);
            }
            default -> throw new IllegalStateException("unknown type " + column.type());
        }
    }

    /** PageHeader {1: type DATA_PAGE, 2: uncompressed size, 3: compressed size, 5: DataPageHeader}. */
    private static byte[] pageHeader(int numValues, int pageSize) {
        Thrift t = new Thrift();
        t.i32Field(1, PAGE_DATA);
        t.i32Field(2, pageSize);
        t.i32Field(3, pageSize);
        t.structBegin(5);
        t.i32Field(1, numValues);
        t.i32Field(2, ENCODING_PLAIN);
        t.i32Field(3, ENCODING_RLE);
        t.i32Field(4, ENCODING_RLE);
        t.structEnd();
        t.stop();
        return t.toByteArray();
    }

    /** FileMetaData {1: version, 2: schema, 3: num_rows, 4: row_groups, 6: created_by}. */
    private static byte[] fileMetaData(List<Column> columns, int numRows, List<long[]> chunks) {
        Thrift t = new Thrift();
        t.i32Field(1, 1);
        t.listBegin(2, T_STRUCT, columns.size() + 1);
        // root: {4: name, 5: num_children}
        t.elementBegin();
        t.stringField(4, "schema");
        t.i32Field(5, columns.size());
        t.elementEnd();
        for (Column c : columns) {
            // leaf: {1: type, 3: repetition_type, 4: name, 6: converted_type, 10: logicalType}
            t.elementBegin();
            t.i32Field(1, c.type().physical);
            t.i32Field(3, REPETITION_OPTIONAL);
            t.stringField(4, c.name());
            if (c.type() == Type.STRING) {
                t.i32Field(6, CONVERTED_UTF8);
                t.structBegin(10); // LogicalType union, member 1 = StringType (empty struct)
                t.structBegin(LOGICAL_STRING);
                t.structEnd();
                t.structEnd();
            }
            t.elementEnd();
        }
        t.i64Field(3, numRows);
        t.listBegin(4, T_STRUCT, chunks.isEmpty() ? 0 : 1);
        if (!chunks.isEmpty()) {
            long total = 0;
            for (long[] ch : chunks) {
                total += ch[1];
            }
            // RowGroup {1: columns, 2: total_byte_size, 3: num_rows}
            t.elementBegin();
            t.listBegin(1, T_STRUCT, columns.size());
            for (int c = 0; c < columns.size(); c++) {
                long offset = chunks.get(c)[0];
                long size = chunks.get(c)[1];
                // ColumnChunk {2: file_offset, 3: meta_data}
                t.elementBegin();
                t.i64Field(2, offset);
                t.structBegin(3);
                // ColumnMetaData {1: type, 2: encodings, 3: path_in_schema, 4: codec, 5: num_values,
                //                 6: total_uncompressed_size, 7: total_compressed_size, 9: data_page_offset}
                t.i32Field(1, columns.get(c).type().physical);
                t.listBegin(2, T_I32, 2);
                t.i32(ENCODING_PLAIN);
                t.i32(ENCODING_RLE);
                t.listBegin(3, T_BINARY, 1);
                t.string(columns.get(c).name());
                t.i32Field(4, CODEC_UNCOMPRESSED);
                t.i64Field(5, numRows);
                t.i64Field(6, size);
                t.i64Field(7, size);
                t.i64Field(9, offset);
                t.structEnd();
                t.elementEnd();
            }
            t.i64Field(2, total);
            t.i64Field(3, numRows);
            t.elementEnd();
        }
        t.stringField(6, CREATED_BY);
        t.stop();
        return t.toByteArray();
    }

    /** A growing byte buffer with little-endian and varint writes. */
    private static final class Bytes extends ByteArrayOutputStream {
        void writeIntLE(int v) {
            for (int i = 0; i < 4; i++) {
                write(v >>> (8 * i));
            }
        }

        void writeLongLE(long v) {
            for (int i = 0; i < 8; i++) {
                write((int) (v >>> (8 * i)));
            }
        }

        /** Unsigned LEB128 varint. */
        void uvarint(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        @Override
        public void write(byte[] b) {
            write(b, 0, b.length);
        }
    }

    /**
     * Thrift compact protocol output: field headers as (id delta &lt;&lt; 4 | type) when the delta is 1..15, else the type
     * byte and the zigzag id; integers as zigzag varints; strings as varint length + UTF-8; lists as (size &lt;&lt; 4 | element
     * type) for sizes below 15, else 0xF0 | type and a varint size; a struct ends with a 0 byte. Each struct keeps
     * its own last field id.
     */
    private static final class Thrift {
        private final Bytes out = new Bytes();
        private final java.util.ArrayDeque<Integer> lastIds = new java.util.ArrayDeque<>();
        private int lastId;

        void fieldHeader(int id, int type) {
            int delta = id - lastId;
            if (delta > 0 && delta <= 15) {
                out.write((delta << 4) | type);
            } else {
                out.write(type);
                out.uvarint(zigzag(id));
            }
            lastId = id;
        }

        void i32Field(int id, int v) {
            fieldHeader(id, T_I32);
            i32(v);
        }

        void i64Field(int id, long v) {
            fieldHeader(id, T_I64);
            out.uvarint(zigzag(v));
        }

        void stringField(int id, String s) {
            fieldHeader(id, T_BINARY);
            string(s);
        }

        void i32(int v) {
            out.uvarint(zigzag(v));
        }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.uvarint(b.length);
            out.write(b);
        }

        void listBegin(int id, int elementType, int size) {
            fieldHeader(id, T_LIST);
            if (size < 15) {
                out.write((size << 4) | elementType);
            } else {
                out.write(0xF0 | elementType);
                out.uvarint(size);
            }
        }

        /** A struct-valued field: header, then a fresh field-id scope. */
        void structBegin(int id) {
            fieldHeader(id, T_STRUCT);
            elementBegin();
        }

        /** A struct element of a list: a fresh field-id scope. */
        void elementBegin() {
            lastIds.push(lastId);
            lastId = 0;
        }

        void elementEnd() {
            stop();
            lastId = lastIds.pop();
        }

        void structEnd() {
            elementEnd();
        }

        void stop() {
            out.write(0);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private static long zigzag(long v) {
            return (v << 1) ^ (v >> 63);
        }
    }
}
