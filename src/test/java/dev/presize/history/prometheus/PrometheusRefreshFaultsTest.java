package dev.presize.history.prometheus;

import dev.presize.api.responses.WireJson;
import dev.presize.history.PodUsage;
import dev.presize.history.TraceHistorySource;
import dev.presize.history.UsageHistory;
import dev.presize.model.baselines.VpaRecommender;
import dev.presize.v1beta1.Condition;
import dev.presize.recommendations.Refresher;
import dev.presize.v1beta1.Requests;
import dev.presize.recommendations.Snapshot;
import dev.presize.recommendations.SnapshotStore;
import dev.presize.workloads.DemoWorkloadSource;
import dev.presize.workloads.Workload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prometheus failing in the ways it does in production — too slow for {@code --prometheus-timeout},
 * answering garbage, unavailable — seen through a refresh: the real {@link PrometheusClient} and
 * {@link PrometheusUsageHistory} against a scripted server on 127.0.0.1, feeding the real
 * {@link Refresher}. Each refresh fails with a message naming the URL and the query, the last good
 * objects stay served with {@code Stale=True}, and the next good refresh clears it.
 *
 * <p>The good refreshes read the demo trace (the scripted server cannot produce two weeks of real
 * history); only the failing refresh goes to the scripted Prometheus. Refreshes are driven directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusRefreshFaultsTest {

    private static final Duration INTERVAL = Duration.ofMinutes(15);
    private static final Duration WINDOW = Duration.ofHours(336);
    /** Generous for the garbage cases, so a loaded machine never turns garbage into a timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(500);
    private static final Instant GOOD = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant FAILED = GOOD.plus(INTERVAL);
    private static final Instant RECOVERED = FAILED.plus(INTERVAL);
    private static final String EMPTY_MATRIX = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}";
    /** A Kubernetes quantity as Presize serves them: no exponent, no NaN, no infinity. */
    private static final Pattern QUANTITY = Pattern.compile("\\d+(m|Ki|Mi|Gi|Ti|Pi|Ei)?");

    /** What the scripted Prometheus does to the failing refresh. */
    enum Misbehaviour {
        NOT_JSON("unreadable response"),
        STATUS_ERROR("HTTP 200 execution: query processing would load too many samples"),
        WRONG_RESULT_TYPE("expected a matrix result, got vector"),
        SAMPLE_NOT_A_NUMBER("not a sample value: \"twelve\""),
        TRUNCATED_BODY("unreadable response"),
        UNAVAILABLE_503("HTTP 503: upstream connect error"),
        PROXY_ERROR_500("HTTP 500: <html><body>Internal Server Error"),
        EMPTY_BODY_200("unreadable response");

        final String inMessage;

        Misbehaviour(String inMessage) {
            this.inMessage = inMessage;
        }

        FakePrometheus.Response response() {
            return switch (this) {
                case NOT_JSON -> FakePrometheus.Response.json(200, "<html><body>Sign in to continue</body></html>");
                case STATUS_ERROR -> FakePrometheus.Response.json(200, "{\"status\":\"error\",\"errorType\":\"execution\","
                        + "\"error\":\"query processing would load too many samples\"}");
                case WRONG_RESULT_TYPE -> FakePrometheus.Response.json(200,
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
                case SAMPLE_NOT_A_NUMBER -> FakePrometheus.Response.json(200, FakePrometheus.matrix(
                        List.of(Map.of("pod", "web", "container", "app")), List.of(List.<Object[]>of(new Object[] {3600, "twelve"}))));
                case TRUNCATED_BODY -> FakePrometheus.Response.json(200,
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"pod\":\"w");
                case UNAVAILABLE_503 -> FakePrometheus.Response.json(503, "upstream connect error");
                case PROXY_ERROR_500 -> FakePrometheus.Response.json(500, "<html><body>Internal Server Error</body></html>");
                case EMPTY_BODY_200 -> FakePrometheus.Response.json(200, "");
            };
        }
    }

    private TraceHistorySource trace;
    private DemoWorkloadSource demo;
    private FakePrometheus fake;
    private PrometheusUsageHistory prometheus;
    /** Released at the end of each test, so a handler held back for the timeout case ends by itself. */
    private CountDownLatch release;
    private volatile boolean broken;

    @BeforeAll
    void load() {
        trace = new TraceHistorySource();
        demo = new DemoWorkloadSource(trace);
    }

    @BeforeEach
    void start() throws IOException {
        broken = false;
        release = new CountDownLatch(1);
        fake = new FakePrometheus();
        // A short backoff between retries of a 503; the retry policy itself is PrometheusClientTest's.
        prometheus = new PrometheusUsageHistory(new PrometheusClient(PrometheusSettings.of(fake.url(), TIMEOUT),
                Duration.ofMillis(10)));
    }

    @AfterEach
    void stop() {
        release.countDown();
        fake.close();
    }

    /** The trace while {@link #broken} is false, the scripted Prometheus while it is true. */
    private final UsageHistory history = new UsageHistory() {
        @Override
        public List<PodUsage> namespace(String namespace, Instant end, Duration window) throws IOException {
            return broken ? prometheus.namespace(namespace, end, window) : trace.namespace(namespace, end, window);
        }
    };

    private Refresher refresher(SnapshotStore store) {
        return new Refresher(store, history, demo, new VpaRecommender(), INTERVAL, WINDOW, Clock.fixed(GOOD, ZoneOffset.UTC));
    }

    @ParameterizedTest
    @EnumSource(Misbehaviour.class)
    void garbageFailsTheRefreshCleanlyAndTheLastObjectsStayServedStale(Misbehaviour misbehaviour) {
        fake.handler((r, i) -> misbehaviour.response());
        String message = failOneRefresh();
        assertTrue(message.contains(misbehaviour.inMessage), message);
    }

    @Test
    void aPrometheusSlowerThanTheTimeoutFailsTheRefreshNamingTheTimeout() {
        // Accepts, then answers only when the test ends: long after --prometheus-timeout.
        prometheus = new PrometheusUsageHistory(new PrometheusClient(PrometheusSettings.of(fake.url(), SHORT_TIMEOUT)));
        fake.handler((r, i) -> {
            release.await(60, TimeUnit.SECONDS);
            return FakePrometheus.Response.json(200, EMPTY_MATRIX);
        });
        String message = failOneRefresh();
        assertTrue(message.contains("no response within 500 ms (--prometheus-timeout)"), message);
        assertEquals(1, fake.requests.size(), "a timed-out query is not retried, and the refresh stops at it");
    }

    /**
     * A good refresh from the trace; one against the scripted Prometheus, which must fail and leave
     * the good objects served with {@code Stale=True}; a good one again. Returns the Stale message.
     */
    private String failOneRefresh() {
        SnapshotStore store = new SnapshotStore();
        Refresher refresher = refresher(store);
        assertTrue(refresher.refresh(GOOD));
        Snapshot good = store.current();
        assertTrue(good.size() > 0);

        broken = true;
        assertFalse(refresher.refresh(FAILED), "the refresh against the misbehaving Prometheus");
        Snapshot stale = store.current();
        assertEquals(names(good), names(stale));
        WireJson wire = new WireJson();
        String message = null;
        for (Requests before : good.list(null)) {
            Requests after = stale.get(before.namespace(), before.name()).orElseThrow();
            Condition c = after.conditions().get(0);
            assertEquals(List.of("Stale", "True", "RefreshFailed"), List.of(c.type(), c.status(), c.reason()));
            message = c.message();
            assertEquals(wire.gson().toJson(before.containers()), wire.gson().toJson(after.containers()));
            assertEquals(before.resources(), after.resources());
        }
        // Names the endpoint and the query, so an operator can paste it into the Prometheus UI.
        assertTrue(message.contains("POST " + fake.url() + "/api/v1/query_range"), message);
        assertTrue(message.contains("(query: "), message);
        assertTrue(message.contains("namespace=\""), message);
        assertFalse(message.contains("\tat "), "no stack trace: " + message);
        assertTrue(message.length() < 1200, "bounded: " + message.length());

        broken = false;
        assertTrue(refresher.refresh(RECOVERED), "the refresh after recovery");
        for (Requests r : store.current().list(null)) {
            assertNull(r.conditions(), r.name());
        }
        assertTrue(refresher.staleReason().isEmpty());
        return message;
    }

    /**
     * NaN and infinities are legal sample values in Prometheus' API, and an overflowing rate()
     * produces them. A refresh fed nothing else either succeeds with every served amount a valid
     * quantity, or fails cleanly; it never serves "NaN" or "Infinity".
     */
    @Test
    void nanAndInfinitySamplesNeverReachAServedQuantity() throws Exception {
        List<Workload> workloads = demo.workloads(GOOD);
        String[] values = {"NaN", "+Inf", "-Inf", "NaN", "1e308"};
        fake.handler((r, i) -> {
            long start = Long.parseLong(r.form().get("start"));
            long end = Long.parseLong(r.form().get("end"));
            String query = r.form().get("query");
            List<Map<String, String>> labels = new ArrayList<>();
            List<List<Object[]>> points = new ArrayList<>();
            for (Workload w : workloads) {
                if (!query.contains("namespace=\"" + w.namespace() + "\"")) {
                    continue;
                }
                for (var c : w.containers()) {
                    labels.add(Map.of("namespace", w.namespace(), "pod", w.name(), "container", c.name()));
                    List<Object[]> series = new ArrayList<>();
                    int n = 0;
                    for (long t = start; t <= end; t += 3600) {
                        series.add(new Object[] {t, values[n++ % values.length]});
                    }
                    points.add(series);
                }
            }
            return FakePrometheus.Response.json(200, FakePrometheus.matrix(labels, points));
        });
        broken = true;
        SnapshotStore store = new SnapshotStore();
        Refresher refresher = refresher(store);
        boolean ok = refresher.refresh(GOOD);
        String json = new WireJson().gson().toJson(store.current().list(null));
        assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
        for (Requests r : store.current().list(null)) {
            for (var c : r.containers()) {
                for (var amounts : List.of(c.requests(), c.lowerBound(), c.upperBound())) {
                    assertTrue(QUANTITY.matcher(amounts.cpu()).matches(), r.name() + " cpu " + amounts.cpu());
                    assertTrue(QUANTITY.matcher(amounts.memory()).matches(), r.name() + " memory " + amounts.memory());
                }
            }
        }
        if (!ok) {
            assertTrue(refresher.staleReason().orElseThrow().contains("finite"), refresher.staleReason().orElseThrow());
        }
    }

    private static List<String> names(Snapshot s) {
        return s.list(null).stream().map(r -> r.namespace() + "/" + r.name()).toList();
    }
}
