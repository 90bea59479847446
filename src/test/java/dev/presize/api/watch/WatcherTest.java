package dev.presize.api.watch;

import dev.presize.api.responses.AcceptNegotiator;
import dev.presize.api.responses.WireJson;
import dev.presize.api.errors.ApiException;
import dev.presize.api.responses.StatusErrors;
import dev.presize.api.listoptions.IncludeObject;
import dev.presize.apimachinery.LabelSelector;
import dev.presize.v1beta1.Requests;
import dev.presize.recommendations.Snapshot;
import dev.presize.recommendations.SnapshotStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static dev.presize.api.watch.WatchFixtures.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-stream queue, driven by hand: a direct executor and a subscriber whose demand the test sets. */
class WatcherTest {

    private final WireJson json = new WireJson();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    private final AtomicInteger ended = new AtomicInteger();

    private Watcher watcher(Predicate<Requests> filter, long after, boolean bookmarks, int capacity) {
        return new Watcher(filter, new WatchEncoder(json, AcceptNegotiator.Negotiated.DEFAULT, IncludeObject.METADATA, clock),
                after, bookmarks, capacity, Runnable::run, w -> ended.incrementAndGet());
    }

    private static Transition swap(SnapshotStore store, long at, Requests... objects) {
        Snapshot before = store.current();
        Snapshot after = store.replace(List.of(objects), at);
        return new Transition(before.resourceVersion(), after.resourceVersion(), SnapshotDiff.diff(before, after));
    }

    @Test
    void initialStateThenChanges() throws Exception {
        SnapshotStore store = new SnapshotStore();
        swap(store, 1000, object("a", "x", "1"), object("a", "y", "1"));
        Watcher w = watcher(null, 1000, false, 8);
        w.enqueueInitial(new Watcher.Initial(store.current().list(null)));
        WatchFixtures.Recorder r = WatchFixtures.Recorder.unbounded();
        w.subscribe(r);
        assertEquals("[ADDED x, ADDED y]", r.next(2).toString());
        assertEquals(0, r.chunks.get(0).length, "the stream opens with an empty chunk, so the headers go out at once");

        w.offer(swap(store, 2000, object("a", "x", "2"), object("a", "z", "1")));
        List<WatchFixtures.Event> events = r.next(3);
        assertEquals("[MODIFIED x, DELETED y, ADDED z]", events.toString(), "in (namespace, name) order");
        assertEquals("2", events.get(0).cpu());
        assertEquals("2000", events.get(1).resourceVersion(), "DELETED carries the deleting version");
        assertTrue(r.signals.isEmpty());
    }

    @Test
    void changesAtOrBeforeTheStartVersionAreSkipped() throws Exception {
        SnapshotStore store = new SnapshotStore();
        Transition first = swap(store, 1000, object("a", "x", "1"));
        Transition second = swap(store, 2000, object("a", "x", "2"));
        Watcher w = watcher(null, 1000, false, 8);
        WatchFixtures.Recorder r = WatchFixtures.Recorder.unbounded();
        w.subscribe(r);
        w.offer(first);
        w.offer(second);
        WatchFixtures.Event e = r.next();
        assertEquals("MODIFIED x", e.toString());
        assertEquals("2000", e.resourceVersion());
        assertTrue(r.signals.isEmpty());
    }

    @Test
    void selectorsTurnBoundaryCrossingsIntoAddedAndDeleted() throws Exception {
        // k8s.io/apiserver cacheWatcher.convertToWatchEvent
        SnapshotStore store = new SnapshotStore();
        swap(store, 1000, object("a", "x", "1", Map.of("tier", "web")), object("a", "y", "1", Map.of("tier", "db")));
        LabelSelector web = LabelSelector.parse("tier=web");
        Watcher w = watcher(r -> web.matches(r.metadata().labels()), 1000, false, 8);
        WatchFixtures.Recorder r = WatchFixtures.Recorder.unbounded();
        w.subscribe(r);

        w.offer(swap(store, 2000, object("a", "x", "1", Map.of("tier", "db")), object("a", "y", "1", Map.of("tier", "web"))));
        List<WatchFixtures.Event> events = r.next(2);
        assertEquals("[DELETED x, ADDED y]", events.toString());
        assertEquals("2000", events.get(0).resourceVersion(), "the leaving object is stamped with the change's version");
        assertEquals("web", events.get(0).object().getAsJsonObject("metadata").getAsJsonObject("labels").get("tier").getAsString(),
                "and shows its last state that matched");

        w.offer(swap(store, 3000, object("a", "x", "2", Map.of("tier", "db")), object("a", "y", "2", Map.of("tier", "web"))));
        assertEquals("[MODIFIED y]", r.next(1).toString());
        assertTrue(r.signals.isEmpty(), "x changed outside the selector: nothing");
    }

