package dev.presize.format;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GoDurationTest {

    @Test
    void formatsLikeGo() {
        assertEquals("336h0m0s", GoDuration.format(Duration.ofHours(336)));
        assertEquals("15m0s", GoDuration.format(Duration.ofMinutes(15)));
        assertEquals("1h30m0s", GoDuration.format(Duration.ofMinutes(90)));
        assertEquals("1h0m1s", GoDuration.format(Duration.ofSeconds(3601)));
        assertEquals("0s", GoDuration.format(Duration.ZERO));
        assertEquals("45s", GoDuration.format(Duration.ofSeconds(45)));
        assertEquals("1.5s", GoDuration.format(Duration.ofMillis(1500)));
        assertEquals("2m0.001s", GoDuration.format(Duration.ofMillis(120_001)));
        assertEquals("250ms", GoDuration.format(Duration.ofMillis(250)));
        assertEquals("1.5ms", GoDuration.format(Duration.ofNanos(1_500_000)));
        assertEquals("10µs", GoDuration.format(Duration.ofNanos(10_000)));
        assertEquals("3ns", GoDuration.format(Duration.ofNanos(3)));
        assertEquals("-1m30s", GoDuration.format(Duration.ofSeconds(-90)));
    }

    @Test
    void rfc3339IsWholeSecondsInUtc() {
        assertEquals("2026-11-21T10:00:00Z", Rfc3339.format(Instant.parse("2026-11-21T10:00:00.987Z")));
        assertEquals("1970-01-01T00:00:00Z", Rfc3339.format(Instant.EPOCH));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"15m,PT15M", "336h,PT336H", "1h30m,PT1H30M", "2.5s,PT2.5S",
            "0,PT0S", "1h0m0s,PT1H", "250ms,PT0.25S", "-5m,PT-5M", ".5h,PT30M"})
    void parsesGoSyntax(String text, String iso) {
        assertEquals(java.time.Duration.parse(iso), GoDuration.parse(text));
        assertEquals(GoDuration.parse(text), GoDuration.parse(GoDuration.format(GoDuration.parse(text))));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "15", "m", "1x", "1h30", "h1", "1.2.3s", "PT15M", "1h 30m"})
    void rejectsAnythingElse(String text) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
    }
}
