package dev.presize.api.watch;

/** The {@code type} of a {@code metav1.WatchEvent}, as k8s.io/apimachinery/pkg/watch names them. */
public enum EventType {
    ADDED, MODIFIED, DELETED, BOOKMARK, ERROR
}
