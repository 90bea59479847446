package dev.presize.format;

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

    private static final java.util.regex.Pattern TERM =
            java.util.regex.Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {
    }

    /**
     * Parses Go's {@code time.ParseDuration} syntax ({@code 15m}, {@code 336h}, {@code 1h30m},
     * {@code 2.5s}, {@code 0}), the form every Kubernetes component's duration flags take.
     *
     * @throws IllegalArgumentException with a message naming the value when it is not a duration
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        boolean negative = s.startsWith("-");
        String body = negative || s.startsWith("+") ? s.substring(1) : s;
        java.util.regex.Matcher m = TERM.matcher(body);
        java.math.BigDecimal nanos = java.math.BigDecimal.ZERO;
        int at = 0;
        while (at < body.length() && m.find(at) && m.start() == at) {
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> NANOS_PER_MICRO;
                case "ms" -> NANOS_PER_MILLI;
                case "s" -> NANOS_PER_SECOND;
                case "m" -> NANOS_PER_SECOND * SECONDS_PER_MINUTE;
                default -> NANOS_PER_SECOND * SECONDS_PER_MINUTE * MINUTES_PER_HOUR;
            };
            nanos = nanos.add(new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(unit)));
            at = m.end();
        }
        if (body.isEmpty() || at != body.length()) {
            throw new IllegalArgumentException("invalid duration \"" + text + "\" (use e.g. 15m, 336h or 1h30m)");
        }
        long total = nanos.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        return Duration.ofNanos(negative ? -total : total);
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
