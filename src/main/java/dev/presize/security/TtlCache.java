package dev.presize.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded cache whose entries expire after a per-entry time to live, by an injected clock (so
 * tests move time instead of sleeping). The least recently used entry goes when it is full, as
 * k8s.io/apimachinery's {@code LRUExpireCache} that the webhook authenticator and authorizer use.
 */
public final class TtlCache<K, V> {

    private record Entry<V>(V value, Instant expires) {
    }

    private final Clock clock;
    private final int maxEntries;
    private final LinkedHashMap<K, Entry<V>> entries;

    public TtlCache(Clock clock, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
                return size() > TtlCache.this.maxEntries;
            }
        };
    }

    public synchronized Optional<V> get(K key) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.expires())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    /** Stores {@code value} for {@code ttl}; a zero or negative ttl stores nothing. */
    public synchronized void put(K key, V value, Duration ttl) {
        if (ttl.isZero() || ttl.isNegative()) {
            return;
        }
        entries.put(key, new Entry<>(value, clock.instant().plus(ttl)));
    }

    public synchronized int size() {
        return entries.size();
    }
}
