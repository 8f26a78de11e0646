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
        java.util.Set<String> papers = new java.util.TreeSet<>();
        for (String id : DemoCommand.SOLVED_IDS) {
            assertTrue(Files.exists(dir.resolve("reproduce").resolve(id).resolve("report.html")), id);
            papers.add(nclab.cli.reproduce.Catalogue.find(nclab.cli.reproduce.Catalogue.all(), id).orElseThrow().paper());
        }
        assertTrue(run.out().contains("11 of 11 checks passed"), run.out());
        assertTrue(run.out().contains("Every check passed."), run.out());
        java.util.Set<String> networkPapers = new java.util.TreeSet<>();
        for (String id : DemoCommand.NETWORK_IDS) {
            networkPapers.add(nclab.cli.reproduce.Catalogue.find(nclab.cli.reproduce.Catalogue.all(), id).orElseThrow().paper());
        }
        papers.addAll(networkPapers);
        assertEquals(java.util.Set.of("000", "001", "002", "003", "004"), papers, "the demo covers all five papers");
        assertEquals(java.util.Set.of("000", "001", "002", "003", "004"), networkPapers, "a network or solved run per paper");
        assertTrue(run.out().contains("(--quick: the deep-network step is skipped)"), run.out());
    }
}
