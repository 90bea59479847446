package dev.presize.api.watch;

import dev.presize.v1beta1.Requests;
import io.kubernetes.client.openapi.models.V1Status;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One watch stream: a bounded queue of what the client still has to receive, drained into
 * newline-delimited JSON chunks as fast as the HTTP layer asks for them (reactive-streams demand,
 * which Micronaut's Netty server raises only while the connection is writable).
 *
 * <p>The queue holds references to shared, immutable work (a snapshot's object list, a
 * {@link Transition}), never encoded bytes, and at most {@code capacity} of them. A watcher that
 * falls that far behind is dropped: its queue is discarded and its stream ends, as kube-apiserver
 * ends an unresponsive watcher ({@code cacheWatcher} "Forcing watcher close due to
 * unresponsiveness"); the client resumes from the last resourceVersion it saw. So a slow client
 * costs a bounded amount of memory, whatever it does.
 *
 * <p>Threads: the hub offers work under its lock (cheap, never blocking); encoding and
 * {@code onNext} run on the hub's executor, one drain at a time per watcher.
 */
public final class Watcher implements Publisher<byte[]>, Subscription {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Watcher.class);

    /** Encoded events are handed to the HTTP layer in chunks of about this size. */
    static final int CHUNK_BYTES = 32 * 1024;
    private static final byte[] EMPTY = new byte[0];

    /** A unit of queued work. Cursors are touched only by the (single) drain. */
    sealed interface Item permits Changes, Initial, Bookmark, Failure {
    }

    /** The changes of one snapshot swap. */
    static final class Changes implements Item {
        final Transition transition;
        int next;

        Changes(Transition transition) {
            this.transition = transition;
        }
    }

    /** The synthetic ADDED events for the state a watch starts from. */
    static final class Initial implements Item {
        final List<Requests> objects;
        int next;

        Initial(List<Requests> objects) {
            this.objects = objects;
        }
    }

    record Bookmark(long resourceVersion, boolean initialEventsEnd) implements Item {
    }

    /** An ERROR event; the stream ends after it. */
    record Failure(V1Status status) implements Item {
    }

    private final Predicate<Requests> filter;
    private final WatchEncoder encoder;
    private final long after;
    private final boolean bookmarks;
    private final int capacity;
    private final Executor executor;
    private final Consumer<Watcher> onEnd;

    private final ArrayDeque<Item> queue = new ArrayDeque<>();          // guarded by this
    private final List<Future<?>> timers = new ArrayList<>();           // guarded by this
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Subscriber<? super byte[]> subscriber;
    /** Complete as soon as possible, without what is still queued. */
    private volatile boolean ending;
    /** A terminal signal was sent, or the subscriber cancelled. */
    private volatile boolean done;
    private volatile boolean dropped;
    private volatile Throwable invalidDemand;
    private boolean failureSent;                                         // drain only
    private boolean started;                                             // drain only

    /**
     * @param filter    which objects this watch selects (namespace, name, selectors); null selects all
     * @param after     changes at or below this resourceVersion are not sent (the client has them)
     * @param bookmarks whether the client asked for BOOKMARK events
     * @param capacity  most queued items before the watcher counts as too slow and is dropped
     * @param onEnd     called once when the stream ends for any reason, to unregister it
     */
    Watcher(Predicate<Requests> filter, WatchEncoder encoder, long after, boolean bookmarks, int capacity,
            Executor executor, Consumer<Watcher> onEnd) {
        this.filter = filter;
        this.encoder = encoder;
        this.after = after;
        this.bookmarks = bookmarks;
        this.capacity = capacity;
        this.executor = executor;
        this.onEnd = onEnd;
    }

    boolean bookmarks() {
        return bookmarks;
    }

    /** True once the stream has ended (or is about to): nothing offered is sent any more. */
    boolean isEnded() {
        return ending || done;
    }

    /** True if the watcher was dropped for falling behind. */
    boolean wasDropped() {
        return dropped;
    }

    /** Queued items, for tests and metrics. */
    synchronized int queued() {
        return queue.size();
    }

    /** Queues work that is part of the watch's start; not subject to the capacity check. */
    synchronized void enqueueInitial(Item item) {
        queue.addLast(item);
    }

    /** Ends the stream when {@code timer} fires; the timer is cancelled if the stream ends first. */
    void addTimer(Future<?> timer) {
        boolean cancel;
        synchronized (this) {
            cancel = ending || done;
            if (!cancel) {
                timers.add(timer);
            }
        }
        if (cancel) {
            timer.cancel(false);
        }
    }

    /**
     * Queues a transition's changes; when the queue is full the watcher is dropped instead.
     *
     * @return false if this watcher has ended (just now, or before)
     */
    boolean offer(Transition transition) {
        if (transition.toVersion() <= after) {
            return !isEnded();
        }
        synchronized (this) {
            if (ending || done) {
                return false;
            }
            if (queue.size() >= capacity) {
                dropped = true;
                ending = true;
                queue.clear();
            } else {
                queue.addLast(new Changes(transition));
            }
        }
        schedule();
        return !ending;
    }

    /**
     * Queues a BOOKMARK, replacing one still waiting at the end of the queue. A full queue gets
     * none: whether the watcher is too slow is decided by the next change, not by bookmarks.
     */
    void offerBookmark(long resourceVersion) {
        if (!bookmarks || resourceVersion < after) {
            return;
        }
        synchronized (this) {
            if (ending || done) {
                return;
            }
            if (queue.peekLast() instanceof Bookmark b && !b.initialEventsEnd()) {
                queue.pollLast();
                queue.addLast(new Bookmark(resourceVersion, false));
            } else if (queue.size() < capacity) {
                queue.addLast(new Bookmark(resourceVersion, false));
            } else {
                return;
            }
        }
        schedule();
    }

    /** Ends the stream cleanly now (timeout, shutdown), dropping what is still queued. */
    void end() {
        synchronized (this) {
            if (done) {
                return;
            }
            ending = true;
            queue.clear();
        }
        schedule();
    }

    @Override
    public void subscribe(Subscriber<? super byte[]> s) {
        if (s == null) {
            throw new NullPointerException("subscriber");
        }
        if (!subscribed.compareAndSet(false, true)) {
            s.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            s.onError(new IllegalStateException("a watch stream has exactly one subscriber"));
            return;
        }
        subscriber = s;
        s.onSubscribe(this);
        schedule();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            // reactive-streams §3.9
            invalidDemand = new IllegalArgumentException("non-positive request: " + n);
            ending = true;
        } else {
            requested.getAndAccumulate(n, (current, add) -> {
                long sum = current + add;
                return sum < 0 ? Long.MAX_VALUE : sum;
            });
        }
        schedule();
    }

    @Override
    public void cancel() {
        done = true;
        synchronized (this) {
            queue.clear();
        }
        finished();
    }

    private void schedule() {
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The hub is shutting down; it ends every watcher itself. Drain here so the stream ends.
            drain();
        }
    }

    /** Emits as much as demand allows; one drain at a time per watcher (the usual work-in-progress loop). */
    void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Subscriber<? super byte[]> s = subscriber;
            if (s != null && !done) {
                long demand = requested.get();
                long emitted = 0;
                if (!started && demand > 0 && !done) {
                    // Micronaut sends the response headers only with the first item of a streamed
                    // body (LazySendingSubscriber). kube-apiserver flushes them at once, and clients
                    // wait for them (kubectl would time out on a quiet watch), so the stream starts
                    // with an empty chunk: on the wire, nothing but the headers.
                    started = true;
                    s.onNext(EMPTY);
                    emitted++;
                }
                while (emitted != demand && !ending && !done) {
                    byte[] chunk;
                    try {
                        chunk = nextChunk();
                    } catch (RuntimeException e) {
                        // A bug in encoding must not leave the client waiting on a silent stream:
                        // end it, and the client resumes from the last version it saw.
                        LOG.error("Ending a watch that could not encode an event", e);
                        ending = true;
                        break;
                    }
                    if (chunk == null) {
                        break;
                    }
                    s.onNext(chunk);
                    emitted++;
                    if (failureSent) {
                        ending = true;
                    }
                }
                if (emitted != 0 && demand != Long.MAX_VALUE) {
                    requested.addAndGet(-emitted);
                }
                if (ending && !done) {
                    done = true;
                    synchronized (this) {
                        queue.clear();
                    }
                    finished();
                    Throwable error = invalidDemand;
                    if (error != null) {
                        s.onError(error);
                    } else {
                        s.onComplete();
                    }
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void finished() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        List<Future<?>> cancel;
        synchronized (this) {
            cancel = new ArrayList<>(timers);
            timers.clear();
        }
        cancel.forEach(t -> t.cancel(false));
        onEnd.accept(this);
    }

    /** Encodes queued events into one chunk of about {@link #CHUNK_BYTES}; null when nothing is queued. */
    private byte[] nextChunk() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < CHUNK_BYTES && !failureSent) {
            Item head;
            synchronized (this) {
                head = queue.peekFirst();
            }
            if (head == null) {
                break;
            }
            boolean finished;
            if (head instanceof Changes c) {
                finished = writeChanges(c, out);
            } else if (head instanceof Initial i) {
                finished = writeInitial(i, out);
            } else if (head instanceof Bookmark b) {
                if (bookmarks && b.resourceVersion() >= after) {
                    out.writeBytes(encoder.bookmark(b.resourceVersion(), b.initialEventsEnd()));
                }
                finished = true;
            } else {
                out.writeBytes(encoder.error(((Failure) head).status()));
                failureSent = true;
                finished = true;
            }
            if (finished) {
                synchronized (this) {
                    // the queue may have been cleared (dropped, ended) meanwhile
                    if (queue.peekFirst() == head) {
                        queue.pollFirst();
                    }
                }
            }
        }
        return out.size() == 0 ? null : out.toByteArray();
    }

    /** @return true when the item is used up */
    private boolean writeChanges(Changes c, ByteArrayOutputStream out) {
        List<Change> changes = c.transition.changes();
        while (c.next < changes.size()) {
            if (out.size() >= CHUNK_BYTES || ending || done) {
                return false;
            }
            Change change = changes.get(c.next++);
            EventType type;
            Requests object;
            boolean matchesNow = change.type() != EventType.DELETED && selects(change.object());
            boolean matchedBefore = change.previous() != null && selects(change.previous());
            // k8s.io/apiserver cacheWatcher.convertToWatchEvent: a change across the selector's
            // boundary is an ADDED or DELETED for this watcher.
            if (matchesNow) {
                type = matchedBefore ? EventType.MODIFIED : EventType.ADDED;
                object = change.object();
            } else if (matchedBefore) {
                type = EventType.DELETED;
                object = change.type() == EventType.DELETED ? change.object()
                        : change.previous().withResourceVersion(change.object().metadata().resourceVersion());
            } else {
                continue;
            }
            out.writeBytes(encoder.event(type, object));
        }
        return true;
    }

    private boolean writeInitial(Initial i, ByteArrayOutputStream out) {
        while (i.next < i.objects.size()) {
            if (out.size() >= CHUNK_BYTES || ending || done) {
                return false;
            }
            Requests r = i.objects.get(i.next++);
            if (selects(r)) {
                out.writeBytes(encoder.event(EventType.ADDED, r));
            }
        }
        return true;
    }

    private boolean selects(Requests r) {
        return filter == null || filter.test(r);
    }
}
