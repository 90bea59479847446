package dev.presize.format;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps as Kubernetes serializes {@code metav1.Time}: RFC 3339 in UTC, whole seconds
 * ({@code 2026-11-21T10:00:00Z}). Sub-seconds are truncated, as metav1.Time does.
 */
public final class Rfc3339 {

    private Rfc3339() {
    }

    public static String format(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
