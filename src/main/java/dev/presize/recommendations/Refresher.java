package dev.presize.recommendations;

import dev.presize.history.ContainerSeries;
import dev.presize.history.HistorySource;
import dev.presize.model.Recommender;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadSource;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One refresh: read workloads and history up to the current refresh grid instant, build the
 * objects, publish them to the {@link SnapshotStore}. A failed refresh is logged and leaves the last
 * snapshot in place: stale recommendations are more useful than none. Scheduling is
 * {@link RefreshSchedule}'s job.
 */
@Singleton
@Requires(beans = {HistorySource.class, WorkloadSource.class})
public class Refresher {

    private static final Logger LOG = LoggerFactory.getLogger(Refresher.class);

    private final SnapshotStore store;
    private final HistorySource history;
    private final WorkloadSource workloads;
    private final RecommendationBuilder builder;
    private final Duration interval;
    private final Duration window;
    private final Clock clock;
    private volatile Instant lastRefresh;

    public Refresher(SnapshotStore store, HistorySource history, WorkloadSource workloads, Recommender recommender,
                     @Value("${presize.refresh-interval:15m}") Duration interval,
                     @Value("${presize.history:336h}") Duration window) {
        this(store, history, workloads, recommender, interval, window, Clock.systemUTC());
    }

    Refresher(SnapshotStore store, HistorySource history, WorkloadSource workloads, Recommender recommender,
              Duration interval, Duration window, Clock clock) {
        if (interval.isNegative() || interval.toMillis() == 0) {
            throw new IllegalArgumentException("presize.refresh-interval must be positive, got " + interval);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("presize.history must be positive, got " + window);
        }
        this.store = store;
        this.history = history;
        this.workloads = workloads;
        this.builder = new RecommendationBuilder(recommender);
        this.interval = interval;
        this.window = window;
        this.clock = clock;
    }

    /** Refreshes for the current grid instant; false (and logged) on failure. */
    public boolean refreshNow() {
        return refresh(RefreshGrid.floor(clock.instant(), interval));
    }

    /** Refreshes for the given grid instant; false (and logged) on failure, keeping the last snapshot. */
    public synchronized boolean refresh(Instant gridInstant) {
        long started = System.nanoTime();
        try {
            List<Workload> found = workloads.workloads(gridInstant);
            List<ContainerSeries> series = history.history(gridInstant, window);
            List<Requests> objects = builder.build(found, series, gridInstant, window);
            Snapshot published = store.replace(objects, gridInstant.toEpochMilli());
            lastRefresh = gridInstant;
            LOG.info("Refreshed recommendations for {}: {} objects from {} workloads and {} container series"
                            + " in {} ms (resourceVersion {})", gridInstant, objects.size(), found.size(),
                    series.size(), (System.nanoTime() - started) / 1_000_000, published.resourceVersion());
            return true;
        } catch (Exception e) {
            LOG.error("Refresh for {} failed; still serving the previous snapshot (from {})", gridInstant,
                    lastRefresh == null ? "never" : lastRefresh, e);
            return false;
        }
    }

    /** True once a refresh has succeeded: the readiness check for {@code /readyz}. */
    public boolean hasSnapshot() {
        return lastRefresh != null;
    }

    /** The grid instant of the last successful refresh. */
    public Optional<Instant> lastRefresh() {
        return Optional.ofNullable(lastRefresh);
    }

    public Duration interval() {
        return interval;
    }

    Clock clock() {
        return clock;
    }
}
