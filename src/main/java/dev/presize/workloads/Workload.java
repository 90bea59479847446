package dev.presize.workloads;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A workload (top-level pod controller) as the recommendation needs it: identity, the metadata the
 * {@code Requests} object copies, and its containers in pod-spec order.
 *
 * @param apiVersion the group/version the cluster serves the workload at, served as
 *                   {@code target.apiVersion}: the kind's own ({@link WorkloadKind#apiVersion()})
 *                   unless the cluster only has another (CronJobs are {@code batch/v1beta1} on Kubernetes 1.20)
 */
public record Workload(
        String namespace,
        WorkloadKind kind,
        String name,
        Map<String, String> labels,
        Instant creationTimestamp,
        List<ContainerSpec> containers,
        String apiVersion) {

    /** A workload at its kind's own group/version. */
    public Workload(String namespace, WorkloadKind kind, String name, Map<String, String> labels,
                    Instant creationTimestamp, List<ContainerSpec> containers) {
        this(namespace, kind, name, labels, creationTimestamp, containers, null);
    }

    public Workload {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(creationTimestamp, "creationTimestamp");
        // Sorted, so iteration (and serialization) order is the same in every process.
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
        containers = List.copyOf(containers);
        apiVersion = apiVersion == null ? kind.apiVersion() : apiVersion;
    }

    public WorkloadRef ref() {
        return new WorkloadRef(namespace, kind, name);
    }
}
