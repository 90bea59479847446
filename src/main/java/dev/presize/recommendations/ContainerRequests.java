package dev.presize.recommendations;

/** The recommendation for one container of a workload, as served. {@code current} may be null. */
public record ContainerRequests(
        String name,
        ResourceAmounts requests,
        ResourceAmounts lowerBound,
        ResourceAmounts upperBound,
        ResourceAmounts current) {
}
