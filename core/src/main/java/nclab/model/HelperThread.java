package nclab.model;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One daemon thread that may run the second half of a step while the caller runs the first: {@link #offer} hands the
 * half over, {@link #finish} either takes it back and runs it on the caller's thread (when the helper has not started
 * it) or waits for the helper to end it. Built for steps of a few microseconds (the full-batch step at (d, K, N) =
 * (64, 4, 400) takes ≈ 30 µs on one thread), where an executor's hand-over (a park and an unpark, ≈ 10–50 µs here)
 * would cost more than the half it saves:
 * <ul>
 *   <li>after each task the thread spins for {@value #SPIN_NANOS} ns on the next one (spin-wait hints for the first
 *       {@value #BUSY_NANOS} ns, then {@link Thread#yield}, so that a busy machine's other threads still run), so
 *       that back-to-back steps hand over in well under a microsecond; then it waits on a monitor;</li>
 *   <li>a half the helper has not claimed when the caller is done with its own is run by the caller: when the
 *       processors are busy with other work (two solver JVMs on two cores, a sweep's workers) the step then costs
 *       about what it costs on one thread, instead of waiting for the helper to be scheduled;</li>
 *   <li>the caller waits for a claimed half spinning for as long, then parked until the helper unparks it;</li>
 *   <li>after {@value #IDLE_EXIT_MILLIS} ms without work the thread ends (a kernel no longer used leaves no thread);
 *       the next {@link #offer} starts a new one;</li>
 *   <li>a task's exception or error is rethrown by {@link #finish} on the caller's thread;</li>
 *   <li>on a single processor, or with {@code -Dnclab.solverThreads=1}, no thread is started and the caller runs
 *       every task itself.</li>
 * </ul>
 * A half claimed by a helper that then loses its processor still makes the caller wait for it (a scheduler time slice,
 * milliseconds): where runs share the cores, {@code -Dnclab.solverThreads=1} keeps the solver on one thread (a
 * sweep sets it for its runs when it gives each run one core). The results never depend on which thread runs a half:
 * callers split their work at a point fixed by the problem's shape, and each half writes only its own outputs. Not
 * for concurrent callers: one offer/finish pair at a time.
 */
final class HelperThread {
    static final long SPIN_NANOS = 20_000;
    static final long BUSY_NANOS = 2_000;
    static final long IDLE_EXIT_MILLIS = 2_000;
    /**
     * Whether the JVM saw at least two processors when this class loaded (asked once: the call reads cgroups) and
     * {@code -Dnclab.solverThreads} (a sweep sets 1 when it runs one run per core) allows a second thread.
     */
    private static final boolean USEFUL = Runtime.getRuntime().availableProcessors() >= 2
            && Integer.getInteger("nclab.solverThreads", 2) >= 2;
    private final String name;
    private final Object lock = new Object();
    /** The task offered and not yet claimed by either thread. */
    private final AtomicReference<Runnable> offered = new AtomicReference<>();
    /** Whether the task the helper claimed has ended (true when it claimed none). */
    private volatile boolean done = true;
    private volatile Throwable failure;
    /** The caller parked in {@link #finish}, or null. */
    private volatile Thread waiter;
    /** Whether a task was offered and not yet finished (the caller's thread only). */
    private boolean pending;
    /** The running helper, or null (guarded by lock). */
    private Thread thread;
    /** Whether a thread is started at all: when not, {@link #finish} runs every task on the caller. */
    private final boolean spawn;

    /**
     * A helper whose thread runs only where a second thread may make a step faster (two processors seen, not capped
     * to one); elsewhere the caller runs both halves, one after the other.
     */
    HelperThread(String name) {
        this(name, USEFUL);
    }

    private HelperThread(String name, boolean spawn) {
        this.name = name;
        this.spawn = spawn;
    }

    /** For tests: a helper that starts its thread whatever the machine. */
    static HelperThread withThread(String name) {
        return new HelperThread(name, true);
    }

    /** For tests: a helper that never starts its thread, so that {@link #finish} runs every task on the caller. */
    static HelperThread withoutThread() {
        return new HelperThread("none", false);
    }

    /** Offers {@code work} to the helper thread (starting one if none runs) and returns at once. */
    void offer(Runnable work) {
        if (pending) {
            throw new IllegalStateException("the helper thread's previous task was not finished");
        }
        pending = true;
        synchronized (lock) {
            if (thread == null && spawn) {
                thread = new Thread(this::serve, name);
                thread.setDaemon(true);
                thread.start();
            }
            offered.set(work);
            lock.notifyAll();
        }
    }

    /**
     * Ends the task given to {@link #offer}: runs it here if the helper has not claimed it, else waits until the
     * helper has run it (spinning for up to {@value #SPIN_NANOS} ns, then parked) and rethrows what it threw.
     */
    void finish() {
        pending = false;
        Runnable mine = offered.getAndSet(null);
        if (mine != null) {
            mine.run();
            return;
        }
        long spinStart = System.nanoTime();
        for (long waited = 0; !done && waited < SPIN_NANOS; waited = System.nanoTime() - spinStart) {
            pause(waited);
        }
        if (!done) { // a long task, or a helper that lost its processor: leave ours to it
            waiter = Thread.currentThread();
            while (!done) {
                LockSupport.park(this);
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

    /**
     * One wait of a spin that has lasted {@code waited} ns: a spin-wait hint for the first {@value #BUSY_NANOS} ns
     * (a step's hand-over usually comes by then), then {@link Thread#yield}, which returns at once when nothing else
     * waits for this processor and otherwise lets it run (two solver JVMs on two cores: spinning there cost 1.7×).
     */
    private static void pause(long waited) {
        if (waited < BUSY_NANOS) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    private void serve() {
        while (true) {
            Runnable work = next();
            if (work == null) {
                return;
            }
            done = false; // before the claim: finish() sees either the task or a claim not yet done
            if (!offered.compareAndSet(work, null)) {
                done = true; // the caller took it back
                continue;
            }
            try {
                work.run();
            } catch (Throwable t) {
                failure = t;
            }
            done = true;
            Thread parked = waiter;
            if (parked != null) {
                LockSupport.unpark(parked);
            }
        }
    }

    /** The task on offer: spun for, then waited for; null when none came for IDLE_EXIT_MILLIS (the thread then ends). */
    private Runnable next() {
        long spinStart = System.nanoTime();
        Runnable work;
        for (long waited = 0; (work = offered.get()) == null && waited < SPIN_NANOS;
                waited = System.nanoTime() - spinStart) {
            pause(waited);
        }
        if (work != null) {
            return work;
        }
        synchronized (lock) {
            long idleStart = System.nanoTime();
            while ((work = offered.get()) == null) {
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