    @Test
    void aSlowWatcherIsDroppedNotBuffered() throws Exception {
        SnapshotStore store = new SnapshotStore();
        swap(store, 1000, object("a", "x", "0"));
        Watcher w = watcher(null, 1000, false, 3);
        WatchFixtures.Recorder r = new WatchFixtures.Recorder(1);   // takes the opening chunk, then nothing
        w.subscribe(r);
        assertEquals(1, r.chunks.size());

        for (int i = 1; i <= 3; i++) {
            assertTrue(w.offer(swap(store, 1000 + i * 1000L, object("a", "x", Integer.toString(i)))));
        }
        assertEquals(3, w.queued(), "work is queued while the client does not read");
        assertFalse(w.offer(swap(store, 5000, object("a", "x", "4"))), "the fourth swap finds the queue full");

        assertTrue(w.wasDropped());
        assertTrue(r.completed, "the stream ends cleanly; the client resumes from its last version");
        assertNull(r.error);
        assertEquals(0, w.queued(), "and everything queued is released");
        assertEquals(1, ended.get(), "the hub is told once");
        assertFalse(w.offer(swap(store, 6000, object("a", "x", "5"))));
        assertEquals(1, r.chunks.size(), "nothing was sent after the opening chunk");
    }

    @Test
    void aClientThatReadsKeepsUp() throws Exception {
        SnapshotStore store = new SnapshotStore();
        swap(store, 1000, object("a", "x", "0"));
        Watcher w = watcher(null, 1000, false, 2);
        WatchFixtures.Recorder r = new WatchFixtures.Recorder(1);
        w.subscribe(r);
        for (int i = 1; i <= 10; i++) {
            assertTrue(w.offer(swap(store, 1000 + i * 1000L, object("a", "x", Integer.toString(i)))));
            r.request(1);
            assertEquals(Integer.toString(i), r.next().cpu());
        }
        assertFalse(w.wasDropped());
    }

    @Test
    void bookmarksAreCoalescedAndOnlySentWhenAsked() throws Exception {
        Watcher w = watcher(null, 1000, true, 2);
        WatchFixtures.Recorder r = new WatchFixtures.Recorder(1);
        w.subscribe(r);
        w.offerBookmark(1000);
        w.offerBookmark(2000);
        w.offerBookmark(3000);
        assertEquals(1, w.queued(), "a waiting bookmark is replaced, not queued again");
        r.request(1);
        WatchFixtures.Event b = r.next();
        assertEquals("BOOKMARK", b.type());
        assertEquals("3000", b.resourceVersion());
        assertEquals("Requests", b.object().get("kind").getAsString());
        assertEquals(List.of("kind", "apiVersion", "metadata"), List.copyOf(b.object().keySet()));
        assertEquals(List.of("resourceVersion"), List.copyOf(b.object().getAsJsonObject("metadata").keySet()));

        Watcher quiet = watcher(null, 1000, false, 2);
        quiet.offerBookmark(2000);
        assertEquals(0, quiet.queued());
    }

    @Test
    void aBookmarkOlderThanTheStartIsNotSent() {
        Watcher w = watcher(null, 5000, true, 2);
        w.offerBookmark(4000);
        assertEquals(0, w.queued());
    }

