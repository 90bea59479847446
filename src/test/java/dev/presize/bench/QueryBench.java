package dev.presize.bench;

import dev.presize.format.GoDuration;
import dev.presize.history.HourlyUsage;
import dev.presize.history.PodUsage;
import dev.presize.history.UsageHistory;
import dev.presize.history.prometheus.PrometheusClient;
import dev.presize.history.prometheus.PrometheusSettings;
import dev.presize.history.prometheus.QueryAlternatives;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the whole history of the {@link SyntheticFleet} (every namespace, 14 days, as the server's
 * first refresh does) from a real Prometheus holding its TSDB ({@link BuildTsdb}) one way
 * ({@link QueryAlternatives}), in a fresh JVM, and prints what it cost: wall time, queries, HTTP
 * requests, Prometheus' own CPU ({@code process_cpu_seconds_total} before and after), response bytes
 * (as on the wire, gzip), and this JVM's peak heap ({@link HeapWatch}). The histories are kept until
 * the end, as a refresh keeps them for the model.
 *
 * <p>Also prints a fingerprint of what was read (containers, hours with CPU, sums of the hourly mean,
 * p95 and max CPU and of the memory maxima), so the alternatives can be seen to read the same hours;
 * RealPrometheusTest checks that hour by hour.
 *
 * <p>Usage: {@code QueryBench <prometheus url> <alternative> <namespaces> <timeout>}.
 */
public final class QueryBench {

    private QueryBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: QueryBench <prometheus url> <subquery|rate|rate:<hours>> <namespaces> <timeout, e.g. 30s>");
            System.exit(2);
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        URI url = URI.create(args[0]);
        String alternative = args[1];
        int namespaces = Integer.parseInt(args[2]);
        PrometheusClient client = new PrometheusClient(PrometheusSettings.of(url, GoDuration.parse(args[3])));
        UsageHistory history = QueryAlternatives.create(alternative, client);
        Instant end = Instant.ofEpochSecond(SyntheticFleet.END);
        Duration window = Duration.ofHours(336);

        HeapWatch heap = HeapWatch.install();
        List<List<PodUsage>> kept = new ArrayList<>();
        double promCpu = EngineMetrics.cpuSeconds(url);
        heap.reset();
        long started = System.nanoTime();
        for (int n = 0; n < namespaces; n++) {
            kept.add(history.namespace(String.format("team-%02d", n), end, window));
        }
        long wall = System.nanoTime() - started;
        promCpu = EngineMetrics.cpuSeconds(url) - promCpu;
        Thread.sleep(200); // GC notifications arrive on their own thread
        heap.sampleNow();

        long containers = 0;
        long cpuHours = 0;
        double meanSum = 0;
        double p95Sum = 0;
        double maxSum = 0;
        double memorySum = 0;
        for (List<PodUsage> ns : kept) {
            for (PodUsage p : ns) {
                containers++;
                HourlyUsage u = p.usage();
                for (int i = 0; i < u.hours(); i++) {
                    if (u.hasCpu(i)) {
                        cpuHours++;
                        meanSum += u.cpuMean()[i];
                        p95Sum += u.cpuQuantiles()[2][i];
                        maxSum += u.cpuMax(i);
                    }
                    if (u.hasMemory(i)) {
                        memorySum += u.memoryMax()[i];
                    }
                }
            }
        }
        System.out.printf("alternative=%s wall_s=%.1f queries=%d http_requests=%d prometheus_cpu_s=%.1f response_mib=%.1f"
                        + " peak_heap_mb=%d peak_after_gc_mb=%d containers=%d cpu_hours=%d mean_sum=%.4f p95_sum=%.4f"
                        + " max_sum=%.4f memory_sum_gib=%.4f%n",
                alternative, wall / 1e9, client.queries(), client.requests(), promCpu, client.responseBytes() / 1048576.0,
                heap.peakUsed() >> 20, heap.peakAfterGc() >> 20, containers, cpuHours, meanSum, p95Sum, maxSum,
                memorySum / (1L << 30));
        System.exit(0); // the Prometheus client's watchdog and HTTP threads
    }
}
