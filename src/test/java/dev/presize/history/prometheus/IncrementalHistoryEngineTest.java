package dev.presize.history.prometheus;

import dev.presize.history.ContainerSeries;
import dev.presize.history.IncrementalUsageHistory;
import dev.presize.history.PodUsage;
import dev.presize.history.TestSlice;
import dev.presize.history.UsageHistory;
import dev.presize.model.baselines.VpaRecommender;
import dev.presize.recommendations.Refresher;
import dev.presize.recommendations.SnapshotStore;
import dev.presize.security.MutableClock;
import dev.presize.v1beta1.Condition;
import dev.presize.v1beta1.ObjectMeta;
import dev.presize.v1beta1.Requests;
import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadKind;
import dev.presize.workloads.WorkloadRef;
import dev.presize.workloads.WorkloadSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IncrementalUsageHistory} over a real engine (a subclass per engine: Prometheus and
 * VictoriaMetrics) holding a slice of a real trace: each incremental read, which fetches only the
 * hours it does not hold, must equal a full read of the same window through
 * {@link PrometheusUsageHistory} (the same hours reduced from the same samples: compared with
 * {@code equals}, bit for bit); containers leave the cache when their last hour leaves the window;
 * an hour is kept only once settled; and an engine stopped during the first fill or later leaves
 * the cache, and the objects the {@link Refresher} serves, as they were (with {@code Stale}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class IncrementalHistoryEngineTest {

    /** The slice: 2013-07-27T00:00Z to 2013-08-05T00:00Z. */
    private static final long SLICE_START = 1374883200;
    private static final long SLICE_END = 1375660800;
    private static final long H = 3600;
    private static final Duration WINDOW = Duration.ofHours(72);
    /** One source call per chunk: CPU, memory, OOM. */
    private static final int QUERIES_PER_CHUNK = 3;
    private static final List<String> NAMESPACES = List.of("shop", "data", "idle");
    /** Long after the slice: every hour of it is settled. */
    private static final Instant LATER = Instant.parse("2026-01-01T00:00:00Z");

    /** VM → namespace, pod, container; idle's pods end early (churn). */
    private static final Map<String, String[]> PLACEMENT = new LinkedHashMap<>();

    static {
        PLACEMENT.put("vm-96", new String[] {"shop", "web-7d9f8b6c4-x2x8q", "app"});
        PLACEMENT.put("vm-70", new String[] {"shop", "web-7d9f8b6c4-x2x8q", "envoy"});
        PLACEMENT.put("vm-133", new String[] {"shop", "web-7d9f8b6c4-q7k2m", "app"});
        PLACEMENT.put("vm-80", new String[] {"data", "kafka-0", "kafka"});
        PLACEMENT.put("vm-24", new String[] {"data", "kafka-1", "kafka"});
        PLACEMENT.put("vm-422", new String[] {"idle", "cron-1", "c"});
        PLACEMENT.put("vm-99", new String[] {"idle", "cron-2", "c"});
    }

    private MetricsEngine engine;
    private PrometheusUsageHistory full;

    /** Starts the engine under test on 127.0.0.1 holding {@code data}. */
    abstract MetricsEngine startEngine(OpenMetricsWriter data, Path dir) throws IOException, InterruptedException;

    @BeforeAll
    void load(@TempDir Path dir) throws Exception {
        List<ContainerSeries> raw = TestSlice.read();
        OpenMetricsWriter writer = new OpenMetricsWriter();
        for (ContainerSeries s : raw) {
            String[] where = PLACEMENT.get(s.workload());
            if (where == null) {
                continue;
            }
            ContainerSeries placed = new ContainerSeries(where[0], where[1], where[2], s.timestamps(), s.cpuCores(),
                    s.memoryBytes(), s.cpuRequestCores(), s.memoryRequestBytes());
            // The idle pods stop half-way: they must leave the cache once their last hour leaves the window.
            writer.add(where[0].equals("idle") ? placed.between(SLICE_START, SLICE_START + 100 * H) : placed, where[1]);
        }
        writer.oomKilled("data", "kafka-0", "kafka", SLICE_START, SLICE_END,
                new long[] {SLICE_START + 110 * H + 600, SLICE_START + 111 * H + 2400});
        engine = startEngine(writer, Files.createDirectories(dir.resolve("engine")));
        full = source();
    }

    @AfterAll
    void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    private PrometheusUsageHistory source() {
        // Short retry backoff: a stopped engine fails its three attempts within a second.
        return new PrometheusUsageHistory(new PrometheusClient(
                PrometheusSettings.of(engine.url(), Duration.ofSeconds(30)), Duration.ofMillis(20)));
    }

    private List<PodUsage> fullRead(String ns, long end) throws IOException {
        return full.namespace(ns, Instant.ofEpochSecond(end), WINDOW);
    }

    @Test
    @Order(1)
    void everyIncrementalReadEqualsAFullReadOfTheSameWindow() throws Exception {
        PrometheusUsageHistory source = source();
        IncrementalUsageHistory cache = new IncrementalUsageHistory(source, Clock.fixed(LATER, java.time.ZoneOffset.UTC));
        long first = SLICE_START + 90 * H;
        int listed = 0;
        // Hour by hour over a day that holds the OOM kill and idle's end, then in jumps (a missed
        // refresh, an outage) until after the data: every read equals a full read, bit for bit.
        List<Long> ends = new ArrayList<>();
        for (long t = first; t <= first + 30 * H; t += H) {
            ends.add(t);
        }
        for (long t = first + 37 * H; t < SLICE_END + WINDOW.toSeconds(); t += 13 * H) {
            ends.add(t);
        }
        // The first window without any of the data's hours.
        ends.add(SLICE_END + WINDOW.toSeconds());
        long previous = -1;
        for (long end : ends) {
            long before = source.queries();
            cache.beginRefresh(NAMESPACES, Instant.ofEpochSecond(end), WINDOW);
            for (String ns : NAMESPACES) {
                List<PodUsage> incremental = cache.namespace(ns, Instant.ofEpochSecond(end), WINDOW);
                assertEquals(fullRead(ns, end), incremental, ns + " at " + Instant.ofEpochSecond(end));
                listed += incremental.size();
            }
            cache.endRefresh(true);
            long newHours = previous < 0 ? WINDOW.toHours() : (end - previous) / H;
            long chunks = (newHours + IncrementalUsageHistory.CHUNK_HOURS - 1) / IncrementalUsageHistory.CHUNK_HOURS;
            // Only the new hours were asked for: one chunk per namespace and day, never the window again.
            assertEquals(chunks * QUERIES_PER_CHUNK * NAMESPACES.size(), source.queries() - before,
                    "queries for the read at " + Instant.ofEpochSecond(end));
            previous = end;
        }
        assertTrue(listed > 100, "the reads listed containers: " + listed);
        // After the data has left the window, nothing is held.
        assertEquals(0, cache.containers());
        assertEquals(0, cache.bytes());
    }

    @Test
    @Order(2)
    void containersThatLeftTheWindowAreForgottenAndTheOthersHoldAtMostTheWindow() throws Exception {
        IncrementalUsageHistory cache = new IncrementalUsageHistory(source(), Clock.fixed(LATER, java.time.ZoneOffset.UTC));
        long end = SLICE_START + 100 * H;
        for (String ns : NAMESPACES) {
            cache.namespace(ns, Instant.ofEpochSecond(end), WINDOW);
        }
        assertEquals(PLACEMENT.size(), cache.containers());
        for (int step = 1; step <= 80; step++) {
            for (String ns : NAMESPACES) {
                cache.namespace(ns, Instant.ofEpochSecond(end + step * H), WINDOW);
            }
            assertTrue(cache.hours() <= cache.containers() * WINDOW.toHours(), "held hours " + cache.hours());
        }
        // idle's pods stopped at hour 100; 80 hours later their last hour has left the 72-hour window.
        assertEquals(PLACEMENT.size() - 2, cache.containers());
        assertEquals(List.of(), cache.namespace("idle", Instant.ofEpochSecond(end + 80 * H), WINDOW));
        assertTrue(cache.bytesPerContainer() > 0 && cache.bytesPerContainer() < 72 * 40 + 1024,
                "bytes per container: " + cache.bytesPerContainer());
    }

    @Test
    @Order(3)
    void anHourIsKeptOnlyOnceItIsSettled() throws Exception {
        PrometheusUsageHistory source = source();
        long end = SLICE_START + 120 * H;
        // Five minutes after the hour: the last hour of the window is read but not kept.
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(end + 300));
        IncrementalUsageHistory cache = new IncrementalUsageHistory(source, clock);
        assertEquals(fullRead("shop", end), cache.namespace("shop", Instant.ofEpochSecond(end), WINDOW));
        long before = source.queries();
        assertEquals(fullRead("shop", end), cache.namespace("shop", Instant.ofEpochSecond(end), WINDOW));
        assertEquals(QUERIES_PER_CHUNK, source.queries() - before, "the unsettled hour is read again");
        clock.advance(IncrementalUsageHistory.SETTLE);
        before = source.queries();
        assertEquals(fullRead("shop", end), cache.namespace("shop", Instant.ofEpochSecond(end), WINDOW));
        assertEquals(QUERIES_PER_CHUNK, source.queries() - before, "the settled hour is read once more, and kept");
        before = source.queries();
        assertEquals(fullRead("shop", end), cache.namespace("shop", Instant.ofEpochSecond(end), WINDOW));
        assertEquals(0, source.queries() - before, "everything is held");
    }

    @Test
    @Order(4)
    void anEngineStoppedDuringTheFillOrLaterLeavesTheCacheAsItWas() throws Exception {
        PrometheusUsageHistory source = source();
        long end = SLICE_START + 120 * H;
        StopAfter stopping = new StopAfter(source, 2);
        IncrementalUsageHistory cache = new IncrementalUsageHistory(stopping, Clock.fixed(LATER, java.time.ZoneOffset.UTC));
        try {
            // The fill of shop is three day chunks; the engine goes away after two.
            assertThrows(IOException.class, () -> cache.namespace("shop", Instant.ofEpochSecond(end), WINDOW));
            assertEquals(0, cache.containers(), "nothing of the interrupted fill is kept");
            engine.restart();
            stopping.remaining = Integer.MAX_VALUE;
            assertEquals(fullRead("shop", end), cache.namespace("shop", Instant.ofEpochSecond(end), WINDOW));
            long hours = cache.hours();
            stopping.remaining = 0;
            assertThrows(IOException.class, () -> cache.namespace("shop", Instant.ofEpochSecond(end + 2 * H), WINDOW));
            assertEquals(hours, cache.hours(), "a failed read keeps the held hours as they were");
            engine.restart();
            stopping.remaining = Integer.MAX_VALUE;
            assertEquals(fullRead("shop", end + 2 * H), cache.namespace("shop", Instant.ofEpochSecond(end + 2 * H), WINDOW));
        } finally {
            stopping.remaining = Integer.MAX_VALUE;
            ensureRunning();
        }
    }

    @Test
    @Order(5)
    void theRefresherServesTheSameObjectsAsAFullRecomputationAndStaysStaleThroughAnOutage() throws Exception {
        long end = SLICE_START + 120 * H;
        Duration interval = Duration.ofMinutes(15);
        StopAfter stopping = new StopAfter(source(), 4);
        IncrementalUsageHistory cache = new IncrementalUsageHistory(stopping, Clock.fixed(LATER, java.time.ZoneOffset.UTC));
        SnapshotStore served = new SnapshotStore();
        Refresher refresher = new Refresher(served, cache, new Pods(), new VpaRecommender(), interval, WINDOW,
                Clock.fixed(LATER, java.time.ZoneOffset.UTC));
        try {
            // The engine goes away during the first fill: nothing to serve yet, and nothing served.
            assertFalse(refresher.refresh(Instant.ofEpochSecond(end)));
            assertEquals(List.of(), served.current().list(null));
            engine.restart();
            stopping.remaining = Integer.MAX_VALUE;
            assertTrue(refresher.refresh(Instant.ofEpochSecond(end)));
            List<Requests> good = served.current().list(null);
            assertEquals(fullRefresh(end, interval), withoutVersion(good));
            assertEquals(PLACEMENT.values().stream().map(p -> p[0] + "/" + p[1]).distinct().count(), good.size());

            // Later: the engine goes away again. The objects stay, with Stale added.
            stopping.remaining = 0;
            assertFalse(refresher.refresh(Instant.ofEpochSecond(end + H)));
            List<Requests> stale = served.current().list(null);
            assertEquals(good.size(), stale.size());
            for (int i = 0; i < good.size(); i++) {
                assertEquals(good.get(i).resources(), stale.get(i).resources());
                assertEquals(good.get(i).containers(), stale.get(i).containers());
                assertTrue(stale.get(i).conditions().stream().map(Condition::type).anyMatch("Stale"::equals));
            }
            engine.restart();
            stopping.remaining = Integer.MAX_VALUE;
            assertTrue(refresher.refresh(Instant.ofEpochSecond(end + 2 * H)));
            assertEquals(fullRefresh(end + 2 * H, interval), withoutVersion(served.current().list(null)));
        } finally {
            stopping.remaining = Integer.MAX_VALUE;
            ensureRunning();
        }
    }

    /** What a refresher reading every hour afresh serves for the same instant. */
    private List<Requests> fullRefresh(long at, Duration interval) {
        SnapshotStore store = new SnapshotStore();
        Refresher refresher = new Refresher(store, source(), new Pods(), new VpaRecommender(), interval, WINDOW,
                Clock.fixed(LATER, java.time.ZoneOffset.UTC));
        assertTrue(refresher.refresh(Instant.ofEpochSecond(at)));
        return withoutVersion(store.current().list(null));
    }

    /**
     * The objects without their resourceVersion: the store's count of replacements at one instant
     * (a failed refresh re-publishes with Stale, the next one at the same instant counts on), not
     * content.
     */
    private static List<Requests> withoutVersion(List<Requests> objects) {
        return objects.stream().map(r -> new Requests(r.apiVersion(), r.kind(),
                new ObjectMeta(r.metadata().name(), r.metadata().namespace(), r.metadata().creationTimestamp(),
                        r.metadata().labels(), null),
                r.target(), r.timestamp(), r.window(), r.resources(), r.containers(), r.model(), r.conditions())).toList();
    }

    private void ensureRunning() throws Exception {
        try {
            full.namespace("shop", Instant.ofEpochSecond(SLICE_END), Duration.ofHours(1));
        } catch (IOException e) {
            engine.restart();
        }
    }

    /** The source, until {@code remaining} calls have been made: then the engine is stopped (a real outage). */
    private final class StopAfter implements UsageHistory {
        private final UsageHistory inner;
        volatile int remaining;

        StopAfter(UsageHistory inner, int remaining) {
            this.inner = inner;
            this.remaining = remaining;
        }

        @Override
        public List<PodUsage> namespace(String namespace, Instant end, Duration window) throws IOException {
            if (remaining-- <= 0) {
                try {
                    engine.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            return inner.namespace(namespace, end, window);
        }
    }

    /** One Deployment per pod of the placement, named after the pod, owning it. */
    private static final class Pods implements WorkloadSource {

        @Override
        public List<Workload> workloads(Instant at) {
            Map<String, List<ContainerSpec>> byPod = new LinkedHashMap<>();
            for (String[] p : PLACEMENT.values()) {
                byPod.computeIfAbsent(p[0] + "/" + p[1], k -> new ArrayList<>()).add(new ContainerSpec(p[2], 1.0, 1e9));
            }
            List<Workload> out = new ArrayList<>();
            byPod.forEach((key, containers) -> {
                String[] nsPod = key.split("/");
                out.add(new Workload(nsPod[0], WorkloadKind.ofKind("Deployment"), nsPod[1], Map.of(),
                        Instant.ofEpochSecond(SLICE_START), containers));
            });
            return out;
        }

        @Override
        public Optional<WorkloadRef> ownerOf(List<Workload> workloads, String namespace, String pod, String container) {
            return workloads.stream().filter(w -> w.namespace().equals(namespace) && w.name().equals(pod))
                    .map(Workload::ref).findFirst();
        }
    }

}
