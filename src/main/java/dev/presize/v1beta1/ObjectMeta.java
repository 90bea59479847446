package dev.presize.v1beta1;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The subset of metav1.ObjectMeta a {@link Requests} object carries. A record rather than the
 * client's mutable {@code V1ObjectMeta} because snapshot objects are shared by every concurrent
 * reader and must never change after publication. Timestamps are RFC 3339 strings, formatted once.
 */
public record ObjectMeta(
        String name,
        String namespace,
        String creationTimestamp,
        Map<String, String> labels,
        String resourceVersion) {

    public ObjectMeta {
        // Sorted, not Map.copyOf: that map's iteration order is randomized per JVM, and replicas must
        // serialize identical objects byte for byte (api.md).
        labels = labels == null || labels.isEmpty() ? null : Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public ObjectMeta withResourceVersion(String rv) {
        return new ObjectMeta(name, namespace, creationTimestamp, labels, rv);
    }
}
