package dev.presize.history.prometheus;

import dev.presize.history.ContainerSeries;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns trace samples into what a Prometheus scraping a kubelet's cAdvisor endpoint (and
 * kube-state-metrics) would have stored, as OpenMetrics text for {@code promtool tsdb
 * create-blocks-from openmetrics}, or as the same points in the Prometheus text format for
 * VictoriaMetrics' import ({@link #writeExposition}).
 *
 * <p>A trace sample says "the container used c cores on average over the 300 s starting at t". It
 * is written as points every 60 s, 30 s after the 5-minute grid (so that no point sits on a 5-minute
 * or hour boundary), of a {@code container_cpu_usage_seconds_total} counter rising linearly at c
 * within the sample's grid interval, and of a {@code container_memory_working_set_bytes} gauge
 * constant over it. Then {@code rate(...[5m])} evaluated at the end of the grid interval returns c
 * exactly: its window holds the interval's 5 points (240 s apart end to end, 30 s from each edge),
 * and Prometheus' extrapolation (promql/functions.go {@code extrapolatedRate}) stretches the 240 s
 * increase to the full 300 s because both gaps (30 s) are under 1.1 × the 60 s point spacing; the
 * zero-point guard cannot cut it short as the counter never starts below c × 30 s.
 *
 * <p>The trace's sample starts are not on the 5-minute grid (and drift by a second now and then),
 * so each sample is placed on the grid interval its start falls in ({@link #onGrid}); that never
 * moves a sample to another hour. If two samples fall into one interval, the later goes to the next
 * free one.
 *
 * <p>A gap longer than an hour restarts the container: new {@code id} and {@code name} labels and a
 * counter from 0, as after a real restart; the queries must sum the instances back together. Each
 * pod also gets a pause container ({@code container="POD"}) and a pod-level cgroup series
 * ({@code container=""}), which the queries must leave out.
 */
public final class OpenMetricsWriter {

    static final long GRID = 300;
    private static final long POINT_SPACING = 60;
    private static final long POINT_OFFSET = 30;
    private static final long RESTART_GAP = 3600;

    /** One container instance: labels plus its samples on the grid (start times multiple of 300). */
    private record Instance(String labels, long[] grid, double[] cpu, double[] memory, double[] counterAtStart) {
    }

    private record OomSeries(String labels, long from, long to, List<long[]> killedIntervals) {
    }

    /** Any other gauge: its labels (as written) and its value at each point time, NaN for no point. */
    private record Gauge(String labels, long from, long to, java.util.function.LongToDoubleFunction valueAt) {
    }

    private final List<Instance> containers = new ArrayList<>();
    private final Map<String, OomSeries> oom = new LinkedHashMap<>();
    private final Map<String, List<Gauge>> gauges = new LinkedHashMap<>();
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;

    /** Adds the series (its namespace and container) as a container of {@code pod}, plus the pod's noise series. */
    public OpenMetricsWriter add(ContainerSeries series, String pod) {
        ContainerSeries s = onGrid(series);
        if (s.isEmpty()) {
            return this;
        }
        int from = 0;
        int restart = 0;
        for (int i = 1; i <= s.size(); i++) {
            if (i == s.size() || s.timestamps()[i] - s.timestamps()[i - 1] > RESTART_GAP) {
                addInstance(s, from, i, pod, s.container(), restart++);
                from = i;
            }
        }
        // Noise: a pause container and the pod's own cgroup over the same intervals.
        double[] pause = new double[s.size()];
        Arrays.fill(pause, 0.0005);
        double[] pauseMemory = new double[s.size()];
        Arrays.fill(pauseMemory, 450_560);
        addInstance(new ContainerSeries(s.namespace(), s.workload(), "POD", s.timestamps(), pause, pauseMemory,
                Double.NaN, Double.NaN), 0, s.size(), pod, "POD", 0);
        addInstance(s, 0, s.size(), pod, "", 0);
        return this;
    }

    /**
     * Adds kube-state-metrics' {@code kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}}
     * for a container over {@code [from, to)}: 1 inside the {@code killed} intervals (pairs of epoch
     * seconds), 0 elsewhere.
     */
    public OpenMetricsWriter oomKilled(String namespace, String pod, String container, long from, long to, long[]... killed) {
        String labels = "container=" + quote(container) + ",instance=\"10.0.3.7:8080\",job=\"kube-state-metrics\",namespace="
                + quote(namespace) + ",pod=" + quote(pod) + ",reason=\"OOMKilled\",uid=\"" + uid(namespace, pod) + "\"";
        oom.put(labels, new OomSeries(labels, from, to, List.of(killed)));
        min = Math.min(min, from);
        max = Math.max(max, to);
        return this;
    }

    /**
     * Adds a gauge series of any metric over {@code [from, to)}, e.g. kube-state-metrics'
     * {@code kube_pod_container_resource_requests} or {@code kube_pod_owner}: points on the same 60 s grid,
     * 30 s off, valued {@code valueAt(t)}; where that is NaN, no point (the series did not exist then).
     *
     * @param labels name, value, name, value, ...
     */
    public OpenMetricsWriter gauge(String metric, long from, long to, java.util.function.LongToDoubleFunction valueAt,
                                   String... labels) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < labels.length; i += 2) {
            sb.append(i == 0 ? "" : ",").append(labels[i]).append('=').append(quote(labels[i + 1]));
        }
        gauges.computeIfAbsent(metric, m -> new ArrayList<>()).add(new Gauge(sb.toString(), from, to, valueAt));
        min = Math.min(min, from);
        max = Math.max(max, to);
        return this;
    }

    /** The OOM gauge's value at {@code t} for the series added with these killed intervals. */
    static boolean killedAt(long t, long[]... killed) {
        for (long[] k : killed) {
            if (t >= k[0] && t < k[1]) {
                return true;
            }
        }
        return false;
    }

    /** Times of the points written for the OOM gauge over {@code [from, to)}: the same 60 s grid, 30 s off. */
    public static List<Long> pointTimes(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long t = Math.floorDiv(from, POINT_SPACING) * POINT_SPACING + POINT_OFFSET; t < to; t += POINT_SPACING) {
            if (t >= from) {
                out.add(t);
            }
        }
        return out;
    }

    long minTimestamp() {
        return min;
    }

    long maxTimestamp() {
        return max;
    }

    /**
     * Writes the points with {@code from <= t < to} as one OpenMetrics document: families grouped,
     * each series' points in time order, {@code # EOF} at the end. Returns whether any point was written.
     */
    boolean write(Writer out, long from, long to) throws IOException {
        boolean any = write(out, from, to, 1);
        out.write("# EOF\n");
        return any;
    }

    /**
     * The same points in the Prometheus text exposition format, whose timestamps are epoch
     * milliseconds (OpenMetrics' are seconds), for VictoriaMetrics' {@code /api/v1/import/prometheus}.
     */
    boolean writeExposition(Writer out, long from, long to) throws IOException {
        return write(out, from, to, 1000);
    }

    /** {@code timeScale}: what a point's epoch second is multiplied by in the text (1 or 1000). */
    private boolean write(Writer out, long from, long to, long timeScale) throws IOException {
        boolean any = false;
        StringBuilder family = new StringBuilder();
        for (Instance c : containers) {
            writeCounter(family, c, from, to, timeScale);
        }
        any |= flush(out, "# TYPE container_cpu_usage_seconds counter\n", family);
        for (Instance c : containers) {
            writeGauge(family, c, from, to, timeScale);
        }
        any |= flush(out, "# TYPE container_memory_working_set_bytes gauge\n", family);
        for (OomSeries o : oom.values()) {
            for (long t : pointTimes(Math.max(from, o.from), Math.min(to, o.to))) {
                family.append("kube_pod_container_status_last_terminated_reason{").append(o.labels).append("} ")
                        .append(killedAt(t, o.killedIntervals.toArray(long[][]::new)) ? "1" : "0").append(' ').append(t * timeScale)
                        .append('\n');
            }
        }
        any |= flush(out, "# TYPE kube_pod_container_status_last_terminated_reason gauge\n", family);
        for (Map.Entry<String, List<Gauge>> metric : gauges.entrySet()) {
            for (Gauge g : metric.getValue()) {
                for (long t : pointTimes(Math.max(from, g.from), Math.min(to, g.to))) {
                    double v = g.valueAt.applyAsDouble(t);
                    if (!Double.isNaN(v)) {
                        family.append(metric.getKey()).append('{').append(g.labels).append("} ").append(v).append(' ')
                                .append(t * timeScale).append('\n');
                    }
                }
            }
            any |= flush(out, "# TYPE " + metric.getKey() + " gauge\n", family);
        }
        return any;
    }

    private static boolean flush(Writer out, String typeLine, StringBuilder family) throws IOException {
        if (family.length() == 0) {
            return false;
        }
        out.write(typeLine);
        out.append(family);
        family.setLength(0);
        return true;
    }

    private static void writeCounter(StringBuilder sb, Instance c, long from, long to, long timeScale) {
        for (int i = firstEndingAfter(c.grid, from); i < c.grid.length && c.grid[i] < to; i++) {
            for (long dt = POINT_OFFSET; dt < GRID; dt += POINT_SPACING) {
                long t = c.grid[i] + dt;
                if (t >= from && t < to) {
                    sb.append("container_cpu_usage_seconds_total{").append(c.labels).append("} ")
                            .append(c.counterAtStart[i] + c.cpu[i] * dt).append(' ').append(t * timeScale).append('\n');
                }
            }
        }
    }

    private static void writeGauge(StringBuilder sb, Instance c, long from, long to, long timeScale) {
        for (int i = firstEndingAfter(c.grid, from); i < c.grid.length && c.grid[i] < to; i++) {
            if (Double.isNaN(c.memory[i])) {
                continue; // not measured: no point, as when cAdvisor had nothing to report
            }
            for (long dt = POINT_OFFSET; dt < GRID; dt += POINT_SPACING) {
                long t = c.grid[i] + dt;
                if (t >= from && t < to) {
                    sb.append("container_memory_working_set_bytes{").append(c.labels).append("} ")
                            .append(c.memory[i]).append(' ').append(t * timeScale).append('\n');
                }
            }
        }
    }

    private static int firstEndingAfter(long[] grid, long t) {
        int i = Arrays.binarySearch(grid, t - GRID);
        return i >= 0 ? i : -i - 1;
    }

    private void addInstance(ContainerSeries s, int from, int to, String pod, String container, int restart) {
        long[] grid = Arrays.copyOfRange(s.timestamps(), from, to);
        double[] cpu = Arrays.copyOfRange(s.cpuCores(), from, to);
        double[] counter = new double[grid.length];
        double c = 0;
        for (int i = 0; i < grid.length; i++) {
            if (!(cpu[i] >= 0)) {
                throw new IllegalArgumentException("negative or missing CPU in " + s + " at " + grid[i]);
            }
            counter[i] = c;
            c += cpu[i] * GRID;
        }
        String uid = uid(s.namespace(), pod);
        String containerId = Integer.toHexString((s.namespace() + pod + container + restart).hashCode() & 0x7fffffff);
        String cgroup = "/kubepods/burstable/pod" + uid + (container.isEmpty() ? "" : "/" + containerId);
        String labels = "container=" + quote(container) + ",id=" + quote(cgroup)
                + (container.isEmpty() ? "" : ",image=" + quote(container.equals("POD") ? "registry.k8s.io/pause:3.9"
                : "registry.example/" + container + ":1.4.2") + ",name=" + quote(containerId))
                + ",instance=\"node-3\",job=\"kubelet\",metrics_path=\"/metrics/cadvisor\",namespace=" + quote(s.namespace())
                + ",pod=" + quote(pod);
        containers.add(new Instance(labels, grid, cpu, Arrays.copyOfRange(s.memoryBytes(), from, to), counter));
        min = Math.min(min, grid[0]);
        max = Math.max(max, grid[grid.length - 1] + GRID);
    }

    private static String uid(String namespace, String pod) {
        return String.format("%08x-0000-4000-8000-000000000000", (namespace + "/" + pod).hashCode());
    }

    /**
     * The series with each sample moved to the start of the 5-minute grid interval its start falls
     * in, or the next free interval when the previous sample took it.
     */
    public static ContainerSeries onGrid(ContainerSeries s) {
        long[] t = new long[s.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.floorDiv(s.timestamps()[i], GRID) * GRID;
            if (i > 0 && t[i] <= t[i - 1]) {
                t[i] = t[i - 1] + GRID;
            }
        }
        return new ContainerSeries(s.namespace(), s.workload(), s.container(), t, s.cpuCores(), s.memoryBytes(),
                s.cpuRequestCores(), s.memoryRequestBytes());
    }

    /** An OpenMetrics label value: backslash, double quote and newline escaped. */
    static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
