package dev.presize.workloads.kubernetes;

import dev.presize.kubernetes.BackingOffListerWatcher;
import dev.presize.kubernetes.Informers;
import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.TransformFunc;
import io.kubernetes.client.informer.cache.Indexer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1CronJobList;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1DaemonSetList;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentList;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1ReplicaSetList;
import io.kubernetes.client.openapi.models.V1ReplicationController;
import io.kubernetes.client.openapi.models.V1ReplicationControllerList;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StatefulSetList;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cluster-wide informers (list once, then watch; client-java's {@code SharedInformerFactory}) for
 * the eight kinds an owner chain can pass through: pods, replicasets, deployments, statefulsets,
 * daemonsets, jobs, cronjobs, replicationcontrollers. Reads never reach the API server: they see
 * the informers' stores, which the watches keep current. client-java lists again only when a
 * watch cannot resume (resourceVersion expired, 410 Gone) or breaks mid-stream.
 *
 * <p>Failures never block and never stop anything: each informer retries its list in the
 * background ({@link BackingOffListerWatcher}: client-java's reflector every second plus a backoff
 * up to 30 s), and the last failure of each kind is kept so callers can say why the cache is not
 * ready. Objects enter the stores through {@link Slim}, so memory grows with the number of
 * objects, not their size.
 */
final class WorkloadInformers implements AutoCloseable {

    private final SharedInformerFactory factory;
    private final Map<String, Informed> informers = new LinkedHashMap<>();
    private final ClusterCaches caches;

    /**
     * @param lists   client for lists (a read timeout, so a hung list is retried)
     * @param watches client for watches, without a read timeout (client-java's factory insists; the
     *                server ends each watch after the 5 minutes the reflector asks for)
     */
    WorkloadInformers(ApiClient lists, ApiClient watches, Duration resync) {
        this.factory = Informers.factory(watches, "presize-informer");
        long resyncMillis = resync.toMillis();
        this.caches = new ClusterCaches(
                add("pods", V1Pod.class, V1PodList.class, "", lists, watches, resyncMillis, Slim::pod),
                add("replicasets", V1ReplicaSet.class, V1ReplicaSetList.class, "apps", lists, watches, resyncMillis, Slim::replicaSet),
                add("deployments", V1Deployment.class, V1DeploymentList.class, "apps", lists, watches, resyncMillis, Slim::deployment),
                add("statefulsets", V1StatefulSet.class, V1StatefulSetList.class, "apps", lists, watches, resyncMillis, Slim::statefulSet),
                add("daemonsets", V1DaemonSet.class, V1DaemonSetList.class, "apps", lists, watches, resyncMillis, Slim::daemonSet),
                add("jobs", V1Job.class, V1JobList.class, "batch", lists, watches, resyncMillis, Slim::job),
                add("cronjobs", V1CronJob.class, V1CronJobList.class, "batch", lists, watches, resyncMillis, Slim::cronJob),
                add("replicationcontrollers", V1ReplicationController.class, V1ReplicationControllerList.class, "",
                        lists, watches, resyncMillis, Slim::replicationController));
    }

    void start() {
        factory.startAllRegisteredInformers();
    }

    boolean synced() {
        for (Informed i : informers.values()) {
            if (!i.informer().hasSynced()) {
                return false;
            }
        }
        return true;
    }

    /** Waits up to {@code timeout} for every informer's first list; false if that did not happen. */
    boolean awaitSynced(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!synced()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Why not synced: the kinds still waiting for their first list, with their last error if any. */
    String notSyncedReason() {
        List<String> waiting = new ArrayList<>();
        for (Informed i : informers.values()) {
            if (!i.informer().hasSynced()) {
                String error = i.listerWatcher().lastError();
                waiting.add(i.resource() + (error == null ? " (no answer yet)" : ": " + error));
            }
        }
        return waiting.isEmpty() ? "synced" : String.join("; ", waiting);
    }

    ClusterCaches caches() {
        return caches;
    }

    @Override
    public void close() {
        for (Informed i : informers.values()) {
            i.listerWatcher().closing();
        }
        // Stops the reflectors (and their watches). Not shutdownNow(): interrupting client-java's
        // processing loops only makes each log an ERROR; they are idle daemon threads from here on.
        factory.stopAllRegisteredInformers(true);
    }

    private <T extends KubernetesObject, L extends KubernetesListObject> ObjectCache<T> add(
            String resource, Class<T> type, Class<L> listType, String group, ApiClient lists, ApiClient watches,
            long resyncMillis, TransformFunc slim) {
        BackingOffListerWatcher<T, L> lw = new BackingOffListerWatcher<>(type, listType, group, "v1", resource, "", "", lists, watches);
        SharedIndexInformer<T> informer = factory.sharedIndexInformerFor(lw, type, resyncMillis, lw::watchFailed);
        informer.setTransform(slim);
        informers.put(resource, new Informed(resource, informer, lw));
        Indexer<T> store = informer.getIndexer();
        return new ObjectCache<>() {
            @Override
            public List<T> list() {
                return store.list();
            }

            @Override
            public T get(String namespace, String name) {
                return store.getByKey(namespace + "/" + name);
            }
        };
    }

    /** One informer and the lister-watcher that knows its last failure. */
    private record Informed(String resource, SharedIndexInformer<?> informer, BackingOffListerWatcher<?, ?> listerWatcher) {
    }
}
