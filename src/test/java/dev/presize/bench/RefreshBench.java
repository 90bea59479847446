package dev.presize.bench;

import dev.presize.history.IncrementalUsageHistory;
import dev.presize.history.PodUsage;
import dev.presize.history.SeriesKey;
import dev.presize.history.UsageHistory;
import dev.presize.history.prometheus.PrometheusClient;
import dev.presize.history.prometheus.PrometheusSettings;
import dev.presize.history.prometheus.PrometheusUsageHistory;
import dev.presize.model.ContainerHistory;
import dev.presize.format.GoDuration;
import dev.presize.model.learned.ModelFactory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.baselines.VpaRecommender;
import dev.presize.config.ModelSettings;
import dev.presize.config.ServerFlags;
import dev.presize.model.learned.LearnedStrategy;
import dev.presize.recommendations.Refresher;
import dev.presize.v1beta1.Requests;
import dev.presize.recommendations.SnapshotStore;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadRef;
import dev.presize.workloads.WorkloadSource;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The refresh of the {@link SyntheticFleet} against a real Prometheus holding its TSDB
 * ({@link BuildTsdb}), through the server's own {@link Refresher} and {@link IncrementalUsageHistory}
 * over {@link PrometheusUsageHistory}, as the server runs it, in a fresh JVM:
 *
 * <ol>
 *   <li><b>first fill</b>: the first refresh after a start, at the hour before the data's end: every
 *       namespace's 14 days fetched in day chunks, the strategy trained, the objects built;</li>
 *   <li><b>steady</b>: the refresh one hour later, at the data's end: only the new hour is fetched
 *       per namespace. It runs with a fresh strategy instance, so it trains as the refresh on which
 *       {@code --retrain-interval} falls does (the worst steady refresh; the others within the
 *       interval only predict); the strategy is then called once more on the same histories, which
 *       is prediction alone, so training ≈ strategy − predict.</li>
 * </ol>
 *
 * <p>Measured per phase: wall time; time inside {@link UsageHistory#namespace} (cache, HTTP,
 * Prometheus' evaluation, parsing: "query"); time inside {@link RequestStrategy#recommend}; queries
 * ({@link PrometheusClient#queries()}); Prometheus' own {@code process_cpu_seconds_total}; and for
 * the whole run the heap from the JVM's GC notifications (the largest occupancy before a collection,
 * garbage included, and the largest right after one), plus the live heap after a full GC at the end,
 * with the history held, and the held history's own size per container.
 *
 * <p>Usage: {@code RefreshBench <prometheus url> <model|vpa> <containers> <namespaces> <seed> <timeout>}; prints
 * one line of {@code key=value} figures.
 */
public final class RefreshBench {

    private RefreshBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: RefreshBench <prometheus url> <model|vpa> <containers> <namespaces> <seed>"
                    + " <prometheus timeout, e.g. 30s>");
            System.exit(2);
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        URI url = URI.create(args[0]);
        String which = args[1];
        SyntheticFleet fleet = SyntheticFleet.build(Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Long.parseLong(args[4]));
        // The server's defaults: the risks 0.05/0.01, --retrain-interval 6h, --refresh-interval 15m,
        // --history 336h; --prometheus-timeout as given (the server's default is 30s).
        PrometheusClient client = new PrometheusClient(PrometheusSettings.of(url, GoDuration.parse(args[5])));
        // The data is from 2024: on the wall clock every hour of it is settled, as in a live cluster
        // an hour is 10 minutes after its end.
        IncrementalUsageHistory cache = new IncrementalUsageHistory(new PrometheusUsageHistory(client), Clock.systemUTC());
        TimedHistory history = new TimedHistory(cache);
        HeapWatch heap = HeapWatch.install();
        heap.reset();
        Phase first = run("first", history, fleet, strategy(which), client, url,
                Instant.ofEpochSecond(SyntheticFleet.END - 3600), false);
        long heldBytes = cache.bytes();
        long heldContainers = cache.containers();
        Phase steady = run("steady", history, fleet, strategy(which), client, url, Instant.ofEpochSecond(SyntheticFleet.END), true);
        Thread.sleep(200); // GC notifications arrive on their own thread
        heap.sampleNow();
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("strategy=%s workloads=%d pod_containers=%d container_histories=%d objects=%d models=%s"
                        + " %s %s held_containers=%d held_mb=%.1f held_bytes_per_container=%d"
                        + " peak_heap_mb=%d peak_after_gc_mb=%d live_after_gc_mb=%d gcs=%d xmx_mb=%d%n",
                which, fleet.workloads().size(), fleet.podContainers().size(), steady.histories, steady.objects,
                steady.models, first.line(), steady.line(), heldContainers, heldBytes / 1048576.0,
                heldContainers == 0 ? 0 : heldBytes / heldContainers, heap.peakUsed() >> 20, heap.peakAfterGc() >> 20,
                live >> 20, heap.collections(), Runtime.getRuntime().maxMemory() >> 20);
        System.exit(0); // the Prometheus client's watchdog and HTTP threads
    }

    private static RequestStrategy strategy(String which) {
        return switch (which) {
            case "model" -> new LearnedStrategy(ModelFactory.settings(new ModelSettings(0.05, 0.02, 0.01,
                    Duration.ofHours(6), Double.parseDouble(ServerFlags.CHANGE_COST.defaultValue()))));
            case "vpa" -> new VpaRecommender();
            default -> throw new IllegalArgumentException("strategy must be model or vpa, got " + which);
        };
    }

    /** One refresh's figures, printed with the phase's name as prefix. */
    private record Phase(String name, double wall, double query, double strategy, double predict, long queries,
                         double prometheusCpu, double jvmCpu, int histories, int objects, String models) {

        String line() {
            return String.format("%1$s_wall_s=%2$.1f %1$s_query_s=%3$.1f %1$s_strategy_s=%4$.1f %1$s_predict_s=%5$.1f"
                            + " %1$s_train_s=%6$.1f %1$s_rest_s=%7$.1f %1$s_queries=%8$d %1$s_prometheus_cpu_s=%9$.1f"
                            + " %1$s_jvm_cpu_s=%10$.1f", name, wall, query, strategy, predict, Math.max(0, strategy - predict),
                    wall - query - strategy, queries, prometheusCpu, jvmCpu);
        }
    }

    private static Phase run(String name, TimedHistory history, SyntheticFleet fleet, RequestStrategy inner,
                             PrometheusClient client, URI url, Instant at, boolean repeat) throws Exception {
        TimedStrategy strategy = new TimedStrategy(inner);
        SnapshotStore store = new SnapshotStore();
        Refresher refresher = new Refresher(store, history, new FixedWorkloads(fleet), strategy,
                Duration.ofMinutes(15), Duration.ofHours(336), Clock.systemUTC());
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double promCpu = EngineMetrics.cpuSeconds(url);
        long jvmCpu = os.getProcessCpuTime();
        long queries = client.queries();
        long queryNanos = history.nanos;
        long started = System.nanoTime();
        if (!refresher.refresh(at)) {
            throw new IllegalStateException(name + " refresh failed: " + refresher.staleReason().orElse("?"));
        }
        long wall = System.nanoTime() - started;
        jvmCpu = os.getProcessCpuTime() - jvmCpu;
        promCpu = EngineMetrics.cpuSeconds(url) - promCpu;
        queries = client.queries() - queries;
        queryNanos = history.nanos - queryNanos;
        List<Requests> objects = store.current().list(null);
        Map<String, Long> models = objects.stream().collect(Collectors.groupingBy(r -> r.model().name(),
                TreeMap::new, Collectors.counting()));
        long strategyNanos = strategy.nanos;
        // The same call again reuses the trained model: prediction alone.
        strategy.recommend(strategy.histories, strategy.decision);
        long predictNanos = strategy.nanos - strategyNanos;
        return new Phase(name, wall / 1e9, queryNanos / 1e9, strategyNanos / 1e9, predictNanos / 1e9, queries, promCpu,
                jvmCpu / 1e9, strategy.histories.size(), objects.size(), models.toString().replace(' ', '_'));
    }

    /** The fleet's workloads, with pods attributed through the fleet's own pod → workload map. */
    private record FixedWorkloads(SyntheticFleet fleet) implements WorkloadSource {

        @Override
        public List<Workload> workloads(Instant at) {
            return fleet.workloads();
        }

        @Override
        public Optional<WorkloadRef> ownerOf(List<Workload> workloads, String namespace, String pod, String container) {
            return Optional.ofNullable(fleet.ownerOf(namespace, pod));
        }
    }

    private static final class TimedHistory implements UsageHistory {
        private final UsageHistory inner;
        private long nanos;

        TimedHistory(UsageHistory inner) {
            this.inner = inner;
        }

        @Override
        public void beginRefresh(Collection<String> namespaces, Instant end, Duration window) {
            inner.beginRefresh(namespaces, end, window);
        }

        @Override
        public void endRefresh(boolean complete) {
            inner.endRefresh(complete);
        }

        @Override
        public List<PodUsage> namespace(String namespace, Instant end, Duration window) throws IOException {
            long t = System.nanoTime();
            try {
                return inner.namespace(namespace, end, window);
            } finally {
                nanos += System.nanoTime() - t;
            }
        }
    }

    /** Times the strategy (wall and the calling thread's CPU) and keeps its last input for a repeat. */
    private static final class TimedStrategy implements RequestStrategy {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final RequestStrategy inner;
        private long nanos;
        private long cpuNanos;
        private List<ContainerHistory> histories = List.of();
        private long decision;

        TimedStrategy(RequestStrategy inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long at) {
            long t = System.nanoTime();
            long cpu = THREADS.getCurrentThreadCpuTime();
            try {
                histories = containers;
                decision = at;
                return inner.recommend(containers, at);
            } finally {
                nanos += System.nanoTime() - t;
                cpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
            }
        }
    }
}
