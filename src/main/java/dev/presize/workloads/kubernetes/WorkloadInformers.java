package dev.presize.workloads.kubernetes;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.TransformFunc;
import io.kubernetes.client.informer.cache.Indexer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
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
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watchable;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.options.ListOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cluster-wide informers (list once, then watch; client-java's {@code SharedInformerFactory}) for
 * the eight kinds an owner chain can pass through: pods, replicasets, deployments, statefulsets,
 * daemonsets, jobs, cronjobs, replicationcontrollers. Reads never reach the API server: they see
 * the informers' stores, which the watches keep current. client-java lists again only when a
 * watch cannot resume (resourceVersion expired, 410 Gone) or breaks mid-stream.
 *
 * <p>Failures never block and never stop anything: each informer retries its list in the
 * background (client-java's reflector every second, plus a backoff here up to 30 s), and the last
 * failure of each kind is kept so callers can say why the cache is not ready. Objects enter the
 * stores through {@link Slim}, so memory grows with the number of objects, not their size.
 */
final class WorkloadInformers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkloadInformers.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final SharedInformerFactory factory;
    private final ExecutorService threads;
    private final Map<String, Informed<?>> informers = new LinkedHashMap<>();
    private final ClusterCaches caches;

    /**
     * @param lists   client for lists (a read timeout, so a hung list is retried)
     * @param watches client for watches, without a read timeout (client-java's factory insists; the
     *                server ends each watch after the 5 minutes the reflector asks for)
     */
    WorkloadInformers(ApiClient lists, ApiClient watches, Duration resync) {
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "presize-informer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.factory = new SharedInformerFactory(watches, threads);
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
        for (Informed<?> i : informers.values()) {
            if (!i.informer.hasSynced()) {
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
        for (Informed<?> i : informers.values()) {
            if (!i.informer.hasSynced()) {
                String error = i.lastError;
                waiting.add(i.resource + (error == null ? " (no answer yet)" : ": " + error));
            }
        }
        return waiting.isEmpty() ? "synced" : String.join("; ", waiting);
    }

    ClusterCaches caches() {
        return caches;
    }

    @Override
    public void close() {
        for (Informed<?> i : informers.values()) {
            i.closing = true;
        }
        // Stops the reflectors (and their watches). Not shutdownNow(): interrupting client-java's
        // processing loops only makes each log an ERROR; they are idle daemon threads from here on.
        factory.stopAllRegisteredInformers(true);
    }

    private <T extends KubernetesObject, L extends KubernetesListObject> ObjectCache<T> add(
            String resource, Class<T> type, Class<L> listType, String group, ApiClient lists, ApiClient watches,
            long resyncMillis, TransformFunc slim) {
        String version = "v1";
        Informed<T> informed = new Informed<>(resource);
        ListerWatcher<T, L> lw = informed.listerWatcher(
                new GenericKubernetesApi<>(type, listType, group, version, resource, lists),
                new GenericKubernetesApi<>(type, listType, group, version, resource, watches));
        SharedIndexInformer<T> informer = factory.sharedIndexInformerFor(lw, type, resyncMillis, informed::watchFailed);
        informer.setTransform(slim);
        informed.informer = informer;
        informers.put(resource, informed);
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

    /** One informer and what went wrong with it last. */
    private static final class Informed<T extends KubernetesObject> {
        final String resource;
        SharedIndexInformer<T> informer;
        volatile String lastError;
        volatile boolean closing;
        private volatile Throwable lastListFailure;
        private int failures;

        Informed(String resource) {
            this.resource = resource;
        }

        <L extends KubernetesListObject> ListerWatcher<T, L> listerWatcher(GenericKubernetesApi<T, L> lists,
                                                                           GenericKubernetesApi<T, L> watches) {
            return new ListerWatcher<>() {
                @Override
                public L list(CallGeneratorParams params) throws ApiException {
                    backOff();
                    ApiException failure;
                    String error;
                    try {
                        KubernetesApiResponse<L> response = lists.list(options(params));
                        if (response.isSuccess()) {
                            listed();
                            return response.getObject();
                        }
                        V1Status status = response.getStatus();
                        error = "HTTP " + response.getHttpStatusCode()
                                + (status == null || status.getMessage() == null ? "" : ": " + abbreviate(status.getMessage()));
                        failure = new ApiException(response.getHttpStatusCode(), error);
                    } catch (RuntimeException e) {
                        // client-java wraps I/O failures (connection refused, timeouts) in a RuntimeException.
                        Throwable cause = e.getCause() != null ? e.getCause() : e;
                        error = abbreviate(cause.toString());
                        failure = new ApiException(e);
                    }
                    listFailed(failure, error);
                    throw failure;
                }

                @Override
                public Watchable<T> watch(CallGeneratorParams params) throws ApiException {
                    return watches.watch(options(params));
                }
            };
        }

        private static ListOptions options(CallGeneratorParams params) {
            ListOptions options = new ListOptions();
            options.setResourceVersion(params.resourceVersion);
            options.setTimeoutSeconds(params.timeoutSeconds);
            return options;
        }

        /** Before a retry: 0.5 s, 1 s, 2 s ... 30 s on top of the reflector's own second between attempts. */
        private void backOff() throws ApiException {
            int f;
            synchronized (this) {
                f = failures;
            }
            if (f == 0) {
                return;
            }
            long millis = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(f - 1, 10));
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException("interrupted while backing off");
            }
        }

        private void listed() {
            synchronized (this) {
                if (failures > 0) {
                    LOG.info("Listing {} works again after {} failed attempts", resource, failures);
                }
                failures = 0;
            }
            lastError = null;
        }

        private void listFailed(ApiException failure, String error) {
            lastListFailure = failure;
            synchronized (this) {
                failures++;
                if (failures == 1) {
                    LOG.warn("Cannot list {} (retrying in the background): {}", resource, error);
                } else {
                    LOG.debug("Cannot list {} (attempt {}): {}", resource, failures, error);
                }
            }
            lastError = error;
        }

        /** client-java's reflector reports list and watch failures here; list failures are already recorded. */
        void watchFailed(Class<T> type, Throwable t) {
            if (t == lastListFailure) {
                return;
            }
            if (closing) {
                LOG.debug("Watch of {} ended by shutdown: {}", resource, t.toString());
                return;
            }
            String error = t instanceof ApiException e ? describe(e) : abbreviate(t.toString());
            lastError = "watch: " + error;
            LOG.warn("Watch of {} failed; listing again from the last resourceVersion seen: {}", resource, error);
        }

        /** ApiException's own message is a multi-line dump; this is one line. */
        private static String describe(ApiException e) {
            if (e.getCode() > 0) {
                String body = e.getResponseBody();
                return "HTTP " + e.getCode() + (body == null || body.isBlank() ? "" : ": " + abbreviate(body));
            }
            return abbreviate(e.getCause() != null ? e.getCause().toString() : String.valueOf(e.getMessage()));
        }

        private static String abbreviate(String s) {
            String oneLine = s.replaceAll("\\s+", " ").trim();
            return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
        }
    }
}
