package dev.presize.backtest;

import dev.presize.history.prometheus.PrometheusClient;
import dev.presize.history.prometheus.Series;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads container usage and requests from Prometheus for {@code presize export}, one namespace and
 * one day (a "chunk") at a time, and hands them to a {@link TraceCsvWriter} chunk by chunk: a day of
 * one namespace is all that is ever in memory, and no series in any answer has more than a day of
 * points (8,640 at the smallest step, under Prometheus' 11,000). Queries go one after the other.
 *
 * <p>Rows of a chunk are written per series in time order; the next day's chunk resumes each series,
 * which the trace format allows (a series may come back after others, its times still increasing).
 *
 * <p>Timestamps: the evaluation at T describes the step ending at T, so its row has the timestamp
 * T - step, the start of the sample, as the format says. A chunk {@code [c0, c1)} is evaluated at
 * {@code c0 + step ... c1}, so chunks neither overlap nor leave a step out.
 */
final class UsageExport {

    static final long DAY = 86_400;
    private static final long HOUR = 3_600;
    private static final int CPU = 0;
    private static final int MEMORY = 1;
    private static final int CPU_REQUEST = 2;
    private static final int MEMORY_REQUEST = 3;

    /** Called after each chunk. */
    interface Progress {
        void chunkDone(int done, int total, long rows);
    }

    /**
     * The time range, epoch seconds; {@code start} and {@code end} on the hour, {@code step} dividing an hour.
     */
    record Range(long start, long end, long step) {
        Range {
            if (start % 3600 != 0 || end % 3600 != 0 || end <= start || step <= 0 || 3600 % step != 0) {
                throw new IllegalArgumentException("bad range " + start + ".." + end + " step " + step);
            }
        }

        /** Chunk starts: every day from {@code start}; the last chunk may be shorter. */
        List<long[]> chunks() {
            List<long[]> out = new ArrayList<>();
            for (long c0 = start; c0 < end; c0 += DAY) {
                out.add(new long[] {c0, Math.min(end, c0 + DAY)});
            }
            return out;
        }
    }

    /** What was exported: rows written, series seen, series left out because their names cannot be written. */
    record Summary(long rows, int series, int unwritableNames) {
    }

    private final PrometheusClient client;

    UsageExport(PrometheusClient client) {
        this.client = client;
    }

    /** Every namespace with container usage in the range, sorted. One range query per day, hourly. */
    SortedSet<String> namespaces(Range range) throws IOException {
        SortedSet<String> out = new TreeSet<>();
        for (long[] chunk : range.chunks()) {
            for (Series s : client.queryRange(ExportQueries.namespaces(), chunk[0] + HOUR, chunk[1], HOUR)) {
                if (!s.label("namespace").isEmpty()) {
                    out.add(s.label("namespace"));
                }
            }
        }
        return out;
    }

    Summary export(List<String> namespaces, Range range, TraceCsvWriter out, Progress progress) throws IOException {
        List<long[]> chunks = range.chunks();
        int total = namespaces.size() * chunks.size();
        int done = 0;
        TreeSet<String> series = new TreeSet<>();
        TreeSet<String> unwritable = new TreeSet<>();
        for (String namespace : namespaces) {
            for (long[] chunk : chunks) {
                Map<String, Map<String, TreeMap<Long, double[]>>> pooled = chunk(namespace, chunk[0], chunk[1], range.step());
                for (var workload : pooled.entrySet()) {
                    for (var container : workload.getValue().entrySet()) {
                        String key = namespace + "/" + workload.getKey() + "/" + container.getKey();
                        if (!writable(namespace) || !writable(workload.getKey()) || !writable(container.getKey())) {
                            unwritable.add(key);
                            continue;
                        }
                        boolean any = false;
                        for (var sample : container.getValue().entrySet()) {
                            double[] v = sample.getValue();
                            if (Double.isNaN(v[CPU]) && Double.isNaN(v[MEMORY])) {
                                continue; // a request without usage: nothing to score
                            }
                            out.row(namespace, workload.getKey(), container.getKey(), sample.getKey(), v[CPU], v[MEMORY],
                                    v[CPU_REQUEST], v[MEMORY_REQUEST]);
                            any = true;
                        }
                        if (any) {
                            series.add(key);
                        }
                    }
                }
                progress.chunkDone(++done, total, out.rows());
            }
        }
        return new Summary(out.rows(), series.size(), unwritable.size());
    }

    /** One namespace over {@code [c0, c1)}: workload → container → sample start → cpu, memory, requests. */
    private Map<String, Map<String, TreeMap<Long, double[]>>> chunk(String namespace, long c0, long c1, long step)
            throws IOException {
        long range = c1 - c0;
        // Instant queries, sent as one-point range queries: like the server, the export uses only
        // /api/v1/query_range, which is what --prometheus-url's help promises to a proxy's allow-list.
        PodWorkloads workloads = PodWorkloads.of(
                client.queryRange(ExportQueries.podOwners(namespace, range), c1, c1, step),
                client.queryRange(ExportQueries.replicaSetOwners(namespace, range), c1, c1, step),
                client.queryRange(ExportQueries.jobOwners(namespace, range), c1, c1, step));
        Map<String, Map<String, TreeMap<Long, double[]>>> pooled = new TreeMap<>();
        String[] queries = {ExportQueries.cpu(namespace, step), ExportQueries.memory(namespace, step),
                ExportQueries.requests(namespace, "cpu"), ExportQueries.requests(namespace, "memory")};
        for (int k = 0; k < queries.length; k++) {
            for (Series s : client.queryRange(queries[k], c0 + step, c1, step)) {
                if (s.label("pod").isEmpty() || s.label("container").isEmpty()) {
                    continue;
                }
                TreeMap<Long, double[]> samples = pooled.computeIfAbsent(workloads.workload(s.label("pod")), w -> new TreeMap<>())
                        .computeIfAbsent(s.label("container"), c -> new TreeMap<>());
                pool(s, k, step, c0, c1, samples);
            }
        }
        return pooled;
    }

    /**
     * Adds a series' points to the workload's samples, keeping the largest over the workload's pods:
     * a request applies to every replica, so the busiest pod is the one it must fit (as the server
     * keeps each hour's largest quantiles and peak over the pods).
     */
    private static void pool(Series s, int column, long step, long c0, long c1, TreeMap<Long, double[]> samples) {
        long[] t = s.timestampsMillis();
        double[] v = s.values();
        for (int i = 0; i < t.length; i++) {
            long start = Math.floorDiv(t[i], 1000) - step;
            if (start < c0 || start >= c1 || !Double.isFinite(v[i]) || v[i] < 0) {
                continue; // outside what was asked, or not a measurement
            }
            double[] row = samples.computeIfAbsent(start, x -> {
                double[] r = new double[4];
                Arrays.fill(r, Double.NaN);
                return r;
            });
            if (!(row[column] >= v[i])) {
                row[column] = v[i];
            }
        }
    }

    /** A name the CSV format can hold: no separator, no line break. */
    private static boolean writable(String name) {
        return !name.isEmpty() && name.indexOf(',') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0;
    }
}
