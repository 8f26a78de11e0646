package nclab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link ChildProcessLauncher#command}: a run given one thread keeps its solver to one thread too. */
class ChildProcessLauncherTest {
    private static final String ONE_SOLVER_THREAD = "-D" + ChildProcessLauncher.SOLVER_THREADS + "=1";

    @Test
    void oneThreadPerRunCapsTheSolverThreads() {
        List<String> one = new ChildProcessLauncher(1).command("solve", Path.of("/tmp/run"), false);
        assertTrue(one.contains(ONE_SOLVER_THREAD), one.toString());
        int at = one.indexOf(ONE_SOLVER_THREAD);
        assertTrue(at < one.indexOf("-cp"), "a JVM option, before the class path");
        assertEquals(ChildProcessLauncher.MAIN, one.get(one.indexOf("-cp") + 2));
    }

    @Test
    void moreThreadsOrNoneLeaveTheSolverAlone() {
        for (int threads : new int[] {0, 2}) {
            List<String> cmd = new ChildProcessLauncher(threads).command("solve", Path.of("/tmp/run"), true);
            assertFalse(cmd.contains(ONE_SOLVER_THREAD), threads + ": " + cmd);
        }
    }
}
