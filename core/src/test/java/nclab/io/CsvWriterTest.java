package nclab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvWriterTest {

    @TempDir
    Path dir;

    private long filesInDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void writesHeaderRowsAndQuotesPerRfc4180() throws IOException {
        Path file = dir.resolve("table.csv");
        try (CsvWriter csv = CsvWriter.open(file, "name", "value", "note")) {
            csv.row("plain", 1, null);
            csv.row("a,b", 2.5, "say \"hi\"");
            csv.row(List.of("line\nbreak", -0.0, "cr\rx"));
        }
        assertEquals("name,value,note\n"
                + "plain,1,\n"
                + "\"a,b\",2.5,\"say \"\"hi\"\"\"\n"
                + "\"line\nbreak\",-0.0,\"cr\rx\"\n", Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void numbersReadBackExactly() throws IOException {
        double[] values = {0.1 + 0.2, Math.PI, 1e-300, -Double.MAX_VALUE, Double.MIN_VALUE};
        Path file = dir.resolve("numbers.csv");
        try (CsvWriter csv = CsvWriter.open(file, "x")) {
            for (double v : values) {
                csv.row(v);
            }
            csv.row(Double.NaN);
            csv.row(0.1f);
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], Double.parseDouble(lines.get(i + 1)), 0.0);
        }
        assertEquals("NaN", lines.get(values.length + 1));
        assertEquals((double) 0.1f, Double.parseDouble(lines.get(values.length + 2)), 0.0);
    }

    @Test
    void fileAppearsOnlyOnClose() throws IOException {
        Path file = dir.resolve("late.csv");
        Files.writeString(file, "old\n");
        CsvWriter csv = CsvWriter.open(file, "a");
        csv.row(1);
        assertEquals("old\n", Files.readString(file), "readers see the old table until close");
        csv.close();
        assertEquals("a\n1\n", Files.readString(file));
        assertEquals(1, filesInDir(), "no temporary file left behind");
        csv.close(); // idempotent
    }

    @Test
    void abortKeepsOldFileAndRemovesTemporary() throws IOException {
        Path file = dir.resolve("kept.csv");
        Files.writeString(file, "old\n");
        try (CsvWriter csv = CsvWriter.open(file, "a")) {
            csv.row(1);
            csv.abort();
        }
        assertEquals("old\n", Files.readString(file));
        assertEquals(1, filesInDir());
    }

    @Test
    void rowWidthMustMatchHeader() throws IOException {
        Path file = dir.resolve("w.csv");
        try (CsvWriter csv = CsvWriter.open(file, "a", "b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> csv.row(1));
            assertEquals("CSV row has 1 values but the header has 2 columns", e.getMessage());
            csv.abort();
        }
        assertTrue(Files.notExists(file));
    }

    @Test
    void atomicFilesWriteBytesAndText() throws IOException {
        Path file = dir.resolve("a.txt");
        AtomicFiles.writeString(file, "héllo\n");
        assertEquals("héllo\n", Files.readString(file, StandardCharsets.UTF_8));
        AtomicFiles.write(file, new byte[] {1, 2, 3});
        assertEquals(3, Files.size(file));
        assertEquals(1, filesInDir());
    }
}
