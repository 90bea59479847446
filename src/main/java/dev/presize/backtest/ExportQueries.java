package dev.presize.backtest;

import dev.presize.history.prometheus.UsageQueries;

/**
 * The PromQL behind {@code presize export}, per namespace, on the server's conventions
 * ({@link UsageQueries}): cAdvisor's metrics without the pause container and the pod's own cgroup
 * ({@code container="POD"}, {@code container=""}), summed per (pod, container) so a restarted
 * container (a new series) joins its earlier self, and kube-state-metrics for requests and owners.
 *
 * <p>Usage and requests are range queries evaluated every step; the evaluation at T describes the
 * step ending at T. Owners are evaluated once, at a chunk's end, over the whole chunk: a pod's owner
 * never changes.
 */
final class ExportQueries {

    static final String BY = "by (namespace, pod, container)";
    private static final String CONTAINERS = ", container!=\"\", container!=\"POD\"}";

    private ExportQueries() {
    }

    /** Average cores over the step ending at each evaluation: the step's rate, as the server's 5-minute rate. */
    static String cpu(String namespace, long stepSeconds) {
        return "sum " + BY + " (rate(container_cpu_usage_seconds_total{namespace=" + UsageQueries.quote(namespace)
                + CONTAINERS + "[" + stepSeconds + "s]))";
    }

    /** The largest working set in the step ending at each evaluation: what can OOM-kill is the peak. */
    static String memory(String namespace, long stepSeconds) {
        return "max " + BY + " (max_over_time(container_memory_working_set_bytes{namespace=" + UsageQueries.quote(namespace)
                + CONTAINERS + "[" + stepSeconds + "s]))";
    }

    /** kube-state-metrics v2's requests; {@code resource} is {@code cpu} (cores) or {@code memory} (bytes). */
    static String requests(String namespace, String resource) {
        return "max " + BY + " (kube_pod_container_resource_requests{namespace=" + UsageQueries.quote(namespace)
                + ", resource=" + UsageQueries.quote(resource) + "})";
    }

    /**
     * Each pod's controlling owner seen in the {@code rangeSeconds} before the evaluation. A bare pod has
     * {@code owner_kind="<none>"}; owners that are not controllers are left out.
     */
    static String podOwners(String namespace, long rangeSeconds) {
        return owners("kube_pod_owner", "pod", namespace, rangeSeconds);
    }

    /** Each ReplicaSet's owner (a Deployment, usually). */
    static String replicaSetOwners(String namespace, long rangeSeconds) {
        return owners("kube_replicaset_owner", "replicaset", namespace, rangeSeconds);
    }

    /** Each Job's owner (a CronJob, for scheduled runs). */
    static String jobOwners(String namespace, long rangeSeconds) {
        return owners("kube_job_owner", "job_name", namespace, rangeSeconds);
    }

    private static String owners(String metric, String nameLabel, String namespace, long rangeSeconds) {
        return "max by (" + nameLabel + ", owner_kind, owner_name) (max_over_time(" + metric + "{namespace="
                + UsageQueries.quote(namespace) + ", owner_is_controller!=\"false\"}[" + rangeSeconds + "s]))";
    }

    /**
     * Namespaces with container usage in the hour before each evaluation: one series per namespace.
     * Hourly {@code count_over_time}, not a selector at every step: Prometheus then holds one hour of
     * one series' samples at a time, and a range query's intermediate result has 24 points per series
     * a day instead of 288, which keeps a large cluster's answer under {@code --query.max-samples}.
     */
    static String namespaces() {
        return "count by (namespace) (count_over_time(container_cpu_usage_seconds_total{namespace!=\"\"" + CONTAINERS
                + "[1h])) or count by (namespace) (count_over_time(container_memory_working_set_bytes{namespace!=\"\""
                + CONTAINERS + "[1h]))";
    }
}
