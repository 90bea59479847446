package dev.presize.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --max-watches}: a watch over the limit is refused with 429 TooManyRequests and
 * Retry-After, as kube-apiserver refuses a long-running request over its limit; once a watch ends,
 * the next is accepted. Other requests are not affected by the watch limit.
 */
class WatchLimitTest {

    private static final String WATCH_ALL = "/apis/presize.dev/v1beta1/requests?watch=true";
    private static DemoServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        server = DemoServer.start(Map.of("presize.max-watches", "2",
                "micronaut.lifecycle.graceful-shutdown.grace-period", "5s"));
        client = HttpClient.newBuilder().sslContext(DemoServer.trusting(server.dir.resolve("certs").resolve("ca.crt")))
                .build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aWatchOverTheLimitIs429WithRetryAfterAndTheNextFitsOnceOneEnds() throws Exception {
        List<HttpResponse<InputStream>> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<InputStream> w = watch();
            assertEquals(200, w.statusCode());
            open.add(w);
        }
        HttpResponse<InputStream> refused = watch();
        String body = new String(refused.body().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(429, refused.statusCode(), body);
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""), body);
        JsonObject status = JsonParser.parseString(body).getAsJsonObject();
        assertEquals("Status", status.get("kind").getAsString());
        assertEquals("TooManyRequests", status.get("reason").getAsString());
        assertEquals(1, status.getAsJsonObject("details").get("retryAfterSeconds").getAsInt());

        // Lists and gets are not watches: they still work at the watch limit.
        assertEquals(200, server.get("/apis/presize.dev/v1beta1/requests").statusCode());

        open.remove(0).body().close();
        long deadline = System.nanoTime() + 30_000_000_000L;
        HttpResponse<InputStream> next = watch();
        while (next.statusCode() == 429 && System.nanoTime() < deadline) {
            next.body().close();
            Thread.sleep(100);
            next = watch();
        }
        assertEquals(200, next.statusCode(), "a watch fits again once one has ended");
        open.add(next);
        for (HttpResponse<InputStream> w : open) {
            w.body().close();
        }
    }

    private static HttpResponse<InputStream> watch() throws Exception {
        return client.send(HttpRequest.newBuilder(server.uri(WATCH_ALL)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }
}
