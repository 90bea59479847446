package dev.presize.workloads.kubernetes;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1ReplicationController;
import io.kubernetes.client.openapi.models.V1StatefulSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The cached objects of every kind the owner chains go through. */
record ClusterCaches(
        ObjectCache<V1Pod> pods,
        ObjectCache<V1ReplicaSet> replicaSets,
        ObjectCache<V1Deployment> deployments,
        ObjectCache<V1StatefulSet> statefulSets,
        ObjectCache<V1DaemonSet> daemonSets,
        ObjectCache<V1Job> jobs,
        ObjectCache<V1CronJob> cronJobs,
        ObjectCache<V1ReplicationController> replicationControllers) {

    /** Fixed caches holding the given objects (for tests and one-off resolution). */
    static ClusterCaches of(List<? extends KubernetesObject> objects) {
        return new ClusterCaches(fixed(objects, V1Pod.class), fixed(objects, V1ReplicaSet.class),
                fixed(objects, V1Deployment.class), fixed(objects, V1StatefulSet.class),
                fixed(objects, V1DaemonSet.class), fixed(objects, V1Job.class), fixed(objects, V1CronJob.class),
                fixed(objects, V1ReplicationController.class));
    }

    private static <T extends KubernetesObject> ObjectCache<T> fixed(List<? extends KubernetesObject> objects, Class<T> type) {
        Map<String, T> byKey = new LinkedHashMap<>();
        for (KubernetesObject o : objects) {
            if (type.isInstance(o)) {
                byKey.put(o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(), type.cast(o));
            }
        }
        List<T> all = List.copyOf(byKey.values());
        return new ObjectCache<>() {
            @Override
            public List<T> list() {
                return new ArrayList<>(all);
            }

            @Override
            public T get(String namespace, String name) {
                return byKey.get(namespace + "/" + name);
            }
        };
    }
}
