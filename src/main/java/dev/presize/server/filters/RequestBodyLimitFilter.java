package dev.presize.server.filters;

import dev.presize.api.errors.ApiException;
import dev.presize.api.responses.StatusErrors;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.filter.ServerFilterPhase;
import jakarta.inject.Inject;
import org.reactivestreams.Publisher;

/**
 * A request that declares a body larger than {@code micronaut.server.max-request-size} gets
 * {@code 413 RequestEntityTooLarge}, "Request entity too large: limit is N" in kube-apiserver's
 * words, before anything else runs. No route reads a body (the API is read-only), so Micronaut
 * discards bodies unread and its own limit would never show; this makes the limit visible and
 * refuses such requests early. A chunked body without a length is discarded as it arrives.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestBodyLimitFilter implements Ordered {

    private final long limit;
    private final StatusErrors errors;

    @Inject
    public RequestBodyLimitFilter(@Value("${micronaut.server.max-request-size:10485760}") long limit, StatusErrors errors) {
        this.limit = limit;
        this.errors = errors;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.METRICS.after();
    }

    @RequestFilter
    public Publisher<? extends HttpResponse<?>> limit(HttpRequest<?> request,
                                                      FilterContinuation<Publisher<HttpResponse<?>>> next) {
        if (request.getContentLength() > limit) {
            return Publishers.just(errors.response(new ApiException(413, "RequestEntityTooLarge",
                    "Request entity too large: limit is " + limit, null, null, null)));
        }
        return next.proceed();
    }
}
