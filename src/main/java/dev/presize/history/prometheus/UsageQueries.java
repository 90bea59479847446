package dev.presize.history.prometheus;

import dev.presize.history.HourlyUsage;

import java.util.ArrayList;
import java.util.List;

/**
 * The PromQL behind {@link PrometheusUsageHistory}: a fixed handful of range queries per namespace,
 * each evaluated every hour at the end of the hour it describes, each returning one series per
 * (pod, container) of the namespace. Nothing here grows with the number of pods.
 *
 * <p>CPU: cAdvisor's {@code container_cpu_usage_seconds_total} as a 5-minute rate, summed per
 * container (a restarted container is a new series with new {@code id}/{@code name} labels; its pause
 * container and the pod's own cgroup, {@code container="POD"} and {@code container=""}, are not
 * containers of the pod spec), then reduced over the hour with a subquery at 5-minute steps. Each
 * step's rate is one "sample" in {@link HourlyUsage}'s sense: the average use over the 5 minutes
 * ending at the step.
 *
 * <p>The subquery range is {@code 3599s}, not {@code 1h}, because Prometheus 2.x range selectors are
 * closed, {@code [T-1h, T]}: with 5-minute steps aligned to the epoch, {@code [1h:5m]} at T holds 13
 * steps, the first (at T-1h) being the last sample of the previous hour. Prometheus 3 (and Mimir,
 * VictoriaMetrics) use left-open ranges, {@code (T-r, T]}. {@code 3599s} selects exactly the twelve
 * steps T-55m ... T under both rules: the samples that started in [T-1h, T). (Measured: with
 * {@code [1h:5m]}, RealPrometheusTest finds 2,963 hourly values off against Prometheus 2.42.)
 *
 * <p>Memory: the largest {@code container_memory_working_set_bytes} point in the hour, per container.
 * A raw range selector, so {@code [1h]}; a point exactly on the hour boundary (an aligned scrape)
 * counts for both hours under 2.x, which can only matter for the max if that very point is the
 * previous hour's peak.
 *
 * <p>OOM kills: kube-state-metrics' {@code kube_pod_container_status_last_terminated_reason} with
 * {@code reason="OOMKilled"} is 1 while the container's last termination was an OOM kill, so an hour
 * is flagged when the gauge was 1 at any point in it. Without kube-state-metrics the query returns
 * nothing, which is no error.
 */
public final class UsageQueries {

    /** What a query fills in; {@code level} indexes {@link HourlyUsage#CPU_LEVELS}. */
    public enum Kind { CPU_LEVEL, CPU_MEAN, CPU_SAMPLES, MEMORY_MAX, OOM_KILLED }

    public record Query(Kind kind, int level, String promql) {
    }

    /** The per-container grouping every query ends with, so results join on (pod, container). */
    static final String BY = "by (namespace, pod, container)";
    /** 5-minute steps over the hour ending at the evaluation time; see the class comment for 3599s. */
    static final String HOUR_OF_STEPS = "[3599s:5m]";

    private UsageQueries() {
    }

    /** The queries for one namespace, in a fixed order. */
    public static List<Query> forNamespace(String namespace) {
        String ns = quote(namespace);
        String cpu = "sum " + BY + " (rate(container_cpu_usage_seconds_total{namespace=" + ns
                + ", container!=\"\", container!=\"POD\"}[5m]))" + HOUR_OF_STEPS;
        List<Query> queries = new ArrayList<>();
        for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
            double q = HourlyUsage.CPU_LEVELS[k];
            String f = q == 1.0 ? "max_over_time(" + cpu + ")" : "quantile_over_time(" + q + ", " + cpu + ")";
            queries.add(new Query(Kind.CPU_LEVEL, k, f));
        }
        queries.add(new Query(Kind.CPU_MEAN, -1, "avg_over_time(" + cpu + ")"));
        queries.add(new Query(Kind.CPU_SAMPLES, -1, "count_over_time(" + cpu + ")"));
        queries.add(new Query(Kind.MEMORY_MAX, -1, "max " + BY + " (max_over_time(container_memory_working_set_bytes{namespace="
                + ns + ", container!=\"\", container!=\"POD\"}[1h]))"));
        queries.add(new Query(Kind.OOM_KILLED, -1, "max " + BY + " (max_over_time(kube_pod_container_status_last_terminated_reason{namespace="
                + ns + ", reason=\"OOMKilled\"}[1h]))"));
        return queries;
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
