package dev.presize.api.watch;

import io.micronaut.context.annotation.Context;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code presize_apiserver_watches}: the watches open on this replica right now, read at scrape
 * time, so a leak of watches (clients gone, streams still registered) shows as a number that
 * never comes down. kube-apiserver exposes the same as {@code apiserver_longrunning_requests}.
 */
@Context
public class WatchMetrics {

    public WatchMetrics(WatchHub hub, PrometheusRegistry registry) {
        GaugeWithCallback.builder()
                .name("presize_apiserver_watches")
                .help("Watches open on this replica.")
                .callback(callback -> callback.call(hub.watcherCount()))
                .register(registry);
    }
}
