package dev.presize.workloads.kubernetes;

import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadKind;
import dev.presize.workloads.WorkloadRef;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1ReplicationController;
import io.kubernetes.client.openapi.models.V1StatefulSet;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resolves owner chains over cached objects: which objects are top-level workloads, and which
 * workload a live pod belongs to. Only {@code controller: true} owner references count, as for
 * Kubernetes' own garbage collector and {@code kubectl}.
 *
 * <ul>
 * <li>Pod → ReplicaSet → Deployment; a ReplicaSet without a Deployment controller is itself the workload.</li>
 * <li>Pod → Job → CronJob; a Job without a CronJob controller is itself the workload.</li>
 * <li>Pod → StatefulSet, DaemonSet or ReplicationController.</li>
 * <li>A pod without a controller, or whose controller is no workload kind (static pods' mirror
 *     pods are "controlled" by their Node, operators own pods directly), is a bare pod: kind Pod.
 *     Likewise a ReplicaSet or Job controlled by something else (e.g. an Argo Rollout) is itself
 *     the workload, since its template is the one its pods run.</li>
 * </ul>
 *
 * Completed pods (phase Succeeded or Failed) are kept: a finished bare pod still has history.
 *
 * <p>Kinds Presize could not list ({@code missing}: their caches never synced) are left out of the
 * chains, which then end at the deepest owner that can be read:
 * <ul>
 * <li>A Job whose CronJob cannot be read is a Job workload; likewise a ReplicaSet whose Deployment
 *     cannot be read is a ReplicaSet workload.</li>
 * <li>A pod whose own controller cannot be read (its ReplicaSet, Job, StatefulSet, DaemonSet or
 *     ReplicationController) is attributed to that controller by the name in its owner reference:
 *     the pods of one controller become one workload of the controller's kind, with the newest
 *     pod's containers (the current template) and the oldest pod's creation time, and no labels
 *     (pods do not carry their controller's). Not the pod itself: that would make one workload per
 *     pod, renamed at every rollout. A Deployment whose ReplicaSets cannot be read is still listed,
 *     but its live pods go to their ReplicaSets (a pod's owner reference names only its ReplicaSet).</li>
 * <li>Without pods, there are no bare-pod workloads, and pods are attributed by their names only.</li>
 * </ul>
 * Every workload whose resolution one of these touched is reported in {@link Resolved#affected}.
 */
final class OwnerChains {

    /** The label the Deployment controller puts on its ReplicaSets and their pods. */
    static final String POD_TEMPLATE_HASH = "pod-template-hash";

    private final ClusterCaches caches;
    private final Set<String> missing;
    private final Map<WorkloadKind, String> apiVersions;

    OwnerChains(ClusterCaches caches) {
        this(caches, Set.of(), Map.of());
    }

    /**
     * @param missing     the resources (plural, e.g. {@code cronjobs}) whose caches did not sync
     * @param apiVersions the group/version each kind was listed at, where not the kind's own
     *                    (CronJobs at {@code batch/v1beta1} on Kubernetes 1.20)
     */
    OwnerChains(ClusterCaches caches, Set<String> missing, Map<WorkloadKind, String> apiVersions) {
        this.caches = caches;
        this.missing = Set.copyOf(missing);
        this.apiVersions = Map.copyOf(apiVersions);
    }

    /**
     * The workloads, and for each one resolved without a missing kind, which missing kinds
     * (resources) it was resolved without.
     */
    record Resolved(List<Workload> workloads, Map<WorkloadRef, Set<String>> affected) {
    }

    /** Every top-level workload, also those with no pods now (a Deployment scaled to 0, a CronJob between runs). */
    List<Workload> workloads() {
        return resolve().workloads();
    }

    Resolved resolve() {
        Map<WorkloadRef, Set<String>> affected = new HashMap<>();
        List<Workload> result = new ArrayList<>();
        for (V1Deployment d : caches.deployments().list()) {
            result.add(workload(d, WorkloadKind.DEPLOYMENT, d.getSpec() == null ? null : d.getSpec().getTemplate()));
        }
        for (V1StatefulSet s : caches.statefulSets().list()) {
            result.add(workload(s, WorkloadKind.STATEFUL_SET, s.getSpec() == null ? null : s.getSpec().getTemplate()));
        }
        for (V1DaemonSet s : caches.daemonSets().list()) {
            result.add(workload(s, WorkloadKind.DAEMON_SET, s.getSpec() == null ? null : s.getSpec().getTemplate()));
        }
        for (V1CronJob c : caches.cronJobs().list()) {
            V1PodTemplateSpec template = c.getSpec() == null || c.getSpec().getJobTemplate() == null
                    || c.getSpec().getJobTemplate().getSpec() == null ? null : c.getSpec().getJobTemplate().getSpec().getTemplate();
            result.add(workload(c, WorkloadKind.CRON_JOB, template));
        }
        for (V1Job j : caches.jobs().list()) {
            boolean ofCronJob = isControlledBy(j.getMetadata(), "batch", "CronJob");
            if (!ofCronJob || missing.contains("cronjobs")) {
                Workload w = workload(j, WorkloadKind.JOB, j.getSpec() == null ? null : j.getSpec().getTemplate());
                result.add(w);
                if (ofCronJob) {
                    affect(affected, w, "cronjobs");
                }
            }
        }
        for (V1ReplicaSet r : caches.replicaSets().list()) {
            boolean ofDeployment = isControlledBy(r.getMetadata(), "apps", "Deployment");
            if (!ofDeployment || missing.contains("deployments")) {
                Workload w = workload(r, WorkloadKind.REPLICA_SET, r.getSpec() == null ? null : r.getSpec().getTemplate());
                result.add(w);
                if (ofDeployment) {
                    affect(affected, w, "deployments");
                }
            }
        }
        for (V1ReplicationController r : caches.replicationControllers().list()) {
            result.add(workload(r, WorkloadKind.REPLICATION_CONTROLLER, r.getSpec() == null ? null : r.getSpec().getTemplate()));
        }
        Map<WorkloadRef, List<V1Pod>> ofMissingControllers = new HashMap<>();
        for (V1Pod p : caches.pods().list()) {
            V1OwnerReference controller = workloadController(p.getMetadata());
            if (controller == null) {
                result.add(workload(p, WorkloadKind.POD, p.getSpec()));
            } else if (missing.contains(resourceOf(controller.getKind()))) {
                ofMissingControllers.computeIfAbsent(new WorkloadRef(p.getMetadata().getNamespace(),
                        WorkloadKind.ofKind(controller.getKind()), controller.getName()), k -> new ArrayList<>()).add(p);
            }
        }
        ofMissingControllers.forEach((ref, pods) -> {
            Workload w = fromPods(ref, pods, controller(pods.get(0).getMetadata()).getApiVersion());
            result.add(w);
            affect(affected, w, resourceOf(ref.kind().kind()));
        });
        for (Workload w : result) {
            // Children that could not be read: a Deployment's pods go through ReplicaSets, a CronJob's through Jobs.
            if (missing.contains("pods")) {
                affect(affected, w, "pods");
            }
            if (w.kind() == WorkloadKind.DEPLOYMENT && missing.contains("replicasets")) {
                affect(affected, w, "replicasets");
            }
            if (w.kind() == WorkloadKind.CRON_JOB && missing.contains("jobs")) {
                affect(affected, w, "jobs");
            }
        }
        // Informer stores are hash maps: sort, so every replica lists the same workloads in the same order.
        result.sort(Comparator.comparing(Workload::namespace).thenComparing(Workload::name).thenComparing(Workload::kind));
        return new Resolved(result, affected);
    }

    /** The resource (plural) of a workload kind's objects, e.g. {@code replicasets} for ReplicaSet. */
    static String resourceOf(String kind) {
        return kind.toLowerCase(Locale.ROOT) + "s";
    }

    private static void affect(Map<WorkloadRef, Set<String>> affected, Workload w, String resource) {
        affected.computeIfAbsent(w.ref(), k -> new TreeSet<>()).add(resource);
    }

    /**
     * A workload for a controller that cannot be read, from its pods: the newest pod's containers,
     * the oldest's creation, the apiVersion of their owner reference.
     */
    private static Workload fromPods(WorkloadRef ref, List<V1Pod> pods, String apiVersion) {
        Comparator<V1Pod> byAge = Comparator.comparing((V1Pod p) -> created(p.getMetadata()))
                .thenComparing(p -> p.getMetadata().getName());
        V1Pod oldest = pods.stream().min(byAge).orElseThrow();
        V1Pod newest = pods.stream().max(byAge).orElseThrow();
        return new Workload(ref.namespace(), ref.kind(), ref.name(), Map.of(), created(oldest.getMetadata()),
                PodTemplates.containers(newest.getSpec()), apiVersion);
    }

    private static Instant created(V1ObjectMeta meta) {
        return meta.getCreationTimestamp() == null ? Instant.EPOCH : meta.getCreationTimestamp().toInstant();
    }

    /**
     * The workload of a pod that exists now, from its owner chain; empty when the pod is not
     * cached or a link of its chain is missing (e.g. its ReplicaSet is not cached yet).
     */
    Optional<WorkloadRef> ownerOfLivePod(String namespace, String name) {
        V1Pod pod = caches.pods().get(namespace, name);
        if (pod == null) {
            return Optional.empty();
        }
        V1OwnerReference owner = workloadController(pod.getMetadata());
        if (owner == null) {
            return Optional.of(new WorkloadRef(namespace, WorkloadKind.POD, name));
        }
        if (missing.contains(resourceOf(owner.getKind()))) {
            // Its controller cannot be read: the workload made from its pods (resolve()).
            return Optional.of(new WorkloadRef(namespace, WorkloadKind.ofKind(owner.getKind()), owner.getName()));
        }
        switch (owner.getKind()) {
            case "ReplicaSet": {
                V1ReplicaSet rs = caches.replicaSets().get(namespace, owner.getName());
                if (rs == null) {
                    return Optional.empty();
                }
                V1OwnerReference deployment = controller(rs.getMetadata());
                return Optional.of(deployment != null && is(deployment, "apps", "Deployment") && !missing.contains("deployments")
                        ? new WorkloadRef(namespace, WorkloadKind.DEPLOYMENT, deployment.getName())
                        : new WorkloadRef(namespace, WorkloadKind.REPLICA_SET, rs.getMetadata().getName()));
            }
            case "Job": {
                V1Job job = caches.jobs().get(namespace, owner.getName());
                if (job == null) {
                    return Optional.empty();
                }
                V1OwnerReference cronJob = controller(job.getMetadata());
                return Optional.of(cronJob != null && is(cronJob, "batch", "CronJob") && !missing.contains("cronjobs")
                        ? new WorkloadRef(namespace, WorkloadKind.CRON_JOB, cronJob.getName())
                        : new WorkloadRef(namespace, WorkloadKind.JOB, job.getMetadata().getName()));
            }
            default:
                return Optional.of(new WorkloadRef(namespace, WorkloadKind.ofKind(owner.getKind()), owner.getName()));
        }
    }

    /** Each Deployment's known {@code pod-template-hash} values, from the ReplicaSets it controls. */
    Map<WorkloadRef, Set<String>> podTemplateHashes() {
        Map<WorkloadRef, Set<String>> hashes = new HashMap<>();
        for (V1ReplicaSet rs : caches.replicaSets().list()) {
            V1ObjectMeta meta = rs.getMetadata();
            V1OwnerReference owner = controller(meta);
            String hash = meta.getLabels() == null ? null : meta.getLabels().get(POD_TEMPLATE_HASH);
            if (owner != null && is(owner, "apps", "Deployment") && hash != null) {
                hashes.computeIfAbsent(new WorkloadRef(meta.getNamespace(), WorkloadKind.DEPLOYMENT, owner.getName()),
                        k -> new HashSet<>()).add(hash);
            }
        }
        return hashes;
    }

    private Workload workload(KubernetesObject o, WorkloadKind kind, V1PodTemplateSpec template) {
        return workload(o, kind, template == null ? null : template.getSpec());
    }

    private Workload workload(KubernetesObject o, WorkloadKind kind, V1PodSpec spec) {
        V1ObjectMeta meta = o.getMetadata();
        OffsetDateTime created = meta.getCreationTimestamp();
        List<ContainerSpec> containers = PodTemplates.containers(spec);
        // The API server always sets creationTimestamp; the epoch only stands in for hand-made objects.
        return new Workload(meta.getNamespace(), kind, meta.getName(), meta.getLabels(),
                created == null ? Instant.EPOCH : created.toInstant(), containers, apiVersions.get(kind));
    }

    /** The controller owner reference, if it is a kind that can own pods on the way to a workload. */
    private static V1OwnerReference workloadController(V1ObjectMeta meta) {
        V1OwnerReference c = controller(meta);
        if (c == null) {
            return null;
        }
        return is(c, "apps", "ReplicaSet") || is(c, "apps", "StatefulSet") || is(c, "apps", "DaemonSet")
                || is(c, "batch", "Job") || is(c, "", "ReplicationController") ? c : null;
    }

    static boolean isControlledBy(V1ObjectMeta meta, String group, String kind) {
        V1OwnerReference c = controller(meta);
        return c != null && is(c, group, kind);
    }

    static V1OwnerReference controller(V1ObjectMeta meta) {
        if (meta == null || meta.getOwnerReferences() == null) {
            return null;
        }
        for (V1OwnerReference ref : meta.getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController())) {
                return ref;
            }
        }
        return null;
    }

    /** Kind and API group ({@code ""} for the core group, whose apiVersion is just {@code v1}). */
    private static boolean is(V1OwnerReference ref, String group, String kind) {
        if (!kind.equals(ref.getKind()) || ref.getApiVersion() == null) {
            return false;
        }
        int slash = ref.getApiVersion().indexOf('/');
        return group.equals(slash < 0 ? "" : ref.getApiVersion().substring(0, slash));
    }
}
