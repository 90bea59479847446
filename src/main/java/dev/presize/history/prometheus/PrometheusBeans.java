package dev.presize.history.prometheus;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;

/**
 * Wires {@link PrometheusUsageHistory} from the {@code --prometheus-*} flags, only when
 * {@code --prometheus-url} is set to something (application.yml defaults it to empty).
 */
@Factory
final class PrometheusBeans {

    @Singleton
    @Requires(property = "presize.prometheus-url", pattern = "\\s*\\S+.*")
    PrometheusSettings prometheusSettings(
            @Property(name = "presize.prometheus-url") String url,
            @Property(name = "presize.prometheus-bearer-token-file") @Nullable String bearerTokenFile,
            @Property(name = "presize.prometheus-ca-file") @Nullable String caFile,
            @Property(name = "presize.prometheus-insecure-skip-verify", defaultValue = "false") boolean insecureSkipVerify,
            @Property(name = "presize.prometheus-header") @Nullable List<String> headers,
            @Property(name = "presize.prometheus-timeout", defaultValue = "30s") Duration timeout) {
        return PrometheusSettings.fromFlags(url, bearerTokenFile, caFile, insecureSkipVerify, headers, timeout);
    }

    @Singleton
    @Requires(beans = PrometheusSettings.class)
    PrometheusUsageHistory prometheusUsageHistory(PrometheusSettings settings) {
        return new PrometheusUsageHistory(new PrometheusClient(settings));
    }
}
