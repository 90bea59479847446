package dev.presize.api.watch;

import dev.presize.v1beta1.Requests;

/**
 * One object's change between two consecutive snapshots, as every watcher sees it before its own
 * selectors are applied. Carries the previous state too, because a watcher whose selector matched
 * the old object but not the new one must see a DELETED event, and one that matches only the new
 * object an ADDED event (k8s.io/apiserver's {@code cacheWatcher.convertToWatchEvent}).
 *
 * @param type     ADDED, MODIFIED or DELETED
 * @param object   the new state; for DELETED the last state, with the resourceVersion of the
 *                 snapshot that removed it (kube stamps deletions with the deletion's version)
 * @param previous the state before the change; null for ADDED
 */
public record Change(EventType type, Requests object, Requests previous) {

    public Change {
        if (type != EventType.ADDED && type != EventType.MODIFIED && type != EventType.DELETED) {
            throw new IllegalArgumentException("a change is ADDED, MODIFIED or DELETED, not " + type);
        }
    }
}
