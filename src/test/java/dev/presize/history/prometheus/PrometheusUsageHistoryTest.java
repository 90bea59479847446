package dev.presize.history.prometheus;

import dev.presize.history.HourlyUsage;
import dev.presize.history.PodUsage;
import dev.presize.security.FakeKubeApiServer;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Joining the per-namespace query results into hourly usage, against a scripted server. */
class PrometheusUsageHistoryTest {

    private static final long H = HourlyUsage.HOUR;
    private static final int QUERIES_PER_NAMESPACE = HourlyUsage.CPU_LEVELS.length + 4;
    private FakePrometheus fake;

    @BeforeEach
    void start() throws IOException {
        fake = new FakePrometheus();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private PrometheusUsageHistory history(int maxPoints) {
        return new PrometheusUsageHistory(new PrometheusClient(PrometheusSettings.of(fake.url(), Duration.ofSeconds(10))), maxPoints);
    }

    /** Which query a request carries, by its leading function. */
    private static UsageQueries.Query queryOf(FakePrometheus.Request r) {
        return UsageQueries.forNamespace("shop").stream().filter(q -> q.promql().equals(r.form().get("query"))).findFirst().orElseThrow();
    }

    @Test
    void joinsTheQueriesPerPodAndContainerSortedWithNaNForMissingHours() throws Exception {
        long end = 100 * H;
        fake.handler((r, i) -> {
            UsageQueries.Query q = queryOf(r);
            // web-1/app: hours 96..99 are evaluated at 97h..100h; hour 98 (T = 99h) is missing.
            List<Object[]> web = List.of(new Object[] {97 * H, value(q, 1)}, new Object[] {98 * H, value(q, 2)},
                    new Object[] {100 * H, value(q, 4)});
            List<Object[]> api = java.util.Collections.singletonList(new Object[] {100 * H, value(q, 9)});
            return FakePrometheus.Response.json(200, switch (q.kind()) {
                case OOM_KILLED -> FakePrometheus.matrix(List.of(Map.of("namespace", "shop", "pod", "web-1", "container", "app")),
                        List.of(List.<Object[]>of(new Object[] {98 * H, "1"}, new Object[] {100 * H, "0"})));
                case MEMORY_MAX -> FakePrometheus.matrix(List.of(Map.of("namespace", "shop", "pod", "web-1", "container", "app")),
                        List.of(web));
                default -> FakePrometheus.matrix(List.of(Map.of("namespace", "shop", "pod", "web-1", "container", "app"),
                        Map.of("namespace", "shop", "pod", "api-0", "container", "sidecar"),
                        Map.of("namespace", "shop", "pod", "api-0", "container", "app")), List.of(web, api, api));
            });
        });
        PrometheusUsageHistory history = history(PrometheusUsageHistory.MAX_POINTS);
        List<PodUsage> result = history.namespace("shop", Instant.ofEpochSecond(end), Duration.ofHours(4));

        assertEquals(QUERIES_PER_NAMESPACE, history.queries());
        for (FakePrometheus.Request r : fake.requests) {
            assertEquals(Map.of("start", Long.toString(97 * H), "end", Long.toString(100 * H), "step", "3600"),
                    Map.of("start", r.form().get("start"), "end", r.form().get("end"), "step", r.form().get("step")));
        }
        assertEquals(List.of("api-0/app", "api-0/sidecar", "web-1/app"),
                result.stream().map(p -> p.pod() + "/" + p.container()).toList());
        HourlyUsage web = result.get(2).usage();
        assertEquals(96 * H, web.start());
        assertEquals(4, web.hours());
        assertEquals(List.of(12f, 20f, Float.NaN, 40f), floats(web.cpuMean()));
        for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
            assertEquals(List.of((float) k + 1, 2f * (k + 1), Float.NaN, 4f * (k + 1)), floats(web.cpuQuantiles()[k]));
        }
        assertEquals(List.of(30f, 60f, Float.NaN, 120f), floats(web.memoryMax()));
        assertEquals(List.of((short) 12, (short) 0, (short) 0, (short) 12),
                List.of(web.samples()[0], web.samples()[1], web.samples()[2], web.samples()[3]));
        assertEquals(List.of(false, true, false, false), List.of(web.oomKilled()[0], web.oomKilled()[1], web.oomKilled()[2], web.oomKilled()[3]));
        HourlyUsage api = result.get(0).usage();
        assertTrue(Float.isNaN(api.memoryMax()[3]));
        assertFalse(api.hasCpu(0));
        assertTrue(api.hasCpu(3));
        assertEquals("shop", result.get(0).namespace());
    }

