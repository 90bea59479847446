package dev.presize.api.tables;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HumanDurationTest {

    private static final long S = 1_000_000_000L;
    private static final long M = 60 * S;
    private static final long H = 60 * M;

    @ParameterizedTest
    @CsvSource({
            // nanoseconds, expected (cases of apimachinery's duration_test.go and the boundaries between branches)
            "1000000000, 1s",
            "70000000000, 70s",
            "119999999999, 119s",
            "120000000000, 2m",
            "190000000000, 3m10s",
            "599000000000, 9m59s",
            "600000000000, 10m",
            "4200000000000, 70m",
            "10799000000000, 179m",
            "10800000000000, 3h",
            "11040000000000, 3h4m",
            "28740000000000, 7h59m",
            "28800000000000, 8h",
            "169200000000000, 47h",
            "176400000000000, 2d1h",
            "432000000000000, 5d",
            "691200000000000, 8d",
            "698400000000000, 8d",
            "1321200000000000, 15d",
            "31708800000000000, 367d",
            "63072000000000000, 2y",
            "63162000000000000, 2y1d",
            "252288007200000000, 8y",
            "0, 0s",
            "-999999999, 0s",
            "-1999999999, 0s",
            "-2000000000, <invalid>",
            "9223372036854775807, 292y",
    })
    void formatsLikeApimachinery(long nanos, String expected) {
        assertEquals(expected, HumanDuration.format(nanos));
    }

    @Test
    void durationsBeyondGoRangeSaturate() {
        assertEquals("292y", HumanDuration.format(Duration.ofDays(365L * 2000)));
        assertEquals("<invalid>", HumanDuration.format(Duration.ofDays(-365L * 2000)));
        assertEquals("3h4m", HumanDuration.format(Duration.ofMinutes(184).plusSeconds(59)));
        assertEquals("5d", HumanDuration.format(Duration.ofNanos(5 * 24 * H + 59 * M)));
    }
}
