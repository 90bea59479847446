package dev.presize.workloads.kubernetes;

import dev.presize.kubernetes.BackingOffListerWatcher;
import dev.presize.workloads.WorkloadKind;
import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.TransformFunc;
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
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cluster-wide informers (list once, then watch; client-java) for the eight kinds an owner chain
 * can pass through: pods, replicasets, deployments, statefulsets, daemonsets, jobs, cronjobs,
 * replicationcontrollers. Reads never reach the API server: they see the informers' stores, which
 * the watches keep current. client-java lists again only when a watch cannot resume
 * (resourceVersion expired, 410 Gone) or breaks mid-stream.
 *
 * <p>Which version each kind is listed at comes from discovery ({@link ApiDiscovery}): CronJobs from
 * {@code batch/v1}, else {@code batch/v1beta1} (Kubernetes 1.20). Discovery runs at start, every
 * {@link #DISCOVERY_INTERVAL}, and at a refresh that finds a kind whose list got 404; a kind whose
 * choice changed is listed again at the new version.
 *
 * <p>No kind waits for another: each informer retries its list in the background
 * ({@link BackingOffListerWatcher}: capped exponential backoff with jitter), its list outcomes go
 * to {@link KindAvailability} (one log line per change, a gauge per kind), and a refresh goes on
 * with the kinds whose caches synced ({@link #missing}). Objects enter the stores through
 * {@link Slim}, so memory grows with the number of objects, not their size.
 */
final class WorkloadInformers implements AutoCloseable {

    /** How often discovery is read again for a kind that moved or appeared (client-go's discovery caches for 10 minutes). */
    static final Duration DISCOVERY_INTERVAL = Duration.ofMinutes(5);

    private final ApiClient lists;
    private final Map<String, KindInformer<?, ?>> kinds = new LinkedHashMap<>();
    private final ClusterCaches caches;
    private final ScheduledExecutorService discovery;
    private long lastDiscovery;
    private boolean discovered;

    /**
     * @param lists   client for lists and discovery (a read timeout, so a hung list is retried)
     * @param watches client for watches, without a read timeout (client-java's factory insists; the
     *                server ends each watch after the 5 minutes the reflector asks for)
     */
    WorkloadInformers(ApiClient lists, ApiClient watches, Duration resync, KindAvailability availability) {
        this.lists = lists;
        long r = resync.toMillis();
        this.caches = new ClusterCaches(
                add(spec("pods", "", V1Pod.class, V1PodList.class, Slim::pod), lists, watches, r, availability),
                add(spec("replicasets", "apps", V1ReplicaSet.class, V1ReplicaSetList.class, Slim::replicaSet), lists, watches, r, availability),
                add(spec("deployments", "apps", V1Deployment.class, V1DeploymentList.class, Slim::deployment), lists, watches, r, availability),
                add(spec("statefulsets", "apps", V1StatefulSet.class, V1StatefulSetList.class, Slim::statefulSet), lists, watches, r, availability),
                add(spec("daemonsets", "apps", V1DaemonSet.class, V1DaemonSetList.class, Slim::daemonSet), lists, watches, r, availability),
                add(spec("jobs", "batch", V1Job.class, V1JobList.class, Slim::job), lists, watches, r, availability),
                // batch/v1 from Kubernetes 1.21; 1.20 serves CronJobs only as batch/v1beta1.
                add(new KindInformer.Spec<>("cronjobs", "batch", List.of("v1", "v1beta1"), V1CronJob.class,
                        V1CronJobList.class, Slim::cronJob), lists, watches, r, availability),
                add(spec("replicationcontrollers", "", V1ReplicationController.class, V1ReplicationControllerList.class,
                        Slim::replicationController), lists, watches, r, availability));
        this.discovery = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "presize-discovery");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the informers once discovery has answered (or failed), on a background thread: startup never waits for the API server. */
    void start() {
        long period = DISCOVERY_INTERVAL.toMillis();
        discovery.scheduleWithFixedDelay(() -> rediscover(false), 0, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Reads discovery again if it is due or a kind's list got 404 (it may have moved or gone), and
     * restarts the kinds whose choice changed. Called by the refresh before it reads the caches.
     */
    synchronized void rediscoverIfNeeded() {
        boolean notFound = kinds.values().stream().anyMatch(k -> !k.synced() && k.lastCode() == 404);
        if (!discovered || notFound || System.nanoTime() - lastDiscovery >= DISCOVERY_INTERVAL.toNanos()) {
            rediscover(true);
        }
    }

    private synchronized void rediscover(boolean now) {
        if (!now && discovered && System.nanoTime() - lastDiscovery < DISCOVERY_INTERVAL.toNanos() / 2) {
            return; // a refresh just did it
        }
        ApiDiscovery round = new ApiDiscovery(lists);
        for (KindInformer<?, ?> k : kinds.values()) {
            ApiDiscovery.Choice choice = round.choose(k.group(), k.resource(), k.versions());
            ApiDiscovery.Choice current = k.choice();
            if (restart(current, choice, k.synced())) {
                k.start(choice);
            }
        }
        discovered = true;
        lastDiscovery = System.nanoTime();
    }

    /**
     * Whether a kind listed at {@code current} moves to {@code choice}: to another version discovery
     * found (or guessed, when the current one does not work); to the same version when discovery
     * now finds a kind that was only guessed and is not synced, which also ends the backoff of its
     * failing list, so the next refresh uses it. A synced kind is never restarted for a guess.
     */
    static boolean restart(ApiDiscovery.Choice current, ApiDiscovery.Choice choice, boolean synced) {
        if (current == null) {
            return true;
        }
        if (!current.version().equals(choice.version())) {
            return choice.discovered() || !synced;
        }
        return choice.discovered() && !current.discovered() && !synced;
    }

    /** Waits up to {@code timeout} until every kind has synced or failed to list at least once; false if some had no answer. */
    boolean awaitSettled(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!kinds.values().stream().allMatch(KindInformer::settled)) {
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

    /** The kinds whose caches have not synced: a refresh resolves owner chains without them. */
    Map<String, KindInformer<?, ?>> missing() {
        Map<String, KindInformer<?, ?>> missing = new LinkedHashMap<>();
        kinds.forEach((resource, k) -> {
            if (!k.synced()) {
                missing.put(resource, k);
            }
        });
        return missing;
    }

    /** The group/version each workload kind is listed at, where it is not the kind's own (CronJobs at batch/v1beta1). */
    Map<WorkloadKind, String> apiVersions() {
        Map<WorkloadKind, String> versions = new EnumMap<>(WorkloadKind.class);
        for (WorkloadKind kind : WorkloadKind.values()) {
            KindInformer<?, ?> k = kinds.get(OwnerChains.resourceOf(kind.kind()));
            if (k != null && !k.groupVersion().equals(kind.apiVersion())) {
                versions.put(kind, k.groupVersion());
            }
        }
        return versions;
    }

    boolean noneSynced() {
        return missing().size() == kinds.size();
    }

    /** Why kinds are missing: each with its last error, or that it has not answered yet. */
    String notSyncedReason() {
        List<String> waiting = new ArrayList<>();
        missing().forEach((resource, k) -> {
            String error = k.lastError();
            waiting.add(resource + (error == null ? " (no answer yet)" : ": " + error));
        });
        return waiting.isEmpty() ? "synced" : String.join("; ", waiting);
    }

    ClusterCaches caches() {
        return caches;
    }

    @Override
    public void close() {
        discovery.shutdownNow();
        synchronized (this) {
            for (KindInformer<?, ?> k : kinds.values()) {
                k.close();
            }
        }
    }

    private static <T extends KubernetesObject, L extends KubernetesListObject> KindInformer.Spec<T, L> spec(
            String resource, String group, Class<T> type, Class<L> listType, TransformFunc slim) {
        return new KindInformer.Spec<>(resource, group, List.of("v1"), type, listType, slim);
    }

    private <T extends KubernetesObject, L extends KubernetesListObject> ObjectCache<T> add(
            KindInformer.Spec<T, L> spec, ApiClient lists, ApiClient watches, long resyncMillis, KindAvailability availability) {
        KindInformer<T, L> k = new KindInformer<>(spec, lists, watches, resyncMillis, availability);
        kinds.put(spec.resource(), k);
        return k.cache();
    }
}
