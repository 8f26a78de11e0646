package nclab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The watch in-process: a pid that is not this JVM's parent counts as gone at once, the real parent (the build tool
 * that forked this test JVM) does not. A SIGKILLed sweep with real child JVMs is cli's SweepKillTest.
 */
class ParentWatchTest {
    @Test
    void aPidThatIsNotTheParentIsGoneAtOnceAndTheRealParentIsNot() throws InterruptedException {
        CountDownLatch notParent = new CountDownLatch(1);
        ParentWatch.watch(ProcessHandle.current().pid(), notParent::countDown); // this JVM is not its own parent
        assertEquals(0, notParent.getCount(), "ran on the calling thread");

        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        assertTrue(ParentWatch.isParent(parent));
        CountDownLatch parentGone = new CountDownLatch(1);
        ParentWatch.watch(parent, parentGone::countDown);
        assertFalse(parentGone.await(3 * ParentWatch.POLL_MILLIS, TimeUnit.MILLISECONDS), "the parent is alive");
    }

    @Test
    void thePropertyIsReadAndABadValueIsNamed() {
        String old = System.getProperty(ParentWatch.PROPERTY);
        try {
            System.clearProperty(ParentWatch.PROPERTY);
            assertFalse(ParentWatch.startFromSystemProperty(() -> { }));
            System.setProperty(ParentWatch.PROPERTY, "12x");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParentWatch.startFromSystemProperty(() -> { }));
            assertEquals("nclab.parent.pid must be a process id, got '12x'", e.getMessage());
            System.setProperty(ParentWatch.PROPERTY, Long.toString(ProcessHandle.current().pid()));
            boolean[] ran = {false};
            assertTrue(ParentWatch.startFromSystemProperty(() -> ran[0] = true));
            assertTrue(ran[0]);
        } finally {
            if (old == null) {
                System.clearProperty(ParentWatch.PROPERTY);
            } else {
                System.setProperty(ParentWatch.PROPERTY, old);
            }
        }
    }
}
