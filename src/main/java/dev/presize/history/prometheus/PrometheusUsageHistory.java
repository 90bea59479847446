package dev.presize.history.prometheus;

import dev.presize.history.HourlyUsage;
import dev.presize.history.PodUsage;
import dev.presize.history.UsageHistory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Usage history from Prometheus (or an engine with its HTTP API): for each namespace the
 * {@link UsageQueries} as hourly {@code query_range}s, joined per (pod, container) into
 * {@link HourlyUsage}. A refresh costs {@link UsageQueries#forNamespace} queries per namespace per
 * 11,000 hours of window, whatever the number of pods; {@link #queries()} counts them.
 *
 * <p>Hour slot {@code i} of a result covers {@code [start + i h, start + (i+1) h)} and is read from
 * the evaluation at its end, {@code start + (i+1) h}: the range queries run from {@code start + 1h}
 * to {@code end} with a 1h step.
 *
 * <p>A Micronaut bean only when {@code --prometheus-url} is set; see {@link PrometheusBeans}.
 */
public final class PrometheusUsageHistory implements UsageHistory {

    /** Prometheus refuses a range query whose (end - start) / step exceeds 11,000 points per series. */
    static final int MAX_POINTS = 11_000;

    private final PrometheusClient client;
    private final int maxPoints;

    public PrometheusUsageHistory(PrometheusClient client) {
        this(client, MAX_POINTS);
    }

    PrometheusUsageHistory(PrometheusClient client, int maxPoints) {
        this.client = client;
        this.maxPoints = maxPoints;
    }

    /** Queries sent so far, over the life of this source; retries count once. */
    public long queries() {
        return client.queries();
    }

    public PrometheusClient client() {
        return client;
    }

    @Override
    public List<PodUsage> namespace(String namespace, Instant end, Duration window) throws IOException {
        long endSecond = end.getEpochSecond();
        long seconds = window.getSeconds();
        if (end.getNano() != 0 || window.getNano() != 0 || endSecond % HourlyUsage.HOUR != 0
                || seconds % HourlyUsage.HOUR != 0 || seconds <= 0) {
            throw new IllegalArgumentException("end and window must be whole hours, got " + end + " and " + window);
        }
        long start = endSecond - seconds;
        int hours = Math.toIntExact(seconds / HourlyUsage.HOUR);
        // Sorted by (pod, container) so every replica builds the same list in the same order.
        Map<String, Map<String, HourlyUsage.Builder>> byPod = new TreeMap<>();
        for (UsageQueries.Query q : UsageQueries.forNamespace(namespace)) {
            for (int from = 0; from < hours; from += maxPoints) {
                int to = Math.min(hours, from + maxPoints);
                List<Series> result = client.queryRange(q.promql(),
                        start + (from + 1) * HourlyUsage.HOUR, start + to * HourlyUsage.HOUR, HourlyUsage.HOUR);
                for (Series s : result) {
                    HourlyUsage.Builder usage = byPod.computeIfAbsent(s.label("pod"), p -> new TreeMap<>())
                            .computeIfAbsent(s.label("container"), c -> HourlyUsage.builder(start, hours));
                    fill(q, s, usage);
                }
            }
        }
        List<PodUsage> out = new ArrayList<>();
        byPod.forEach((pod, containers) -> containers.forEach((container, usage) ->
                out.add(new PodUsage(namespace, pod, container, usage.build()))));
        out.sort(Comparator.comparing(PodUsage::pod).thenComparing(PodUsage::container));
        return out;
    }

    private static void fill(UsageQueries.Query q, Series s, HourlyUsage.Builder usage) {
        long[] t = s.timestampsMillis();
        double[] v = s.values();
        for (int i = 0; i < t.length; i++) {
            // The evaluation at T describes the hour ending at T.
            int slot = usage.slotOf(Math.floorDiv(t[i], 1000) - HourlyUsage.HOUR);
            if (slot < 0 || slot >= usage.hours()) {
                continue; // an engine answering outside the asked range; nothing to fill
            }
            switch (q.kind()) {
                case CPU_LEVEL -> usage.cpuQuantiles()[q.level()][slot] = (float) v[i];
                case CPU_MEAN -> usage.cpuMean()[slot] = (float) v[i];
                case CPU_SAMPLES -> usage.samples()[slot] = (short) Math.max(0, Math.min(v[i], Short.MAX_VALUE));
                case MEMORY_MAX -> usage.memoryMax()[slot] = (float) v[i];
                case OOM_KILLED -> usage.oomKilled()[slot] = v[i] > 0;
            }
        }
    }
}
