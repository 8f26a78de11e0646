package nclab.model;

/**
 * One daemon thread that runs the second half of a step while the caller runs the first: {@link #start} hands it a
 * task, {@link #await} waits for it. Built for steps of a few microseconds (the full-batch step at (d, K, N) = (64, 4,
 * 400) takes ≈ 30 µs), where an executor's hand-over (a park and an unpark, ≈ 10–50 µs here) would cost more than
 * the half it saves:
 * <ul>
 *   <li>after each task the thread spins for {@value #SPIN_NANOS} ns on the next one ({@link Thread#onSpinWait}),
 *       so that back-to-back steps hand over in well under a microsecond; then it waits on a monitor; the caller
 *       likewise spins for as long on the task's end, then parks until the helper unparks it;</li>
 *   <li>after {@value #IDLE_EXIT_MILLIS} ms without work it ends (a kernel no longer used leaves no thread); the next
 *       {@link #start} starts a new one;</li>
 *   <li>a task's exception or error is rethrown by {@link #await} on the caller's thread.</li>
 * </ul>
 * The results never depend on this thread: callers split their work at a point fixed by the problem's shape and,
 * on a single-processor machine ({@link #useful()} false), run both halves one after the other on their own thread.
 * Not for concurrent callers: one {@code start}/{@code await} pair at a time.
 */
final class HelperThread {
    static final long SPIN_NANOS = 50_000;
    static final long IDLE_EXIT_MILLIS = 2_000;
    private final String name;
    private final Object lock = new Object();
    /** The task handed over and not yet finished; null while none is (written by both threads). */
    private volatile Runnable task;
    private volatile boolean done = true;
    private volatile Throwable failure;
    /** The caller parked in {@link #await}, or null. */
    private volatile Thread waiter;
    /** Whether a task was started and not yet awaited (the caller's thread only). */
    private boolean pending;
    /** The running helper, or null (guarded by lock). */
    private Thread thread;

    HelperThread(String name) {
        this.name = name;
    }

    /** Whether the JVM saw at least two processors when this class loaded (asked once: the call reads cgroups). */
    private static final boolean USEFUL = Runtime.getRuntime().availableProcessors() >= 2;

    /** Whether a second thread can make a step faster here: the JVM sees at least two processors. */
    static boolean useful() {
        return USEFUL;
    }

    /** Hands {@code work} to the helper thread (starting one if none runs) and returns at once. */
    void start(Runnable work) {
        if (pending) {
            throw new IllegalStateException("the helper thread's previous task was not awaited");
        }
        pending = true;
        done = false;
        failure = null;
        synchronized (lock) {
            if (thread == null) {
                thread = new Thread(this::serve, name);
                thread.setDaemon(true);
                thread.start();
            }
            task = work;
            lock.notifyAll();
        }
    }

    /**
     * Waits until the task given to {@link #start} has finished, spinning for up to {@value #SPIN_NANOS} ns and then
     * parked (the helper unparks it); rethrows what the task threw.
     */
    void await() {
        pending = false;
        long spinStart = System.nanoTime();
        while (!done && System.nanoTime() - spinStart < SPIN_NANOS) {
            Thread.onSpinWait();
        }
        if (!done) { // a long task, or a helper that lost its processor: leave ours to it
            waiter = Thread.currentThread();
            while (!done) {
                java.util.concurrent.locks.LockSupport.park(this);
            }
            waiter = null;
        }
        Throwable t = failure;
        if (t != null) {
            failure = null;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("the helper thread's task failed", t);
        }
    }

    private void serve() {
        while (true) {
            Runnable work = next();
            if (work == null) {
                return;
            }
            try {
                work.run();
            } catch (Throwable t) {
                failure = t;
            }
            task = null;
            done = true;
            Thread parked = waiter;
            if (parked != null) {
                java.util.concurrent.locks.LockSupport.unpark(parked);
            }
        }
    }

    /** The next task: spun for, then waited for; null when none came for IDLE_EXIT_MILLIS (the thread then ends). */
    private Runnable next() {
        long spinStart = System.nanoTime();
        Runnable work;
        while ((work = task) == null && System.nanoTime() - spinStart < SPIN_NANOS) {
            Thread.onSpinWait();
        }
        if (work != null) {
            return work;
        }
        synchronized (lock) {
            long idleStart = System.nanoTime();
            while ((work = task) == null) {
                long left = IDLE_EXIT_MILLIS - (System.nanoTime() - idleStart) / 1_000_000;
                if (left <= 0) {
                    thread = null;
                    return null;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException ignored) {
                    // nothing interrupts this private daemon thread on purpose; it ends when idle
                }
            }
            return work;
        }
    }
}
