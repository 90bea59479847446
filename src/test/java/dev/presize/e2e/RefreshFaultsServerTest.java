package dev.presize.e2e;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.presize.recommendations.Refresher;
import dev.presize.security.FakeKubeApiServer;
import dev.presize.security.MutableClock;
import dev.presize.security.TestCertificates;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server (outside demo mode, real TLS and delegated authentication against WireMock) whose
 * refreshes never succeed: Prometheus answers garbage, then hangs past {@code --prometheus-timeout}.
 * Pins what {@code /readyz} means (README "Faults"): it reports whether this server can answer,
 * not whether its recommendations are fresh, so discovery and health never depend on Prometheus
 * or Kubernetes being up; and reads never fail with a 5xx, nor wait for a refresh in progress.
 * That the last good objects are served with {@code Stale} over HTTP is PrometheusEndToEndTest's
 * part (with a real Prometheus); the refresh paths are RefreshFaultsTest's and PrometheusRefreshFaultsTest's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RefreshFaultsServerTest {

    private static final String TOKEN = "faults-reader-token";
    private static final String USER = "faults-reader";
    private static final String GROUP_VERSION = "/apis/presize.dev/v1beta1";

    private final TraceCluster cluster = new TraceCluster();
    private final MutableClock clock = new MutableClock(TraceCluster.END);
    /** What the scripted Prometheus does: "garbage" or "hang" (until {@link #release}). */
    private final AtomicReference<String> prometheusMode = new AtomicReference<>("garbage");
    private final AtomicInteger prometheusRequests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer prometheus;
    private FakeKubeApiServer kube;
    private ApplicationContext context;
    private EmbeddedServer server;
    private HttpClient http;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        prometheus = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        prometheus.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                prometheusRequests.incrementAndGet();
                if (prometheusMode.get().equals("hang")) {
                    release.await(60, TimeUnit.SECONDS);
                }
                byte[] body = "<html>Sign in</html>".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (IOException | InterruptedException e) {
                // the client gave up first: the point of the hang mode
            }
        });
        prometheus.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "scripted-prometheus");
            t.setDaemon(true);
            return t;
        }));
        prometheus.start();

        kube = cluster.kubeApiServer("faults", TOKEN, USER);

        Map<String, Object> flags = TraceCluster.serverFlags(dir, kube, "http://127.0.0.1:" + prometheus.getAddress().getPort());
        flags.put("presize.prometheus-timeout", "5s");
        context = ApplicationContext.builder().properties(flags).singletons(clock).start();
        server = context.getBean(EmbeddedServer.class);
        if (!server.isRunning()) {
            server.start();
        }
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(dir.resolve("certs/ca.crt"))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        http = HttpClient.newBuilder().sslContext(TestCertificates.clientContext(null, ca))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    void stop() {
        release.countDown();
        if (context != null) {
            context.close();
        }
        if (kube != null) {
            kube.close();
        }
        if (prometheus != null) {
            prometheus.stop(0);
        }
    }

    @Test
    @Order(1)
    void withoutAnyGoodRefreshTheServerIsReadyDiscoverableAndAnswersReadsWithoutA5xx() {
        Refresher refresher = context.getBean(Refresher.class);
        // The startup refresh may have missed the informers' first sync; this one has the workloads
        // and fails on Prometheus' garbage.
        assertFalse(refresher.refreshNow());
        assertFalse(refresher.hasSnapshot());
        String reason = refresher.staleReason().orElseThrow();
        assertTrue(reason.contains("unreadable response") && reason.contains("/api/v1/query_range"), reason);
        assertTrue(prometheusRequests.get() > 0);

        assertServing();
        // No snapshot: empty lists (the resourceVersion of no refresh), and a 404 Status for an object.
        JsonObject list = JsonParser.parseString(get(GROUP_VERSION + "/requests").body()).getAsJsonObject();
        assertEquals("RequestsList", list.get("kind").getAsString());
        assertEquals(0, list.getAsJsonArray("items").size());
        HttpResponse<String> missing = get(GROUP_VERSION + "/namespaces/shop/requests/web");
        assertEquals(404, missing.statusCode(), missing.body());
        JsonObject status = JsonParser.parseString(missing.body()).getAsJsonObject();
        assertEquals("Status", status.get("kind").getAsString());
        assertEquals("NotFound", status.get("reason").getAsString());
    }

    @Test
    @Order(2)
    void aRefreshStuckOnASlowPrometheusBlocksNoReadAndEndsAtTheTimeout() throws Exception {
        Refresher refresher = context.getBean(Refresher.class);
        prometheusMode.set("hang");
        int before = prometheusRequests.get();
        CompletableFuture<Boolean> refresh = CompletableFuture.supplyAsync(refresher::refreshNow);
        // Wait for the condition "the refresh is inside a Prometheus query", never for a time.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (prometheusRequests.get() == before && !refresh.isDone()) {
            assertTrue(System.nanoTime() < deadline, "the refresh never queried Prometheus");
            Thread.sleep(10);
        }
        // Reads, discovery and health answer while the refresh holds its lock waiting on Prometheus.
        // (The query may already have timed out on a slow machine; then this is the same check as above.)
        assertServing();

        assertFalse(refresh.get(60, TimeUnit.SECONDS), "the refresh ends by --prometheus-timeout, not by the answer");
        String reason = refresher.staleReason().orElseThrow();
        // Still the first failure of the streak: the Stale message keeps the first cause.
        assertTrue(reason.contains("unreadable response"), reason);
        release.countDown();
        assertServing();
    }

    /** Health, discovery, OpenAPI and every list form: 200, whatever the refreshes are doing. */
    private void assertServing() {
        for (String path : List.of("/readyz", "/readyz?verbose", "/livez", "/healthz", "/apis", "/apis/presize.dev",
                GROUP_VERSION, "/openapi/v2", GROUP_VERSION + "/requests", GROUP_VERSION + "/requests?limit=1",
                GROUP_VERSION + "/namespaces/shop/requests")) {
            HttpResponse<String> r = get(path);
            assertEquals(200, r.statusCode(), path + ": " + r.body());
        }
        assertEquals("ok", get("/readyz").body());
        HttpResponse<String> aggregated = get("/apis", "Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        assertEquals(200, aggregated.statusCode(), aggregated.body());
        HttpResponse<String> table = get(GROUP_VERSION + "/requests", "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        assertEquals(200, table.statusCode(), table.body());
    }

    private HttpResponse<String> get(String path, String... headers) {
        return TraceCluster.get(http, server, TOKEN, path, headers);
    }
}
