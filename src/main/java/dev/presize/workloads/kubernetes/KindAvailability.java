package dev.presize.workloads.kubernetes;

import dev.presize.workloads.UnavailableKind;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * Whether each workload kind can be listed right now, from its informer's list outcomes and from
 * discovery. Logs one line per change of state (unavailable, available again), never one per
 * retry, and exports {@code presize_workload_kind_available{kind, version}} (1 or 0) per kind.
 *
 * <p>This is the state of the lists, as an operator needs it. Whether served objects carry the
 * {@code WorkloadKindUnavailable} condition is decided by the caches instead ({@link WorkloadInformers}):
 * a kind whose cache synced once keeps serving the cluster as last seen through later list failures,
 * as every controller's informers do.
 */
final class KindAvailability {

    private static final Logger LOG = LoggerFactory.getLogger(KindAvailability.class);
    static final String METRIC = "presize_workload_kind_available";

    /** The last outcome for one kind; {@code code} and {@code cause} are for failures only. */
    record State(String groupVersion, boolean available, int code, String cause) {

        String reason() {
            return UnavailableKind.reasonFor(code);
        }
    }

    private final Gauge gauge;
    private final Map<String, State> states = new HashMap<>();

    KindAvailability(PrometheusRegistry registry) {
        this.gauge = Gauge.builder()
                .name(METRIC)
                .help("1 when Presize can list this workload kind at this group/version, 0 when it cannot"
                        + " (recommendations are then resolved without it).")
                .labelNames("kind", "version")
                .register(registry);
    }

    synchronized void listed(String resource, String groupVersion) {
        State was = states.put(resource, new State(groupVersion, true, 0, null));
        gauge(resource, was, groupVersion, true);
        if (was == null) {
            LOG.debug("Listing {} ({}) works", resource, groupVersion);
        } else if (!was.available()) {
            LOG.info("Workload kind {} ({}) can be listed again; the next refresh uses it", resource, groupVersion);
        } else if (!was.groupVersion().equals(groupVersion)) {
            LOG.info("Workload kind {} is now listed from {} (was {})", resource, groupVersion, was.groupVersion());
        }
    }

    /**
     * @param code   the HTTP status of the failed list, 0 when there was no answer
     * @param cached whether the kind's cache synced before (then it is read as last listed meanwhile)
     */
    synchronized void failed(String resource, String groupVersion, int code, String cause, boolean cached) {
        State now = new State(groupVersion, false, code, cause);
        State was = states.put(resource, now);
        gauge(resource, was, groupVersion, false);
        if (was == null || was.available() || !was.groupVersion().equals(groupVersion)) {
            LOG.warn("Workload kind {} ({}) cannot be listed ({}); {}; retrying with backoff: {}", resource, groupVersion,
                    now.reason(), cached ? "read as last listed meanwhile"
                            : "recommendations go on without it, owner chains through it end at the deepest owner that can be read",
                    cause);
        } else {
            LOG.debug("Workload kind {} ({}) still cannot be listed: {}", resource, groupVersion, cause);
        }
    }

    synchronized State state(String resource) {
        return states.get(resource);
    }

    private void gauge(String resource, State was, String groupVersion, boolean available) {
        if (was != null && !was.groupVersion().equals(groupVersion)) {
            gauge.remove(resource, was.groupVersion());
        }
        gauge.labelValues(resource, groupVersion).set(available ? 1 : 0);
    }
}
