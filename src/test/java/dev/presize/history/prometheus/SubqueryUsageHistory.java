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
 * The way Presize read CPU history before {@link PrometheusUsageHistory} fetched the 5-minute rate
 * itself: Prometheus reduces every hour with one {@code [3599s:5m]} subquery per CPU figure
 * ({@code quantile_over_time} per level, {@code max_over_time}, {@code avg_over_time},
 * {@code count_over_time}), so the rate is recomputed seven times. Kept in the tests only, as the
 * baseline of the query benchmark (bench/refresh/run queries) and as a second, independent
 * computation of the same hours for RealPrometheusTest. Memory and OOM are the server's own queries.
 */
public final class SubqueryUsageHistory implements UsageHistory {

    private enum Kind { CPU_LEVEL, CPU_MEAN, CPU_SAMPLES, MEMORY_MAX, OOM_KILLED }

    private record Query(Kind kind, int level, String promql) {
    }

    /** 5-minute steps over the hour ending at the evaluation time; see {@link UsageQueries} for 3599s. */
    static final String HOUR_OF_STEPS = "[3599s:5m]";

    private final PrometheusClient client;
    private final int maxPoints;

    public SubqueryUsageHistory(PrometheusClient client) {
        this(client, PrometheusUsageHistory.MAX_POINTS);
    }

    SubqueryUsageHistory(PrometheusClient client, int maxPoints) {
        this.client = client;
        this.maxPoints = maxPoints;
    }

    public long queries() {
        return client.queries();
    }

    /** The queries for one namespace: seven CPU subqueries, then the server's memory and OOM queries. */
    static List<Query> forNamespace(String namespace) {
        String cpu = UsageQueries.cpuRate(namespace) + HOUR_OF_STEPS;
        List<Query> queries = new ArrayList<>();
        for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
            double q = HourlyUsage.CPU_LEVELS[k];
            String f = q == 1.0 ? "max_over_time(" + cpu + ")" : "quantile_over_time(" + q + ", " + cpu + ")";
            queries.add(new Query(Kind.CPU_LEVEL, k, f));
        }
        queries.add(new Query(Kind.CPU_MEAN, -1, "avg_over_time(" + cpu + ")"));
        queries.add(new Query(Kind.CPU_SAMPLES, -1, "count_over_time(" + cpu + ")"));
        queries.add(new Query(Kind.MEMORY_MAX, -1, UsageQueries.memoryMax(namespace)));
        queries.add(new Query(Kind.OOM_KILLED, -1, UsageQueries.oomKilled(namespace)));
        return queries;
    }

    @Override
    public List<PodUsage> namespace(String namespace, Instant end, Duration window) throws IOException {
        UsageHistory.requireWholeHours(end, window);
        long endSecond = end.getEpochSecond();
        long seconds = window.getSeconds();
        long start = endSecond - seconds;
        int hours = Math.toIntExact(seconds / HourlyUsage.HOUR);
        Map<String, Map<String, HourlyUsage.Builder>> byPod = new TreeMap<>();
        for (Query q : forNamespace(namespace)) {
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

    private static void fill(Query q, Series s, HourlyUsage.Builder usage) {
        long[] t = s.timestampsMillis();
        double[] v = s.values();
        for (int i = 0; i < t.length; i++) {
            // The evaluation at T describes the hour ending at T.
            int slot = usage.slotOf(Math.floorDiv(t[i], 1000) - HourlyUsage.HOUR);
            if (slot < 0 || slot >= usage.hours()) {
                continue;
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