    /** A distinct value per query kind and hour: level k → (k+1)·h, mean 10·h (12 for h=1), count 12, memory 30·h. */
    private static String value(UsageQueries.Query q, int h) {
        return switch (q.kind()) {
            case CPU_LEVEL -> Integer.toString((q.level() + 1) * h);
            case CPU_MEAN -> h == 1 ? "12" : Integer.toString(10 * h);
            case CPU_SAMPLES -> h == 2 ? "0" : "12";
            case MEMORY_MAX -> Integer.toString(30 * h);
            case OOM_KILLED -> "0";
        };
    }

    private static List<Float> floats(float[] a) {
        List<Float> out = new ArrayList<>();
        for (float f : a) {
            out.add(f);
        }
        return out;
    }

    @Test
    void aWindowBeyondElevenThousandPointsIsSplitAndStitched() throws Exception {
        // 500 days of history: 12,000 hours, more than one query_range may return per series.
        int hours = 12_000;
        long end = 200_000 * H;
        long start = end - hours * H;
        fake.handler((r, i) -> {
            long from = Long.parseLong(r.form().get("start"));
            long to = Long.parseLong(r.form().get("end"));
            long step = Long.parseLong(r.form().get("step"));
            if ((to - from) / step > 11_000) {
                return FakePrometheus.Response.json(400, "{\"status\":\"error\",\"errorType\":\"bad_data\","
                        + "\"error\":\"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)\"}");
            }
            List<Object[]> points = new ArrayList<>();
            for (long t = from; t <= to; t += step) {
                points.add(new Object[] {t, Long.toString((t - start) / H - 1)}); // the slot index as the value
            }
            return FakePrometheus.Response.json(200, FakePrometheus.matrix(List.of(Map.of("pod", "p", "container", "c")), List.of(points)));
        });
        PrometheusUsageHistory history = history(PrometheusUsageHistory.MAX_POINTS);
        HourlyUsage u = history.namespace("shop", Instant.ofEpochSecond(end), Duration.ofHours(hours)).get(0).usage();

        assertEquals(2L * QUERIES_PER_NAMESPACE, history.queries());
        assertEquals(Long.toString(start + H), fake.requests.get(0).form().get("start"));
        assertEquals(Long.toString(start + 11_000 * H), fake.requests.get(0).form().get("end"));
        assertEquals(Long.toString(start + 11_001 * H), fake.requests.get(1).form().get("start"));
        assertEquals(Long.toString(end), fake.requests.get(1).form().get("end"));
        for (int slot = 0; slot < hours; slot++) {
            assertEquals(slot, u.cpuMean()[slot], "slot " + slot);
            assertEquals(slot, u.memoryMax()[slot], "slot " + slot);
        }
    }

