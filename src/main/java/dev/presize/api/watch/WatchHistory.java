package dev.presize.api.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last few snapshot transitions, so a watch can resume from a resourceVersion a client saw
 * earlier (a reconnect after a timeout, or a list followed by a watch) instead of listing again.
 * Bounded by a number of transitions: with a refresh every 15 minutes a handful covers any
 * reconnect, and each transition only references objects. A version older than what is kept is
 * {@code 410 Gone}, as kube-apiserver's watch cache answers ({@code watchCache.getAllEventsSinceLocked}).
 *
 * <p>Not thread-safe: the hub guards it.
 */
final class WatchHistory {

    /** Either the transitions after a version, or the reason it is too old. */
    record Replay(List<Transition> transitions, String expired) {
        boolean isExpired() {
            return expired != null;
        }
    }

    private final int capacity;
    private final ArrayDeque<Transition> transitions = new ArrayDeque<>();
    /** The version of the newest snapshot recorded. */
    private long latest;
    /** The oldest version a watch can resume from while no transition is kept. */
    private long floor;

    /**
     * @param capacity how many transitions to keep
     * @param start    the version of the snapshot the history starts at: the oldest a watch can resume from
     */
    WatchHistory(int capacity, long start) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.latest = start;
        this.floor = start;
    }

    void record(Transition t) {
        if (t.fromVersion() == 0 || t.toVersion() < t.fromVersion()
                || (t.toVersion() == t.fromVersion() && !t.changes().isEmpty())) {
            // From the empty start-up snapshot (version 0 means "any" to clients, so nobody can
            // resume from it), or a swap that did not move the version forward (the store prevents
            // this, but a client holding the old version could not be told apart): nothing before
            // this snapshot can be resumed from.
            transitions.clear();
            latest = t.toVersion();
            floor = latest;
            return;
        }
        transitions.addLast(t);
        latest = t.toVersion();
        while (transitions.size() > capacity) {
            floor = transitions.removeFirst().toVersion();
        }
    }

    /** The oldest resourceVersion a watch can start from. */
    long oldest() {
        return transitions.isEmpty() ? floor : transitions.peekFirst().fromVersion();
    }

    long latest() {
        return latest;
    }

    /**
     * Everything after {@code version}: the transitions to a newer snapshot. A version newer than
     * the latest one (another replica's, a refresh ahead of this one) replays nothing.
     */
    Replay after(long version) {
        long oldest = oldest();
        if (version < oldest) {
            return new Replay(List.of(), "too old resource version: " + version + " (" + oldest + ")");
        }
        List<Transition> out = new ArrayList<>();
        for (Transition t : transitions) {
            if (t.toVersion() > version) {
                out.add(t);
            }
        }
        return new Replay(out, null);
    }

    int size() {
        return transitions.size();
    }
}
