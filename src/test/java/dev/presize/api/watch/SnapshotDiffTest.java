package dev.presize.api.watch;

import dev.presize.recommendations.Snapshot;
import dev.presize.recommendations.SnapshotStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.presize.api.watch.WatchFixtures.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotDiffTest {

    @Test
    void addedModifiedDeletedByNamespaceAndName() {
        SnapshotStore store = new SnapshotStore();
        Snapshot before = store.replace(List.of(object("a", "kept", "1"), object("a", "moves", "1"),
                object("b", "gone", "1")), 1000);
        Snapshot after = store.replace(List.of(object("a", "kept", "1"), object("a", "moves", "2"),
                object("a", "new", "1")), 2000);

        List<Change> changes = SnapshotDiff.diff(before, after);
        assertEquals(List.of("MODIFIED a/moves", "ADDED a/new", "DELETED b/gone"),
                changes.stream().map(c -> c.type() + " " + c.object().namespace() + "/" + c.object().name()).toList());

        Change modified = changes.get(0);
        assertEquals("2000", modified.object().metadata().resourceVersion());
        assertEquals("1000", modified.previous().metadata().resourceVersion());
        assertNull(changes.get(1).previous());
        Change deleted = changes.get(2);
        assertEquals("2000", deleted.object().metadata().resourceVersion(), "a deletion carries the version that deleted it");
        assertEquals("1000", deleted.previous().metadata().resourceVersion());
        assertEquals(deleted.previous().withResourceVersion(null), deleted.object().withResourceVersion(null));
    }

    @Test
    void sameContentIsNoChange() {
        SnapshotStore store = new SnapshotStore();
        Snapshot before = store.replace(List.of(object("a", "x", "1"), object("b", "y", "1")), 1000);
        Snapshot after = store.replace(List.of(object("b", "y", "1"), object("a", "x", "1")), 2000);
        assertSame(before.get("a", "x").orElseThrow(), after.get("a", "x").orElseThrow());
        assertTrue(SnapshotDiff.diff(before, after).isEmpty());
    }

    @Test
    void fromAndToEmpty() {
        Snapshot some = new SnapshotStore().replace(List.of(object("a", "x", "1"), object("a", "y", "1")), 1000);
        assertEquals(List.of(EventType.ADDED, EventType.ADDED),
                SnapshotDiff.diff(Snapshot.empty(), some).stream().map(Change::type).toList());
        assertEquals(List.of(EventType.DELETED, EventType.DELETED),
                SnapshotDiff.diff(some, Snapshot.of(2000, List.of())).stream().map(Change::type).toList());
    }
}
