package dev.presize.v1beta1;

/** A metav1.Condition-shaped status entry, e.g. {@code Stale}. Timestamps are RFC 3339 strings. */
public record Condition(String type, String status, String reason, String message, String lastTransitionTime) {
}
