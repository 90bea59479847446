package dev.presize.recommendations;

import dev.presize.v1beta1.Condition;
import dev.presize.v1beta1.Requests;

import dev.presize.history.UsageHistory;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.format.Rfc3339;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Map;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadSource;
import io.micronaut.context.annotation.Requires;
import dev.presize.config.RefreshSettings;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One refresh: read workloads and their pooled hourly history up to the current refresh grid
 * instant (which falls on a whole hour, or history is read up to the hour before it), let the
 * strategy recommend (it retrains itself when its retrain interval has passed), build the objects,
 * publish them to the {@link SnapshotStore}. A failed refresh keeps the last good objects and marks
 * them with the {@code Stale} condition (api.md); the next good refresh clears it. Objects of
 * workloads resolved without a kind that cannot be listed carry {@code WorkloadKindUnavailable}
 * ({@link UnavailableKindConditions}) until a refresh resolves them with it; objects the model
 * sized for a target its last calibration could not hold carry {@code TargetMissed}
 * ({@link TargetConditions}) until a training holds it again. Scheduling is
 * {@link RefreshSchedule}'s job.
 */
@Singleton
@Requires(beans = {UsageHistory.class, WorkloadSource.class})
public class Refresher {

    private static final Logger LOG = LoggerFactory.getLogger(Refresher.class);
    static final String STALE = "Stale";
    static final String REFRESH_FAILED = "RefreshFailed";
    private static final int MAX_MESSAGE = 512;

    private final SnapshotStore store;
    private final WorkloadSource workloads;
    private final HistoryCollector collector;
    private final RequestStrategy strategy;
    private final RecommendationBuilder builder;
    private final Duration interval;
    private final Duration window;
    private final Clock clock;
    private volatile Instant lastRefresh;
    private volatile String lastError;

    /** @param clock picks the refresh grid instant ("now"); the context's clock bean, so tests can move it */
    @Inject
    public Refresher(SnapshotStore store, UsageHistory history, WorkloadSource workloads, RequestStrategy strategy,
                     RefreshSettings settings, Clock clock) {
        this(store, history, workloads, strategy, settings.interval(), settings.history(), clock);
    }

    public Refresher(SnapshotStore store, UsageHistory history, WorkloadSource workloads, RequestStrategy strategy,
                     Duration interval, Duration window, Clock clock) {
        if (interval.isNegative() || interval.toMillis() == 0) {
            throw new IllegalArgumentException("presize.refresh-interval must be positive, got " + interval);
        }
        if (window.isNegative() || window.toHours() < 1 || window.toSeconds() % 3600 != 0) {
            throw new IllegalArgumentException("presize.history must be whole hours, at least 1h, got " + window);
        }
        this.store = store;
        this.workloads = workloads;
        this.collector = new HistoryCollector(history, workloads);
        this.strategy = strategy;
        this.builder = new RecommendationBuilder(strategy.name());
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
            // History is reduced per whole hour: read it up to the last whole hour.
            Instant historyEnd = Instant.ofEpochSecond(Math.floorDiv(gridInstant.getEpochSecond(), 3600) * 3600);
            List<Workload> found = workloads.workloads(gridInstant);
            List<ContainerHistory> histories = collector.collect(found, historyEnd, window);
            long decision = historyEnd.getEpochSecond();
            Map<SeriesKey, Recommendation> recommendations = strategy.recommend(histories, decision);
            Instant trainedAt = Instant.ofEpochSecond(strategy.trainedAt(decision));
            List<Requests> objects = UnavailableKindConditions.apply(
                    builder.build(found, recommendations, gridInstant, trainedAt, window, strategy.targets()),
                    workloads.unavailableKinds(found));
            Snapshot published = store.replace(objects, gridInstant.toEpochMilli());
            lastRefresh = gridInstant;
            lastError = null;
            LOG.info("Refreshed recommendations for {}: {} objects from {} workloads and {} container histories"
                            + " in {} ms (resourceVersion {})", gridInstant, objects.size(), found.size(),
                    histories.size(), (System.nanoTime() - started) / 1_000_000, published.resourceVersion());
            return true;
        } catch (Exception e) {
            LOG.error("Refresh for {} failed; still serving the previous snapshot (from {}): {}", gridInstant,
                    lastRefresh == null ? "never" : lastRefresh,
                    // The cause in words (the sources' messages name the URL); a class name only for a bug without one.
                    e.getMessage() == null ? e.toString() : e.getMessage());
            LOG.debug("Refresh failure", e);
            markStale(gridInstant, e);
            return false;
        }
    }

    /** Re-publishes the last good objects with {@code Stale=True}, once per failure streak. */
    private void markStale(Instant gridInstant, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "...";
        }
        message = "recommendations could not be refreshed at " + Rfc3339.format(gridInstant) + ": " + message;
        if (lastError != null) {
            return; // already stale; keep the first transition time
        }
        lastError = message;
        Condition stale = new Condition(STALE, "True", REFRESH_FAILED, message, Rfc3339.format(gridInstant));
        List<Requests> marked = new ArrayList<>();
        for (Requests r : store.current().list(null)) {
            // The objects' own conditions (WorkloadKindUnavailable, Incomplete) still describe what is
            // served: keep them; Stale joins them.
            List<Condition> conditions = new ArrayList<>(r.conditions() == null ? List.of() : r.conditions());
            conditions.add(stale);
            marked.add(new Requests(r.apiVersion(), r.kind(), r.metadata(), r.target(), r.timestamp(), r.window(),
                    r.resources(), r.containers(), r.model(), conditions));
        }
        store.replace(marked, gridInstant.toEpochMilli());
    }

    /**
     * True once a refresh has succeeded. Deliberately not behind {@code /readyz}: an unready pod takes
     * discovery of the whole APIService down with it (the aggregator marks it unavailable), which
     * breaks every client's discovery for a Prometheus outage; staleness is reported per object by
     * the {@code Stale} condition instead (HealthController, RefreshFaultsServerTest).
     */
    public boolean hasSnapshot() {
        return lastRefresh != null;
    }

    /** The grid instant of the last successful refresh. */
    public Optional<Instant> lastRefresh() {
        return Optional.ofNullable(lastRefresh);
    }

    /** Why the served objects are stale, when the last refresh failed. */
    public Optional<String> staleReason() {
        return Optional.ofNullable(lastError);
    }

    public Duration interval() {
        return interval;
    }

    Clock clock() {
        return clock;
    }
}