    @Test
    void onlyWholeHoursAreAccepted() {
        PrometheusUsageHistory history = history(10);
        assertThrows(IllegalArgumentException.class, () -> history.namespace("a", Instant.ofEpochSecond(H + 1), Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> history.namespace("a", Instant.ofEpochSecond(H), Duration.ofMinutes(90)));
        assertEquals(0, history.queries());
    }

    @Test
    void theQueriesAreSmallConstantsPerNamespaceWithTheNamespaceEscaped() {
        List<UsageQueries.Query> queries = UsageQueries.forNamespace("shop");
        assertEquals(QUERIES_PER_NAMESPACE, queries.size());
        String cpu = "sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{namespace=\"shop\", "
                + "container!=\"\", container!=\"POD\"}[5m]))[3599s:5m]";
        assertEquals(List.of(
                "quantile_over_time(0.5, " + cpu + ")",
                "quantile_over_time(0.9, " + cpu + ")",
                "quantile_over_time(0.95, " + cpu + ")",
                "quantile_over_time(0.99, " + cpu + ")",
                "max_over_time(" + cpu + ")",
                "avg_over_time(" + cpu + ")",
                "count_over_time(" + cpu + ")",
                "max by (namespace, pod, container) (max_over_time(container_memory_working_set_bytes{namespace=\"shop\", "
                        + "container!=\"\", container!=\"POD\"}[1h]))",
                "max by (namespace, pod, container) (max_over_time(kube_pod_container_status_last_terminated_reason{"
                        + "namespace=\"shop\", reason=\"OOMKilled\"}[1h]))"),
                queries.stream().map(UsageQueries.Query::promql).toList());
        assertEquals("\"a\\\"b\\\\c\\nd\\x01\"", UsageQueries.quote("a\"b\\c\nd\u0001"));
    }

    @Test
    void theBeanExistsOnlyWithAPrometheusUrl(@TempDir Path dir) {
        // Demo mode never has it.
        try (ApplicationContext ctx = ApplicationContext.run(Map.of("presize.demo", "true", "presize.bind-address", "127.0.0.1"))) {
            assertFalse(ctx.containsBean(PrometheusUsageHistory.class));
        }
        // Outside demo mode the server needs a Kubernetes API for delegated authentication: a fake
        // one with the authentication ConfigMap and no workloads, so the refresh at startup (there is
        // one once a history source exists) has nothing to ask Prometheus.
        try (FakeKubeApiServer kube = new FakeKubeApiServer()) {
            String kubeconfig = kube.emptyCluster(dir).toString();
            try (ApplicationContext ctx = ApplicationContext.run(Map.of("presize.kubeconfig", kubeconfig, "presize.prometheus-url", " "))) {
                assertFalse(ctx.containsBean(PrometheusUsageHistory.class));
                assertFalse(ctx.containsBean(dev.presize.history.UsageHistory.class));
            }
            try (ApplicationContext ctx = ApplicationContext.run(Map.of("presize.kubeconfig", kubeconfig,
                    "presize.prometheus-url", "http://prometheus:9090",
                    "presize.prometheus-header", List.of("X-Scope-OrgID=t1"), "presize.prometheus-timeout", "45s"))) {
                PrometheusSettings s = ctx.getBean(PrometheusUsageHistory.class).client().settings();
                assertEquals(Map.of("X-Scope-OrgID", "t1"), s.headers());
                assertEquals(Duration.ofSeconds(45), s.timeout());
                assertEquals("http://prometheus:9090", s.url().toString());
                assertTrue(ctx.containsBean(dev.presize.history.UsageHistory.class));
            }
            // The environment variable form, PRESIZE_PROMETHEUS_HEADER=X-A=1,X-B=2, arrives as one string.
            try (ApplicationContext ctx = ApplicationContext.run(Map.of("presize.kubeconfig", kubeconfig,
                    "presize.prometheus-url", "https://mimir/prometheus",
                    "presize.prometheus-header", "X-A=1,X-B=2", "presize.prometheus-insecure-skip-verify", "true"))) {
                PrometheusSettings s = ctx.getBean(PrometheusSettings.class);
                assertEquals(Map.of("X-A", "1", "X-B", "2"), s.headers());
                assertTrue(s.insecureSkipVerify());
            }
        }
    }
}
