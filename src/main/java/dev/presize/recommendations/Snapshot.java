package dev.presize.recommendations;

import dev.presize.v1beta1.Requests;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable, complete set of {@link Requests} objects as produced by one refresh. Readers take
 * a reference to one snapshot and see a consistent view for the whole request, however long it
 * takes; the store swaps in a new snapshot as a whole.
 *
 * <p>Objects are ordered by namespace, then name: the order kube-apiserver lists in (its storage
 * keys are {@code /<namespace>/<name>}), which also makes {@code continue} tokens a simple "after
 * this key".
 */
public final class Snapshot {

    /** Sort key order used for lists and for continue tokens. */
    public static final Comparator<Requests> ORDER =
            Comparator.comparing(Requests::namespace).thenComparing(Requests::name);

    private static final Snapshot EMPTY = new Snapshot(0, List.of());

    private final long resourceVersion;
    private final List<Requests> all;
    private final Map<String, NavigableMap<String, Requests>> byNamespace;
    /** Each namespace's objects as a ready list, built once, so a namespaced list copies nothing. */
    private final Map<String, List<Requests>> listByNamespace;

    private Snapshot(long resourceVersion, List<Requests> objects) {
        this.resourceVersion = resourceVersion;
        List<Requests> sorted = new ArrayList<>(objects);
        sorted.sort(ORDER);
        this.all = Collections.unmodifiableList(sorted);
        Map<String, NavigableMap<String, Requests>> index = new TreeMap<>();
        for (Requests r : sorted) {
            Requests previous = index.computeIfAbsent(r.namespace(), ns -> new TreeMap<>()).put(r.name(), r);
            if (previous != null) {
                throw new IllegalArgumentException("duplicate object " + r.namespace() + "/" + r.name());
            }
        }
        Map<String, List<Requests>> lists = new TreeMap<>();
        index.forEach((ns, m) -> lists.put(ns, List.copyOf(m.values())));
        index.replaceAll((ns, m) -> Collections.unmodifiableNavigableMap(m));
        this.byNamespace = Collections.unmodifiableMap(index);
        this.listByNamespace = Collections.unmodifiableMap(lists);
    }

    public static Snapshot empty() {
        return EMPTY;
    }

    /** Every object already carries its final resourceVersion. */
    public static Snapshot of(long resourceVersion, List<Requests> objects) {
        return new Snapshot(resourceVersion, objects);
    }

    /** The list resourceVersion: the newest refresh that produced this snapshot (0 before the first). */
    public long resourceVersion() {
        return resourceVersion;
    }

    public Optional<Requests> get(String namespace, String name) {
        NavigableMap<String, Requests> ns = byNamespace.get(namespace);
        return ns == null ? Optional.empty() : Optional.ofNullable(ns.get(name));
    }

    /** All objects of one namespace, or of all namespaces when {@code namespace} is null; sorted. */
    public List<Requests> list(String namespace) {
        if (namespace == null) {
            return all;
        }
        return listByNamespace.getOrDefault(namespace, List.of());
    }

    public int size() {
        return all.size();
    }
}
