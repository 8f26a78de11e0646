package nclab.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes a CSV table: one header line, then rows, fields separated by commas and lines ended by
 * {@code \n}. Fields containing a comma, double quote, CR or LF are quoted as RFC 4180 prescribes
 * (enclosed in double quotes, inner quotes doubled). Doubles are written with {@link Double#toString}
 * (shortest text that reads back to the same double; NaN as {@code NaN}, infinities as
 * {@code Infinity}/{@code -Infinity}, which pandas reads), {@code null} as an empty field.
 *
 * <p>Rows go to a temporary file next to the target; {@link #close()} moves it into place atomically, so
 * readers never see a partial table. {@link #abort()} discards it instead (also call it when a row fails,
 * before the try-with-resources closes the writer).
 */
public final class CsvWriter implements AutoCloseable {

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final Writer out;
    private final int columns;
    private boolean finished;

    private CsvWriter(Path target, List<String> header) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("a CSV table needs at least one column");
        }
        this.target = target;
        this.columns = header.size();
        this.temp = AtomicFiles.createTemp(target);
        try {
            this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
            this.out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), 1 << 16);
            writeLine(header.toArray());
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(temp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Starts a table with the given column names. */
    public static CsvWriter open(Path target, String... header) {
        return new CsvWriter(target, List.of(header));
    }

    /** Starts a table with the given column names. */
    public static CsvWriter open(Path target, List<String> header) {
        return new CsvWriter(target, List.copyOf(header));
    }

    /** The target file. */
    public Path target() {
        return target;
    }

    /**
     * Appends a row; it must have one value per column.
     *
     * @throws IllegalArgumentException if the number of values differs from the number of columns
     */
    public CsvWriter row(Object... values) {
        if (finished) {
            throw new IllegalStateException("CSV writer for " + target + " is already closed");
        }
        if (values.length != columns) {
            throw new IllegalArgumentException("CSV row has " + values.length + " values but the header has " + columns + " columns");
        }
        try {
            writeLine(values);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        return this;
    }

    /** Appends a row from a list. */
    public CsvWriter row(List<?> values) {
        return row(values.toArray());
    }

    private void writeLine(Object[] values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(field(values[i]));
        }
        out.write('\n');
    }

    /** The CSV text of one field. */
    static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text;
        if (value instanceof Double d) {
            text = Double.toString(d);
        } else if (value instanceof Float f) {
            text = Double.toString(f.doubleValue()); // the float's exact value, as read by a double parser
        } else {
            text = value.toString();
        }
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    /** Flushes the table and moves it onto the target atomically. Does nothing after {@link #abort()}. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            out.flush();
            channel.force(true);
            out.close();
            AtomicFiles.commit(temp, target);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(temp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Discards the table; the target is left as it was. */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            out.close();
        } catch (IOException ignored) {
            // discarding anyway
        } finally {
            AtomicFiles.deleteQuietly(temp);
        }
    }
}
