package dev.presize.api.metrics;

import io.micronaut.context.annotation.Factory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.inject.Singleton;

/**
 * One registry per application context rather than the library's static default, so tests that
 * start several servers in one JVM each see only their own counts.
 */
@Factory
public class MetricsRegistry {

    @Singleton
    public PrometheusRegistry prometheusRegistry() {
        return new PrometheusRegistry();
    }
}
