package dev.presize.recommendations;

import dev.presize.v1beta1.Requests;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the current {@link Snapshot}. Reads are a volatile load and never wait for a refresh;
 * a refresh builds a whole new snapshot off the request path and publishes it in one swap.
 * Listeners (the watch hub) see every swap, in order, as a pair of consecutive snapshots.
 */
@Singleton
public class SnapshotStore {

    /** Told about every swap, in publication order, under the store's lock: must be quick and must not block. */
    @FunctionalInterface
    public interface SwapListener {
        void swapped(Snapshot previous, Snapshot next);
    }

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

    private final AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.empty());
    private final List<SwapListener> listeners = new CopyOnWriteArrayList<>();

    public Snapshot current() {
        return current.get();
    }

    /**
     * Registers a listener and returns the snapshot it starts from, atomically with respect to
     * {@link #replace}: the listener is told about every swap after the returned snapshot, and
     * about no earlier one.
     */
    public synchronized Snapshot subscribe(SwapListener listener) {
        listeners.add(listener);
        return current.get();
    }

    /**
     * Publishes the objects computed by the refresh at {@code refreshMillis} (the refresh grid
     * instant, epoch milliseconds). An object whose content is unchanged from the current snapshot
     * keeps its old resourceVersion, so resourceVersion moves only when content moves; changed and
     * new objects get the snapshot's resourceVersion, normally {@code refreshMillis}. Because the
     * value comes from the refresh grid, every replica that computed the same content serves the
     * same resourceVersion (api.md).
     *
     * <p>resourceVersion never goes backwards, and it always moves when content moves (api.md:
     * it "changes whenever the recommendation changes"; watchers resume from it): a refresh for a
     * grid instant at or before the current snapshot's (a late retry) that changes anything gets
     * the current resourceVersion + 1.
     */
    public synchronized Snapshot replace(List<Requests> objects, long refreshMillis) {
        Snapshot previous = current.get();
        List<Requests> kept = new ArrayList<>(objects.size());
        boolean changed = objects.size() != previous.size();
        for (Requests fresh : objects) {
            Requests unversioned = fresh.withResourceVersion(null);
            Requests old = previous.get(fresh.namespace(), fresh.name())
                    .filter(o -> o.withResourceVersion(null).equals(unversioned))
                    .orElse(null);
            changed |= old == null;
            kept.add(old);
        }
        long rv = refreshMillis > previous.resourceVersion() ? refreshMillis
                : changed ? previous.resourceVersion() + 1 : previous.resourceVersion();
        List<Requests> versioned = new ArrayList<>(objects.size());
        for (int i = 0; i < objects.size(); i++) {
            Requests old = kept.get(i);
            versioned.add(old != null ? old : objects.get(i).withResourceVersion(Long.toString(rv)));
        }
        Snapshot next = Snapshot.of(rv, versioned);
        current.set(next);
        for (SwapListener listener : listeners) {
            try {
                listener.swapped(previous, next);
            } catch (RuntimeException e) {
                // A listener's bug must not fail the refresh or keep the other listeners uninformed.
                LOG.error("Snapshot listener {} failed", listener, e);
            }
        }
        return next;
    }
}
