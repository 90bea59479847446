package dev.presize.api.watch;

import dev.presize.v1beta1.Requests;
import dev.presize.recommendations.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The changes between two consecutive snapshots, keyed by (namespace, name): one merge pass over
 * both sorted lists. The store keeps the very same object for unchanged content, so most
 * comparisons stop at identity; an object counts as modified when its content (resourceVersion
 * included) differs.
 */
public final class SnapshotDiff {

    private SnapshotDiff() {
    }

    public static List<Change> diff(Snapshot previous, Snapshot next) {
        List<Requests> before = previous.list(null);
        List<Requests> after = next.list(null);
        String deletedAt = Long.toString(next.resourceVersion());
        List<Change> changes = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < before.size() || j < after.size()) {
            int order = i == before.size() ? 1 : j == after.size() ? -1 : Snapshot.ORDER.compare(before.get(i), after.get(j));
            if (order < 0) {
                Requests gone = before.get(i++);
                changes.add(new Change(EventType.DELETED, gone.withResourceVersion(deletedAt), gone));
            } else if (order > 0) {
                changes.add(new Change(EventType.ADDED, after.get(j++), null));
            } else {
                Requests old = before.get(i++);
                Requests now = after.get(j++);
                if (old != now && !old.equals(now)) {
                    changes.add(new Change(EventType.MODIFIED, now, old));
                }
            }
        }
        return changes;
    }
}
