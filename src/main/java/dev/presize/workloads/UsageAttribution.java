package dev.presize.workloads;

import dev.presize.history.HourlyUsage;
import dev.presize.history.PodUsage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Attributes pods' usage to the workloads that own them and pools the pods of one workload into
 * one usage per container. A request applies to every replica, so each hour keeps the <em>largest</em>
 * quantiles and peak over the workload's pods (as KRR takes the maximum over pods), the mean weighted
 * by samples, and any OOM kill. Pods no workload claims are dropped.
 */
public final class UsageAttribution {

    private UsageAttribution() {
    }

    /** Pooled usage per workload and container name; all usages must share start and length. */
    public static Map<WorkloadRef, Map<String, HourlyUsage>> attribute(List<Workload> workloads, WorkloadSource source,
                                                                      List<PodUsage> pods) {
        Map<WorkloadRef, Map<String, List<HourlyUsage>>> grouped = new HashMap<>();
        for (PodUsage p : pods) {
            Optional<WorkloadRef> owner = source.ownerOf(workloads, p.namespace(), p.pod(), p.container());
            owner.ifPresent(ref -> grouped.computeIfAbsent(ref, r -> new HashMap<>())
                    .computeIfAbsent(p.container(), c -> new ArrayList<>()).add(p.usage()));
        }
        Map<WorkloadRef, Map<String, HourlyUsage>> pooled = new HashMap<>();
        grouped.forEach((ref, containers) -> {
            Map<String, HourlyUsage> byName = new HashMap<>();
            containers.forEach((name, usages) -> byName.put(name, pool(usages)));
            pooled.put(ref, byName);
        });
        return pooled;
    }

    static HourlyUsage pool(List<HourlyUsage> usages) {
        if (usages.size() == 1) {
            return usages.get(0);
        }
        HourlyUsage first = usages.get(0);
        HourlyUsage.Builder out = HourlyUsage.builder(first.start(), first.hours());
        for (HourlyUsage u : usages) {
            if (u.start() != first.start() || u.hours() != first.hours()) {
                throw new IllegalArgumentException("pod usages over different hours: " + u + " and " + first);
            }
            for (int i = 0; i < u.hours(); i++) {
                if (u.hasCpu(i)) {
                    int before = out.samples()[i];
                    int n = u.samples()[i];
                    out.cpuMean()[i] = before == 0 ? u.cpuMean()[i]
                            : (float) ((out.cpuMean()[i] * (double) before + u.cpuMean()[i] * (double) n) / (before + n));
                    for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
                        float v = u.cpuQuantiles()[k][i];
                        if (before == 0 || v > out.cpuQuantiles()[k][i]) {
                            out.cpuQuantiles()[k][i] = v;
                        }
                    }
                    out.samples()[i] = (short) Math.min(Short.MAX_VALUE, before + n);
                }
                if (u.hasMemory(i) && !(u.memoryMax()[i] <= out.memoryMax()[i])) {
                    out.memoryMax()[i] = u.memoryMax()[i];
                }
                out.oomKilled()[i] |= u.oomKilled()[i];
            }
        }
        return out.build();
    }
}
