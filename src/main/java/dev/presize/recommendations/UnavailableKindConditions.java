package dev.presize.recommendations;

import dev.presize.format.Rfc3339;
import dev.presize.v1beta1.Condition;
import dev.presize.v1beta1.Requests;
import dev.presize.workloads.UnavailableKind;
import dev.presize.workloads.WorkloadKind;
import dev.presize.workloads.WorkloadRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Marks the objects of workloads resolved without a kind Presize could not list with the
 * {@code WorkloadKindUnavailable} condition (api.md): a Job served because its CronJob cannot be
 * read, a ReplicaSet made from pods whose ReplicaSet cannot be read, a Deployment whose pods could
 * not be followed. Conditions are keyed by type ({@code metav1.Condition} lists are
 * {@code listType=map}, {@code listMapKey=type}), so several missing kinds make one condition:
 * the earliest transition time, the first kind's reason, every kind in the message.
 */
final class UnavailableKindConditions {

    static final String TYPE = "WorkloadKindUnavailable";
    private static final int MAX_MESSAGE = 1024;

    private UnavailableKindConditions() {
    }

    /** The objects, those of affected workloads with the condition added; the rest unchanged. */
    static List<Requests> apply(List<Requests> objects, Map<WorkloadRef, List<UnavailableKind>> unavailable) {
        if (unavailable.isEmpty()) {
            return objects;
        }
        List<Requests> result = new ArrayList<>(objects.size());
        for (Requests r : objects) {
            List<UnavailableKind> kinds = unavailable.get(new WorkloadRef(r.namespace(),
                    WorkloadKind.ofKind(r.target().kind()), r.target().name()));
            if (kinds == null || kinds.isEmpty()) {
                result.add(r);
                continue;
            }
            List<Condition> conditions = new ArrayList<>(r.conditions() == null ? List.of() : r.conditions());
            conditions.add(condition(kinds));
            result.add(new Requests(r.apiVersion(), r.kind(), r.metadata(), r.target(), r.timestamp(), r.window(),
                    r.resources(), r.containers(), r.model(), conditions));
        }
        return result;
    }

    static Condition condition(List<UnavailableKind> kinds) {
        List<UnavailableKind> sorted = kinds.stream().sorted(Comparator.comparing(UnavailableKind::resource)).toList();
        List<String> parts = new ArrayList<>();
        for (UnavailableKind k : sorted) {
            parts.add(k.resource() + " (" + k.groupVersion() + "): " + k.cause());
        }
        String message = "resolved without " + (sorted.size() == 1 ? "a kind" : "kinds")
                + " Presize cannot list, so its owner chain ends at the deepest owner that could be read: "
                + String.join("; ", parts);
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        Instant since = sorted.stream().map(UnavailableKind::since).min(Comparator.naturalOrder()).orElseThrow();
        return new Condition(TYPE, "True", sorted.get(0).reason(), message, Rfc3339.format(since));
    }
}
