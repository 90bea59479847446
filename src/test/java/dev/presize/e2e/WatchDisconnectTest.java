package dev.presize.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A watch whose client goes away is unregistered within seconds, not at its timeout (issue 13
 * item 2): the killed kubectl, a closed HTTP/1.1 connection, a cancelled HTTP/2 watch. Each
 * failed before the watch ended with its connection. Read from the {@code presize_apiserver_watches} gauge in /metrics,
 * as an operator would see a leak.
 */
class WatchDisconnectTest {

    private static final String WATCH_ALL = "/apis/presize.dev/v1beta1/requests?watch=true";
    private static final Pattern GAUGE = Pattern.compile("(?m)^presize_apiserver_watches (\\d+)(?:\\.0)?$");
    private static DemoServer server;

    @BeforeAll
    static void start() {
        server = DemoServer.start(Map.of("micronaut.lifecycle.graceful-shutdown.grace-period", "5s"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aKilledKubectlWatchIsUnregistered() throws Exception {
        awaitWatches(n -> n == 0);
        try (Kubectl.Streaming kubectl = server.kubectl().start("get", "requests", "-A", "-w")) {
            kubectl.awaitLine("NAMESPACE");
            awaitWatches(n -> n == 1);
        }   // destroyForcibly: SIGKILL, the TCP connection is closed by the kernel
        awaitWatches(n -> n == 0);
    }

    @Test
    void aClosedHttp11ConnectionEndsItsWatch() throws Exception {
        awaitWatches(n -> n == 0);
        SSLSocket socket = (SSLSocket) DemoServer.trusting(server.dir.resolve("certs").resolve("ca.crt"))
                .getSocketFactory().createSocket("127.0.0.1", server.server.getPort());
        var params = socket.getSSLParameters();
        params.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(params);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + WATCH_ALL + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 200", head);
        awaitWatches(n -> n == 1);
        socket.close();
        awaitWatches(n -> n == 0);
    }

    @Test
    void aCancelledHttp2WatchIsUnregisteredAndTheClientCarriesOn() throws Exception {
        awaitWatches(n -> n == 0);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(DemoServer.trusting(server.dir.resolve("certs").resolve("ca.crt"))).build();
        HttpResponse<InputStream> watch = client.send(HttpRequest.newBuilder(server.uri(WATCH_ALL)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(HttpClient.Version.HTTP_2, watch.version());
        awaitWatches(n -> n == 1);
        watch.body().close();   // cancels the body (the JDK resets the stream)
        awaitWatches(n -> n == 0);
        // The client carries on (on this connection or, if the JDK closed it, a new one).
        HttpResponse<String> list = client.send(HttpRequest.newBuilder(server.uri("/apis/presize.dev/v1beta1/requests"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, list.statusCode());
    }

    /** Polls /metrics until the gauge satisfies {@code wanted}; a generous deadline, not a timing claim. */
    private static void awaitWatches(IntPredicate wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            Matcher m = GAUGE.matcher(server.get("/metrics").body());
            assertTrue(m.find(), "presize_apiserver_watches in /metrics");
            last = Integer.parseInt(m.group(1));
            if (wanted.test(last)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("presize_apiserver_watches stayed at " + last);
    }
}
