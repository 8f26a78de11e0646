package nclab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @Test
    void demoShowsEveryModelAndFindsSeliInTheGeneratedData(@TempDir Path dir) {
        CliRun run = CliRun.of("demo", "--out", dir.toString());
        assertEquals(0, run.code(), run.err());
        for (String model : new String[] {"etf", "seli", "relu-ufm", "lpm", "lext", "deep-ufm"}) {
            assertTrue(run.out().contains("nclab theory " + model + " "), model + " missing in:\n" + run.out());
        }
        assertTrue(run.out().contains("closest: seli"), run.out());
        assertTrue(Files.exists(dir.resolve("features.npy")));
        assertTrue(Files.exists(dir.resolve("labels.npy")));
        assertTrue(Files.exists(dir.resolve("weights.npy")));
    }
}
