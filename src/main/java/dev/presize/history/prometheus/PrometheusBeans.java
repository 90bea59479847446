package dev.presize.history.prometheus;

import dev.presize.config.PrometheusFlags;
import dev.presize.history.IncrementalUsageHistory;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Wires {@link PrometheusUsageHistory} from the {@code --prometheus-*} flags, only when
 * {@code --prometheus-url} is set to something (its default is empty). The refresh reads it through
 * {@link IncrementalUsageHistory} (the primary {@code UsageHistory}), which asks it only for hours
 * not held yet.
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

    /** @param clock decides which hours are complete; the context's clock, so tests can move it */
    @Singleton
    @Primary
    @Requires(beans = PrometheusUsageHistory.class)
    IncrementalUsageHistory incrementalUsageHistory(PrometheusUsageHistory source, Clock clock) {
        return new IncrementalUsageHistory(source, clock);
    }
}
