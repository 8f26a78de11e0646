package nclab.sweep;

import java.util.Optional;

/**
 * Ends a sweep's child run when the sweep that started it is gone. {@link ChildProcessLauncher} starts each child
 * JVM with {@code -Dnclab.parent.pid=<its own pid>}; the child's entry point calls {@link #startFromSystemProperty},
 * which checks every {@link #POLL_MILLIS} ms on a daemon thread that this process's parent is still that process
 * and runs the given action (the CLI stops the run) as soon as it is not: the parent exited, or was killed with
 * SIGKILL, which no shutdown hook sees, and the child was re-parented to init or a sub-reaper. Comparing the
 * parent's pid (instead of asking whether that pid is alive) is immune to the pid being reused.
 *
 * <p>The run's directory stays as the kill left it, so rerunning the sweep resumes the run ({@code --resume}).
 */
public final class ParentWatch {
    /** The system property with the pid of the process the child must not outlive. */
    public static final String PROPERTY = "nclab.parent.pid";
    /** How often the parent is checked, in milliseconds. */
    public static final long POLL_MILLIS = 500;

    private ParentWatch() {
    }

    /**
     * If {@link #PROPERTY} is set, watches that process and runs {@code whenGone} once it is no longer this process's
     * parent (immediately, on the calling thread, if it already is not).
     *
     * @return whether a watch was started (or {@code whenGone} already ran)
     * @throws IllegalArgumentException if the property is not a pid
     */
    public static boolean startFromSystemProperty(Runnable whenGone) {
        String pid = System.getProperty(PROPERTY);
        if (pid == null || pid.isBlank()) {
            return false;
        }
        long parent;
        try {
            parent = Long.parseLong(pid.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + " must be a process id, got '" + pid + "'", e);
        }
        watch(parent, whenGone);
        return true;
    }

    /** Runs {@code whenGone} once {@code parentPid} is no longer this process's parent. */
    public static void watch(long parentPid, Runnable whenGone) {
        if (!isParent(parentPid)) {
            whenGone.run();
            return;
        }
        Thread t = new Thread(() -> {
            try {
                while (isParent(parentPid)) {
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                return;
            }
            whenGone.run();
        }, "nclab-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    /** Whether {@code pid} is this process's parent and alive. */
    static boolean isParent(long pid) {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        return parent.isPresent() && parent.get().pid() == pid && parent.get().isAlive();
    }
}
