package dev.presize.history.prometheus;

import dev.presize.config.PrometheusFlags;
import dev.presize.config.ServerFlags;
import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to reach Prometheus: the {@code --prometheus-*} flags, checked once so that a bad value stops
 * the server at start with the flag's name.
 *
 * @param url                base URL of the HTTP API without {@code /api/v1}; may carry a path prefix
 *                           (Mimir's {@code /prometheus}, a proxy's sub-path)
 * @param bearerTokenFile    read on every request; {@code null} for none
 * @param caFile             PEM CA bundle for an https URL; {@code null} for the JVM's trust store
 * @param insecureSkipVerify accept any server certificate and host name
 * @param headers            extra request headers, e.g. {@code X-Scope-OrgID} for multi-tenant engines
 * @param timeout            per request, until the response headers arrive; also sent as the query's
 *                           {@code timeout} so Prometheus stops evaluating when we stop waiting
 */
public record PrometheusSettings(URI url, @Nullable Path bearerTokenFile, @Nullable Path caFile, boolean insecureSkipVerify,
                                 Map<String, String> headers, Duration timeout) {

    public PrometheusSettings {
        try {
            // The flag's own check, so a URL the flag would refuse is refused here too, in the same words.
            ServerFlags.PROMETHEUS_URL.type().parse(List.of(url.toString()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--prometheus-url=" + url + ": " + e.getMessage());
        }
        for (String name : headers.keySet()) {
            try {
                ServerFlags.PROMETHEUS_HEADER.type().parse(List.of(name + "="));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--prometheus-header: " + e.getMessage());
            }
            if (bearerTokenFile != null && name.equalsIgnoreCase("Authorization")) {
                throw new IllegalArgumentException(
                        "--prometheus-header Authorization and --prometheus-bearer-token-file both set the Authorization header: give one");
            }
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("--prometheus-timeout must be positive, got " + timeout);
        }
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Plain settings: no token, no TLS options, no headers. */
    public static PrometheusSettings of(URI url, Duration timeout) {
        return new PrometheusSettings(url, null, null, false, Map.of(), timeout);
    }

    /** From the flag values as given; empty strings mean "not set". */
    public static PrometheusSettings fromFlags(String url, @Nullable String bearerTokenFile, @Nullable String caFile,
                                               boolean insecureSkipVerify, @Nullable List<String> headers, Duration timeout) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--prometheus-url is not a valid URL: \"" + url + "\"");
        }
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String h : headers == null ? List.<String>of() : headers) {
            int eq = h.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--prometheus-header must be name=value, got \"" + h + "\"");
            }
            // A repeated name keeps the last value, as a later flag overrides an earlier one.
            parsed.put(h.substring(0, eq).trim(), h.substring(eq + 1).trim());
        }
        return new PrometheusSettings(uri, path(bearerTokenFile), path(caFile), insecureSkipVerify, parsed, timeout);
    }

    /** From the checked flags. */
    public static PrometheusSettings from(PrometheusFlags flags) {
        return fromFlags(flags.url().map(URI::toString).orElse(""), flags.bearerTokenFile().map(Path::toString).orElse(null),
                flags.caFile().map(Path::toString).orElse(null), flags.insecureSkipVerify(), flags.headers(), flags.timeout());
    }

    @Nullable
    private static Path path(@Nullable String s) {
        return s == null || s.isBlank() ? null : Path.of(s.trim());
    }

    /** The API endpoint {@code /api/v1/<name>} under the base URL (keeping any path prefix). */
    URI endpoint(String name) {
        String base = url.toString().replaceAll("/+$", "");
        return URI.create(base + "/api/v1/" + name);
    }

    // No token or header values here: settings end up in logs and exception messages.
    @Override
    public String toString() {
        return "PrometheusSettings[url=" + url + ", bearerTokenFile=" + bearerTokenFile + ", caFile=" + caFile
                + ", insecureSkipVerify=" + insecureSkipVerify + ", headers=" + headers.keySet() + ", timeout=" + timeout + "]";
    }
}
