package dev.presize.recommendations;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RefreshGridTest {

    private static final Duration FIFTEEN = Duration.ofMinutes(15);

    @Test
    void floorsToMultiplesOfTheIntervalSinceTheEpoch() {
        assertEquals(Instant.parse("2026-11-21T10:00:00Z"), RefreshGrid.floor(Instant.parse("2026-11-21T10:14:59.999Z"), FIFTEEN));
        assertEquals(Instant.parse("2026-11-21T10:15:00Z"), RefreshGrid.floor(Instant.parse("2026-11-21T10:15:00Z"), FIFTEEN));
        assertEquals(Instant.parse("2026-11-21T10:15:00Z"), RefreshGrid.next(Instant.parse("2026-11-21T10:00:00Z"), FIFTEEN));
        // 7 minutes does not divide an hour: the grid is anchored at the epoch, not at the hour.
        assertEquals(Instant.ofEpochSecond(420 * (1_795_305_262L / 420)),
                RefreshGrid.floor(Instant.ofEpochSecond(1_795_305_262L), Duration.ofMinutes(7)));
        assertThrows(IllegalArgumentException.class, () -> RefreshGrid.floor(Instant.EPOCH, Duration.ZERO));
    }
}
