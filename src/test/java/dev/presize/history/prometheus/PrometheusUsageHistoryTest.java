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
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Joining the per-namespace query results into hourly usage, against a scripted server. */
class PrometheusUsageHistoryTest {

    private static final long H = HourlyUsage.HOUR;
    /** CPU rates, memory, OOM: one query each for a window within one chunk. */
    private static final int QUERIES_PER_NAMESPACE = 3;
    private FakePrometheus fake;

    @BeforeEach
    void start() throws IOException {
        fake = new FakePrometheus();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private PrometheusUsageHistory history(int maxPoints, int cpuChunkHours) {
        return new PrometheusUsageHistory(new PrometheusClient(PrometheusSettings.of(fake.url(), Duration.ofSeconds(10))),
                maxPoints, cpuChunkHours);
    }

    private static boolean isCpu(FakePrometheus.Request r) {
        return r.form().get("query").equals(UsageQueries.cpuRate("shop"));
    }

    private static boolean isMemory(FakePrometheus.Request r) {
        return r.form().get("query").equals(UsageQueries.memoryMax("shop"));
    }

    /** Twelve 5-minute rates for the hour starting at {@code hourStart}, 1·scale ... 12·scale, evaluated at their interval ends. */
    private static List<Object[]> rates(long hourStart, int scale) {
        List<Object[]> out = new ArrayList<>();
        for (int k = 1; k <= 12; k++) {
            out.add(new Object[] {hourStart + k * UsageQueries.CPU_STEP, Integer.toString(k * scale)});
        }
        return out;
    }

    @Test
    void joinsTheQueriesPerPodAndContainerSortedWithNaNForMissingHours() throws Exception {
        long end = 100 * H;
        Map<String, String> web1 = Map.of("namespace", "shop", "pod", "web-1", "container", "app");
        fake.handler((r, i) -> {
            if (isCpu(r)) {
                // web-1/app: rates in hours 96, 97 and 99 (hour 98 has none); api-0's containers in hour 99 only.
                List<Object[]> web = new ArrayList<>(rates(96 * H, 1));
                web.addAll(rates(97 * H, 2));
                web.addAll(rates(99 * H, 4));
                return FakePrometheus.Response.json(200, FakePrometheus.matrix(List.of(web1,
                        Map.of("namespace", "shop", "pod", "api-0", "container", "sidecar"),
                        Map.of("namespace", "shop", "pod", "api-0", "container", "app")),
                        List.of(web, rates(99 * H, 9), rates(99 * H, 9))));
            }
            if (isMemory(r)) {
                // The hourly evaluations at 97h..100h describe hours 96..99; none at 99h.
                return FakePrometheus.Response.json(200, FakePrometheus.matrix(List.of(web1), List.of(List.<Object[]>of(
                        new Object[] {97 * H, "30"}, new Object[] {98 * H, "60"}, new Object[] {100 * H, "120"}))));
            }
            return FakePrometheus.Response.json(200, FakePrometheus.matrix(List.of(web1),
                    List.of(List.<Object[]>of(new Object[] {98 * H, "1"}, new Object[] {100 * H, "0"}))));
        });
        PrometheusUsageHistory history = history(PrometheusUsageHistory.MAX_POINTS, PrometheusUsageHistory.CPU_CHUNK_HOURS);
        List<PodUsage> result = history.namespace("shop", Instant.ofEpochSecond(end), Duration.ofHours(4));

        assertEquals(QUERIES_PER_NAMESPACE, history.queries());
        for (FakePrometheus.Request r : fake.requests) {
            Map<String, String> range = isCpu(r)
                    ? Map.of("start", Long.toString(96 * H + 300), "end", Long.toString(100 * H), "step", "300")
                    : Map.of("start", Long.toString(97 * H), "end", Long.toString(100 * H), "step", "3600");
            assertEquals(range, Map.of("start", r.form().get("start"), "end", r.form().get("end"), "step", r.form().get("step")));
        }
        assertEquals(List.of("api-0/app", "api-0/sidecar", "web-1/app"),
                result.stream().map(p -> p.pod() + "/" + p.container()).toList());
        HourlyUsage web = result.get(2).usage();
        assertEquals(96 * H, web.start());
        assertEquals(4, web.hours());
        // Rates 1..12 (times the hour's scale): mean 6.5, and Prometheus' quantile rule, rank q·11.
        assertEquals(List.of(6.5f, 13f, Float.NaN, 26f), floats(web.cpuMean()));
        double[] atScale1 = {6.5, 10.9, 11.45, 11.89, 12};
        for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
            assertEquals(List.of((float) atScale1[k], (float) (2 * atScale1[k]), Float.NaN, (float) (4 * atScale1[k])),
                    floats(web.cpuQuantiles()[k]), "level " + HourlyUsage.CPU_LEVELS[k]);
        }
        assertEquals(List.of(30f, 60f, Float.NaN, 120f), floats(web.memoryMax()));
        assertEquals(List.of((short) 12, (short) 12, (short) 0, (short) 12),
                List.of(web.samples()[0], web.samples()[1], web.samples()[2], web.samples()[3]));
        assertEquals(List.of(false, true, false, false), List.of(web.oomKilled()[0], web.oomKilled()[1], web.oomKilled()[2], web.oomKilled()[3]));
        HourlyUsage api = result.get(0).usage();
        assertTrue(Float.isNaN(api.memoryMax()[3]));
        assertFalse(api.hasCpu(0));
        assertTrue(api.hasCpu(3));
        assertEquals(58.5f, api.cpuMean()[3]);
        assertEquals("shop", result.get(0).namespace());
    }

    private static List<Float> floats(float[] a) {
        List<Float> out = new ArrayList<>();
        for (float f : a) {
            out.add(f);
        }
        return out;
    }

