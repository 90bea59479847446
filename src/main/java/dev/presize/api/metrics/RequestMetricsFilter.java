package dev.presize.api.metrics;

import dev.presize.api.RequestInfo;
import dev.presize.api.RequestInfoResolver;
import dev.presize.v1beta1.RequestsResource;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Times every request, including the ones that end in an error Status. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestMetricsFilter {

    private static final String START = "presize.metrics.start";

    private final RequestMetrics metrics;

    public RequestMetricsFilter(RequestMetrics metrics) {
        this.metrics = metrics;
    }

    @RequestFilter
    public void start(HttpRequest<?> request) {
        request.setAttribute(START, System.nanoTime());
    }

    @ResponseFilter
    public void finish(HttpRequest<?> request, MutableHttpResponse<?> response) {
        long start = request.getAttribute(START, Long.class).orElse(System.nanoTime());
        RequestInfo info = RequestInfoResolver.resolve(request.getMethodName(), request.getPath(),
                request.getParameters().asMap());
        // Only our own resource name becomes a label value; anything else a client invents is "other".
        String resource = !info.resourceRequest() ? ""
                : RequestsResource.RESOURCE.equals(info.resource()) ? info.resource() : "other";
        String verb = info.resourceRequest() ? info.verb().toUpperCase(java.util.Locale.ROOT)
                : request.getMethod().name();
        metrics.observe(verb, resource, response.code(), (System.nanoTime() - start) / 1e9);
    }
}
