package dev.presize.recommendations;

import dev.presize.v1beta1.ContainerRequests;
import dev.presize.v1beta1.ModelInfo;
import dev.presize.v1beta1.ObjectMeta;
import dev.presize.v1beta1.Requests;
import dev.presize.v1beta1.ResourceAmounts;
import dev.presize.v1beta1.Target;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotStoreTest {

    static Requests object(String ns, String name, String cpu, String timestamp) {
        return new Requests(Requests.API_VERSION, Requests.KIND,
                new ObjectMeta(name, ns, "2026-11-01T00:00:00Z", Map.of("app", name), null),
                new Target("apps/v1", "Deployment", name), timestamp, "336h0m0s",
                new ResourceAmounts(cpu, "64Mi"),
                List.of(new ContainerRequests("app", new ResourceAmounts(cpu, "64Mi"), null, null, null)),
                new ModelInfo("percentile", timestamp, 10, 1.0), null);
    }

    @Test
    void startsEmptyAndPublishesWholeSnapshots() {
        SnapshotStore store = new SnapshotStore();
        assertEquals(0, store.current().size());
        assertEquals(0, store.current().resourceVersion());
        Snapshot s = store.replace(List.of(object("b", "x", "1", "T1"), object("a", "y", "1", "T1"), object("a", "x", "1", "T1")), 1000);
        assertSame(s, store.current());
        assertEquals(List.of("a/x", "a/y", "b/x"), s.list(null).stream().map(r -> r.namespace() + "/" + r.name()).toList());
        assertEquals(List.of("a/x", "a/y"), s.list("a").stream().map(r -> r.namespace() + "/" + r.name()).toList());
        assertTrue(s.list("none").isEmpty());
        assertEquals("1000", s.get("a", "x").orElseThrow().metadata().resourceVersion());
    }

    @Test
    void resourceVersionMovesOnlyWithContent() {
        SnapshotStore store = new SnapshotStore();
        store.replace(List.of(object("a", "same", "1", "T1"), object("a", "moves", "1", "T1")), 1000);
        Requests same = store.current().get("a", "same").orElseThrow();
        Snapshot next = store.replace(List.of(object("a", "same", "1", "T1"), object("a", "moves", "2", "T1"),
                object("a", "new", "1", "T1")), 2000);
        assertSame(same, next.get("a", "same").orElseThrow(), "unchanged content keeps the published object");
        assertEquals("1000", next.get("a", "same").orElseThrow().metadata().resourceVersion());
        assertEquals("2000", next.get("a", "moves").orElseThrow().metadata().resourceVersion());
        assertEquals("2000", next.get("a", "new").orElseThrow().metadata().resourceVersion());
        assertEquals(2000, next.resourceVersion());
        assertTrue(store.replace(List.of(), 3000).get("a", "same").isEmpty(), "objects not recomputed are gone");
    }

    @Test
    void listResourceVersionNeverGoesBackwards() {
        SnapshotStore store = new SnapshotStore();
        store.replace(List.of(object("a", "x", "1", "T1")), 5000);
        // A refresh for an older grid instant (e.g. a slow retry finishing late) must not move
        // resourceVersion backwards for clients that compare them.
        Snapshot late = store.replace(List.of(object("a", "x", "2", "T0")), 4000);
        // ...and new content must still get a new version (api.md: it changes whenever the
        // recommendation changes; watchers resume from it), so it is one past the current one.
        assertEquals(5001, late.resourceVersion());
        assertEquals("5001", late.get("a", "x").orElseThrow().metadata().resourceVersion());
        Snapshot same = store.replace(List.of(object("a", "x", "2", "T0")), 4000);
        assertEquals(5001, same.resourceVersion(), "a late refresh with nothing new moves nothing");
        assertSame(late.get("a", "x").orElseThrow(), same.get("a", "x").orElseThrow());
    }

    @Test
    void listenersSeeEverySwapInOrder() {
        SnapshotStore store = new SnapshotStore();
        store.replace(List.of(object("a", "x", "1", "T1")), 1000);
        List<String> seen = new java.util.ArrayList<>();
        Snapshot start = store.subscribe((before, after) -> seen.add(before.resourceVersion() + "->" + after.resourceVersion()));
        assertEquals(1000, start.resourceVersion());
        store.subscribe((before, after) -> {
            throw new IllegalStateException("a broken listener");
        });
        store.replace(List.of(object("a", "x", "2", "T1")), 2000);
        store.replace(List.of(), 3000);
        assertEquals(List.of("1000->2000", "2000->3000"), seen, "and a failing listener neither stops the others nor the swap");
        assertEquals(3000, store.current().resourceVersion());
    }

    @Test
    void duplicateKeysAreRejectedAndTheOldSnapshotStays() {
        SnapshotStore store = new SnapshotStore();
        Snapshot before = store.replace(List.of(object("a", "x", "1", "T1")), 1000);
        assertThrows(IllegalArgumentException.class,
                () -> store.replace(List.of(object("a", "d", "1", "T1"), object("a", "d", "2", "T1")), 2000));
        assertSame(before, store.current());
    }
}
