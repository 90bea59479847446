package dev.presize.recommendations;

import java.time.Duration;
import java.time.Instant;

/**
 * The refresh instants: whole multiples of the refresh interval since the epoch. Every replica that
 * refreshes in the same interval computes for the same instant, hence the same content and the same
 * resourceVersion (api.md), without talking to the others.
 */
public final class RefreshGrid {

    private RefreshGrid() {
    }

    /** The latest grid instant at or before {@code now}. */
    public static Instant floor(Instant now, Duration interval) {
        long step = stepMillis(interval);
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), step) * step);
    }

    /** The first grid instant strictly after {@code now}. */
    public static Instant next(Instant now, Duration interval) {
        return floor(now, interval).plusMillis(stepMillis(interval));
    }

    private static long stepMillis(Duration interval) {
        long step = interval.toMillis();
        if (step <= 0) {
            throw new IllegalArgumentException("refresh interval must be at least 1ms: " + interval);
        }
        return step;
    }
}