    @Test
    void anErrorEventEndsTheStream() throws Exception {
        Watcher w = watcher(null, 0, false, 2);
        w.enqueueInitial(new Watcher.Failure(new StatusErrors(json).toStatus(
                new ApiException(410, "Expired", "too old resource version: 1 (2)", null, null, null))));
        WatchFixtures.Recorder r = WatchFixtures.Recorder.unbounded();
        w.subscribe(r);
        WatchFixtures.Event e = r.next();
        assertEquals("ERROR", e.type());
        assertEquals("Status", e.object().get("kind").getAsString());
        assertEquals(410, e.object().get("code").getAsInt());
        assertEquals("Expired", e.object().get("reason").getAsString());
        r.awaitEnd();
        assertEquals(1, ended.get());
    }

    @Test
    void endingDropsWhatIsQueuedAndCompletes() throws Exception {
        SnapshotStore store = new SnapshotStore();
        swap(store, 1000, object("a", "x", "0"));
        Watcher w = watcher(null, 1000, false, 4);
        WatchFixtures.Recorder r = new WatchFixtures.Recorder(1);
        w.subscribe(r);
        w.offer(swap(store, 2000, object("a", "x", "1")));
        w.end();
        r.awaitEnd();
        assertEquals(0, w.queued());
        assertEquals(1, r.chunks.size());
        assertFalse(w.wasDropped());
    }

    @Test
    void cancellingUnregisters() {
        Watcher w = watcher(null, 0, false, 4);
        WatchFixtures.Recorder r = new WatchFixtures.Recorder(1);
        w.subscribe(r);
        r.subscription.cancel();
        r.subscription.cancel();
        assertEquals(1, ended.get());
        assertTrue(w.isEnded());
    }

    @Test
    void aSecondSubscriberIsRefused() {
        Watcher w = watcher(null, 0, false, 4);
        w.subscribe(new WatchFixtures.Recorder(1));
        WatchFixtures.Recorder second = new WatchFixtures.Recorder(1);
        w.subscribe(second);
        assertTrue(second.error instanceof IllegalStateException);
    }

    @Test
    void tableEventsCarryColumnDefinitionsOnlyOnce() throws Exception {
        SnapshotStore store = new SnapshotStore();
        swap(store, 1000, object("a", "x", "1"), object("a", "y", "1"));
        Watcher w = new Watcher(null, new WatchEncoder(json, new AcceptNegotiator.Negotiated(
                AcceptNegotiator.Representation.TABLE, AcceptNegotiator.Format.JSON, "meta.k8s.io/v1", false),
                IncludeObject.NONE, clock), 1000, false, 4, Runnable::run, x -> { });
        w.enqueueInitial(new Watcher.Initial(store.current().list(null)));
        WatchFixtures.Recorder r = WatchFixtures.Recorder.unbounded();
        w.subscribe(r);
        List<WatchFixtures.Event> events = r.next(2);
        assertEquals("Table", events.get(0).object().get("kind").getAsString());
        assertTrue(events.get(0).object().has("columnDefinitions"));
        assertFalse(events.get(1).object().has("columnDefinitions"), "kube sets NoHeaders after the first event");
        assertEquals("y", events.get(1).object().getAsJsonArray("rows").get(0).getAsJsonObject()
                .getAsJsonArray("cells").get(0).getAsString());
        assertEquals("1000", events.get(1).object().getAsJsonObject("metadata").get("resourceVersion").getAsString());
    }

    @Test
    void largeBacklogsGoOutInBoundedChunks() throws Exception {
        SnapshotStore store = new SnapshotStore();
        Requests[] many = new Requests[2000];
        for (int i = 0; i < many.length; i++) {
            many[i] = object("ns", String.format("w%04d", i), "1");
        }
        swap(store, 1000, many);
        Watcher w = watcher(null, 1000, false, 4);
        w.enqueueInitial(new Watcher.Initial(store.current().list(null)));
        WatchFixtures.Recorder r = WatchFixtures.Recorder.unbounded();
        w.subscribe(r);
        assertEquals("w1999", r.next(2000).get(1999).name());
        assertTrue(r.chunks.size() > 2, "split into several chunks: " + r.chunks.size());
        for (byte[] chunk : r.chunks) {
            assertTrue(chunk.length < Watcher.CHUNK_BYTES + 2048, "chunk of " + chunk.length + " bytes");
        }
    }
}
