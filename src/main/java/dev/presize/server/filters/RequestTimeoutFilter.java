package dev.presize.server.filters;

import dev.presize.api.errors.ApiException;
import dev.presize.api.responses.StatusErrors;
import dev.presize.config.ProtectionSettings;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.filter.ServerFilterPhase;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code --request-timeout}: a request not answered in time gets {@code 504 Timeout},
 * "Timeout: request did not complete within the allotted timeout", as k8s.io/apiserver's
 * {@code WithTimeoutForNonLongRunningRequests} (pkg/server/filters/timeout.go) answers; the late
 * answer, if any, is dropped. Watches are exempt, as there: their own timeout is
 * {@code timeoutSeconds} or {@code --min-request-timeout}. Runs outside authentication, as kube's
 * does, so a stuck review is also cut off (their own timeouts are shorter by default).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RequestTimeoutFilter implements Ordered {

    static final String MESSAGE = "Timeout: request did not complete within the allotted timeout";

    private final Duration timeout;
    private final StatusErrors errors;
    /**
     * One timer per request, nearly always cancelled: a hashed wheel makes both O(1), where a
     * scheduled executor would keep every cancelled task queued until its delay passes.
     */
    private final HashedWheelTimer timer;

    @Inject
    public RequestTimeoutFilter(ProtectionSettings settings, StatusErrors errors) {
        this(settings.requestTimeout(), errors);
    }

    /** @param timeout positive, as {@code --request-timeout} is checked to be */
    public RequestTimeoutFilter(Duration timeout, StatusErrors errors) {
        this.timeout = timeout;
        this.errors = errors;
        this.timer = new HashedWheelTimer(r -> {
            Thread t = new Thread(r, "presize-request-timeout");
            t.setDaemon(true);
            return t;
        }, 100, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void close() {
        timer.stop();
    }

    /** Inside the metrics filter (504s are counted), outside authentication. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.METRICS.after();
    }

    @RequestFilter
    public Publisher<? extends HttpResponse<?>> timeout(HttpRequest<?> request,
                                                        FilterContinuation<Publisher<HttpResponse<?>>> next) {
        if (LongRunningRequests.isLongRunning(request)) {
            return next.proceed();
        }
        return Publishers.fromCompletableFuture(() -> firstOf(next.proceed()));
    }

    /** The handler's response, or the 504 if the timer fires first (which also cancels the handler's). */
    private CompletableFuture<HttpResponse<?>> firstOf(Publisher<HttpResponse<?>> handler) {
        CompletableFuture<HttpResponse<?>> result = new CompletableFuture<>();
        AtomicReference<Subscription> subscription = new AtomicReference<>();
        Timeout deadline = timer.newTimeout(t -> {
            if (result.complete(errors.response(new ApiException(504, "Timeout", MESSAGE, null, null, null)))) {
                Subscription s = subscription.get();
                if (s != null) {
                    s.cancel();
                }
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> deadline.cancel());
        handler.subscribe(new Subscriber<HttpResponse<?>>() {
            @Override
            public void onSubscribe(Subscription s) {
                subscription.set(s);
                if (result.isDone()) {
                    s.cancel();
                } else {
                    s.request(1);
                }
            }

            @Override
            public void onNext(HttpResponse<?> response) {
                result.complete(response);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                // a handler publisher that completes without a response leaves Micronaut's default
                result.complete(null);
            }
        });
        return result;
    }
}
