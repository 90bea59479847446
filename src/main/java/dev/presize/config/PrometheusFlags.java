package dev.presize.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where usage history comes from: the {@code --prometheus-*} flags, checked. The Prometheus client
 * builds its own connection settings from these.
 *
 * @param url     empty: no Prometheus (the history source stays unwired)
 * @param headers {@code Name=value}, in the order given
 */
public record PrometheusFlags(Optional<URI> url, Optional<Path> bearerTokenFile, Optional<Path> caFile,
                              boolean insecureSkipVerify, List<String> headers, Duration timeout) {

    static PrometheusFlags from(Values v) {
        return new PrometheusFlags(v.get(ServerFlags.PROMETHEUS_URL), v.get(ServerFlags.PROMETHEUS_BEARER_TOKEN_FILE),
                v.get(ServerFlags.PROMETHEUS_CA_FILE), v.get(ServerFlags.PROMETHEUS_INSECURE_SKIP_VERIFY),
                v.get(ServerFlags.PROMETHEUS_HEADER), v.get(ServerFlags.PROMETHEUS_TIMEOUT));
    }
}
