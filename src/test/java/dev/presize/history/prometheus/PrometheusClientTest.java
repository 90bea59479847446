package dev.presize.history.prometheus;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP side of the client against a scripted server: what is sent, what is retried, what is reported. */
class PrometheusClientTest {

    private static final String QUERY = "sum by (pod) (rate(x{namespace=\"a&b=c\"}[5m]))";
    private static final String EMPTY_MATRIX = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}";

    @TempDir
    Path dir;
    private FakePrometheus fake;

    @BeforeEach
    void start() throws IOException {
        fake = new FakePrometheus();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private PrometheusClient client(PrometheusSettings settings) {
        return new PrometheusClient(settings, Duration.ofMillis(20));
    }

    private PrometheusClient client() {
        return client(PrometheusSettings.of(fake.url(), Duration.ofSeconds(5)));
    }

    @Test
    void sendsTheQueryAsAPostFormWithHeadersAndAFreshTokenEachTime() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "first-token\n");
        PrometheusSettings settings = PrometheusSettings.fromFlags(fake.url() + "/prefix/", token.toString(), "", false,
                List.of("X-Scope-OrgID=tenant-1", "X-Other=a=b"), Duration.ofSeconds(7));
        fake.handler((r, i) -> FakePrometheus.Response.json(200, EMPTY_MATRIX));
        PrometheusClient client = client(settings);

        assertEquals(List.of(), client.queryRange(QUERY, 1000, 8200, 3600));
        Files.writeString(token, "rotated-token");
        client.queryRange(QUERY, 1000, 8200, 3600);

        FakePrometheus.Request first = fake.requests.get(0);
        assertEquals("POST", first.method());
        assertEquals("/prefix/api/v1/query_range", first.path());
        assertEquals("application/x-www-form-urlencoded", first.header("Content-Type"));
        assertEquals(Map.of("query", QUERY, "start", "1000", "end", "8200", "step", "3600", "timeout", "7000ms"), first.form());
        assertEquals("tenant-1", first.header("X-Scope-OrgID"));
        assertEquals("a=b", first.header("X-Other"));
        assertEquals("Bearer first-token", first.header("Authorization"));
        assertEquals("Bearer rotated-token", fake.requests.get(1).header("Authorization"));
        assertEquals(2, client.queries());
    }

    @Test
    void instantQueriesGoToQuery() throws Exception {
        fake.handler((r, i) -> FakePrometheus.Response.json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{\"pod\":\"p\"},\"value\":[1435781451.781,\"1e3\"]}]}}"));
        List<Series> result = client().query("up", 1435781451);
        assertEquals("/api/v1/query", fake.requests.get(0).path());
        assertEquals("1435781451", fake.requests.get(0).form().get("time"));
        assertArrayEquals(new long[] {1435781451781L}, result.get(0).timestampsMillis());
        assertArrayEquals(new double[] {1000}, result.get(0).values());
        assertNull(fake.requests.get(0).header("Authorization"));
    }

    @Test
    void readsNaNInfinitiesAndFieldsInAnyOrderAndSkipsUnknownOnes() throws Exception {
        fake.handler((r, i) -> FakePrometheus.Response.json(200, "{\"warnings\":[\"too many points, partial\"],"
                + "\"data\":{\"result\":[{\"values\":[[3600,\"NaN\"],[7200,\"+Inf\"],[10800,\"-Inf\"],[14400,\"0.25\"]],"
                + "\"metric\":{\"pod\":\"web-1\",\"container\":\"app\"},\"extra\":{\"x\":[1,2]}}],\"resultType\":\"matrix\"},"
                + "\"infos\":[\"i\"],\"status\":\"success\"}"));
        Series s = client().queryRange(QUERY, 3600, 14400, 3600).get(0);
        assertEquals(Map.of("pod", "web-1", "container", "app"), s.labels());
        assertArrayEquals(new long[] {3_600_000, 7_200_000, 10_800_000, 14_400_000}, s.timestampsMillis());
        assertTrue(Double.isNaN(s.values()[0]));
        assertEquals(Double.POSITIVE_INFINITY, s.values()[1]);
        assertEquals(Double.NEGATIVE_INFINITY, s.values()[2]);
        assertEquals(0.25, s.values()[3]);
    }

    @Test
    void retriesOverloadThenSucceeds() throws Exception {
        fake.handler((r, i) -> i < 2
                ? FakePrometheus.Response.json(i == 0 ? 503 : 429, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"busy\"}")
                : FakePrometheus.Response.json(200, EMPTY_MATRIX));
        PrometheusClient client = client();
        assertEquals(List.of(), client.queryRange(QUERY, 0, 3600, 3600));
        assertEquals(3, client.requests());
        assertEquals(1, client.queries());
    }

    @Test
    void givesUpAfterThreeAttemptsNamingTheLastError() {
        fake.handler((r, i) -> FakePrometheus.Response.json(502, "<html>Bad Gateway</html>"));
        PrometheusException e = assertThrows(PrometheusException.class, () -> client().queryRange(QUERY, 0, 3600, 3600));
        assertEquals(PrometheusClient.ATTEMPTS, fake.requests.size());
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("HTTP 502: <html>Bad Gateway</html>"), e.getMessage());
        assertTrue(e.getMessage().contains(fake.url() + "/api/v1/query_range"), e.getMessage());
    }

    @Test
    void badDataIsNotRetriedAndItsMessageIsReported() {
        fake.handler((r, i) -> FakePrometheus.Response.json(400,
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected \\\"}\\\"\"}"));
        PrometheusException e = assertThrows(PrometheusException.class, () -> client().queryRange(QUERY, 0, 3600, 3600));
        assertEquals(1, fake.requests.size());
        assertEquals(400, e.status());
        assertEquals("Prometheus query failed: POST " + fake.url() + "/api/v1/query_range: HTTP 400 bad_data: "
                + "1:5: parse error: unexpected \"}\" (query: " + QUERY + ", start=0, end=3600, step=3600)", e.getMessage());
    }

    @Test
    void anErrorStatusInsideA200IsAnError() {
        fake.handler((r, i) -> FakePrometheus.Response.json(200, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"boom\"}"));
        PrometheusException e = assertThrows(PrometheusException.class, () -> client().queryRange(QUERY, 0, 3600, 3600));
        assertTrue(e.getMessage().contains("HTTP 200 execution: boom"), e.getMessage());
    }

    @Test
    void aSlowPrometheusTimesOutWithTheUrlAndQueryAndIsNotRetried() {
        fake.handler((r, i) -> new FakePrometheus.Response(200, EMPTY_MATRIX, Map.of(), 3000, 0));
        PrometheusClient client = client(PrometheusSettings.of(fake.url(), Duration.ofMillis(300)));
        long t0 = System.nanoTime();
        PrometheusException e = assertThrows(PrometheusException.class, () -> client.queryRange(QUERY, 0, 3600, 3600));
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "gave up late");
        assertEquals(1, client.requests());
        assertTrue(e.getMessage().contains("no response within 300 ms (--prometheus-timeout)"), e.getMessage());
        assertTrue(e.getMessage().contains(fake.url() + "/api/v1/query_range"), e.getMessage());
        assertTrue(e.getMessage().contains(QUERY), e.getMessage());
    }

    @Test
    void aBodyThatStallsAfterTheHeadersTimesOutToo() {
        fake.handler((r, i) -> new FakePrometheus.Response(200, EMPTY_MATRIX, Map.of(), 0, 3000));
        PrometheusClient client = client(PrometheusSettings.of(fake.url(), Duration.ofMillis(400)));
        long t0 = System.nanoTime();
        PrometheusException e = assertThrows(PrometheusException.class, () -> client.queryRange(QUERY, 0, 3600, 3600));
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "gave up late");
        assertTrue(e.getMessage().contains("no complete response within 400 ms (--prometheus-timeout)"), e.getMessage());
        assertEquals(1, client.requests());
    }

    @Test
    void garbageIsAnErrorNamingTheQuery() {
        fake.handler((r, i) -> FakePrometheus.Response.json(200, "{\"status\":\"success\",\"data\":{\"result\":[{\"values\":[[1,2"));
        PrometheusException e = assertThrows(PrometheusException.class, () -> client().queryRange(QUERY, 0, 3600, 3600));
        assertTrue(e.getMessage().contains("unreadable response"), e.getMessage());
        assertTrue(e.getMessage().contains(QUERY), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line, for the log and the Stale condition: " + e.getMessage());
        fake.handler((r, i) -> FakePrometheus.Response.json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
        e = assertThrows(PrometheusException.class, () -> client().queryRange(QUERY, 0, 3600, 3600));
        assertTrue(e.getMessage().contains("expected a matrix result, got vector"), e.getMessage());
    }

    @Test
    void anUnreachablePrometheusIsRetriedThenReported() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrometheusClient client = client(PrometheusSettings.of(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2)));
        PrometheusException e = assertThrows(PrometheusException.class, () -> client.queryRange(QUERY, 0, 3600, 3600));
        assertEquals(PrometheusClient.ATTEMPTS, client.requests());
        assertEquals(0, e.status());
        assertTrue(e.getMessage().startsWith("Prometheus query failed: POST http://127.0.0.1:" + port + "/api/v1/query_range: cannot connect"),
                e.getMessage());
    }

    @Test
    void aMissingTokenFileIsReportedAndTheTokenNeverLeaksIntoMessages() throws Exception {
        Path token = dir.resolve("token");
        PrometheusSettings settings = PrometheusSettings.fromFlags(fake.url().toString(), token.toString(), null, false, null,
                Duration.ofSeconds(5));
        IOException e = assertThrows(IOException.class, () -> client(settings).queryRange(QUERY, 0, 3600, 3600));
        assertTrue(e.getMessage().contains("--prometheus-bearer-token-file " + token + " does not exist"), e.getMessage());

        Files.writeString(token, "s3cr3t");
        fake.handler((r, i) -> FakePrometheus.Response.json(403, "forbidden"));
        e = assertThrows(PrometheusException.class, () -> client(settings).queryRange(QUERY, 0, 3600, 3600));
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
        assertFalse(settings.toString().contains("s3cr3t"));
    }

    @Test
    void settingsAreCheckedWithTheFlagName() {
        Duration t = Duration.ofSeconds(1);
        assertEquals("--prometheus-url=prometheus:9090: must be an http or https URL without query or fragment, e.g. http://prometheus.monitoring:9090", assertThrows(
                IllegalArgumentException.class, () -> PrometheusSettings.fromFlags("prometheus:9090", null, null, false, null, t)).getMessage());
        assertEquals("--prometheus-header: \"Host\" cannot be set as a header", assertThrows(IllegalArgumentException.class,
                () -> PrometheusSettings.fromFlags("http://p", null, null, false, List.of("Host=x"), t)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PrometheusSettings.fromFlags("http://p", "/t", null, false,
                List.of("Authorization=Basic x"), t)).getMessage().contains("give one"));
        assertEquals(URI.create("https://mimir.example/prometheus/api/v1/query"),
                PrometheusSettings.fromFlags("https://mimir.example/prometheus/", null, null, false, null, t).endpoint("query"));
    }
}
