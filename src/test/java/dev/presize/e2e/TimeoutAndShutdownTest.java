package dev.presize.e2e;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.presize.Main;
import dev.presize.server.filters.BlockingController;
import dev.presize.server.filters.ShutdownCheck;
import dev.presize.v1beta1.Requests;
import dev.presize.recommendations.SnapshotStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * --request-timeout (504, watches exempt) and graceful shutdown (readiness fails at once, watches
 * end cleanly, requests in flight are answered), on a demo server of their own with a handler the
 * test holds open. The shutdown test runs last: it stops the server.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TimeoutAndShutdownTest {

    private static final String LIST = "/apis/presize.dev/v1beta1/requests";

    static DemoServer server;
    static BlockingController blocking;

    @BeforeAll
    static void start() {
        server = DemoServer.startBetweenRefreshes(Map.of(
                "presize.test.blocking-route", "true",
                "presize.request-timeout", "10s",
                // drain for longer than the test needs: the request timeout answers first anyway
                "micronaut.lifecycle.graceful-shutdown.grace-period", "60s"));
        blocking = server.context.getBean(BlockingController.class);
    }

    @AfterAll
    static void stop() {
        blocking.arm();
        server.close();
    }

    private static HttpResponse<Stream<String>> openWatch(String query) throws Exception {
        HttpResponse<Stream<String>> r = server.http.send(HttpRequest.newBuilder(server.uri(LIST + "?watch=true&" + query))
                .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        return r;
    }

    @Test
    @Order(1)
    void aRequestPastTheTimeoutIs504() throws Exception {
        BlockingController.Gate gate = blocking.arm();
        HttpResponse<String> r = server.blockedRequest().get(120, TimeUnit.SECONDS);
        assertEquals(504, r.statusCode(), r.body());
        JsonObject s = JsonParser.parseString(r.body()).getAsJsonObject();
        assertEquals("Status", s.get("kind").getAsString());
        assertEquals("Timeout", s.get("reason").getAsString());
        assertEquals("Timeout: request did not complete within the allotted timeout", s.get("message").getAsString());
        assertTrue(gate.entered.getCount() == 0, "the handler was running");
        gate.release.countDown();
        assertEquals(200, server.get(LIST).statusCode());
    }

    @Test
    @Order(2)
    void aWatchOutlivesTheRequestTimeout() throws Exception {
        SnapshotStore store = server.context.getBean(SnapshotStore.class);
        HttpResponse<Stream<String>> watch = openWatch("resourceVersion=" + store.current().resourceVersion());
        try (Stream<String> lines = watch.body()) {
            // a request started after the watch runs into the timeout: the watch is now older than it
            blocking.arm();
            assertEquals(504, server.blockedRequest().get(120, TimeUnit.SECONDS).statusCode());
            blocking.arm();
            List<Requests> next = new ArrayList<>(store.current().list(null));
            Requests first = next.remove(0);
            store.replace(next, store.current().resourceVersion() + 60_000);
            JsonObject e = JsonParser.parseString(lines.iterator().next()).getAsJsonObject();
            assertEquals("DELETED", e.get("type").getAsString());
            assertEquals(first.name(), e.getAsJsonObject("object").getAsJsonObject("metadata").get("name").getAsString());
        }
    }

    /**
     * Over HTTP/1.1: JDK 17's HttpClient fails every open HTTP/2 stream when a GOAWAY arrives
     * (JDK-8335181), whereas Go clients (kubectl, the aggregator) finish them, so the HTTP/2 client
     * would test the JDK rather than the server.
     */
    @Test
    @Order(100)
    void shutdownFailsReadinessAtOnceEndsWatchesAndAnswersRequestsInFlight() throws Exception {
        HttpClient http11 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(DemoServer.trusting(server.dir.resolve("certs").resolve("ca.crt"))).build();
        BlockingController.Gate gate = blocking.arm();
        CompletableFuture<HttpResponse<String>> inFlight = http11.sendAsync(HttpRequest.newBuilder(server.uri("/test/block"))
                .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(gate.entered.await(60, TimeUnit.SECONDS));
        java.net.URI livez = server.uri("/livez");
        HttpResponse<Stream<String>> watch = http11.send(HttpRequest.newBuilder(server.uri(LIST + "?watch=true&timeoutSeconds=3600"))
                .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, watch.statusCode());
        Iterator<String> events = watch.body().iterator();
        int objects = server.context.getBean(SnapshotStore.class).current().size();
        for (int i = 0; i < objects; i++) {
            assertTrue(events.next().startsWith("{\"type\":\"ADDED\""));
        }

        // SIGTERM, first step (Main.stop): readiness fails at once; everything else still works
        server.context.getBean(ShutdownCheck.class).begin();
        HttpResponse<String> ready = server.get("/readyz?verbose");
        assertEquals(500, ready.statusCode());
        assertTrue(ready.body().contains("[-]shutdown failed: process is shutting down"), ready.body());
        assertEquals(200, server.get("/livez").statusCode(), "liveness is not affected");
        assertEquals(200, server.get(LIST).statusCode(), "still serving during the shutdown delay");

        // then the rest of Main.stop: graceful shutdown
        assumeFalse(inFlight.isDone(), "the held request must still be in flight when shutdown starts");
        Thread stopping = new Thread(() -> Main.stop(server.context), "test-shutdown");
        stopping.start();
        List<String> rest = new ArrayList<>();
        events.forEachRemaining(rest::add);   // returns when the stream ends: cleanly, or it throws
        assertEquals(List.of(), rest, "the watch ends without further events");

        gate.release.countDown();
        HttpResponse<String> answered = inFlight.get(120, TimeUnit.SECONDS);
        assertTrue(answered.statusCode() == 200 || answered.statusCode() == 504,
                "the request in flight is answered, not cut off: " + answered.statusCode());
        stopping.join(TimeUnit.MINUTES.toMillis(2));
        assertFalse(stopping.isAlive(), "shutdown finishes once nothing is in flight");
        assertFalse(server.context.isRunning());
        assertThrows(IOException.class, () -> http11.send(HttpRequest.newBuilder(livez)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
    }
}