    @Test
    void chunksCoverTheWindowInWholeHoursWithinThePointLimit() {
        assertEquals(List.of("0-24", "24-48", "48-50"),
                PrometheusUsageHistory.chunks(50, 24).stream().map(c -> c[0] + "-" + c[1]).toList());
        assertEquals(List.of("0-336"), PrometheusUsageHistory.chunks(336, 11_000).stream().map(c -> c[0] + "-" + c[1]).toList());
        PrometheusClient client = new PrometheusClient(PrometheusSettings.of(fake.url(), Duration.ofSeconds(10)));
        // 916 hours of 12 rates are 10,992 points, the most that fit in Prometheus' 11,000.
        assertEquals(916, new PrometheusUsageHistory(client, 11_000, 100_000).cpuChunkHours());
        assertEquals(24, new PrometheusUsageHistory(client).cpuChunkHours());
        assertThrows(IllegalArgumentException.class, () -> new PrometheusUsageHistory(client, 11, 24));
    }

    @Test
    void aLongWindowIsSplitIntoChunksAndStitchedWithoutPartialHours() throws Exception {
        // A point limit of 120 per series, as a stand-in for Prometheus' 11,000: the hourly queries
        // go in chunks of 120 hours, the CPU rates (12 per hour) in chunks of 10.
        int maxPoints = 120;
        int hours = 250;
        long end = 200_000 * H;
        long start = end - hours * H;
        fake.handler((r, i) -> {
            long from = Long.parseLong(r.form().get("start"));
            long to = Long.parseLong(r.form().get("end"));
            long step = Long.parseLong(r.form().get("step"));
            if ((to - from) / step > maxPoints) {
                return FakePrometheus.Response.json(400, "{\"status\":\"error\",\"errorType\":\"bad_data\","
                        + "\"error\":\"exceeded maximum resolution of " + maxPoints + " points per timeseries\"}");
            }
            List<Object[]> points = new ArrayList<>();
            // One step before and after the asked range too: an engine that answers beyond it must
            // not overwrite another chunk's hours.
            for (long t = from - step; t <= to + step; t += step) {
                long sampleStart = step == H ? t - H : t - step;
                points.add(new Object[] {t, Long.toString((sampleStart - start) / H)}); // the slot index as the value
            }
            return FakePrometheus.Response.json(200, FakePrometheus.matrix(List.of(Map.of("pod", "p", "container", "c")), List.of(points)));
        });
        PrometheusUsageHistory history = history(maxPoints, 24);
        HourlyUsage u = history.namespace("shop", Instant.ofEpochSecond(end), Duration.ofHours(hours)).get(0).usage();

        assertEquals(25 + 2 * 3, history.queries(), "25 CPU chunks of 10 h, memory and OOM in 3 chunks of 120 h");
        FakePrometheus.Request first = fake.requests.get(0);
        assertEquals(List.of(Long.toString(start + 300), Long.toString(start + 10 * H), "300"),
                List.of(first.form().get("start"), first.form().get("end"), first.form().get("step")));
        for (int slot = 0; slot < hours; slot++) {
            assertEquals(slot, u.cpuMean()[slot], "slot " + slot);
            assertEquals(slot, u.cpuMax(slot), "slot " + slot);
            assertEquals(12, u.samples()[slot], "slot " + slot);
            assertEquals(slot, u.memoryMax()[slot], "slot " + slot);
        }
    }

    @Test
    void theQueriesAreSmallConstantsPerNamespaceWithTheNamespaceEscaped() {
        assertEquals("sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{namespace=\"shop\", "
                + "container!=\"\", container!=\"POD\"}[5m]))", UsageQueries.cpuRate("shop"));
        assertEquals("max by (namespace, pod, container) (max_over_time(container_memory_working_set_bytes{namespace=\"shop\", "
                + "container!=\"\", container!=\"POD\"}[1h]))", UsageQueries.memoryMax("shop"));
        assertEquals("max by (namespace, pod, container) (max_over_time(kube_pod_container_status_last_terminated_reason{"
                + "namespace=\"shop\", reason=\"OOMKilled\"}[1h]))", UsageQueries.oomKilled("shop"));
        assertTrue(UsageQueries.cpuRate("a\"b").contains("namespace=\"a\\\"b\""));
        assertEquals("\"a\\\"b\\\\c\\nd\\x01\"", UsageQueries.quote("a\"b\\c\nd\u0001"));
    }

    @Test
    void onlyWholeHoursAreAccepted() {
        PrometheusUsageHistory history = history(PrometheusUsageHistory.MAX_POINTS, 24);
        assertThrows(IllegalArgumentException.class, () -> history.namespace("a", Instant.ofEpochSecond(H + 1), Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> history.namespace("a", Instant.ofEpochSecond(H), Duration.ofMinutes(90)));
        assertEquals(0, history.queries());
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
                // The refresh reads through the cache of completed hours, over this very source.
                dev.presize.history.UsageHistory used = ctx.getBean(dev.presize.history.UsageHistory.class);
                assertTrue(used instanceof dev.presize.history.IncrementalUsageHistory, used.getClass().getName());
                assertSame(ctx.getBean(PrometheusUsageHistory.class), ((dev.presize.history.IncrementalUsageHistory) used).source());
                // Its fill progress and size are in /metrics.
                java.util.Set<String> names = new java.util.TreeSet<>();
                ctx.getBean(io.prometheus.metrics.model.registry.PrometheusRegistry.class).scrape()
                        .forEach(m -> names.add(m.getMetadata().getPrometheusName()));
                assertTrue(names.containsAll(List.of("presize_history_fetch_progress_ratio", "presize_history_fetch_chunks",
                        "presize_history_filling", "presize_history_held_containers", "presize_history_held_bytes")), names.toString());
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
