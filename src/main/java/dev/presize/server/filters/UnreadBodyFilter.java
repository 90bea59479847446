package dev.presize.server.filters;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.concurrent.CompletableFuture;

/**
 * Reads and drops the body of every request before it is handled. No Presize route takes a body
 * (the API is read-only), and kube-apiserver ignores the body of a GET, so the content never
 * matters; but over HTTP/2 a body left unread is never acknowledged: Micronaut (4.10) answers the
 * request and leaves the stream half-open without returning the body's bytes to the connection's
 * flow-control window. Once a client has sent a body larger than the window (64 KiB by default),
 * for a GET or for a write we refuse, every later request on that connection hangs, and the
 * aggregator multiplexes many users over one connection. Reading the body returns the window
 * credit as usual and lets the stream end normally. Its size is bounded by the server's request
 * size limit, past which the read fails and the request is answered 413.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class UnreadBodyFilter implements Ordered {

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    @RequestFilter
    public CompletableFuture<HttpRequest<?>> drain(HttpRequest<?> request) {
        if (!(request instanceof ServerHttpRequest<?> server) || server.byteBody().expectedLength().orElse(-1) == 0) {
            return CompletableFuture.completedFuture(request);
        }
        CompletableFuture<HttpRequest<?>> drained = new CompletableFuture<>();
        server.byteBody().toByteArrayPublisher().subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(byte[] bytes) {
                // dropped
            }

            @Override
            public void onError(Throwable t) {
                drained.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                drained.complete(request);
            }
        });
        return drained;
    }
}
