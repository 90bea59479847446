package dev.presize.recommendations;

import dev.presize.history.HourlyUsage;
import dev.presize.history.PodUsage;
import dev.presize.history.UsageHistory;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Resources;
import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.UsageAttribution;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadRef;
import dev.presize.workloads.WorkloadSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Gathers what the model needs for one refresh: namespace by namespace (only namespaces that have
 * workloads), the pods' hourly usage, attributed and pooled per workload container. Only the pooled
 * usage of all namespaces is kept, never the per-pod answers of more than one namespace.
 */
final class HistoryCollector {

    private final UsageHistory history;
    private final WorkloadSource workloads;

    HistoryCollector(UsageHistory history, WorkloadSource workloads) {
        this.history = history;
        this.workloads = workloads;
    }

    /** History ending at {@code end} (a whole hour) over {@code window}. */
    List<ContainerHistory> collect(List<Workload> found, Instant end, Duration window) throws IOException {
        TreeSet<String> namespaces = new TreeSet<>();
        found.forEach(w -> namespaces.add(w.namespace()));
        List<ContainerHistory> out = new ArrayList<>();
        history.beginRefresh(namespaces, end, window);
        boolean complete = false;
        try {
            collect(found, end, window, namespaces, out);
            complete = true;
        } finally {
            history.endRefresh(complete);
        }
        return out;
    }

    private void collect(List<Workload> found, Instant end, Duration window, TreeSet<String> namespaces,
                         List<ContainerHistory> out) throws IOException {
        for (String namespace : namespaces) {
            List<PodUsage> pods = history.namespace(namespace, end, window);
            List<Workload> here = found.stream().filter(w -> w.namespace().equals(namespace)).toList();
            Map<WorkloadRef, Map<String, HourlyUsage>> pooled = UsageAttribution.attribute(here, workloads, pods);
            for (Workload w : here) {
                Map<String, HourlyUsage> containers = pooled.getOrDefault(w.ref(), Map.of());
                for (ContainerSpec spec : w.containers()) {
                    HourlyUsage u = containers.get(spec.name());
                    if (u != null) {
                        out.add(new ContainerHistory(RecommendationBuilder.key(w, spec.name()), u, null,
                                new Resources(known(spec.cpuRequestCores()), known(spec.memoryRequestBytes()))));
                    }
                }
            }
        }
    }

    private static double known(Double v) {
        return v == null ? Double.NaN : v;
    }
}
