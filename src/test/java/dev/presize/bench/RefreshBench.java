package dev.presize.bench;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One full refresh of the {@link SyntheticFleet} against a real Prometheus holding its TSDB
 * ({@link BuildTsdb}), through the server's own {@link Refresher}: {@link PrometheusUsageHistory} per
 * namespace → attribution and pooling per workload container → the strategy (the server's
 * {@link LearnedStrategy} with its default flags, or the {@code vpa} baseline) → Requests objects →
 * {@link SnapshotStore}, in a fresh JVM, as the server's first refresh after a start. Only the
 * workload source differs from the server: a fixed list built from the fleet (pods attributed by a name → workload map) instead of the informer-backed cluster source.
 *
 * <p>Then the strategy is called once more on the same histories and instant, as the server's next
 * refresh within {@code --retrain-interval} would call it: the trained model is reused, so that time
 * is prediction alone, and the refresh's strategy time minus it is the training. (The next refresh
 * would also query Prometheus again, at the same cost as the first.)
 *
 * <p>Measured per refresh: wall time; time inside {@link UsageHistory#namespace} (HTTP, Prometheus'
 * evaluation, JSON parsing: "query"); time inside {@link RequestStrategy#recommend}; the rest
 * (attribution, pooling, building and publishing the objects); Prometheus queries and HTTP requests
 * ({@link PrometheusClient#queries()}, {@link PrometheusClient#requests()}); CPU seconds, as the
 * machine is shared and wall times depend on its load: this JVM's, the strategy's thread's
 * (XGBoost runs with one thread, on it), and Prometheus' own ({@code process_cpu_seconds_total} from
 * its {@code /metrics}); and the heap from the JVM's
 * GC notifications: the largest heap occupancy seen before any collection or at the end of the
 * refresh ("peak heap used", garbage included, so it depends on -Xmx), and the largest occupancy
 * right after a collection ("peak after GC", close to the live data the refresh needed).
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
        TimedHistory history = new TimedHistory(new PrometheusUsageHistory(client));
        RequestStrategy inner = switch (which) {
            case "model" -> new LearnedStrategy(ModelFactory.settings(new ModelSettings(0.05, 0.02, 0.01,
                    Duration.ofHours(6))));
            case "vpa" -> new VpaRecommender();
            default -> throw new IllegalArgumentException("strategy must be model or vpa, got " + which);
        };
        TimedStrategy strategy = new TimedStrategy(inner);
        SnapshotStore store = new SnapshotStore();
        Refresher refresher = new Refresher(store, history, new FixedWorkloads(fleet), strategy,
                Duration.ofMinutes(15), Duration.ofHours(336), Clock.systemUTC());
        HeapWatch heap = HeapWatch.install();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Instant at = Instant.ofEpochSecond(SyntheticFleet.END);
        double promCpu = EngineMetrics.cpuSeconds(url);
        long jvmCpu = os.getProcessCpuTime();
        heap.reset();
        long started = System.nanoTime();
        if (!refresher.refresh(at)) {
            throw new IllegalStateException("refresh failed: " + refresher.staleReason().orElse("?"));
        }
        long wall = System.nanoTime() - started;
        jvmCpu = os.getProcessCpuTime() - jvmCpu;
        promCpu = EngineMetrics.cpuSeconds(url) - promCpu;
        Thread.sleep(200); // GC notifications arrive on their own thread
        heap.sampleNow();
        List<Requests> objects = store.current().list(null);
        Map<String, Long> models = objects.stream().collect(Collectors.groupingBy(r -> r.model().name(),
                TreeMap::new, Collectors.counting()));
        // The server's next refresh within --retrain-interval reuses the trained model: the same call
        // again is prediction alone, and the difference to the first is the training.
        long strategyNanos = strategy.nanos;
        long strategyCpu = strategy.cpuNanos;
        strategy.recommend(strategy.histories, strategy.decision);
        long predictNanos = strategy.nanos - strategyNanos;
        System.out.printf("strategy=%s workloads=%d pod_containers=%d container_histories=%d objects=%d models=%s"
                        + " wall_s=%.1f query_s=%.1f strategy_s=%.1f rest_s=%.1f predict_only_s=%.1f"
                        + " strategy_cpu_s=%.1f jvm_cpu_s=%.1f queries=%d http_requests=%d prometheus_cpu_s=%.1f"
                        + " peak_heap_mb=%d peak_after_gc_mb=%d gcs=%d xmx_mb=%d%n",
                which, fleet.workloads().size(), fleet.podContainers().size(), strategy.histories.size(),
                objects.size(), models.toString().replace(' ', '_'), wall / 1e9, history.nanos / 1e9,
                strategyNanos / 1e9, (wall - history.nanos - strategyNanos) / 1e9, predictNanos / 1e9,
                strategyCpu / 1e9, jvmCpu / 1e9, client.queries(), client.requests(), promCpu,
                heap.peakUsed() >> 20, heap.peakAfterGc() >> 20, heap.collections(), Runtime.getRuntime().maxMemory() >> 20);
        System.exit(0); // the Prometheus client's watchdog and HTTP threads
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
