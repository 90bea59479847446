package dev.presize.server.filters;

import dev.presize.api.responses.WireJson;
import dev.presize.api.responses.StatusErrors;
import dev.presize.security.authentication.UserInfo;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.simple.SimpleHttpRequest;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The in-flight limit on its own: handlers are publishers the test completes by hand. */
class MaxInFlightFilterTest {

    private final MaxInFlightFilter filter = new MaxInFlightFilter(2, new StatusErrors(new WireJson()));

    /** A handler whose response the test releases. */
    static final class Handler implements Publisher<HttpResponse<?>> {
        final AtomicReference<Subscriber<? super HttpResponse<?>>> subscriber = new AtomicReference<>();
        volatile boolean cancelled;

        @Override
        public void subscribe(Subscriber<? super HttpResponse<?>> s) {
            subscriber.set(s);
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                    cancelled = true;
                }
            });
        }

        void answer() {
            subscriber.get().onNext(HttpResponse.ok());
            subscriber.get().onComplete();
        }
    }

    private static FilterContinuation<Publisher<HttpResponse<?>>> continuation(Handler handler) {
        return new FilterContinuation<>() {
            @Override
            public FilterContinuation<Publisher<HttpResponse<?>>> request(HttpRequest<?> request) {
                return this;
            }

            @Override
            public Publisher<HttpResponse<?>> proceed() {
                return handler;
            }
        };
    }

    /** Subscribes as the server would; returns the responses that arrive. */
    private static List<HttpResponse<?>> subscribe(Publisher<? extends HttpResponse<?>> p) {
        List<HttpResponse<?>> out = new ArrayList<>();
        p.subscribe(new Subscriber<HttpResponse<?>>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(1);
            }

            @Override
            public void onNext(HttpResponse<?> r) {
                out.add(r);
            }

            @Override
            public void onError(Throwable t) {
                throw new AssertionError(t);
            }

            @Override
            public void onComplete() {
            }
        });
        return out;
    }

    private static HttpRequest<?> get(String uri) {
        return new SimpleHttpRequest<>(HttpMethod.GET, uri, null);
    }

    @Test
    void theRequestOverTheLimitIs429UntilASlotIsFree() {
        Handler first = new Handler();
        Handler second = new Handler();
        subscribe(filter.limit(get("/apis/presize.dev/v1beta1/requests"), continuation(first)));
        subscribe(filter.limit(get("/apis/presize.dev/v1beta1/namespaces/a/requests/x"), continuation(second)));

        List<HttpResponse<?>> refused = subscribe(filter.limit(get("/apis"), continuation(new Handler())));
        assertEquals(429, refused.get(0).code());
        assertEquals("1", refused.get(0).getHeaders().get("Retry-After"));

        first.answer();
        Handler third = new Handler();
        Publisher<? extends HttpResponse<?>> admitted = filter.limit(get("/apis"), continuation(third));
        subscribe(admitted);
        assertNotNull(third.subscriber.get(), "the freed slot admits the next request");
        third.answer();
    }

    @Test
    void aCancelledRequestGivesItsSlotBack() {
        for (int i = 0; i < 5; i++) {
            Handler h = new Handler();
            AtomicReference<Subscription> s = new AtomicReference<>();
            filter.limit(get("/apis"), continuation(h)).subscribe(new Subscriber<HttpResponse<?>>() {
                @Override
                public void onSubscribe(Subscription sub) {
                    s.set(sub);
                }

                @Override
                public void onNext(HttpResponse<?> r) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onComplete() {
                }
            });
            s.get().cancel();
            s.get().cancel();
            assertEquals(true, h.cancelled);
        }
        Handler last = new Handler();
        subscribe(filter.limit(get("/apis"), continuation(last)));
        assertNotNull(last.subscriber.get(), "no slot leaked");
    }

    @Test
    void watchesProbesAndSystemMastersAreNotRefused() {
        subscribe(filter.limit(get("/apis"), continuation(new Handler())));
        subscribe(filter.limit(get("/apis"), continuation(new Handler())));
        SimpleHttpRequest<Object> watch = new SimpleHttpRequest<>(HttpMethod.GET, "/apis/presize.dev/v1beta1/requests", null);
        watch.getParameters().add("watch", "true");
        for (HttpRequest<?> r : List.of(watch, get("/apis/presize.dev/v1beta1/watch/namespaces/a/requests"), get("/livez"),
                get("/readyz/ping"), get("/healthz"))) {
            Handler h = new Handler();
            String uri = r.getPath();
            subscribe(filter.limit(r, continuation(h)));
            assertNotNull(h.subscriber.get(), uri + " is let through while full");
        }
        Handler admin = new Handler();
        SimpleHttpRequest<Object> asAdmin = new SimpleHttpRequest<>(HttpMethod.GET, "/apis", null);
        asAdmin.setAttribute(UserInfo.ATTRIBUTE, new UserInfo("root", List.of("system:masters", "system:authenticated")));
        subscribe(filter.limit(asAdmin, continuation(admin)));
        assertNotNull(admin.subscriber.get(), "system:masters always gets an answer, as in kube");

        Handler bob = new Handler();
        SimpleHttpRequest<Object> asBob = new SimpleHttpRequest<>(HttpMethod.GET, "/apis", null);
        asBob.setAttribute(UserInfo.ATTRIBUTE, new UserInfo("bob", List.of("system:authenticated")));
        assertEquals(429, subscribe(filter.limit(asBob, continuation(bob))).get(0).code());
        assertNull(bob.subscriber.get());
    }

    @Test
    void zeroMeansNoLimit() {
        MaxInFlightFilter unlimited = new MaxInFlightFilter(0, new StatusErrors(new WireJson()));
        for (int i = 0; i < 1000; i++) {
            Handler h = new Handler();
            subscribe(unlimited.limit(get("/apis"), continuation(h)));
            assertNotNull(h.subscriber.get());
        }
    }
}
