package dev.presize.api.tables;

import java.time.Duration;

/**
 * k8s.io/apimachinery {@code pkg/util/duration.HumanDuration}, the AGE column format of kubectl
 * ({@code 45s}, {@code 3m20s}, {@code 3h4m}, {@code 5d}, {@code 2y30d}). Arithmetic on nanoseconds
 * truncating toward zero, as Go's integer conversions do; durations beyond Go's ±292 years
 * saturate as {@code time.Since} does.
 */
public final class HumanDuration {

    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private HumanDuration() {
    }

    public static String format(Duration d) {
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException overflow) {
            nanos = d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return format(nanos);
    }

    /** @param d a Go {@code time.Duration}: nanoseconds */
    public static String format(long d) {
        // up to 2 seconds in the future (excluded) counts as now, to tolerate clock skew
        long seconds = d / SECOND;
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = d / MINUTE;
        if (minutes < 10) {
            long s = (d / SECOND) % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = d / HOUR;
        if (hours < 8) {
            long m = (d / MINUTE) % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = (hours / 24) % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
