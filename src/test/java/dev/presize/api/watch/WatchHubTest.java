package dev.presize.api.watch;

import dev.presize.api.responses.AcceptNegotiator;
import dev.presize.api.responses.WireJson;
import dev.presize.api.responses.StatusErrors;
import dev.presize.api.listoptions.IncludeObject;
import dev.presize.api.listoptions.ListOptions;
import dev.presize.api.listoptions.ListOptionsParser;
import dev.presize.recommendations.SnapshotStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.presize.api.watch.WatchFixtures.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub against a real SnapshotStore: start semantics, history, expiry, timeouts, bookmarks, shutdown. */
class WatchHubTest {

    private final WireJson json = new WireJson();
    private final SnapshotStore store = new SnapshotStore();
    private WatchHub hub;

    @AfterEach
    void close() {
        if (hub != null) {
            hub.close();
        }
    }

    private WatchHub hub(Duration bookmarkInterval, int history) {
        hub = new WatchHub(store, new StatusErrors(json), Duration.ofMinutes(30), bookmarkInterval, history, 8);
        return hub;
    }

    private WatchFixtures.Recorder watch(String... query) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        for (int i = 0; i + 1 < query.length; i += 2) {
            q.put(query[i], List.of(query[i + 1]));
        }
        ListOptions options = ListOptionsParser.parse(q, true);
        Watcher w = hub.open(null, options.filter(), options,
                new WatchEncoder(json, AcceptNegotiator.Negotiated.DEFAULT, IncludeObject.METADATA, Clock.systemUTC()));
        WatchFixtures.Recorder r = WatchFixtures.Recorder.unbounded();
        w.subscribe(r);
        return r;
    }

    @Test
    void withoutAVersionTheCurrentStateComesFirstThenChanges() throws Exception {
        store.replace(List.of(object("a", "x", "1"), object("b", "y", "1")), 1000);
        hub(Duration.ZERO, 8);
        WatchFixtures.Recorder r = watch();
        assertEquals("[ADDED x, ADDED y]", r.next(2).toString());
        WatchFixtures.Recorder zero = watch("resourceVersion", "0");
        assertEquals("[ADDED x, ADDED y]", zero.next(2).toString());

        store.replace(List.of(object("a", "x", "2"), object("a", "z", "1")), 2000);
        assertEquals("[MODIFIED x, ADDED z, DELETED y]", r.next(3).toString());
        assertEquals("[MODIFIED x, ADDED z, DELETED y]", zero.next(3).toString());
    }

    @Test
    void fromAKnownVersionTheChangesSinceThenAreReplayed() throws Exception {
        hub(Duration.ZERO, 8);
        store.replace(List.of(object("a", "x", "1"), object("a", "y", "1")), 1000);
        store.replace(List.of(object("a", "x", "2"), object("a", "y", "1")), 2000);
        store.replace(List.of(object("a", "x", "2")), 3000);

        WatchFixtures.Recorder r = watch("resourceVersion", "1000");
        List<WatchFixtures.Event> events = r.next(2);
        assertEquals("[MODIFIED x, DELETED y]", events.toString());
        assertEquals(List.of("2000", "3000"), events.stream().map(WatchFixtures.Event::resourceVersion).toList());

        WatchFixtures.Recorder fromNow = watch("resourceVersion", "3000");
        store.replace(List.of(object("a", "x", "3")), 4000);
        assertEquals("[MODIFIED x]", fromNow.next(1).toString());
        assertEquals("[MODIFIED x]", r.next(1).toString());
        assertTrue(fromNow.signals.isEmpty());
    }

    @Test
    void aVersionOlderThanTheHistoryIsAnExpiredErrorEvent() throws Exception {
        hub(Duration.ZERO, 2);
        store.replace(List.of(object("a", "x", "1")), 1000);
        store.replace(List.of(object("a", "x", "2")), 2000);
        store.replace(List.of(object("a", "x", "3")), 3000);
        store.replace(List.of(object("a", "x", "4")), 4000);
        WatchFixtures.Recorder r = watch("resourceVersion", "1000");
        WatchFixtures.Event e = r.next();
        assertEquals("ERROR", e.type());
        assertEquals(410, e.object().get("code").getAsInt());
        assertEquals("Expired", e.object().get("reason").getAsString());
        assertEquals("too old resource version: 1000 (2000)", e.object().get("message").getAsString());
        r.awaitEnd();
        assertEquals(0, hub.watcherCount(), "an expired watch is never registered");
        assertEquals("[MODIFIED x, MODIFIED x]", watch("resourceVersion", "2000").next(2).toString());
    }

    @Test
    void aVersionFromBeforeThisProcessIsExpired() throws Exception {
        hub(Duration.ZERO, 8);
        store.replace(List.of(object("a", "x", "1")), 5000);
        WatchFixtures.Event e = watch("resourceVersion", "4000").next();
        assertEquals("ERROR", e.type());
        assertEquals(410, e.object().get("code").getAsInt());
    }

    @Test
    void aNewerVersionStartsNowAndSkipsWhatTheClientHas() throws Exception {
        // Another replica refreshed first; this one will compute the same objects at 2000.
        hub(Duration.ZERO, 8);
        store.replace(List.of(object("a", "x", "1")), 1000);
        WatchFixtures.Recorder r = watch("resourceVersion", "2000");
        store.replace(List.of(object("a", "x", "2")), 2000);
        store.replace(List.of(object("a", "x", "3")), 3000);
        WatchFixtures.Event e = r.next();
        assertEquals("MODIFIED x", e.toString());
        assertEquals("3000", e.resourceVersion());
    }

    @Test
    void sendInitialEventsEndsTheInitialStateWithAnAnnotatedBookmark() throws Exception {
        hub(Duration.ZERO, 8);
        store.replace(List.of(object("a", "x", "1"), object("a", "y", "1")), 1000);
        WatchFixtures.Recorder r = watch("sendInitialEvents", "true", "resourceVersionMatch", "NotOlderThan",
                "allowWatchBookmarks", "true", "resourceVersion", "1000");
        assertEquals("[ADDED x, ADDED y]", r.next(2).toString());
        WatchFixtures.Event end = r.next();
        assertEquals("BOOKMARK", end.type());
        assertEquals("1000", end.resourceVersion());
        assertEquals("true", end.object().getAsJsonObject("metadata").getAsJsonObject("annotations")
                .get("k8s.io/initial-events-end").getAsString());
        store.replace(List.of(object("a", "x", "1")), 2000);
        assertEquals("[DELETED y]", r.next(1).toString());
    }

    @Test
    void sendInitialEventsFalseStartsNowWithoutTheState() throws Exception {
        hub(Duration.ZERO, 8);
        store.replace(List.of(object("a", "x", "1")), 1000);
        WatchFixtures.Recorder r = watch("sendInitialEvents", "false", "resourceVersionMatch", "NotOlderThan");
        store.replace(List.of(object("a", "x", "2")), 2000);
        assertEquals("[MODIFIED x]", r.next(1).toString());
    }

    @Test
    void sendInitialEventsNewerThanTheStateIsTooLargeAResourceVersion() throws Exception {
        hub(Duration.ZERO, 8);
        store.replace(List.of(object("a", "x", "1")), 1000);
        WatchFixtures.Event e = watch("sendInitialEvents", "true", "resourceVersionMatch", "NotOlderThan",
                "allowWatchBookmarks", "true", "resourceVersion", "9000").next();
        assertEquals("ERROR", e.type());
        assertEquals(504, e.object().get("code").getAsInt());
        assertEquals("Timeout", e.object().get("reason").getAsString());
        assertEquals("Timeout: Too large resource version: 9000, current: 1000", e.object().get("message").getAsString());
        assertEquals("ResourceVersionTooLarge", e.object().getAsJsonObject("details").getAsJsonArray("causes")
                .get(0).getAsJsonObject().get("reason").getAsString());
    }

    @Test
    void timeoutSecondsEndsTheStreamCleanly() throws Exception {
        hub(Duration.ZERO, 8);
        store.replace(List.of(object("a", "x", "1")), 1000);
        WatchFixtures.Recorder r = watch("resourceVersion", "1000", "timeoutSeconds", "1");
        r.awaitEnd();
        assertEquals(0, hub.watcherCount());
    }

    @Test
    void withoutTimeoutSecondsTheTimeoutIsBetweenMinAndTwiceMin() {
        hub(Duration.ZERO, 8);
        for (int i = 0; i < 100; i++) {
            Duration d = hub.timeout(null);
            assertTrue(d.compareTo(Duration.ofMinutes(30)) >= 0 && d.compareTo(Duration.ofMinutes(60)) < 0, d.toString());
        }
        assertEquals(Duration.ofSeconds(7), hub.timeout(7L));
        assertTrue(hub.timeout(0L).compareTo(Duration.ofMinutes(30)) >= 0, "0 means none given, as in kube");
    }

    @Test
    void bookmarksArriveWhenAllowed() throws Exception {
        hub(Duration.ofMillis(20), 8);
        store.replace(List.of(object("a", "x", "1")), 1000);
        WatchFixtures.Recorder r = watch("resourceVersion", "1000", "allowWatchBookmarks", "true");
        WatchFixtures.Event b = r.next();
        assertEquals("BOOKMARK", b.type());
        assertEquals("1000", b.resourceVersion());
        store.replace(List.of(object("a", "x", "2")), 2000);
        WatchFixtures.Event e;
        do {
            e = r.next();
        } while (e.type().equals("BOOKMARK") && e.resourceVersion().equals("1000"));
        assertEquals("MODIFIED x", e.toString());
        do {
            e = r.next();
        } while (!e.type().equals("BOOKMARK"));
        assertEquals("2000", e.resourceVersion(), "bookmarks follow the state");
    }

    @Test
    void shutdownEndsEveryWatchAndNewOnesEndAtOnce() throws Exception {
        hub(Duration.ZERO, 8);
        store.replace(List.of(object("a", "x", "1")), 1000);
        WatchFixtures.Recorder a = watch("resourceVersion", "1000");
        WatchFixtures.Recorder b = watch("resourceVersion", "1000");
        assertEquals(2, hub.watcherCount());
        hub.shutdownGracefully().toCompletableFuture().get();
        a.awaitEnd();
        b.awaitEnd();
        assertEquals(0, hub.watcherCount());
        WatchFixtures.Recorder late = watch("resourceVersion", "1000");
        late.awaitEnd();
        assertFalse(late.completed && late.error != null);
    }

    @Test
    void aSlowWatcherIsDroppedByTheHub() throws Exception {
        hub(Duration.ZERO, 16);
        store.replace(List.of(object("a", "x", "0")), 1000);
        ListOptions options = ListOptionsParser.parse(Map.of("resourceVersion", List.of("1000")), true);
        Watcher w = hub.open(null, null, options,
                new WatchEncoder(json, AcceptNegotiator.Negotiated.DEFAULT, IncludeObject.METADATA, Clock.systemUTC()));
        WatchFixtures.Recorder slow = new WatchFixtures.Recorder(0);   // never reads
        w.subscribe(slow);
        WatchFixtures.Recorder fast = watch("resourceVersion", "1000");
        for (int i = 1; i <= 9; i++) {
            store.replace(List.of(object("a", "x", Integer.toString(i))), 1000 + i * 1000L);
            assertEquals(Integer.toString(i), fast.next().cpu());
        }
        slow.awaitEnd();
        assertTrue(w.wasDropped());
        assertEquals(0, w.queued());
        assertEquals(1, hub.watcherCount(), "only the reader is left");
    }
}
