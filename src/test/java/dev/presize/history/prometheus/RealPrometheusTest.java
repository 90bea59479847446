package dev.presize.history.prometheus;

import dev.presize.history.ContainerSeries;
import dev.presize.history.HourlyAggregator;
import dev.presize.history.HourlyUsage;
import dev.presize.history.HourlyUsages;
import dev.presize.history.PodUsage;
import dev.presize.history.TestSlice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Prometheus queries against a real Prometheus holding a slice of a real trace (see
 * src/test/resources/traces/README.md): what {@link PrometheusUsageHistory} reads back must equal
 * what {@link HourlyAggregator} computes from the same samples, hour by hour, so the model sees the
 * same input in a cluster as in a backtest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealPrometheusTest {

    /** The slice: 2013-07-27T00:00Z to 2013-08-05T00:00Z. */
    private static final long SLICE_START = 1374883200;
    private static final long SLICE_END = 1375660800;
    private static final long H = HourlyUsage.HOUR;
    private static final String ODD_NAMESPACE = "we\"ird\\name";
    /** CPU rates (216 hours: 9 chunks of 24 h), memory, OOM. */
    private static final int QUERIES_PER_NAMESPACE = 9 + 2;
    private static final long[] OOM_1 = {SLICE_START + 10 * H + 600, SLICE_START + 11 * H + 2400};
    private static final long[] OOM_2 = {SLICE_START + 100 * H + 300, SLICE_START + 100 * H + 1200};

    /** VM → namespace, pod, container. Two containers share a pod; one namespace needs escaping. */
    private static final Map<String, String[]> PLACEMENT = new LinkedHashMap<>();

    static {
        PLACEMENT.put("vm-96", new String[] {"shop", "web-7d9f8b6c4-x2x8q", "app"});
        PLACEMENT.put("vm-70", new String[] {"shop", "web-7d9f8b6c4-x2x8q", "envoy"});
        PLACEMENT.put("vm-133", new String[] {"shop", "web-7d9f8b6c4-q7k2m", "app"});
        PLACEMENT.put("vm-80", new String[] {"data", "kafka-0", "kafka"});
        PLACEMENT.put("vm-24", new String[] {"data", "kafka-1", "kafka"});
        PLACEMENT.put("vm-230", new String[] {ODD_NAMESPACE, "backup-28177320-7xk2p", "main"});
        PLACEMENT.put("vm-422", new String[] {"idle", "cron-1", "c"});
        PLACEMENT.put("vm-99", new String[] {"idle", "cron-2", "c"});
    }

    private final List<ContainerSeries> series = new ArrayList<>();
    private PrometheusProcess prometheus;
    private PrometheusUsageHistory history;

    @BeforeAll
    void loadTheSliceIntoPrometheus(@TempDir Path dir) throws Exception {
        List<ContainerSeries> raw = TestSlice.read();
        OpenMetricsWriter writer = new OpenMetricsWriter();
        for (ContainerSeries s : raw) {
            String[] where = PLACEMENT.get(s.workload());
            ContainerSeries placed = new ContainerSeries(where[0], where[1], where[2], s.timestamps(), s.cpuCores(),
                    s.memoryBytes(), s.cpuRequestCores(), s.memoryRequestBytes());
            series.add(placed);
            writer.add(placed, where[1]);
        }
        assertEquals(PLACEMENT.size(), series.size());
        writer.oomKilled("data", "kafka-0", "kafka", SLICE_START, SLICE_END, OOM_1, OOM_2);
        prometheus = PrometheusProcess.start(writer, dir);
        history = new PrometheusUsageHistory(new PrometheusClient(PrometheusSettings.of(prometheus.url(), Duration.ofSeconds(30))));
    }

    @AfterAll
    void stopPrometheus() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    /** What the aggregator says for a namespace over {@code [end - hours, end)}, sorted like the source. */
    private List<PodUsage> expected(String namespace, long end, int hours) {
        long start = end - hours * H;
        List<PodUsage> out = new ArrayList<>();
        for (ContainerSeries s : series) {
            if (!s.namespace().equals(namespace) || s.between(start, end).isEmpty()) {
                continue;
            }
            HourlyUsage u = HourlyAggregator.aggregate(s, start, hours);
            if (s.workload().equals("kafka-0")) {
                HourlyUsage.Builder killed = HourlyUsages.copyOf(u);
                for (long t : OpenMetricsWriter.pointTimes(SLICE_START, SLICE_END)) {
                    int slot = u.slotOf(t);
                    if (OpenMetricsWriter.killedAt(t, OOM_1, OOM_2) && slot >= 0 && slot < hours) {
                        killed.oomKilled()[slot] = true;
                    }
                }
                u = killed.build();
            }
            out.add(new PodUsage(namespace, s.workload(), s.container(), u));
        }
        out.sort(Comparator.comparing(PodUsage::pod).thenComparing(PodUsage::container));
        return out;
    }

    @Test
    @Order(1)
    void everyNamespaceMatchesTheAggregatorHourByHour() throws Exception {
        int hours = (int) ((SLICE_END - SLICE_START) / H);
        long before = history.queries();
        List<String> namespaces = List.of("shop", "data", ODD_NAMESPACE, "idle");
        int hoursWithCpu = 0;
        int hoursWithCpuButNoMemory = 0;
        int hoursWithout = 0;
        int oomHours = 0;
        for (String ns : namespaces) {
            List<PodUsage> actual = history.namespace(ns, Instant.ofEpochSecond(SLICE_END), Duration.ofHours(hours));
            List<PodUsage> expected = expected(ns, SLICE_END, hours);
            assertSame(expected, actual);
            for (PodUsage p : actual) {
                for (int i = 0; i < hours; i++) {
                    hoursWithCpu += p.usage().hasCpu(i) ? 1 : 0;
                    hoursWithCpuButNoMemory += p.usage().hasCpu(i) && !p.usage().hasMemory(i) ? 1 : 0;
                    hoursWithout += p.usage().hasCpu(i) ? 0 : 1;
                    oomHours += p.usage().oomKilled()[i] ? 1 : 0;
                }
            }
        }
        // The cost of a refresh: a constant number of queries per namespace, whatever the pods.
        assertEquals((long) QUERIES_PER_NAMESPACE * namespaces.size(), history.queries() - before);
        // The slice really has what the comparison is meant to cover.
        assertTrue(hoursWithCpu > 8 * 180, "hours with CPU: " + hoursWithCpu);
        assertTrue(hoursWithCpuButNoMemory > 100, "memory gaps: " + hoursWithCpuButNoMemory);
        assertTrue(hoursWithout >= 8 * 23, "month-boundary hole: " + hoursWithout);
        assertEquals(3, oomHours, "OOM_1 touches hours 10 and 11, OOM_2 hour 100");
    }

    @Test
    @Order(2)
    void aWindowInsideTheDataMatchesAtBothEdges() throws Exception {
        // Ends 37 h before the slice does and starts mid-data: the samples just before the start
        // (whose rates are evaluated exactly at the start) and at the end must fall on the right side.
        long end = SLICE_END - 37 * H;
        for (String ns : List.of("shop", "data")) {
            assertSame(expected(ns, end, 50), history.namespace(ns, Instant.ofEpochSecond(end), Duration.ofHours(50)));
        }
    }

    @Test
    @Order(3)
    void aWindowSplitIntoChunksReadsTheSameAsInOneQuery() throws Exception {
        int hours = (int) ((SLICE_END - SLICE_START) / H);
        // 100 points per series: CPU rates in chunks of 8 hours, memory and OOM in chunks of 100.
        PrometheusUsageHistory chunked = new PrometheusUsageHistory(
                new PrometheusClient(PrometheusSettings.of(prometheus.url(), Duration.ofSeconds(30))), 100, 24);
        List<PodUsage> actual = chunked.namespace("shop", Instant.ofEpochSecond(SLICE_END), Duration.ofHours(hours));
        assertSame(expected("shop", SLICE_END, hours), actual);
        assertEquals(hours / 8 + 2L * ((hours + 99) / 100), chunked.queries());
    }

    @Test
    @Order(4)
    void theRatesReducedHereEqualPrometheusOwnSubqueriesHourByHour() throws Exception {
        // The way the hours used to be read (one quantile_over_time subquery per level, then mean
        // and count), computed by Prometheus: the Java reduction of the fetched rates must agree,
        // including a window whose edges cut the data.
        SubqueryUsageHistory subqueries = new SubqueryUsageHistory(
                new PrometheusClient(PrometheusSettings.of(prometheus.url(), Duration.ofSeconds(30))));
        int hours = (int) ((SLICE_END - SLICE_START) / H);
        for (String ns : List.of("shop", "data", ODD_NAMESPACE, "idle")) {
            assertSame(subqueries.namespace(ns, Instant.ofEpochSecond(SLICE_END), Duration.ofHours(hours)),
                    history.namespace(ns, Instant.ofEpochSecond(SLICE_END), Duration.ofHours(hours)));
            assertSame(subqueries.namespace(ns, Instant.ofEpochSecond(SLICE_END - 37 * H), Duration.ofHours(50)),
                    history.namespace(ns, Instant.ofEpochSecond(SLICE_END - 37 * H), Duration.ofHours(50)));
        }
    }

    @Test
    @Order(5)
    void aNamespaceWithoutPodsIsEmptyNotAnError() throws Exception {
        assertEquals(List.of(), history.namespace("nothing-here", Instant.ofEpochSecond(SLICE_END), Duration.ofHours(24)));
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aStoppedPrometheusIsReportedWithItsUrlAndTheQuery() throws Exception {
        prometheus.stop();
        PrometheusException e = assertThrows(PrometheusException.class,
                () -> history.namespace("shop", Instant.ofEpochSecond(SLICE_END), Duration.ofHours(24)));
        assertTrue(e.getMessage().startsWith("Prometheus query failed: POST " + prometheus.url() + "/api/v1/query_range: cannot connect"),
                e.getMessage());
        assertTrue(e.getMessage().contains("container_cpu_usage_seconds_total{namespace=\"shop\""), e.getMessage());
    }

    /** Same containers in the same order, then every hour of every field: CPU to 1e-5 relative, the rest exactly. */
    static void assertSame(List<PodUsage> expected, List<PodUsage> actual) {
        assertEquals(expected.stream().map(p -> p.namespace() + "/" + p.pod() + "/" + p.container()).toList(),
                actual.stream().map(p -> p.namespace() + "/" + p.pod() + "/" + p.container()).toList());
        List<String> mismatches = new ArrayList<>();
        for (int c = 0; c < expected.size(); c++) {
            HourlyUsage e = expected.get(c).usage();
            HourlyUsage a = actual.get(c).usage();
            String who = expected.get(c).pod() + "/" + expected.get(c).container();
            assertEquals(e.start(), a.start());
            assertEquals(e.hours(), a.hours());
            for (int i = 0; i < e.hours(); i++) {
                String at = who + " hour " + i + " (" + Instant.ofEpochSecond(e.start() + i * H) + ") ";
                close(mismatches, at + "mean", e.cpuMean()[i], a.cpuMean()[i], 1e-5);
                for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
                    close(mismatches, at + "q" + HourlyUsage.CPU_LEVELS[k], e.cpuQuantiles()[k][i], a.cpuQuantiles()[k][i], 1e-5);
                }
                close(mismatches, at + "memory", e.memoryMax()[i], a.memoryMax()[i], 0);
                close(mismatches, at + "samples", e.samples()[i], a.samples()[i], 0);
                close(mismatches, at + "oom", e.oomKilled()[i] ? 1 : 0, a.oomKilled()[i] ? 1 : 0, 0);
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " mismatches, first: " + String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size()))));
        }
    }

    private static void close(List<String> mismatches, String what, double expected, double actual, double relative) {
        boolean ok = Double.isNaN(expected) ? Double.isNaN(actual)
                : Math.abs(expected - actual) <= relative * Math.max(Math.abs(expected), Math.abs(actual));
        if (!ok) {
            mismatches.add(what + ": expected " + expected + " but was " + actual);
        }
    }
}
