package dev.presize.api.watch;

import dev.presize.api.errors.ApiException;
import dev.presize.api.responses.StatusErrors;
import dev.presize.api.listoptions.ListOptions;
import dev.presize.v1beta1.Requests;
import dev.presize.recommendations.Snapshot;
import dev.presize.recommendations.SnapshotStore;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import dev.presize.config.ProtectionSettings;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Turns snapshot swaps into watch events. Every swap the {@link SnapshotStore} publishes is diffed
 * against the one before ({@link SnapshotDiff}), kept in a short {@link WatchHistory}, and offered
 * to every open {@link Watcher}; each watcher applies its own selectors when it encodes.
 *
 * <p>Start semantics follow k8s.io/apiserver's watch cache ({@code Cacher.Watch},
 * {@code watchCache.getAllEventsSinceLocked}):
 * <ul>
 *   <li>{@code resourceVersion} unset or {@code "0"}: synthetic ADDED events for the current state,
 *       then changes;</li>
 *   <li>a version: the changes after it, from the history; older than the history is an ERROR
 *       event carrying a {@code 410 Expired} Status (in an HTTP 200 stream, as kube does), after
 *       which the stream ends and the client lists again;</li>
 *   <li>{@code sendInitialEvents=true} (with {@code resourceVersionMatch=NotOlderThan}, checked
 *       by the parser): ADDED events for the current state, then, if bookmarks were allowed, a
 *       BOOKMARK annotated {@code k8s.io/initial-events-end: "true"}; a version newer than the
 *       current state is kube's {@code Too large resource version} ERROR event (504 Timeout);</li>
 *   <li>{@code sendInitialEvents=false}: no initial events; from now, or from the version given.</li>
 * </ul>
 * A classic watch from a version newer than this replica's state (another replica refreshed a
 * moment earlier) starts from now and skips changes at or below that version, which the client
 * already has, since replicas compute the same objects for the same refresh.
 *
 * <p>Bookmarks go to watchers that allowed them every minute and two seconds before the watch's
 * deadline, as kube's cacher schedules them ({@code bookmarkFrequency}, {@code nextBookmarkTime}).
 * A watch without {@code timeoutSeconds} ends after a random time between
 * {@code --min-request-timeout} and twice that, as kube-apiserver's ListResource picks it.
 *
 * <p>Created with the context (not at the first watch), so its history starts with the first
 * snapshot and a client that listed before anyone watched can still resume from that list.
 */
