package dev.presize.recommendations;

/** The workload a {@link Requests} object is about (its top-level controller). */
public record Target(String apiVersion, String kind, String name) {
}
