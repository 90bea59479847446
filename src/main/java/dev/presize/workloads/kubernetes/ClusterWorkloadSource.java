package dev.presize.workloads.kubernetes;

import dev.presize.kubernetes.KubernetesClientFactory;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadRef;
import dev.presize.workloads.WorkloadSource;
import io.kubernetes.client.openapi.ApiClient;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The workloads of the cluster Presize runs in, from informer caches ({@link WorkloadInformers})
 * that start with the bean and then follow the cluster through watches. A refresh reads the caches
 * only; it never lists anything.
 *
 * <p>Startup neither waits for nor depends on the API server (the startup policy of
 * {@link KubernetesClientFactory}): if it is down, slow or forbids the lists, the informers retry
 * in the background and {@link #workloads} throws an {@link IOException} (after a short wait for
 * the first sync) saying what is missing, so the refresh keeps its last snapshot. Once synced, the caches stay usable through API outages (they
 * are merely stale until the watches resume).
 *
 * <p>Not in demo mode, which has its own {@link dev.presize.workloads.DemoWorkloadSource}.
 */
@Singleton
@Requires(property = "presize.demo", notEquals = "true")
public class ClusterWorkloadSource implements WorkloadSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWorkloadSource.class);

    /** How long {@link #workloads} waits for the first sync, e.g. for the refresh right at startup. */
    static final Duration INITIAL_SYNC_WAIT = Duration.ofSeconds(5);
    /**
     * client-java's resync replays the store to event handlers; it never lists. Nothing here reacts
     * to events (reads go to the store), so it is only a cheap, infrequent pass.
     */
    static final Duration RESYNC = Duration.ofMinutes(30);

    private final WorkloadInformers informers;
    private final Duration initialSyncWait;
    private volatile Attribution attribution;

    @Inject
    public ClusterWorkloadSource(KubernetesClientFactory clients) {
        this(clients.lists(), clients.watches(), INITIAL_SYNC_WAIT);
        LOG.info("Watching workloads cluster-wide through {}", clients.describe());
    }

    /**
     * @param lists   client for lists (a read timeout, so a hung list is retried)
     * @param watches client for watches, without a read timeout
     */
    ClusterWorkloadSource(ApiClient lists, ApiClient watches, Duration initialSyncWait) {
        this.initialSyncWait = initialSyncWait;
        this.informers = new WorkloadInformers(lists, watches, RESYNC);
        informers.start();
    }

    /**
     * The workloads that exist now ({@code at} is not used: a live cluster has no past). Throws
     * until every informer has synced once.
     */
    @Override
    public List<Workload> workloads(Instant at) throws IOException {
        if (!informers.awaitSynced(initialSyncWait)) {
            throw new IOException("workload cache not synced yet: " + informers.notSyncedReason());
        }
        OwnerChains chains = new OwnerChains(informers.caches());
        List<Workload> workloads = chains.workloads();
        attribution = new Attribution(workloads, chains);
        return workloads;
    }

    /**
     * A pod that exists now is attributed by its owner chain; one that does not (history outlives
     * pods) by the names controllers generate, see {@link PodNameAttributor} for the rules and the
     * ambiguity that remains. Only workloads in {@code workloads} are returned.
     */
    @Override
    public Optional<WorkloadRef> ownerOf(List<Workload> workloads, String namespace, String pod, String container) {
        // A pod belongs to one workload whatever the container: the container plays no part here.
        return ownerOf(workloads, namespace, pod);
    }

    public Optional<WorkloadRef> ownerOf(List<Workload> workloads, String namespace, String pod) {
        Attribution a = attribution;
        if (a == null || a.workloads != workloads) {
            a = new Attribution(workloads, new OwnerChains(informers.caches()));
            attribution = a;
        }
        Optional<WorkloadRef> live = new OwnerChains(informers.caches()).ownerOfLivePod(namespace, pod);
        if (live.isPresent() && a.refs.contains(live.get())) {
            return live;
        }
        return a.names.ownerOf(namespace, pod);
    }

    /** For tests: the caches behind this source. */
    ClusterCaches caches() {
        return informers.caches();
    }

    @PreDestroy
    @Override
    public void close() {
        informers.close();
    }

    /** Name-based attribution for one workload list (identity), built once and reused for all its pods. */
    private static final class Attribution {
        final List<Workload> workloads;
        final Set<WorkloadRef> refs = new HashSet<>();
        final PodNameAttributor names;

        Attribution(List<Workload> workloads, OwnerChains chains) {
            this.workloads = workloads;
            for (Workload w : workloads) {
                refs.add(w.ref());
            }
            this.names = new PodNameAttributor(workloads, chains.podTemplateHashes());
        }
    }
}
