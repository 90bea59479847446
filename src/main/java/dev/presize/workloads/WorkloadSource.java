package dev.presize.workloads;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where the workloads to recommend for come from (the demo table now; the Kubernetes API later). */
public interface WorkloadSource {

    /**
     * The workloads as of {@code at}, the refresh instant. A live cluster source lists what exists
     * now; the demo derives everything from {@code at}, so every replica sees the same workloads.
     */
    List<Workload> workloads(Instant at) throws IOException;

    /**
     * The workload whose pod this is, for attributing the pod's usage history. History outlives pods
     * (a Deployment replaces its pods at every rollout), so a cluster source must also attribute pods
     * that no longer exist, from the names controllers generate. Empty when no workload claims it.
     * The default fits sources whose "pods" are named after their workload (the demo, a trace): the
     * workload of that name that has the container (two workloads of different kinds may share a name).
     */
    default Optional<WorkloadRef> ownerOf(List<Workload> workloads, String namespace, String pod, String container) {
        for (Workload w : workloads) {
            if (w.namespace().equals(namespace) && w.name().equals(pod)
                    && w.containers().stream().anyMatch(c -> c.name().equals(container))) {
                return Optional.of(w.ref());
            }
        }
        return Optional.empty();
    }

    /**
     * For workloads of the last {@link #workloads} call that were resolved without a kind Presize
     * could not list: which kinds, and why. Empty for sources that read everything they need (the
     * demo, a trace) and when every kind was listed.
     */
    default Map<WorkloadRef, List<UnavailableKind>> unavailableKinds(List<Workload> workloads) {
        return Map.of();
    }
}
