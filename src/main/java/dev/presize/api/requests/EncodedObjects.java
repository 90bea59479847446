package dev.presize.api.requests;

import dev.presize.api.responses.WireJson;
import dev.presize.v1beta1.Requests;
import dev.presize.recommendations.Snapshot;
import jakarta.inject.Singleton;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON of each object of the current snapshot, encoded once and then served as bytes. Snapshot
 * objects never change after publication, so their encoding cannot either; encoding them again for
 * every GET and every list item was the largest single cost of the read path (Gson, under the load
 * benchmark in bench/load). The memo belongs to one snapshot and is dropped with it when a refresh
 * publishes the next one; objects are keyed by identity, because a record's own hashCode walks
 * every field.
 */
@Singleton
public class EncodedObjects {

    private record Identity(Requests object) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.object == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }
    }

    private record Memo(Snapshot snapshot, ConcurrentHashMap<Identity, byte[]> bytes) {
    }

    private final WireJson json;
    private volatile Memo memo = new Memo(null, new ConcurrentHashMap<>());

    public EncodedObjects(WireJson json) {
        this.json = json;
    }

    /** {@code object}'s JSON; {@code snapshot} is the snapshot the caller read it from. */
    public byte[] json(Snapshot snapshot, Requests object) {
        Memo m = memo;
        if (m.snapshot() != snapshot) {
            if (m.snapshot() != null && snapshot.resourceVersion() < m.snapshot().resourceVersion()) {
                // A request still reading an older snapshot: answer it without evicting the newer memo.
                return json.encode(object);
            }
            m = new Memo(snapshot, new ConcurrentHashMap<>());
            memo = m;
        }
        return m.bytes().computeIfAbsent(new Identity(object), k -> json.encode(object));
    }
}
