package dev.presize.e2e;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The real server in demo mode, started once per test JVM on a random loopback port with real
 * TLS (a generated CA), exactly as {@code java -jar presize.jar --demo} runs it. Tests talk to it
 * through real HTTPS clients and the real kubectl.
 */
final class DemoServer implements AutoCloseable {

    private static DemoServer instance;

    final ApplicationContext context;
    final EmbeddedServer server;
    final Path dir;
    final Path kubeconfig;
    final HttpClient http;

    private DemoServer(Map<String, Object> extra, Object... singletons) throws Exception {
        dir = Files.createTempDirectory("presize-e2e");
        kubeconfig = dir.resolve("demo.kubeconfig");
        Map<String, Object> properties = new java.util.HashMap<>(Map.of(
                "presize.demo", "true",
                "micronaut.server.ssl.port", "-1", // a free port: Micronaut's -1, not a valid --secure-port
                "presize.bind-address", "127.0.0.1",
                "presize.cert-dir", dir.resolve("certs").toString(),
                "presize.demo-kubeconfig", kubeconfig.toString()));
        properties.putAll(extra);
        context = ApplicationContext.builder().properties(properties).singletons(singletons).start();
        server = context.getBean(EmbeddedServer.class);
        if (!server.isRunning()) {
            server.start();
        }
        http = HttpClient.newBuilder()
                .sslContext(trusting(dir.resolve("certs").resolve("ca.crt")))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    }

    static synchronized DemoServer get() {
        if (instance == null) {
            instance = start(Map.of());
        }
        return instance;
    }

    /**
     * A server of its own, for tests that change its state (publish snapshots, shut it down) or
     * need other settings; the caller closes it.
     */
    static DemoServer start(Map<String, Object> extraProperties, Object... singletons) {
        try {
            return new DemoServer(extraProperties, singletons);
        } catch (Exception e) {
            throw new IllegalStateException("demo server did not start", e);
        }
    }

    /**
     * A server of its own (as {@link #start}) whose scheduled refresh cannot swap the snapshot while
     * a test watches for the events of one it published: its clock is set back to the refresh grid
     * instant that has just passed, and the interval is an hour, so the next refresh is an hour away.
     * With the real clock, a 15-minute grid instant falling inside the test brings the demo's own
     * MODIFIED events first (CI saw it once, at 02:30).
     */
    static DemoServer startBetweenRefreshes(Map<String, Object> extraProperties) {
        long hour = Duration.ofHours(1).toMillis();
        Map<String, Object> properties = new java.util.HashMap<>(extraProperties);
        properties.put("presize.refresh-interval", "1h");
        return start(properties, Clock.offset(Clock.systemUTC(), Duration.ofMillis(-(System.currentTimeMillis() % hour))));
    }

    /** Stops the server and removes its directory (certificates, kubeconfig, kubectl's cache). */
    @Override
    public void close() {
        if (context.isRunning()) {
            context.close();
        }
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.IOException e) {
            // A leftover temporary directory is not a test failure; say where it is.
            System.err.println("could not remove " + root + ": " + e);
        }
    }

    URI uri(String pathAndQuery) {
        return URI.create("https://127.0.0.1:" + server.getPort() + pathAndQuery);
    }

    /**
     * A request to the test-only blocking route ({@code presize.test.blocking-route}), which stays in
     * flight until the test releases the {@code BlockingController}'s gate.
     */
    CompletableFuture<HttpResponse<String>> blockedRequest() {
        return http.sendAsync(HttpRequest.newBuilder(uri("/test/block")).timeout(Duration.ofMinutes(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) {
        return send("GET", pathAndQuery, null, headers);
    }

    HttpResponse<String> send(String method, String pathAndQuery, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(method + " " + pathAndQuery + " failed: " + e, e);
        }
    }

    Kubectl kubectl() {
        return new Kubectl(kubeconfig);
    }

    static SSLContext trusting(Path caFile) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, (X509Certificate) cert);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
