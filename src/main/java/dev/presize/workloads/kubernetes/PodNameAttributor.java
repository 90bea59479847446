package dev.presize.workloads.kubernetes;

import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Attributes a pod that may no longer exist to one of a list of workloads by its name alone
 * ({@link GeneratedNames}). Built once per workload list; each lookup costs one map probe per dash
 * in the pod name.
 *
 * <p>Ambiguity: names are only patterns, so two workloads can both claim a pod, e.g. a Deployment
 * {@code api} and a standalone ReplicaSet {@code api-6b7c9d5f4} both claim
 * {@code api-6b7c9d5f4-x2x4z}. The most specific claim wins: the longest workload name, then a
 * Deployment pod whose hash belongs to one of its ReplicaSets over one that merely looks like a hash,
 * then the contract's kind order ({@link dev.presize.workloads.WorkloadKind}). What stays ambiguous
 * is attributed wrongly rather than twice: a pod of a deleted workload whose name also fits a live
 * one (say a deleted DaemonSet {@code web} and a live ReplicaSet {@code web}, or a deleted
 * Deployment {@code app-bcd} and a live Deployment {@code app} whose old ReplicaSets are gone, where
 * {@code app-bcd-...} reads as {@code app} with hash {@code bcd}) goes to the live one.
 */
final class PodNameAttributor {

    private final Map<String, List<Workload>> byNamespaceAndName = new HashMap<>();
    private final Map<String, List<Workload>> byNamespace = new HashMap<>();
    private final Map<WorkloadRef, Set<String>> podTemplateHashes;

    PodNameAttributor(List<Workload> workloads, Map<WorkloadRef, Set<String>> podTemplateHashes) {
        for (Workload w : workloads) {
            byNamespaceAndName.computeIfAbsent(key(w.namespace(), w.name()), k -> new ArrayList<>(1)).add(w);
            byNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w);
        }
        this.podTemplateHashes = podTemplateHashes;
    }

    Optional<WorkloadRef> ownerOf(String namespace, String pod) {
        List<Workload> candidates = new ArrayList<>();
        addAll(candidates, byNamespaceAndName.get(key(namespace, pod)));
        for (int i = pod.indexOf('-'); i > 0; i = pod.indexOf('-', i + 1)) {
            addAll(candidates, byNamespaceAndName.get(key(namespace, pod.substring(0, i))));
        }
        if (pod.length() == GeneratedNames.MAX_GENERATED_BASE + GeneratedNames.RANDOM_LENGTH) {
            // The generateName base was cut to 58 characters: the workload's name may not end at a dash.
            addAll(candidates, byNamespace.get(namespace));
        }
        Workload best = null;
        GeneratedNames.Match bestMatch = GeneratedNames.Match.NONE;
        for (Workload w : candidates) {
            GeneratedNames.Match m = GeneratedNames.match(w.kind(), w.name(),
                    podTemplateHashes.getOrDefault(w.ref(), Set.of()), pod);
            if (m != GeneratedNames.Match.NONE && (best == null || MORE_SPECIFIC.compare(
                    new Candidate(w, m), new Candidate(best, bestMatch)) < 0)) {
                best = w;
                bestMatch = m;
            }
        }
        return Optional.ofNullable(best).map(Workload::ref);
    }

    private record Candidate(Workload workload, GeneratedNames.Match match) {
    }

    private static final Comparator<Candidate> MORE_SPECIFIC = Comparator
            .comparingInt((Candidate c) -> -c.workload().name().length())
            .thenComparing(c -> -c.match().ordinal())
            .thenComparing(c -> c.workload().kind());

    private static void addAll(List<Workload> to, List<Workload> from) {
        if (from != null) {
            to.addAll(from);
        }
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