@Context
public class WatchHub implements GracefulShutdownCapable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchHub.class);

    /** Transitions a watch can resume across: at a refresh every 15 min, two hours. */
    static final int HISTORY_TRANSITIONS = 8;
    /** Queued transitions after which a watcher counts as too slow and is dropped. */
    static final int WATCHER_CAPACITY = 8;
    static final Duration BOOKMARK_INTERVAL = Duration.ofMinutes(1);
    /** k8s.io/apiserver's wording for a request refused by an in-flight limit. */
    static final String TOO_MANY_WATCHES = "Too many requests, please try again later.";
    /** kube sends the last bookmark this long before a watch's deadline. */
    static final Duration BOOKMARK_BEFORE_DEADLINE = Duration.ofSeconds(2);

    private final StatusErrors errors;
    private final Duration minRequestTimeout;
    private final int watcherCapacity;
    /** Most registered watches; 0 means no limit. */
    private final int maxWatches;
    private final ScheduledThreadPoolExecutor executor;

    private final Object lock = new Object();
    private final Set<Watcher> watchers = new LinkedHashSet<>();     // guarded by lock
    private final int historyTransitions;
    private WatchHistory history;                                    // guarded by lock
    private Snapshot current;                                        // guarded by lock
    private boolean closed;                                          // guarded by lock

    @Inject
    public WatchHub(SnapshotStore store, StatusErrors errors, ProtectionSettings settings) {
        this(store, errors, settings.minRequestTimeout(), BOOKMARK_INTERVAL, HISTORY_TRANSITIONS,
                WATCHER_CAPACITY, settings.maxWatches());
    }

    WatchHub(SnapshotStore store, StatusErrors errors, Duration minRequestTimeout, Duration bookmarkInterval,
             int historyTransitions, int watcherCapacity) {
        this(store, errors, minRequestTimeout, bookmarkInterval, historyTransitions, watcherCapacity, 0);
    }

    WatchHub(SnapshotStore store, StatusErrors errors, Duration minRequestTimeout, Duration bookmarkInterval,
             int historyTransitions, int watcherCapacity, int maxWatches) {
        this.maxWatches = maxWatches;
        this.errors = errors;
        this.minRequestTimeout = minRequestTimeout;
        this.watcherCapacity = watcherCapacity;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "presize-watch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // Deadlines of watches that ended early are cancelled; drop them from the queue at once.
        this.executor.setRemoveOnCancelPolicy(true);
        this.historyTransitions = historyTransitions;
        // Not under our lock: a swap holds the store's lock while it waits for ours. A swap right
        // after subscribing may come first; both start from the snapshot subscribe returned.
        Snapshot start = store.subscribe(this::swapped);
        synchronized (lock) {
            startFrom(start);
        }
        if (!bookmarkInterval.isZero()) {
            long millis = bookmarkInterval.toMillis();
            executor.scheduleAtFixedRate(this::sendBookmarks, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Opens a watch. Options were validated by the parser; the caller has negotiated the encoding.
     *
     * @param scope  the namespace whose objects to start from, or null for all
     * @param filter which objects the watch selects (namespace, name, selectors); null for all
     */
    public Watcher open(String scope, Predicate<Requests> filter, ListOptions options, WatchEncoder encoder) {
        Duration timeout = timeout(options.timeoutSeconds());
        Long version = options.resourceVersion() == null ? null : Long.parseUnsignedLong(options.resourceVersion());
        Boolean initialEvents = options.sendInitialEvents();
        boolean bookmarks = options.allowWatchBookmarks();
        synchronized (lock) {
            if (maxWatches > 0 && !closed && watchers.size() >= maxWatches) {
                // As kube-apiserver's filter for long-running requests: 429 with Retry-After, and
                // the client (client-go's reflector) backs off and watches again.
                throw new ApiException(429, "TooManyRequests", TOO_MANY_WATCHES, null, null, 1);
            }
            long now = current.resourceVersion();
            List<Watcher.Item> start = new ArrayList<>();
            long after = now;
            if (Boolean.TRUE.equals(initialEvents)) {
                if (version != null && version > now) {
                    start.add(new Watcher.Failure(tooLargeResourceVersion(version, now)));
                } else {
                    start.add(new Watcher.Initial(current.list(scope)));
                    if (bookmarks) {
                        start.add(new Watcher.Bookmark(now, true));
                    }
                }
            } else if (version == null || version == 0) {
                if (initialEvents == null) {
                    start.add(new Watcher.Initial(current.list(scope)));
                }
            } else {
                WatchHistory.Replay replay = history.after(version);
                after = version;
                if (replay.isExpired()) {
                    start.add(new Watcher.Failure(errors.toStatus(new ApiException(410, "Expired", replay.expired(),
                            null, null, null))));
                } else {
                    replay.transitions().forEach(t -> start.add(new Watcher.Changes(t)));
                }
            }
            Watcher watcher = new Watcher(filter, encoder, after, bookmarks, watcherCapacity + start.size(), executor,
                    this::forget);
            start.forEach(watcher::enqueueInitial);
            if (closed) {
                // Shutting down: the stream ends at once, cleanly, and the client reconnects elsewhere.
                watcher.end();
                return watcher;
            }
            if (start.stream().anyMatch(Watcher.Failure.class::isInstance)) {
                return watcher;   // ends after its ERROR event; never registered
            }
            watchers.add(watcher);
            watcher.addTimer(executor.schedule(() -> {
                forget(watcher);
                watcher.end();
            }, timeout.toMillis(), TimeUnit.MILLISECONDS));
            Duration lastBookmark = timeout.minus(BOOKMARK_BEFORE_DEADLINE);
            if (bookmarks && !lastBookmark.isNegative() && !lastBookmark.isZero()) {
                watcher.addTimer(executor.schedule(() -> watcher.offerBookmark(currentVersion()),
                        lastBookmark.toMillis(), TimeUnit.MILLISECONDS));
            }
            return watcher;
        }
    }

    /** kube's ListResource: {@code timeoutSeconds}, else a random time in [min, 2·min) to spread reconnects. */
    Duration timeout(Long timeoutSeconds) {
        if (timeoutSeconds != null && timeoutSeconds > 0) {
            return Duration.ofSeconds(timeoutSeconds);
        }
        long min = minRequestTimeout.toMillis();
        return Duration.ofMillis(min + (long) (ThreadLocalRandom.current().nextDouble() * min));
    }

    /** Watches open now: registered, not yet ended or cancelled. */
    int watcherCount() {
        synchronized (lock) {
            return watchers.size();
        }
    }

    long currentVersion() {
        synchronized (lock) {
            return current.resourceVersion();
        }
    }

    /** Under the lock: the first snapshot this hub knows, once. */
    private void startFrom(Snapshot first) {
        if (current == null) {
            current = first;
            history = new WatchHistory(historyTransitions, first.resourceVersion());
        }
    }

    /** The store's listener: runs under the store's lock, so it only queues. */
    private void swapped(Snapshot previous, Snapshot next) {
        Transition transition = new Transition(previous.resourceVersion(), next.resourceVersion(),
                SnapshotDiff.diff(previous, next));
        synchronized (lock) {
            startFrom(previous);
            current = next;
            history.record(transition);
            if (transition.changes().isEmpty()) {
                return;
            }
            for (Watcher w : new ArrayList<>(watchers)) {
                if (!w.offer(transition)) {
                    watchers.remove(w);
                    if (w.wasDropped()) {
                        LOG.info("Dropped a watch that fell {} snapshot changes behind; the client resumes from its"
                                + " last resourceVersion", watcherCapacity);
                    }
                }
            }
        }
    }

    private void sendBookmarks() {
        synchronized (lock) {
            long rv = current.resourceVersion();
            for (Watcher w : watchers) {
                if (w.bookmarks()) {
                    w.offerBookmark(rv);
                }
            }
        }
    }

    private void forget(Watcher watcher) {
        synchronized (lock) {
            watchers.remove(watcher);
        }
    }

    /** Ends every watch cleanly and refuses new ones (they end at once): the server is shutting down. */
    public void endAll() {
        List<Watcher> ending;
        synchronized (lock) {
            closed = true;
            ending = new ArrayList<>(watchers);
            watchers.clear();
        }
        if (!ending.isEmpty()) {
            LOG.info("Ending {} watches for shutdown", ending.size());
        }
        ending.forEach(Watcher::end);
    }

    /**
     * Micronaut's graceful shutdown waits for responses in flight before it closes connections;
     * a watch never finishes by itself, so it is ended here first, as kube-apiserver ends every
     * watch when it stops accepting requests.
     */
    @Override
    public CompletionStage<?> shutdownGracefully() {
        endAll();
        return CompletableFuture.completedFuture(null);
    }

    @PreDestroy
    void close() {
        endAll();
        executor.shutdown();
    }

    private V1Status tooLargeResourceVersion(long requested, long now) {
        // k8s.io/apiserver storage.NewTooLargeResourceVersionError: a 504 Timeout with this cause.
        V1Status status = errors.toStatus(new ApiException(504, "Timeout",
                "Timeout: Too large resource version: " + requested + ", current: " + now, null, null, 1));
        status.getDetails().addCausesItem(new V1StatusCause().reason("ResourceVersionTooLarge")
                .message("Too large resource version"));
        return status;
    }
}
