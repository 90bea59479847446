package dev.presize.server.filters;

import dev.presize.api.errors.ApiException;
import dev.presize.api.responses.StatusErrors;
import dev.presize.security.authentication.UserInfo;
import dev.presize.config.ProtectionSettings;
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

import java.util.concurrent.Semaphore;

/**
 * {@code --max-requests-inflight}: at most that many requests are served at once; one more gets
 * {@code 429 TooManyRequests} with {@code Retry-After: 1}, as k8s.io/apiserver's
 * {@code WithMaxInFlightLimit} (pkg/server/filters/maxinflight.go) answers, but as a Status
 * (api.md) where kube writes plain text. Like kube, it runs after authentication (so a refused
 * request costs no more than that), lets members of {@code system:masters} through even when
 * full, and does not count long-running requests (watches); it also leaves the health probes
 * alone ({@link LongRunningRequests}). All verbs share one limit: the API is read-only, so the
 * separate mutating limit kube has would only ever see 405s. 0 means no limit.
 *
 * <p>A slot is held until the response is ready or the client goes away; a request answered 504
 * by the request timeout frees its slot then, whereas kube keeps it until the handler returns.
 * Handlers here never wait on I/O (every read is served from memory), so the difference is moot.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class MaxInFlightFilter implements Ordered {

    static final String MESSAGE = "Too many requests, please try again later.";
    private static final String PRIVILEGED_GROUP = "system:masters";

    private final Semaphore slots;
    private final StatusErrors errors;

    @Inject
    public MaxInFlightFilter(ProtectionSettings settings, StatusErrors errors) {
        this(settings.maxRequestsInflight(), errors);
    }

    /** @param maxRequestsInFlight 0 for no limit, never negative (as {@code --max-requests-inflight} is checked) */
    public MaxInFlightFilter(int maxRequestsInFlight, StatusErrors errors) {
        this.slots = maxRequestsInFlight == 0 ? null : new Semaphore(maxRequestsInFlight);
        this.errors = errors;
    }

    /** After authentication (the user is known), before authorization would matter: kube's order. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    public Publisher<? extends HttpResponse<?>> limit(HttpRequest<?> request,
                                                      FilterContinuation<Publisher<HttpResponse<?>>> next) {
        if (slots == null || LongRunningRequests.isLongRunning(request) || LongRunningRequests.isProbe(request)) {
            return next.proceed();
        }
        if (!slots.tryAcquire()) {
            if (privileged(request)) {
                return next.proceed();
            }
            return Publishers.just(errors.response(new ApiException(429, "TooManyRequests", MESSAGE, null, null, 1)));
        }
        return new OnTerminate<>(next.proceed(), slots::release);
    }

    private static boolean privileged(HttpRequest<?> request) {
        return request.getAttribute(UserInfo.ATTRIBUTE, UserInfo.class)
                .map(u -> u.groups().contains(PRIVILEGED_GROUP))
                .orElse(false);
    }
}
