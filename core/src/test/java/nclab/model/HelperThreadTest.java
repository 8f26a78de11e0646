package nclab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

/**
 * {@link HelperThread}: a task runs once, on the helper or taken back by the caller, its writes visible after
 * finish(); a claimed task is awaited (parked when long); exceptions are rethrown; the thread ends when idle.
 */
class HelperThreadTest {
    /** Offers a task that signals its start and then runs {@code body}; returns once the helper has claimed it. */
    private static void offerAndWaitForClaim(HelperThread helper, Runnable body) {
        AtomicBoolean started = new AtomicBoolean();
        helper.offer(() -> {
            started.set(true);
            body.run();
        });
        while (!started.get()) {
            Thread.onSpinWait();
        }
    }

    @Test
    void eachTaskRunsOnceOnEitherThreadAndItsWritesAreSeen() {
        HelperThread helper = HelperThread.withThread("test-helper");
        long[] sum = new long[1];
        for (int round = 1; round <= 2000; round++) {
            int r = round;
            helper.offer(() -> {
                sum[0] += r; // a plain write: finish() must make it visible, whichever thread ran the task
            });
            helper.finish();
            assertEquals((long) r * (r + 1) / 2, sum[0], "round " + r + ": each task ran exactly once");
        }
    }

    @Test
    void aClaimedTaskRunsOnTheHelperAndIsAwaitedEvenWhenLong() {
        HelperThread helper = HelperThread.withThread("test-helper");
        for (int round = 0; round < 20; round++) {
            AtomicReference<Thread> ran = new AtomicReference<>();
            long[] finished = new long[1];
            offerAndWaitForClaim(helper, () -> {
                ran.set(Thread.currentThread());
                LockSupport.parkNanos(2_000_000); // longer than the caller's spin: the caller parks
                finished[0] = System.nanoTime();
            });
            helper.finish();
            assertNotEquals(0L, finished[0], "round " + round);
            assertEquals("test-helper", ran.get().getName());
            assertTrue(ran.get().isDaemon());
        }
    }

    @Test
    void anUnclaimedTaskRunsOnTheCaller() {
        HelperThread helper = HelperThread.withoutThread();
        AtomicReference<Thread> ran = new AtomicReference<>();
        helper.offer(() -> ran.set(Thread.currentThread()));
        helper.finish();
        assertSame(Thread.currentThread(), ran.get());
        IllegalStateException boom = new IllegalStateException("boom");
        helper.offer(() -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalStateException.class, helper::finish), "thrown on the caller");
    }

    @Test
    void rethrowsWhatTheHelpersTaskThrewAndGoesOn() {
        HelperThread helper = HelperThread.withThread("test-helper");
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        offerAndWaitForClaim(helper, () -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalArgumentException.class, helper::finish));
        AssertionError error = new AssertionError("error");
        offerAndWaitForClaim(helper, () -> {
            throw error;
        });
        assertSame(error, assertThrows(AssertionError.class, helper::finish));
        boolean[] ran = new boolean[1];
        helper.offer(() -> ran[0] = true);
        helper.finish();
        assertTrue(ran[0], "a failed task leaves the helper usable");
    }

    @Test
    void aTaskNotFinishedIsAnError() {
        HelperThread helper = HelperThread.withThread("test-helper");
        helper.offer(() -> { });
        assertThrows(IllegalStateException.class, () -> helper.offer(() -> { }));
        helper.finish();
    }

    @Test
    void theThreadEndsWhenIdleAndANewOneTakesTheNextTask() throws InterruptedException {
        HelperThread helper = HelperThread.withThread("test-helper");
        AtomicReference<Thread> first = new AtomicReference<>();
        offerAndWaitForClaim(helper, () -> first.set(Thread.currentThread()));
        helper.finish();
        first.get().join(HelperThread.IDLE_EXIT_MILLIS * 5);
        assertFalse(first.get().isAlive(), "idle for longer than " + HelperThread.IDLE_EXIT_MILLIS + " ms");
        AtomicReference<Thread> second = new AtomicReference<>();
        offerAndWaitForClaim(helper, () -> second.set(Thread.currentThread()));
        helper.finish();
        assertNotEquals(first.get(), second.get());
    }
}
