package dev.presize.e2e;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.presize.history.ContainerSeries;
import dev.presize.history.TraceReader;
import dev.presize.history.prometheus.MetricsEngine;
import dev.presize.history.prometheus.OpenMetricsWriter;
import dev.presize.model.RequestStrategy;
import dev.presize.format.Rfc3339;
import dev.presize.model.learned.LearnedStrategy;
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
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole pipeline, end to end, outside demo mode: a slice of a real trace written as cAdvisor and
 * kube-state-metrics series into a real time-series engine with the Prometheus HTTP API (a subclass
 * per engine: {@link PrometheusEndToEndTest}, {@link VictoriaMetricsEndToEndTest}), WireMock as kube-apiserver
 * (the workloads' owner chains for the informers, plus the ConfigMap, TokenReview and
 * SubjectAccessReview that delegated authentication needs), and the real server with
 * {@code --prometheus-url}, read over HTTPS with a bearer token and with the real kubectl.
 *
 * <p>The served objects must equal, field for field, what a second instance of the model (the served
 * strategy's settings, trained afresh, as another replica would) recommends from the same
 * samples (read from the same engine) for the workloads and pod ownership this test declares itself
 * ({@link TraceCluster}).
 *
 * <p>The server runs on a clock set to the end of the trace (2013-08-15), so its refresh grid falls
 * on the data. Refreshes after the one at startup are triggered by moving that clock and calling the
 * refresher, never by waiting for a timer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class EngineEndToEndTest {

    private static final String TOKEN = "e2e-reader-token";
    private static final String USER = "e2e-reader";
    static final String ALL = "/apis/presize.dev/v1beta1/requests";
    private static final Duration REFRESH_INTERVAL = Duration.ofMinutes(15);
    private static final List<String> OBJECTS = List.of("data/backup", "data/kafka", "monitoring/node-agent", "shop/debug-shell",
            "shop/legacy-api", "shop/web", "shop/web.statefulset");

    private final TraceCluster cluster = new TraceCluster();
    private final MutableClock clock = new MutableClock(TraceCluster.END);
    private Path dir;
    private MetricsEngine engine;
    private FakeKubeApiServer kube;
    private ApplicationContext context;
    private EmbeddedServer server;
    private X509Certificate servingCa;
    private HttpClient http;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        engine = startEngine(openMetrics(), Files.createDirectories(dir.resolve("engine")));

        kube = cluster.kubeApiServer("e2e", TOKEN, USER);

        Map<String, Object> flags = TraceCluster.serverFlags(dir, kube, engine.url().toString());
        flags.put("presize.refresh-interval", "15m");
        // The clock registered here replaces the wall clock (ClockFactory's is @Secondary).
        context = ApplicationContext.builder().properties(flags).singletons(clock).start();
        server = context.getBean(EmbeddedServer.class);
        if (!server.isRunning()) {
            server.start();
        }
        try (InputStream in = Files.newInputStream(dir.resolve("certs/ca.crt"))) {
            servingCa = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        http = HttpClient.newBuilder().sslContext(TestCertificates.clientContext(null, servingCa))
                .connectTimeout(Duration.ofSeconds(10)).build();
        Refresher refresher = context.getBean(Refresher.class);
        if (refresher.lastRefresh().isEmpty()) {
            // The refresh at startup waits at most 5 s for the informers' first lists, which a loaded
            // machine can miss (DemoWiringTest covers startup itself); then refresh the same instant again.
            assertTrue(refresher.refreshNow(), "refresh for " + TraceCluster.END);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (context != null) {
            context.close();
        }
        if (kube != null) {
            kube.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    /** Starts the engine under test, on 127.0.0.1, holding {@code data}; {@link #stop()} closes it. */
    abstract MetricsEngine startEngine(OpenMetricsWriter data, Path dir) throws IOException, InterruptedException;

    /** The trace slice's VMs as the pods and containers of {@link TraceCluster}, plus an OOM kill of kafka-0. */
    final OpenMetricsWriter openMetrics() throws IOException {
        Map<String, ContainerSeries> vms = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/traces/bitbrains-rnd-e2e.csv.gz")) {
            for (ContainerSeries s : new TraceReader().read(in, "bitbrains-rnd-e2e.csv.gz")) {
                vms.put(s.workload(), s);
            }
        }
        OpenMetricsWriter writer = new OpenMetricsWriter();
        for (TraceCluster.Placement p : cluster.placements()) {
            ContainerSeries vm = vms.get(p.vm());
            assertNotNull(vm, p.vm() + " is not in the slice");
            writer.add(TraceCluster.placed(vm, p), p.pod());
        }
        long kill = TraceCluster.END.minus(Duration.ofHours(50)).getEpochSecond();
        writer.oomKilled("data", "kafka-0", "kafka", TraceCluster.START.getEpochSecond(), TraceCluster.END.getEpochSecond(),
                new long[] {kill + 600, kill + 2400});
        return writer;
    }

    // ---- the served objects are the model's ----------------------------------------------------

    @Test
    @Order(1)
    void theServedObjectsAreExactlyWhatTheModelRecommendsFromTheSameSamples() throws Exception {
        Refresher refresher = context.getBean(Refresher.class);
        assertEquals(Optional.of(TraceCluster.END), refresher.lastRefresh(), "the refresh on the trace's last instant");

        JsonArray served = list(ALL);
        Map<String, JsonObject> expected = expected(TraceCluster.END, TraceCluster.END);
        assertEquals(OBJECTS, names(served));
        assertObjectsEqual(expected, served);

        // The learned model is what serves them all, web too, whose envoy sidecar has 60 h of
        // history: less than a calibration origin needs, but the cluster has been calibrated, so
        // the model sizes it from its short past (no fallback, no "+vpa-krr" in the name).
        RequestStrategy strategy = context.getBean(RequestStrategy.class);
        String learned = strategy.name();
        assertEquals("presize-tribuo-sgd", learned);
        // 14 days of history: CPU is sized by the calibrated prices, not the cold start's level
        // (which the 13 days the calibration needs would leave in force; ColdStart).
        assertFalse(strategy.coldStart(), "the CPU prices serve, not the cold start");
        Map<String, String> models = new LinkedHashMap<>();
        for (JsonElement item : served) {
            models.put(name(item.getAsJsonObject()), item.getAsJsonObject().getAsJsonObject("model").get("name").getAsString());
        }
        assertEquals(learned, models.get("shop/web"), models.toString());
        assertTrue(models.values().stream().allMatch(learned::equals), models.toString());
    }

    @Test
    @Order(1)
    void aContainerWhoseMemoryMetricIsAbsentGetsCpuAndTheIncompleteCondition() {
        JsonObject agent = null;
        for (JsonElement item : list(ALL)) {
            if (name(item.getAsJsonObject()).equals("monitoring/node-agent")) {
                agent = item.getAsJsonObject();
            } else {
                assertFalse(item.getAsJsonObject().has("conditions"), item.toString());
            }
        }
        assertNotNull(agent);
        JsonArray containers = agent.getAsJsonArray("containers");
        assertEquals(2, containers.size(), agent.toString());
        JsonObject exporter = containers.get(1).getAsJsonObject();
        assertEquals("exporter", exporter.get("name").getAsString());
        for (String field : List.of("requests", "lowerBound", "upperBound")) {
            JsonObject amounts = exporter.getAsJsonObject(field);
            assertTrue(amounts.has("cpu") && !amounts.has("memory"), field + ": " + exporter);
        }
        assertEquals("256Mi", exporter.getAsJsonObject("current").get("memory").getAsString(), "the live spec's");
        // The model's own CPU answer (it has two weeks of CPU), not a fallback.
        assertEquals("presize-tribuo-sgd", agent.getAsJsonObject("model").get("name").getAsString());
        JsonObject total = agent.getAsJsonObject("resources");
        assertTrue(total.has("cpu") && !total.has("memory"), total.toString());
        JsonArray conditions = agent.getAsJsonArray("conditions");
        assertEquals(1, conditions.size(), conditions.toString());
        JsonObject c = conditions.get(0).getAsJsonObject();
        assertEquals("Incomplete", c.get("type").getAsString());
        assertEquals("True", c.get("status").getAsString());
        assertEquals("NoMemoryHistory", c.get("reason").getAsString());
        assertEquals("no memory usage data in the last 336h0m0s for container exporter, so memory is not recommended"
                + " for it and the pod total has no memory", c.get("message").getAsString());
        assertEquals(Rfc3339.format(TraceCluster.END), c.get("lastTransitionTime").getAsString());
    }

    @Test
    @Order(2)
    void kubectlReadsTheSameObjects() throws Exception {
        Kubectl kubectl = new Kubectl(kubeconfig());
        Kubectl.Result json = kubectl.run("get", "requests", "-A", "-o", "json");
        assertEquals(0, json.exitCode(), json.all());
        JsonArray items = JsonParser.parseString(json.stdout()).getAsJsonObject().getAsJsonArray("items");
        assertObjectsEqual(expected(TraceCluster.END, TraceCluster.END), items);

        Kubectl.Result table = kubectl.run("get", "requests", "-n", "shop");
        assertEquals(0, table.exitCode(), table.all());
        List<String> rows = table.stdout().lines().skip(1).map(l -> String.join(" ", l.trim().split("\\s+"))).toList();
        List<String> expectedRows = new ArrayList<>();
        for (JsonElement e : items) {
            JsonObject o = e.getAsJsonObject();
            if (o.getAsJsonObject("metadata").get("namespace").getAsString().equals("shop")) {
                JsonObject total = o.getAsJsonObject("resources");
                // NAME KIND CPU MEMORY CONTAINERS (AGE follows)
                expectedRows.add(String.join(" ", o.getAsJsonObject("metadata").get("name").getAsString(),
                        o.getAsJsonObject("target").get("kind").getAsString(), total.get("cpu").getAsString(),
                        total.get("memory").getAsString(), Integer.toString(o.getAsJsonArray("containers").size())));
            }
        }
        assertEquals(4, expectedRows.size());
        for (int i = 0; i < expectedRows.size(); i++) {
            assertTrue(rows.get(i).startsWith(expectedRows.get(i) + " "), rows.get(i) + " vs " + expectedRows.get(i));
        }
    }

    // ---- the engine goes away mid-run -----------------------------------------------------------

    @Test
    @Order(3)
    void whileTheEngineIsDownTheLastObjectsAreServedMarkedStaleAndNothingAnswers5xx() throws Exception {
        Refresher refresher = context.getBean(Refresher.class);
        Map<String, JsonObject> good = expected(TraceCluster.END, TraceCluster.END);

        engine.stop();
        clock.advance(REFRESH_INTERVAL);
        Instant failedAt = TraceCluster.END.plus(REFRESH_INTERVAL);
        assertFalse(refresher.refreshNow(), "the refresh after the engine stopped");

        JsonArray stale = list(ALL);
        assertEquals(OBJECTS, names(stale));
        String rv = Long.toString(failedAt.toEpochMilli());
        for (JsonElement e : stale) {
            JsonObject o = e.getAsJsonObject();
            JsonArray conditions = o.getAsJsonArray("conditions");
            assertNotNull(conditions, name(o) + " has no conditions");
            // Stale joins the object's own conditions (node-agent's Incomplete), last.
            JsonArray own = good.get(name(o)).has("conditions") ? good.get(name(o)).getAsJsonArray("conditions")
                    : new JsonArray();
            assertEquals(own.size() + 1, conditions.size(), conditions.toString());
            JsonObject c = conditions.get(own.size()).getAsJsonObject();
            assertEquals("Stale", c.get("type").getAsString());
            assertEquals("True", c.get("status").getAsString());
            assertEquals("RefreshFailed", c.get("reason").getAsString());
            assertEquals(Rfc3339.format(failedAt), c.get("lastTransitionTime").getAsString());
            String message = c.get("message").getAsString();
            assertTrue(message.startsWith("recommendations could not be refreshed at " + Rfc3339.format(failedAt) + ": "), message);
            assertTrue(message.contains(engine.url().toString()), "names the --prometheus-url it could not reach: " + message);
            // Apart from the condition (and so the resourceVersion), the last good object.
            assertEquals(rv, o.getAsJsonObject("metadata").get("resourceVersion").getAsString());
            JsonObject withoutCondition = o.deepCopy();
            withoutCondition.remove("conditions");
            if (!own.isEmpty()) {
                withoutCondition.add("conditions", own);
            }
            withoutCondition.getAsJsonObject("metadata").addProperty("resourceVersion", Long.toString(TraceCluster.END.toEpochMilli()));
            assertEquals(good.get(name(o)), withoutCondition, name(o));
        }

        // Discovery, health, every read and representation: answered, never a 5xx.
        List<String> paths = new ArrayList<>(List.of("/apis", "/apis/presize.dev", "/apis/presize.dev/v1beta1", "/openapi/v2",
                "/livez", "/readyz", "/healthz", ALL, ALL + "?limit=2", "/apis/presize.dev/v1beta1/namespaces/shop/requests"));
        for (String object : OBJECTS) {
            String[] nsName = object.split("/");
            paths.add("/apis/presize.dev/v1beta1/namespaces/" + nsName[0] + "/requests/" + nsName[1]);
        }
        for (String path : paths) {
            HttpResponse<String> r = get(path);
            assertEquals(200, r.statusCode(), path + ": " + r.body());
        }
        HttpResponse<String> table = get(ALL, "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        assertEquals(200, table.statusCode(), table.body());
        HttpResponse<String> aggregated = get("/apis", "Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        assertEquals(200, aggregated.statusCode(), aggregated.body());
        Kubectl.Result kubectl = new Kubectl(kubeconfig()).run("get", "requests", "-A");
        assertEquals(0, kubectl.exitCode(), kubectl.all());
        assertTrue(kubectl.stdout().contains("web.statefulset"), kubectl.all());

        // The engine is back (same data): the next refresh clears Stale and serves the model's objects again.
        engine.restart();
        clock.advance(REFRESH_INTERVAL);
        Instant recoveredAt = failedAt.plus(REFRESH_INTERVAL);
        assertTrue(refresher.refreshNow(), "the refresh after the engine came back");
        JsonArray fresh = list(ALL);
        // Still the history up to 00:00 (the refresh reads whole hours), so the same recommendations;
        // they changed from the stale objects, hence the new resourceVersion.
        assertObjectsEqual(expected(recoveredAt, TraceCluster.END), fresh);
        for (JsonElement e : fresh) {
            JsonArray conditions = e.getAsJsonObject().getAsJsonArray("conditions");
            if (conditions != null) {
                conditions.forEach(c -> assertEquals("Incomplete", c.getAsJsonObject().get("type").getAsString(),
                        e.toString()));
            }
        }
    }

    // ---- what the model says --------------------------------------------------------------------

    /**
     * The objects a second replica would serve for the refresh at {@code refreshAt}: the same
     * engine's samples up to {@code historyEnd}, attributed to workloads by this test's own
     * placement table and pooled per container, then recommended by a fresh model with the served
     * strategy's settings and built into objects; keyed by "namespace/name", with the
     * resourceVersion the server gives content that changed at {@code refreshAt}.
     */
    final Map<String, JsonObject> expected(Instant refreshAt, Instant historyEnd) throws IOException {
        return expected(engine.url(), refreshAt, historyEnd);
    }

    /** The same, from the samples of the engine at {@code samples}. */
    final Map<String, JsonObject> expected(java.net.URI samples, Instant refreshAt, Instant historyEnd) throws IOException {
        LearnedStrategy served = (LearnedStrategy) context.getBean(RequestStrategy.class);
        return ModelReplica.expected(new LearnedStrategy(served.settings()), cluster.expectedWorkloads(),
                cluster::ownerOf, samples, refreshAt, historyEnd, TraceCluster.HISTORY);
    }

    private static void assertObjectsEqual(Map<String, JsonObject> expected, JsonArray served) {
        assertEquals(new ArrayList<>(expected.keySet()), names(served));
        List<String> mismatches = new ArrayList<>();
        for (JsonElement e : served) {
            JsonObject o = e.getAsJsonObject();
            if (!expected.get(name(o)).equals(o)) {
                mismatches.add(name(o) + ":\n  expected " + expected.get(name(o)) + "\n  served   " + o);
            }
        }
        if (!mismatches.isEmpty()) {
            fail(String.join("\n", mismatches));
        }
    }

    // ---- plumbing -------------------------------------------------------------------------------

    final JsonArray list(String path) {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject list = JsonParser.parseString(r.body()).getAsJsonObject();
        assertEquals("RequestsList", list.get("kind").getAsString());
        return list.getAsJsonArray("items");
    }

    static List<String> names(JsonArray items) {
        List<String> out = new ArrayList<>();
        items.forEach(e -> out.add(name(e.getAsJsonObject())));
        return out;
    }

    static String name(JsonObject o) {
        JsonObject meta = o.getAsJsonObject("metadata");
        return meta.get("namespace").getAsString() + "/" + meta.get("name").getAsString();
    }

    private HttpResponse<String> get(String path, String... headers) {
        return TraceCluster.get(http, server, TOKEN, path, headers);
    }

    private Path kubeconfig() throws IOException {
        Path file = dir.resolve("reader.kubeconfig");
        String ca = Base64.getEncoder().encodeToString(TestCertificates.pem(servingCa).getBytes(StandardCharsets.US_ASCII));
        Files.writeString(file, "apiVersion: v1\nkind: Config\nclusters:\n- name: presize\n  cluster:\n    server: https://127.0.0.1:"
                + server.getPort() + "\n    certificate-authority-data: " + ca + "\n"
                + "users:\n- name: reader\n  user:\n    token: " + TOKEN + "\n"
                + "contexts:\n- name: presize\n  context:\n    cluster: presize\n    user: reader\ncurrent-context: presize\n");
        return file;
    }
}
