package dev.presize.recommendations;

import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the current {@link Snapshot}. Reads are a volatile load and never wait for a refresh;
 * a refresh builds a whole new snapshot off the request path and publishes it in one swap.
 */
@Singleton
public class SnapshotStore {

    private final AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.empty());

    public Snapshot current() {
        return current.get();
    }

    /**
     * Publishes the objects computed by the refresh at {@code refreshMillis} (the refresh grid
     * instant, epoch milliseconds). An object whose content is unchanged from the current snapshot
     * keeps its old resourceVersion, so resourceVersion moves only when content moves; changed and
     * new objects get {@code refreshMillis}. Because the value comes from the refresh grid, every
     * replica that computed the same content serves the same resourceVersion (api.md).
     */
    public synchronized Snapshot replace(List<Requests> objects, long refreshMillis) {
        Snapshot previous = current.get();
        long rv = Math.max(refreshMillis, previous.resourceVersion());
        List<Requests> versioned = new ArrayList<>(objects.size());
        for (Requests fresh : objects) {
            Requests unversioned = fresh.withResourceVersion(null);
            Requests kept = previous.get(fresh.namespace(), fresh.name())
                    .filter(old -> old.withResourceVersion(null).equals(unversioned))
                    .orElse(null);
            versioned.add(kept != null ? kept : fresh.withResourceVersion(Long.toString(rv)));
        }
        Snapshot next = Snapshot.of(rv, versioned);
        current.set(next);
        return next;
    }
}
