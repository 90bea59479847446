package dev.presize.api.watch;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.presize.api.watch.WatchFixtures.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchHistoryTest {

    private static Transition t(long from, long to) {
        return new Transition(from, to, List.of(new Change(EventType.ADDED, object("a", "x" + to, "1"), null)));
    }

    private static List<Long> versions(WatchHistory.Replay replay) {
        return replay.transitions().stream().map(Transition::toVersion).toList();
    }

    @Test
    void replaysWhatCameAfterAVersion() {
        WatchHistory h = new WatchHistory(8, 100);
        h.record(t(100, 200));
        h.record(t(200, 300));
        assertEquals(List.of(200L, 300L), versions(h.after(100)));
        assertEquals(List.of(300L), versions(h.after(200)));
        assertEquals(List.of(300L), versions(h.after(250)), "a version between two snapshots means the earlier state");
        assertEquals(List.of(), versions(h.after(300)));
        assertEquals(List.of(), versions(h.after(5000)), "a newer version (another replica's) replays nothing");
    }

    @Test
    void olderThanTheHistoryIsExpired() {
        WatchHistory h = new WatchHistory(2, 100);
        h.record(t(100, 200));
        h.record(t(200, 300));
        h.record(t(300, 400));
        assertEquals(200, h.oldest());
        assertEquals(2, h.size());
        WatchHistory.Replay replay = h.after(150);
        assertTrue(replay.isExpired());
        assertEquals("too old resource version: 150 (200)", replay.expired());
        assertFalse(h.after(200).isExpired());
        assertEquals(List.of(300L, 400L), versions(h.after(200)));
    }

    @Test
    void startsAtItsFirstSnapshot() {
        WatchHistory h = new WatchHistory(8, 100);
        assertTrue(h.after(99).isExpired());
        assertFalse(h.after(100).isExpired());
    }

    @Test
    void theFirstSnapshotAfterStartUpIsNotAResumePoint() {
        // Version 0 is the empty snapshot before the first refresh; a client's older version comes
        // from another replica or an earlier process, whose deletions this history never saw.
        WatchHistory h = new WatchHistory(8, 0);
        h.record(t(0, 1000));
        assertTrue(h.after(500).isExpired());
        assertFalse(h.after(1000).isExpired());
        assertEquals(List.of(), versions(h.after(1000)));
    }

    @Test
    void aSwapThatDoesNotMoveTheVersionForgetsTheHistory() {
        WatchHistory h = new WatchHistory(8, 100);
        h.record(t(100, 200));
        h.record(t(200, 200));
        assertTrue(h.after(100).isExpired());
        assertFalse(h.after(200).isExpired());
    }

    @Test
    void aSwapWithoutChangesIsKeptAndReplaysNothing() {
        WatchHistory h = new WatchHistory(8, 100);
        h.record(new Transition(100, 200, List.of()));
        assertEquals(1, versions(h.after(100)).size());
        assertTrue(h.after(100).transitions().get(0).changes().isEmpty());
    }
}
