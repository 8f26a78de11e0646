package nclab.experiment;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/**
 * Shared setup of the run tests: a temporary directory, the base config of a small momentum-GD run of the test UFM
 * ({@link TestModels}), and a runner over the test registry.
 */
abstract class SolveRunFixture {
    static final String CONFIG = "model: test-ufm\nsizes: [6, 4, 2]\nd: 4\nlambda_w: 0.005\nlambda_h: 0.005\n"
            + "bias: true\noptimizer: gd\nlr: 0.5\nmomentum: 0.9\nsteps: 2000\nseed: 7\nlog_points: 40\n";

    @TempDir
    Path tmp;

    /** {@link #CONFIG} plus {@code extra} lines, written to a fresh file under tmp and read back. */
    SolveConfig config(String extra) throws Exception {
        Path f = Files.createTempFile(tmp, "cfg", ".yaml");
        Files.writeString(f, CONFIG + extra);
        return SolveConfig.read(f);
    }

    static SolveRunner runner() {
        return new SolveRunner(TestModels.registry());
    }

    static byte[] bytes(Path p) throws Exception {
        return Files.readAllBytes(p);
    }
}
