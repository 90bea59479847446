package dev.presize.history.prometheus;

import dev.presize.history.HourlyUsage;

/**
 * The PromQL behind {@link PrometheusUsageHistory}: three queries per namespace, each returning one
 * series per (pod, container) of the namespace. Nothing here grows with the number of pods.
 *
 * <p>CPU ({@link #cpuRate}): cAdvisor's {@code container_cpu_usage_seconds_total} as a 5-minute rate,
 * summed per container (a restarted container is a new series with new {@code id}/{@code name} labels;
 * its pause container and the pod's own cgroup, {@code container="POD"} and {@code container=""}, are
 * not containers of the pod spec), fetched as a range query at {@link #CPU_STEP} steps aligned to the
 * epoch. Each step's rate is one "sample" in {@link HourlyUsage}'s sense: the average use over the 5
 * minutes ending at the step; Presize reduces them to hours itself
 * ({@link dev.presize.history.HourlyAggregator#aggregateCpu}). Prometheus computes each rate once:
 * reducing the hour in PromQL instead takes one {@code [3599s:5m]} subquery per figure (five quantile
 * levels, mean, count), each recomputing every rate: 3.5–3.7 × the Prometheus CPU, measured
 * (bench/refresh/run queries; README).
 *
 * <p>The step evaluated at T holds the interval {@code (T - 5m, T]}, so the rates at T-55m ... T are
 * the twelve samples that started in {@code [T-1h, T)}: the same twelve that a {@code [3599s:5m]}
 * subquery at T selects under both Prometheus 2.x's closed and 3.x's left-open range rule.
 *
 * <p>Memory ({@link #memoryMax}): the largest {@code container_memory_working_set_bytes} point in
 * the hour, per container, evaluated hourly at the end of the hour. A raw range selector, so
 * {@code [1h]}; a point exactly on the hour boundary (an aligned scrape) counts for both hours under
 * 2.x, which can only matter for the max if that very point is the previous hour's peak. One
 * {@code max_over_time} per hour is as cheap as fetching the raw points, and 12 × smaller.
 *
 * <p>OOM kills ({@link #oomKilled}): kube-state-metrics'
 * {@code kube_pod_container_status_last_terminated_reason} with {@code reason="OOMKilled"} is 1 while
 * the container's last termination was an OOM kill, so an hour is flagged when the gauge was 1 at any
 * point in it. Without kube-state-metrics the query returns nothing, which is no error.
 */
public final class UsageQueries {

    /** The per-container grouping every query ends with, so results join on (pod, container). */
    static final String BY = "by (namespace, pod, container)";
    /** Seconds between two CPU rates: one sample each, the rate's own window. */
    public static final long CPU_STEP = 300;

    private UsageQueries() {
    }

    /** The 5-minute CPU rate per container of {@code namespace}, to be evaluated every {@link #CPU_STEP}. */
    public static String cpuRate(String namespace) {
        return "sum " + BY + " (rate(container_cpu_usage_seconds_total{namespace=" + quote(namespace)
                + ", container!=\"\", container!=\"POD\"}[5m]))";
    }

    /** The largest working set of the hour ending at the evaluation time, per container. */
    public static String memoryMax(String namespace) {
        return "max " + BY + " (max_over_time(container_memory_working_set_bytes{namespace=" + quote(namespace)
                + ", container!=\"\", container!=\"POD\"}[1h]))";
    }

    /** Whether the container's last termination was an OOM kill at some point of the hour ending at the evaluation time. */
    public static String oomKilled(String namespace) {
        return "max " + BY + " (max_over_time(kube_pod_container_status_last_terminated_reason{namespace="
                + quote(namespace) + ", reason=\"OOMKilled\"}[1h]))";
    }

    /**
     * A PromQL string literal. PromQL strings use Go's escapes; a Kubernetes namespace never needs
     * one, but a label value in general may hold quotes, backslashes or control characters.
     */
    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
