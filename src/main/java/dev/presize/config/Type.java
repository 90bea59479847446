package dev.presize.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a setting's value must be: how it is read and checked (once, whatever the source), and the
 * word {@code --help} and README show for it.
 *
 * <p>A value arrives as a list of strings: one for a scalar, several for a flag given more than once
 * or a YAML list. A parser throws {@link IllegalArgumentException} whose message is the reason only
 * ("must be a port number from 1 to 65535"); {@link Settings} and {@link FlagTable} put where the
 * value came from in front of it.
 *
 * @param name        shown in {@code --help} and README: duration, number, bool, path, fraction, list, ...
 * @param repeatable  a flag of this type may be given more than once and its values add up
 * @param splitCommas a single string (an environment variable, one flag) holds several comma-separated
 *                    values, as pflag's StringSlice; false when values may contain commas themselves
 */
public record Type<T>(String name, boolean repeatable, boolean splitCommas, Function<List<String>, T> parser) {

    /** Headers java.net.http sets itself and refuses to take from callers. */
    private static final java.util.Set<String> RESTRICTED_HEADERS = java.util.Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** {@code true} or {@code false}, exactly as Micronaut's {@code @Requires(property=..., value="true")} compares. */
    public static final Type<Boolean> BOOL = scalar("bool", v -> switch (v) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException("must be true or false");
    });

    public static final Type<Integer> PORT = scalar("number", v -> {
        int port = wholeNumber(v).orElse(-1);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("must be a port number from 1 to 65535");
        }
        return port;
    });

    /** A whole number from 0. */
    public static final Type<Integer> COUNT = scalar("number",
            v -> wholeNumber(v).orElseThrow(() -> new IllegalArgumentException("must be a whole number from 0")));

    /** A target risk: a share of samples or days, strictly between 0 and 1. */
    public static final Type<Double> FRACTION = scalar("fraction", v -> {
        double d = number(v);
        if (!(d > 0 && d < 1)) {
            throw new IllegalArgumentException("must be a fraction between 0 and 1 (exclusive), e.g. 0.05");
        }
        return d;
    });

    public static final Type<Double> SHARE = scalar("fraction", v -> {
        double d = number(v);
        if (!(d >= 0 && d <= 1)) {
            throw new IllegalArgumentException("must be a fraction between 0 and 1 (inclusive), e.g. 0.25");
        }
        return d;
    });

    public static final Type<Duration> DURATION = scalar("duration", v -> {
        Duration d = duration(v);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be a positive duration (e.g. 15m, 336h or 1h30m)");
        }
        return d;
    });

    public static final Type<Duration> NON_NEGATIVE_DURATION = scalar("duration", v -> {
        Duration d = duration(v);
        if (d.isNegative()) {
            throw new IllegalArgumentException("must not be a negative duration");
        }
        return d;
    });

    /**
     * An RFC 3339 time, as Kubernetes writes them (kubectl logs --since-time); empty means not set.
     * A time with no offset is refused rather than read in some zone the user did not mean.
     */
    public static final Type<Optional<java.time.Instant>> TIME = scalar("time", v -> {
        if (v.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.time.OffsetDateTime.parse(v.trim()).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("must be an RFC 3339 time with its offset, e.g. 2024-05-01T00:00:00Z");
        }
    });

    /** A file or directory; empty means not set. */
    public static final Type<Optional<Path>> PATH = scalar("path",
            v -> v.isBlank() ? Optional.empty() : Optional.of(Path.of(v.trim())));

    /** A file or directory that must be given. */
    public static final Type<Path> REQUIRED_PATH = scalar("path", v -> {
        if (v.isBlank()) {
            throw new IllegalArgumentException("must be a path");
        }
        return Path.of(v.trim());
    });

    /** A host name or IP address to listen on. */
    public static final Type<String> ADDRESS = scalar("address", v -> {
        if (v.isBlank()) {
            throw new IllegalArgumentException("must be an IP address or host name");
        }
        return v.trim();
    });

    /** An http or https base URL; empty means not set. */
    public static final Type<Optional<URI>> URL = scalar("url", v -> {
        if (v.isBlank()) {
            return Optional.empty();
        }
        String reason = "must be an http or https URL without query or fragment, e.g. http://prometheus.monitoring:9090";
        URI uri;
        try {
            uri = new URI(v.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(reason);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(reason);
        }
        return Optional.of(uri);
    });

    /** Comma-separated values, trimmed, empty ones dropped; a repeated flag adds to the list. */
    public static final Type<List<String>> LIST = new Type<>("list", true, true,
            values -> values.stream().map(String::trim).filter(s -> !s.isEmpty()).toList());

    /**
     * Extra HTTP request headers as {@code Name=value}. Repeatable, and not split at commas on the
     * command line (a header value may hold one); an environment variable holds them comma-separated.
     * The name must be an HTTP token (RFC 9110) that java.net.http lets a caller set.
     */
    public static final Type<List<String>> HTTP_HEADER = new Type<>("name=value", true, false, values -> {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v.isBlank()) {
                continue;
            }
            int eq = v.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("must be name=value, got \"" + v + "\"");
            }
            String name = v.substring(0, eq).trim();
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("\"" + name + "\" cannot be set as a header");
            }
            out.add(v);
        }
        return List.copyOf(out);
    });

    /** One of a few words; shown as {@code a|b}. */
    public static Type<String> oneOf(String... choices) {
        List<String> allowed = List.of(choices);
        String name = String.join("|", allowed);
        return scalar(name, v -> {
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException("must be " + String.join(" or ", allowed));
            }
            return v;
        });
    }

    /** A positive whole number of hours, at least {@code min}. */
    public static Type<Duration> wholeHours(Duration min) {
        return scalar("duration", v -> {
            Duration d;
            try {
                d = duration(v);
            } catch (IllegalArgumentException e) {
                d = Duration.ZERO;
            }
            if (d.compareTo(min) < 0 || d.toSeconds() % 3600 != 0 || d.toNanosPart() != 0) {
                throw new IllegalArgumentException("must be whole hours, at least " + min.toHours() + "h (e.g. 336h)");
            }
            return d;
        });
    }

    public T parse(List<String> values) {
        return parser.apply(values);
    }

    /** Splits one string as an environment variable (or a default) holds it: a repeatable type's values comma-separated. */
    List<String> split(String value) {
        return splitCommas || repeatable ? Arrays.asList(value.split(",", -1)) : List.of(value);
    }

    /** Splits one flag's value: only where a value cannot hold a comma itself. */
    List<String> splitFlag(String value) {
        return splitCommas ? Arrays.asList(value.split(",", -1)) : List.of(value);
    }

    private static <T> Type<T> scalar(String name, Function<String, T> parser) {
        // More than one value reaches a scalar only from a YAML list; read as the text it would be.
        return new Type<>(name, false, false, values -> parser.apply(String.join(",", values)));
    }

    private static Optional<Integer> wholeNumber(String v) {
        return v.trim().matches("[0-9]{1,9}") ? Optional.of(Integer.parseInt(v.trim())) : Optional.empty();
    }

    private static double number(String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Go's syntax, as every Kubernetes flag; ISO-8601 ({@code PT15M}) too, which Micronaut used to read here. */
    private static Duration duration(String v) {
        String s = v.trim();
        if (s.startsWith("P") || s.startsWith("-P")) {
            try {
                return Duration.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("must be a duration such as 15m, 336h or 1h30m");
            }
        }
        try {
            return GoDurationSyntax.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be a duration such as 15m, 336h or 1h30m");
        }
    }
}
