package dev.presize.workloads.kubernetes;

import dev.presize.kubernetes.KubernetesClientFactory;
import dev.presize.workloads.UnavailableKind;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadRef;
import dev.presize.workloads.WorkloadSource;
import io.kubernetes.client.openapi.ApiClient;
import io.micronaut.context.annotation.Requires;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The workloads of the cluster Presize runs in, from informer caches ({@link WorkloadInformers})
 * that start with the bean and then follow the cluster through watches. A refresh reads the caches
 * only; it never lists anything.
 *
 * <p>Startup neither waits for nor depends on the API server (the startup policy of
 * {@link KubernetesClientFactory}): discovery and the informers run in the background. A refresh
 * waits a moment ({@link #INITIAL_SYNC_WAIT}) for kinds that have not answered yet, then goes on
 * with the kinds whose caches synced: a kind that cannot be listed (404 on this Kubernetes version,
 * 403 from a narrowed ClusterRole, no answer) never costs the others. Owner chains through it end
 * at the deepest owner that can be read ({@link OwnerChains}), and the workloads so resolved are
 * reported by {@link #unavailableKinds} for the {@code WorkloadKindUnavailable} condition. Only
 * when no kind has synced does {@link #workloads} throw an {@link IOException} saying what is
 * missing, so the refresh keeps its last snapshot. Once synced, a kind's cache stays usable
 * through API outages (it is merely stale until the watches resume).
 *
 * <p>Not in demo mode, which has its own {@link dev.presize.workloads.DemoWorkloadSource}.
 */
@Singleton
@Requires(property = "presize.demo", notEquals = "true")
public class ClusterWorkloadSource implements WorkloadSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterWorkloadSource.class);

    /** How long {@link #workloads} waits for kinds that have neither synced nor failed yet, e.g. right at startup. */
    static final Duration INITIAL_SYNC_WAIT = Duration.ofSeconds(5);
    /**
     * client-java's resync replays the store to event handlers; it never lists. Nothing here reacts
     * to events (reads go to the store), so it is only a cheap, infrequent pass.
     */
    static final Duration RESYNC = Duration.ofMinutes(30);

    private final WorkloadInformers informers;
    private final Duration initialSyncWait;
    /** Per missing resource, the first refresh instant that found it missing: the condition's lastTransitionTime. */
    private final Map<String, Instant> missingSince = new HashMap<>();
    private volatile Attribution attribution;

    @Inject
    public ClusterWorkloadSource(KubernetesClientFactory clients, PrometheusRegistry metrics) {
        this(clients.lists(), clients.watches(), INITIAL_SYNC_WAIT, metrics);
        LOG.info("Watching workloads cluster-wide through {}", clients.describe());
    }

    /**
     * @param lists   client for lists and discovery (a read timeout, so a hung list is retried)
     * @param watches client for watches, without a read timeout
     */
    ClusterWorkloadSource(ApiClient lists, ApiClient watches, Duration initialSyncWait, PrometheusRegistry metrics) {
        this.initialSyncWait = initialSyncWait;
        this.informers = new WorkloadInformers(lists, watches, RESYNC, new KindAvailability(metrics));
        informers.start();
    }

    ClusterWorkloadSource(ApiClient lists, ApiClient watches, Duration initialSyncWait) {
        this(lists, watches, initialSyncWait, new PrometheusRegistry());
    }

    /**
     * The workloads that exist now ({@code at} is not used to read: a live cluster has no past; it
     * dates the conditions of kinds found missing). Throws until at least one kind has synced.
     */
    @Override
    public synchronized List<Workload> workloads(Instant at) throws IOException {
        informers.rediscoverIfNeeded();
        informers.awaitSettled(initialSyncWait);
        if (informers.noneSynced()) {
            throw new IOException("workload cache not synced yet: " + informers.notSyncedReason());
        }
        Map<String, KindInformer<?, ?>> missing = informers.missing();
        missingSince.keySet().retainAll(missing.keySet());
        Map<String, UnavailableKind> unavailable = new HashMap<>();
        missing.forEach((resource, k) -> {
            Instant since = missingSince.computeIfAbsent(resource, r -> at);
            unavailable.put(resource, unavailable(k, since));
        });
        OwnerChains chains = new OwnerChains(informers.caches(), missing.keySet(), informers.apiVersions());
        OwnerChains.Resolved resolved = chains.resolve();
        attribution = new Attribution(resolved.workloads(), chains, resolved.affected(), unavailable);
        return resolved.workloads();
    }

    /** Why a kind is missing, from its last list outcome (or discovery), in words naming the URL. */
    private UnavailableKind unavailable(KindInformer<?, ?> k, Instant since) {
        String error = k.lastError();
        int code = k.lastCode();
        if (error == null) {
            error = "GET " + k.url() + ": no answer from the API server within " + initialSyncWait.toSeconds()
                    + " s (still trying)";
            code = 0;
        }
        return new UnavailableKind(k.resource(), k.groupVersion(), UnavailableKind.reasonFor(code), error, since);
    }

    @Override
    public Map<WorkloadRef, List<UnavailableKind>> unavailableKinds(List<Workload> workloads) {
        Attribution a = attribution;
        if (a == null || a.workloads != workloads) {
            return Map.of();
        }
        Map<WorkloadRef, List<UnavailableKind>> result = new HashMap<>();
        a.affected.forEach((ref, resources) -> {
            List<UnavailableKind> kinds = new ArrayList<>();
            for (String resource : resources) {
                kinds.add(a.unavailable.get(resource));
            }
            result.put(ref, List.copyOf(kinds));
        });
        return result;
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
            a = new Attribution(workloads, new OwnerChains(informers.caches(), informers.missing().keySet(),
                    informers.apiVersions()), Map.of(), Map.of());
            attribution = a;
        }
        Optional<WorkloadRef> live = a.chains.ownerOfLivePod(namespace, pod);
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
        /** Resolved with the kinds missing at the time, so live pods are attributed as the workloads were. */
        final OwnerChains chains;
        final Map<WorkloadRef, Set<String>> affected;
        final Map<String, UnavailableKind> unavailable;

        Attribution(List<Workload> workloads, OwnerChains chains, Map<WorkloadRef, Set<String>> affected,
                    Map<String, UnavailableKind> unavailable) {
            this.workloads = workloads;
            this.chains = chains;
            this.affected = affected;
            this.unavailable = unavailable;
            for (Workload w : workloads) {
                refs.add(w.ref());
            }
            this.names = new PodNameAttributor(workloads, chains.podTemplateHashes());
        }
    }
}
