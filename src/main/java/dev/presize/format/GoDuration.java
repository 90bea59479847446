package dev.presize.format;

import dev.presize.config.GoDurationSyntax;
import java.time.Duration;

/**
 * Formats a {@link Duration} exactly as Go's {@code time.Duration.String()} does ({@code 336h0m0s},
 * {@code 15m0s}, {@code 1.5s}, {@code 250ms}, {@code 0s}), because {@code window} is read by Go
 * clients and people used to kubectl.
 */
public final class GoDuration {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long NANOS_PER_MICRO = 1_000L;
    private static final int SECONDS_PER_MINUTE = 60;
    private static final int MINUTES_PER_HOUR = 60;

    private GoDuration() {
    }

    /** Go's {@code time.ParseDuration}; the syntax lives with the settings, which all read it. */
    public static Duration parse(String text) {
        return GoDurationSyntax.parse(text);
    }

    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        boolean negative = d.isNegative();
        Duration abs = d.abs();
        long seconds = abs.getSeconds();
        long nanos = abs.getNano();
        StringBuilder out = new StringBuilder();
        if (negative) {
            out.append('-');
        }
        if (seconds == 0) {
            // Under a second Go switches to the largest unit that keeps an integer part: 1.5ms, 10µs, 3ns.
            if (nanos < NANOS_PER_MICRO) {
                out.append(nanos).append("ns");
            } else if (nanos < NANOS_PER_MILLI) {
                appendWithFraction(out, nanos, NANOS_PER_MICRO).append("µs");
            } else {
                appendWithFraction(out, nanos, NANOS_PER_MILLI).append("ms");
            }
            return out.toString();
        }
        long hours = seconds / (SECONDS_PER_MINUTE * MINUTES_PER_HOUR);
        long minutes = seconds / SECONDS_PER_MINUTE % MINUTES_PER_HOUR;
        long secs = seconds % SECONDS_PER_MINUTE;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        appendWithFraction(out, secs * NANOS_PER_SECOND + nanos, NANOS_PER_SECOND).append('s');
        return out.toString();
    }

    /** {@code value / unit} with the fraction's trailing zeros (and a bare point) dropped, as Go does. */
    private static StringBuilder appendWithFraction(StringBuilder out, long value, long unit) {
        out.append(value / unit);
        long fraction = value % unit;
        if (fraction != 0) {
            String digits = Long.toString(unit + fraction).substring(1); // zero-padded to the unit's width
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(digits, 0, end);
        }
        return out;
    }
}
