package dev.presize.server.filters;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test only: a handler that blocks until the test lets it go, so a test holds a request in flight
 * for as long as it needs (an in-flight slot, a request past its timeout, a request during
 * shutdown) without sleeping. Present only where {@code presize.test.blocking-route} is set.
 */
@Controller("/test/block")
@Requires(property = "presize.test.blocking-route", value = "true")
@Produces(MediaType.TEXT_PLAIN)
public class BlockingController {

    /** One use: the test waits on {@code entered}, then counts down {@code release}. */
    public static final class Gate {
        public final CountDownLatch entered = new CountDownLatch(1);
        public final CountDownLatch release = new CountDownLatch(1);
    }

    private volatile Gate gate = new Gate();

    /** A fresh gate for the next request; the previous one is released. */
    public Gate arm() {
        gate.release.countDown();
        gate = new Gate();
        return gate;
    }

    @Get
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<String> block() throws InterruptedException {
        Gate g = gate;
        g.entered.countDown();
        boolean released = g.release.await(5, TimeUnit.MINUTES);
        return HttpResponse.ok(released ? "released" : "gave up");
    }
}
