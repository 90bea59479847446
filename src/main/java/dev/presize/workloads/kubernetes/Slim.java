package dev.presize.workloads.kubernetes;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1CronJobSpec;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1DaemonSetSpec;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1JobTemplateSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1ReplicaSetSpec;
import io.kubernetes.client.openapi.models.V1ReplicationController;
import io.kubernetes.client.openapi.models.V1ReplicationControllerSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StatefulSetSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Informer transforms that keep only what owner chains and current requests need: name,
 * namespace, uid, resourceVersion, creationTimestamp, labels (a pod's only when it is bare), the
 * controller owner reference, and per container its name, resources and restartPolicy; a pod also
 * keeps its phase. Everything else (managedFields, the last-applied annotation, env, volumes,
 * probes, status conditions) is dropped before the object enters the cache.
 *
 * <p>This bounds the cache by the number of objects, not their size: a typical pod is 5-20 KB of
 * JSON and several times that as Java objects, its slim form well under 1 KB. What is not bounded:
 * the initial list (and any re-list after a watch expires) still arrives as one full, unpaged
 * {@code PodList} in memory, as client-java's reflector does not page.
 */
final class Slim {

    private Slim() {
    }

    static KubernetesObject pod(KubernetesObject o) {
        if (!(o instanceof V1Pod p)) {
            return o;
        }
        V1Pod slim = new V1Pod().apiVersion(p.getApiVersion()).kind(p.getKind())
                .metadata(meta(p.getMetadata(), OwnerChains.controller(p.getMetadata()) == null))
                .spec(podSpec(p.getSpec()));
        if (p.getStatus() != null) {
            slim.status(new V1PodStatus().phase(p.getStatus().getPhase()));
        }
        return slim;
    }

    static KubernetesObject deployment(KubernetesObject o) {
        if (!(o instanceof V1Deployment d)) {
            return o;
        }
        V1Deployment slim = new V1Deployment().apiVersion(d.getApiVersion()).kind(d.getKind()).metadata(meta(d.getMetadata(), true));
        if (d.getSpec() != null) {
            slim.spec(new V1DeploymentSpec().template(template(d.getSpec().getTemplate())));
        }
        return slim;
    }

    static KubernetesObject replicaSet(KubernetesObject o) {
        if (!(o instanceof V1ReplicaSet r)) {
            return o;
        }
        V1ReplicaSet slim = new V1ReplicaSet().apiVersion(r.getApiVersion()).kind(r.getKind()).metadata(meta(r.getMetadata(), true));
        // A Deployment's ReplicaSet is no workload: its labels (pod-template-hash) and owner are all that is needed.
        if (r.getSpec() != null && !OwnerChains.isControlledBy(r.getMetadata(), "apps", "Deployment")) {
            slim.spec(new V1ReplicaSetSpec().template(template(r.getSpec().getTemplate())));
        }
        return slim;
    }

    static KubernetesObject statefulSet(KubernetesObject o) {
        if (!(o instanceof V1StatefulSet s)) {
            return o;
        }
        V1StatefulSet slim = new V1StatefulSet().apiVersion(s.getApiVersion()).kind(s.getKind()).metadata(meta(s.getMetadata(), true));
        if (s.getSpec() != null) {
            slim.spec(new V1StatefulSetSpec().template(template(s.getSpec().getTemplate())));
        }
        return slim;
    }

    static KubernetesObject daemonSet(KubernetesObject o) {
        if (!(o instanceof V1DaemonSet s)) {
            return o;
        }
        V1DaemonSet slim = new V1DaemonSet().apiVersion(s.getApiVersion()).kind(s.getKind()).metadata(meta(s.getMetadata(), true));
        if (s.getSpec() != null) {
            slim.spec(new V1DaemonSetSpec().template(template(s.getSpec().getTemplate())));
        }
        return slim;
    }

    static KubernetesObject job(KubernetesObject o) {
        if (!(o instanceof V1Job j)) {
            return o;
        }
        V1Job slim = new V1Job().apiVersion(j.getApiVersion()).kind(j.getKind()).metadata(meta(j.getMetadata(), true));
        // A CronJob's Job is no workload: its owner is all that is needed.
        if (j.getSpec() != null && !OwnerChains.isControlledBy(j.getMetadata(), "batch", "CronJob")) {
            slim.spec(new V1JobSpec().template(template(j.getSpec().getTemplate())));
        }
        return slim;
    }

    static KubernetesObject cronJob(KubernetesObject o) {
        if (!(o instanceof V1CronJob c)) {
            return o;
        }
        V1CronJob slim = new V1CronJob().apiVersion(c.getApiVersion()).kind(c.getKind()).metadata(meta(c.getMetadata(), true));
        if (c.getSpec() != null && c.getSpec().getJobTemplate() != null && c.getSpec().getJobTemplate().getSpec() != null) {
            slim.spec(new V1CronJobSpec().schedule(c.getSpec().getSchedule()).jobTemplate(new V1JobTemplateSpec()
                    .spec(new V1JobSpec().template(template(c.getSpec().getJobTemplate().getSpec().getTemplate())))));
        }
        return slim;
    }

    static KubernetesObject replicationController(KubernetesObject o) {
        if (!(o instanceof V1ReplicationController r)) {
            return o;
        }
        V1ReplicationController slim = new V1ReplicationController().apiVersion(r.getApiVersion()).kind(r.getKind())
                .metadata(meta(r.getMetadata(), true));
        if (r.getSpec() != null) {
            slim.spec(new V1ReplicationControllerSpec().template(template(r.getSpec().getTemplate())));
        }
        return slim;
    }

    private static V1ObjectMeta meta(V1ObjectMeta m, boolean keepLabels) {
        if (m == null) {
            return null;
        }
        V1ObjectMeta slim = new V1ObjectMeta().name(m.getName()).namespace(m.getNamespace()).uid(m.getUid())
                .resourceVersion(m.getResourceVersion()).creationTimestamp(m.getCreationTimestamp());
        if (keepLabels) {
            slim.labels(m.getLabels());
        }
        V1OwnerReference controller = OwnerChains.controller(m);
        if (controller != null) {
            slim.ownerReferences(List.of(new V1OwnerReference().apiVersion(controller.getApiVersion())
                    .kind(controller.getKind()).name(controller.getName()).uid(controller.getUid()).controller(true)));
        }
        return slim;
    }

    private static V1PodTemplateSpec template(V1PodTemplateSpec t) {
        return t == null ? null : new V1PodTemplateSpec().spec(podSpec(t.getSpec()));
    }

    private static V1PodSpec podSpec(V1PodSpec s) {
        if (s == null) {
            return null;
        }
        V1PodSpec slim = new V1PodSpec().containers(containers(s.getContainers(), false));
        List<V1Container> sidecars = containers(s.getInitContainers(), true);
        if (!sidecars.isEmpty()) {
            slim.initContainers(sidecars);
        }
        return slim;
    }

    private static List<V1Container> containers(List<V1Container> containers, boolean sidecarsOnly) {
        List<V1Container> slim = new ArrayList<>();
        if (containers == null) {
            return slim;
        }
        for (V1Container c : containers) {
            if (sidecarsOnly && !"Always".equals(c.getRestartPolicy())) {
                continue;
            }
            V1ResourceRequirements r = c.getResources();
            slim.add(new V1Container().name(c.getName()).restartPolicy(c.getRestartPolicy()).resources(r == null ? null
                    : new V1ResourceRequirements().requests(r.getRequests()).limits(r.getLimits())));
        }
        return slim;
    }
}
