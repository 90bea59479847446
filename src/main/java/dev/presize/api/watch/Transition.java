package dev.presize.api.watch;

import java.util.List;

/**
 * What one snapshot swap changed. Every change carries {@code toVersion}, the resourceVersion of
 * the snapshot swapped in, since the store stamps changed objects with it. Immutable and shared by
 * the history and every watcher that has it queued.
 */
public record Transition(long fromVersion, long toVersion, List<Change> changes) {

    public Transition {
        changes = List.copyOf(changes);
    }
}
