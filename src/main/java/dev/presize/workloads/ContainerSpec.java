package dev.presize.workloads;

import java.util.Objects;

/**
 * A container of a workload's pod template and the requests it has now. A request is null when the
 * container sets none (or it is unknown).
 */
public record ContainerSpec(String name, Double cpuRequestCores, Double memoryRequestBytes) {

    public ContainerSpec {
        Objects.requireNonNull(name, "name");
    }
}
