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
        CliRun run = CliRun.of("demo", "--quick", "--out", dir.toString());
        assertEquals(0, run.code(), run.err());
        for (String model : new String[] {"etf", "seli", "relu-ufm", "lpm", "lext", "deep-ufm"}) {
            assertTrue(run.out().contains("nclab theory " + model + " "), model + " missing in:\n" + run.out());
        }
        assertTrue(run.out().contains("closest: seli"), run.out());
        assertTrue(Files.exists(dir.resolve("features.npy")));
        assertTrue(Files.exists(dir.resolve("labels.npy")));
        assertTrue(Files.exists(dir.resolve("weights.npy")));
        for (String id : new String[] {"seli-geometry-vs-r", "lpm-minority-cosine-vs-r"}) {
            assertTrue(Files.exists(dir.resolve("reproduce").resolve(id).resolve("report.html")), id);
        }
        assertTrue(run.out().contains("10 of 10 checks passed"), run.out());
        assertTrue(run.out().contains("(--quick: the deep-network step is skipped)"), run.out());
    }
}
