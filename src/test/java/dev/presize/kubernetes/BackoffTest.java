package dev.presize.kubernetes;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The retry backoff of {@link BackingOffListerWatcher}: doubling, capped, with client-go's 0.2 jitter on top. */
class BackoffTest {

    @Test
    void doublesFromHalfASecondUpToThirtySecondsPlusUpToAFifthMore() {
        assertEquals(500, BackingOffListerWatcher.backoffMillis(1, 0));
        assertEquals(1000, BackingOffListerWatcher.backoffMillis(2, 0));
        assertEquals(16_000, BackingOffListerWatcher.backoffMillis(6, 0));
        assertEquals(30_000, BackingOffListerWatcher.backoffMillis(7, 0), "capped");
        assertEquals(30_000, BackingOffListerWatcher.backoffMillis(1000, 0), "no overflow");
        assertEquals(600, BackingOffListerWatcher.backoffMillis(1, 1.0));
        assertEquals(33_000, BackingOffListerWatcher.backoffMillis(50, 0.5));
    }
}
