package dev.presize.history;

import java.util.Objects;

/**
 * The hourly usage of one container of one pod, as the metrics name it. Which workload the pod
 * belongs to is the workloads stage's business: history knows pods, not owners.
 */
public record PodUsage(String namespace, String pod, String container, HourlyUsage usage) {

    public PodUsage {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(container, "container");
        Objects.requireNonNull(usage, "usage");
    }
}
