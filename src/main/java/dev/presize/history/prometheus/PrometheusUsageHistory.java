package dev.presize.history.prometheus;

import dev.presize.history.HourlyAggregator;
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
 * Usage history from Prometheus (or an engine with its HTTP API): for each namespace the three
 * {@link UsageQueries}, joined per (pod, container) into {@link HourlyUsage}. The CPU rate comes as
 * {@code query_range} at 5-minute steps, one chunk of whole hours at a time, and is reduced to hours
 * here ({@link HourlyAggregator#aggregateCpu}); memory and OOM kills come reduced by Prometheus, as
 * hourly {@code query_range}s. A refresh costs, per namespace, one CPU query per
 * {@link #cpuChunkHours()} of window and one memory and one OOM query per 11,000 hours, whatever
 * the number of pods; {@link #queries()} counts them.
 *
 * <p>Chunks: Prometheus refuses a range query of more than 11,000 points per series, and a response
 * holds (series × points) values, ~30 bytes of JSON each before gzip, all of which Prometheus
 * materialises before sending. A day of 5-minute rates is 288 points per series (a namespace of
 * 1,000 containers: some 9 MB of JSON by that estimate), and the client holds one chunk's response
 * at a time. A whole 14-day window per query measured 3 % less Prometheus CPU, within the noise
 * (README, "Reading the history"), for 14 × larger responses.
 *
 * <p>Hour slot {@code i} covers {@code [start + i h, start + (i+1) h)}: its CPU samples are the rates
 * evaluated at {@code start + i h + 5m ... start + (i+1) h}, its memory and OOM values the hourly
 * evaluation at its end, {@code start + (i+1) h}.
 *
 * <p>A Micronaut bean only when {@code --prometheus-url} is set; see {@link PrometheusBeans}.
 */
public final class PrometheusUsageHistory implements UsageHistory {

    /** Prometheus refuses a range query whose (end - start) / step exceeds 11,000 points per series. */
    static final int MAX_POINTS = 11_000;
    /** Hours of 5-minute CPU rates per query; see the class comment. */
    static final int CPU_CHUNK_HOURS = 24;
    private static final int RATES_PER_HOUR = (int) (HourlyUsage.HOUR / UsageQueries.CPU_STEP);

    private final PrometheusClient client;
    private final int maxPoints;
    private final int cpuChunkHours;

    public PrometheusUsageHistory(PrometheusClient client) {
        this(client, MAX_POINTS, CPU_CHUNK_HOURS);
    }

    /**
     * @param maxPoints     points per series a range query may return (Prometheus: 11,000)
     * @param cpuChunkHours hours of CPU rates per query; fewer if that would exceed {@code maxPoints}
     */
    PrometheusUsageHistory(PrometheusClient client, int maxPoints, int cpuChunkHours) {
        if (maxPoints < RATES_PER_HOUR || cpuChunkHours < 1) {
            throw new IllegalArgumentException("maxPoints must be at least " + RATES_PER_HOUR + " and cpuChunkHours positive, got "
                    + maxPoints + " and " + cpuChunkHours);
        }
        this.client = client;
        this.maxPoints = maxPoints;
        this.cpuChunkHours = Math.min(cpuChunkHours, maxPoints / RATES_PER_HOUR);
    }

    /** Queries sent so far, over the life of this source; retries count once. */
    public long queries() {
        return client.queries();
    }

    public PrometheusClient client() {
        return client;
    }

    /** Hours of CPU rates fetched per query. */
    int cpuChunkHours() {
        return cpuChunkHours;
    }

    /** The slot ranges {@code [from, to)} that {@code hours} is fetched in, {@code size} hours each (the last may be shorter). */
    static List<int[]> chunks(int hours, int size) {
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < hours; from += size) {
            out.add(new int[] {from, Math.min(hours, from + size)});
        }
        return out;
    }

    @Override
    public List<PodUsage> namespace(String namespace, Instant end, Duration window) throws IOException {
        UsageHistory.requireWholeHours(end, window);
        long endSecond = end.getEpochSecond();
        long seconds = window.getSeconds();
        long start = endSecond - seconds;
        int hours = Math.toIntExact(seconds / HourlyUsage.HOUR);
        // Sorted by (pod, container) so every replica builds the same list in the same order.
        Map<String, Map<String, HourlyUsage.Builder>> byPod = new TreeMap<>();
        String cpu = UsageQueries.cpuRate(namespace);
        for (int[] chunk : chunks(hours, cpuChunkHours)) {
            long from = start + chunk[0] * HourlyUsage.HOUR;
            long to = start + chunk[1] * HourlyUsage.HOUR;
            for (Series s : client.queryRange(cpu, from + UsageQueries.CPU_STEP, to, UsageQueries.CPU_STEP)) {
                addRates(s, from, to, usageOf(byPod, s, start, hours));
            }
        }
        for (int[] chunk : chunks(hours, maxPoints)) {
            long from = start + (chunk[0] + 1) * HourlyUsage.HOUR;
            long to = start + chunk[1] * HourlyUsage.HOUR;
            for (Series s : client.queryRange(UsageQueries.memoryMax(namespace), from, to, HourlyUsage.HOUR)) {
                HourlyUsage.Builder usage = usageOf(byPod, s, start, hours);
                fillHourly(s, usage, (slot, v) -> usage.memoryMax()[slot] = (float) v);
            }
            for (Series s : client.queryRange(UsageQueries.oomKilled(namespace), from, to, HourlyUsage.HOUR)) {
                HourlyUsage.Builder usage = usageOf(byPod, s, start, hours);
                fillHourly(s, usage, (slot, v) -> usage.oomKilled()[slot] = v > 0);
            }
        }
        List<PodUsage> out = new ArrayList<>();
        // A series whose every point is NaN (or an OOM gauge at 0) says nothing about the container:
        // left out, so that a container is listed exactly when some hour of the window has data,
        // which is also what IncrementalUsageHistory can tell from the hours it holds.
        byPod.forEach((pod, containers) -> containers.forEach((container, builder) -> {
            HourlyUsage usage = builder.build();
            if (hasData(usage)) {
                out.add(new PodUsage(namespace, pod, container, usage));
            }
        }));
        out.sort(Comparator.comparing(PodUsage::pod).thenComparing(PodUsage::container));
        return out;
    }

    private static boolean hasData(HourlyUsage u) {
        for (int i = 0; i < u.hours(); i++) {
            if (u.samples()[i] > 0 || u.hasMemory(i) || u.oomKilled()[i]) {
                return true;
            }
        }
        return false;
    }

    private static HourlyUsage.Builder usageOf(Map<String, Map<String, HourlyUsage.Builder>> byPod, Series s, long start, int hours) {
        return byPod.computeIfAbsent(s.label("pod"), p -> new TreeMap<>())
                .computeIfAbsent(s.label("container"), c -> HourlyUsage.builder(start, hours));
    }

    /**
     * One chunk's rates of one container into its hours {@code [from, to)}. The rate at T is the
     * sample of the interval starting at T - 5m. Points outside the chunk (an engine answering beyond
     * the asked range) are dropped: their hours belong to another chunk, which must not be overwritten
     * with a partial hour.
     */
    private static void addRates(Series s, long from, long to, HourlyUsage.Builder usage) {
        long[] t = s.timestampsMillis();
        double[] v = s.values();
        long[] starts = new long[t.length];
        double[] rates = new double[t.length];
        int n = 0;
        for (int i = 0; i < t.length; i++) {
            long intervalStart = Math.floorDiv(t[i], 1000) - UsageQueries.CPU_STEP;
            if (intervalStart >= from && intervalStart < to) {
                starts[n] = intervalStart;
                rates[n++] = v[i];
            }
        }
        HourlyAggregator.aggregateCpu(starts, rates, n, usage);
    }

    private interface SlotValue {
        void set(int slot, double value);
    }

    private static void fillHourly(Series s, HourlyUsage.Builder usage, SlotValue set) {
        long[] t = s.timestampsMillis();
        double[] v = s.values();
        for (int i = 0; i < t.length; i++) {
            // The evaluation at T describes the hour ending at T.
            int slot = usage.slotOf(Math.floorDiv(t[i], 1000) - HourlyUsage.HOUR);
            if (slot >= 0 && slot < usage.hours()) {
                set.set(slot, v[i]);
            }
        }
    }
}
