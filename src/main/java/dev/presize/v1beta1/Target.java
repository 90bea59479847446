package dev.presize.v1beta1;

/** The workload a {@link Requests} object is about (its top-level controller). */
public record Target(String apiVersion, String kind, String name) {
}
