package dev.presize.workloads.kubernetes;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1CronJobList;
import io.kubernetes.client.openapi.models.V1DaemonSetList;
import io.kubernetes.client.openapi.models.V1DeploymentList;
import io.kubernetes.client.openapi.models.V1JobList;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1ReplicaSetList;
import io.kubernetes.client.openapi.models.V1ReplicationControllerList;
import io.kubernetes.client.openapi.models.V1StatefulSetList;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test cluster in {@code src/test/resources/kube/<resource>.json}: kube-apiserver list bodies
 * with a Deployment with two ReplicaSets (one scaled to 0), a Deployment scaled to 0, a
 * StatefulSet and a Deployment both called {@code web}, a DaemonSet, a CronJob with a Job, a bare
 * Job, a ReplicationController, a standalone ReplicaSet (orphaned, named like a Deployment's), a
 * running and a finished bare pod, and a static pod's mirror pod.
 */
final class FixtureCluster {

    /** Resource (plural, as in the URL) → API path and list type. */
    static final Map<String, Resource> RESOURCES = new LinkedHashMap<>();

    static {
        RESOURCES.put("pods", new Resource("/api/v1/pods", V1PodList.class));
        RESOURCES.put("replicasets", new Resource("/apis/apps/v1/replicasets", V1ReplicaSetList.class));
        RESOURCES.put("deployments", new Resource("/apis/apps/v1/deployments", V1DeploymentList.class));
        RESOURCES.put("statefulsets", new Resource("/apis/apps/v1/statefulsets", V1StatefulSetList.class));
        RESOURCES.put("daemonsets", new Resource("/apis/apps/v1/daemonsets", V1DaemonSetList.class));
        RESOURCES.put("jobs", new Resource("/apis/batch/v1/jobs", V1JobList.class));
        RESOURCES.put("cronjobs", new Resource("/apis/batch/v1/cronjobs", V1CronJobList.class));
        RESOURCES.put("replicationcontrollers", new Resource("/api/v1/replicationcontrollers", V1ReplicationControllerList.class));
    }

    record Resource(String path, Class<? extends KubernetesListObject> listType) {
    }

    private FixtureCluster() {
    }

    static String body(String resource) {
        try (InputStream in = FixtureCluster.class.getClassLoader().getResourceAsStream("kube/" + resource + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<KubernetesObject> objects() {
        List<KubernetesObject> all = new ArrayList<>();
        RESOURCES.forEach((name, r) -> {
            KubernetesListObject list = JSON.deserialize(body(name), r.listType());
            all.addAll(list.getItems());
        });
        return all;
    }

    static ClusterCaches caches() {
        return ClusterCaches.of(objects());
    }
}
