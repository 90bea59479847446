package dev.presize.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The cache behind the TokenReview and SubjectAccessReview answers: each entry lives for its own
 * time to live (the callers give allowed and denied answers different ones, as kube-apiserver's
 * webhook caches do), and the least recently used entry goes when it is full. Time is moved by
 * hand on a {@link MutableClock}; nothing sleeps.
 */
class TtlCacheTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void anEntryLivesForItsTtlAndNotAMomentLonger() {
        MutableClock clock = new MutableClock(T0);
        TtlCache<String, String> cache = new TtlCache<>(clock, 10);
        cache.put("token", "alice", Duration.ofMinutes(2));
        clock.advance(Duration.ofMinutes(2).minusNanos(1));
        assertEquals(Optional.of("alice"), cache.get("token"));
        clock.advance(Duration.ofNanos(1));
        assertEquals(Optional.empty(), cache.get("token"), "expired when its ttl is over");
        assertEquals(0, cache.size(), "an expired entry is dropped when it is looked up");
    }

    @Test
    void eachEntryHasItsOwnTtl() {
        // As the SubjectAccessReview authorizer uses it with --authorization-webhook-cache-authorized-ttl=5m
        // and --authorization-webhook-cache-unauthorized-ttl=30s.
        MutableClock clock = new MutableClock(T0);
        TtlCache<String, Boolean> cache = new TtlCache<>(clock, 10);
        cache.put("alice get requests", true, Duration.ofMinutes(5));
        cache.put("bob get requests", false, Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(Optional.empty(), cache.get("bob get requests"));
        assertEquals(Optional.of(true), cache.get("alice get requests"));
        clock.advance(Duration.ofMinutes(4).plusSeconds(29));
        assertEquals(Optional.of(true), cache.get("alice get requests"), "4 min 59 s after it was stored");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), cache.get("alice get requests"));
    }

    @Test
    void storingAgainReplacesTheValueAndRestartsTheTtl() {
        MutableClock clock = new MutableClock(T0);
        TtlCache<String, String> cache = new TtlCache<>(clock, 10);
        cache.put("k", "first", Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(8));
        cache.put("k", "second", Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(8));
        assertEquals(Optional.of("second"), cache.get("k"), "16 s after the first put, 8 s after the second");
        assertEquals(1, cache.size());
    }

    @Test
    void aZeroOrNegativeTtlStoresNothing() {
        MutableClock clock = new MutableClock(T0);
        TtlCache<String, String> cache = new TtlCache<>(clock, 10);
        cache.put("zero", "v", Duration.ZERO);
        cache.put("negative", "v", Duration.ofSeconds(-1));
        assertEquals(Optional.empty(), cache.get("zero"));
        assertEquals(Optional.empty(), cache.get("negative"));
        assertEquals(0, cache.size());
    }

    @Test
    void whenFullTheLeastRecentlyUsedEntryGoes() {
        MutableClock clock = new MutableClock(T0);
        TtlCache<String, String> cache = new TtlCache<>(clock, 2);
        cache.put("a", "1", Duration.ofMinutes(1));
        cache.put("b", "2", Duration.ofMinutes(1));
        assertEquals(Optional.of("1"), cache.get("a")); // a is now the most recently used
        cache.put("c", "3", Duration.ofMinutes(1));
        assertEquals(2, cache.size());
        assertEquals(Optional.empty(), cache.get("b"), "b was the least recently used");
        assertEquals(Optional.of("1"), cache.get("a"));
        assertEquals(Optional.of("3"), cache.get("c"));
    }

    @Test
    void aCacheHoldsAtLeastOneEntry() {
        assertThrows(IllegalArgumentException.class, () -> new TtlCache<>(new MutableClock(T0), 0));
    }
}
