package nclab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link ChildProcessLauncher#command}: a run given one thread keeps its solver to one thread too; the children get
 * this JVM's transparent huge pages.
 */
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

    @Test
    void theChildrenGetTransparentHugePagesOnlyWhenThisJvmHasThem() throws Exception {
        // this JVM runs without them; a JVM started with the option forwards it where the kernel offers huge pages
        // (elsewhere that JVM turns the option off itself, and forwards nothing)
        assertFalse(new ChildProcessLauncher(2).command("solve", Path.of("/tmp/run"), false)
                .contains(ChildProcessLauncher.TRANSPARENT_HUGE_PAGES));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                ChildProcessLauncher.TRANSPARENT_HUGE_PAGES, "-cp", cp, Probe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, probe.waitFor(), out);
        boolean offered = java.nio.file.Files.isReadable(Path.of(THP_ENABLED))
                && java.nio.file.Files.readString(Path.of(THP_ENABLED)).matches("(?s).*\\[(always|madvise)\\].*");
        assertTrue(out.contains("forwarded " + offered), out);
    }

    private static final String THP_ENABLED = "/sys/kernel/mm/transparent_hugepage/enabled";

    /** Run in a child JVM: whether its sweep children would get transparent huge pages. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println("forwarded " + new ChildProcessLauncher(2).command("solve", Path.of("/tmp/run"), false)
                    .contains(ChildProcessLauncher.TRANSPARENT_HUGE_PAGES));
        }
    }
}
