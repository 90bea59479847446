package dev.presize.history.prometheus;

import dev.presize.config.PrometheusFlags;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Wires {@link PrometheusUsageHistory} from the {@code --prometheus-*} flags, only when
 * {@code --prometheus-url} is set to something (its default is empty).
 */
@Factory
final class PrometheusBeans {

    @Singleton
    @Requires(property = "presize.prometheus-url", pattern = "\\s*\\S+.*")
    PrometheusSettings prometheusSettings(PrometheusFlags flags) {
        return PrometheusSettings.from(flags);
    }

    @Singleton
    @Requires(beans = PrometheusSettings.class)
    PrometheusUsageHistory prometheusUsageHistory(PrometheusSettings settings) {
        return new PrometheusUsageHistory(new PrometheusClient(settings));
    }
}
