package nclab.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksTest {
    @TempDir
    Path tmp;

    @Test
    void nc1DecreasesAndClosestGeometry() throws IOException {
        List<Check> checks = Checks.standard(RunData.read(RunFixtures.solveRun(tmp.resolve("a"), true)));
        assertEquals(2, checks.size());
        Check nc1 = checks.get(0);
        assertTrue(nc1.claim().startsWith("NC1 decreases"));
        assertEquals("last < first", nc1.predicted());
        assertEquals("first 3.000, last 0.002930", nc1.measured());
        assertTrue(nc1.pass());
        Check closest = checks.get(1);
        assertTrue(closest.claim().startsWith("closest predicted geometry"));
        assertEquals("seli (etf 0.5000, seli 0.2000)", closest.measured());
        assertTrue(closest.pass(), "informational");
    }

    @Test
    void risingNc1Fails() throws IOException {
        List<Check> checks = Checks.standard(RunData.read(RunFixtures.solveRun(tmp.resolve("b"), false)));
        assertFalse(checks.get(0).pass());
        assertEquals("first 0.1000, last 1.100", checks.get(0).measured());
    }

    @Test
    void closestSkipsNaNAndMissingColumnsGiveNoCheck() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("c"));
        Files.writeString(dir.resolve("metrics.csv"), "epoch,nc1_pinv,dist_etf_mean,dist_lpm_mean,dist_seli_mean\n"
                + "0,NaN,0.9,0.8,0.7\n1,0.5,0.3,0.1,NaN\n");
        List<Check> checks = Checks.standard(RunData.read(dir));
        assertEquals(1, checks.size(), "one finite nc1 value: nothing to compare");
        assertEquals("lpm (etf 0.3000, seli 0.7000, lpm 0.1000)", checks.get(0).measured(),
                "last finite value of each model; table order etf, seli, lpm");
        Files.writeString(dir.resolve("metrics.csv"), "epoch,loss\n0,1\n");
        assertTrue(Checks.standard(RunData.read(dir)).isEmpty());
    }
}
