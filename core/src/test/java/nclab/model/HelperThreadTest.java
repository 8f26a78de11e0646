package nclab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** {@link HelperThread}: runs each task on its own thread, hands its writes back, rethrows, ends when idle. */
class HelperThreadTest {
    @Test
    void runsTheTaskOnAnotherThreadAndHandsItsWritesBack() {
        HelperThread helper = new HelperThread("test-helper");
        long[] sums = new long[1];
        AtomicReference<Thread> ran = new AtomicReference<>();
        for (int round = 1; round <= 1000; round++) {
            int r = round;
            helper.start(() -> {
                ran.set(Thread.currentThread());
                sums[0] += r; // a plain write: await() must make it visible
            });
            helper.await();
            assertEquals((long) r * (r + 1) / 2, sums[0], "round " + r);
        }
        assertNotEquals(Thread.currentThread(), ran.get());
        assertEquals("test-helper", ran.get().getName());
        assertEquals(true, ran.get().isDaemon());
    }

    @Test
    void aCallerParkedOnALongTaskIsWokenWhenItEnds() {
        HelperThread helper = new HelperThread("test-helper");
        for (int round = 0; round < 20; round++) {
            long[] finished = new long[1];
            helper.start(() -> {
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000); // longer than the caller's spin
                finished[0] = System.nanoTime();
            });
            helper.await();
            assertNotEquals(0L, finished[0], "round " + round);
        }
    }

    @Test
    void rethrowsWhatTheTaskThrewAndGoesOn() {
        HelperThread helper = new HelperThread("test-helper");
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        helper.start(() -> {
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalArgumentException.class, helper::await));
        AssertionError error = new AssertionError("error");
        helper.start(() -> {
            throw error;
        });
        assertSame(error, assertThrows(AssertionError.class, helper::await));
        boolean[] ran = new boolean[1];
        helper.start(() -> ran[0] = true);
        helper.await();
        assertEquals(true, ran[0], "a failed task leaves the helper usable");
    }

    @Test
    void aTaskNotAwaitedIsAnError() {
        HelperThread helper = new HelperThread("test-helper");
        helper.start(() -> { });
        assertThrows(IllegalStateException.class, () -> helper.start(() -> { }));
        helper.await();
    }

    @Test
    void theThreadEndsWhenIdleAndANewOneTakesTheNextTask() throws InterruptedException {
        HelperThread helper = new HelperThread("test-helper");
        AtomicReference<Thread> first = new AtomicReference<>();
        helper.start(() -> first.set(Thread.currentThread()));
        helper.await();
        first.get().join(HelperThread.IDLE_EXIT_MILLIS * 5);
        assertFalse(first.get().isAlive(), "idle for longer than " + HelperThread.IDLE_EXIT_MILLIS + " ms");
        AtomicReference<Thread> second = new AtomicReference<>();
        helper.start(() -> second.set(Thread.currentThread()));
        helper.await();
        assertNotEquals(first.get(), second.get());
    }
}
