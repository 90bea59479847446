package dev.presize.api.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.inject.Singleton;

/**
 * Request counts and latencies, labelled like kube-apiserver's {@code apiserver_request_total} and
 * {@code apiserver_request_duration_seconds} (verb, resource, code) so existing dashboards and
 * alerts translate directly. Label values come from {@code RequestInfo}, never from raw paths, so
 * hostile URLs cannot blow up the series count.
 */
@Singleton
public class RequestMetrics {

    private final Counter requests;
    private final Histogram duration;

    public RequestMetrics(PrometheusRegistry registry) {
        this.requests = Counter.builder()
                .name("presize_apiserver_request_total")
                .help("Requests served, by Kubernetes verb, resource and HTTP status code.")
                .labelNames("verb", "resource", "code")
                .register(registry);
        this.duration = Histogram.builder()
                .name("presize_apiserver_request_duration_seconds")
                .help("Time to serve a request, by Kubernetes verb and resource.")
                .labelNames("verb", "resource")
                .classicOnly()
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
                .register(registry);
    }

    public void observe(String verb, String resource, int code, double seconds) {
        requests.labelValues(verb, resource, Integer.toString(code)).inc();
        duration.labelValues(verb, resource).observe(seconds);
    }
}
