package dev.presize.workloads;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code metadata.name} of each workload's {@code Requests} object (api.md): the workload's
 * name, except that when workloads of different kinds share a name in a namespace, the first in
 * {@link WorkloadKind} order keeps it and the others become {@code <name>.<kind in lower case>}
 * (e.g. {@code web.statefulset}).
 */
public final class WorkloadNaming {

    private WorkloadNaming() {
    }

    /**
     * Names for the given workloads. A derived name could itself be taken by a workload literally
     * called so (names may contain dots): the plain name wins, because it is what the owner asked
     * for, and the renamed workload gets no name (no object) rather than an arbitrary one.
     *
     * @throws IllegalArgumentException if the same namespace/kind/name appears twice
     */
    public static Map<WorkloadRef, String> assign(List<Workload> workloads) {
        Map<String, List<WorkloadRef>> byName = new LinkedHashMap<>();
        Set<WorkloadRef> seen = new HashSet<>();
        for (Workload w : workloads) {
            WorkloadRef ref = w.ref();
            if (!seen.add(ref)) {
                throw new IllegalArgumentException("workload listed twice: " + ref);
            }
            byName.computeIfAbsent(ref.namespace() + "/" + ref.name(), k -> new ArrayList<>()).add(ref);
        }
        Set<String> plainNames = new HashSet<>(byName.keySet());
        Map<WorkloadRef, String> names = new HashMap<>();
        for (List<WorkloadRef> sameName : byName.values()) {
            sameName.sort(Comparator.comparing(WorkloadRef::kind));
            WorkloadRef first = sameName.get(0);
            names.put(first, first.name());
            for (WorkloadRef other : sameName.subList(1, sameName.size())) {
                String derived = other.name() + "." + other.kind().lowerCase();
                if (!plainNames.contains(other.namespace() + "/" + derived)) {
                    names.put(other, derived);
                }
            }
        }
        return Map.copyOf(names);
    }
}
