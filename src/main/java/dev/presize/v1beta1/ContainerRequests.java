package dev.presize.v1beta1;

/** The recommendation for one container of a workload, as served. {@code current} may be null. */
public record ContainerRequests(
        String name,
        ResourceAmounts requests,
        ResourceAmounts lowerBound,
        ResourceAmounts upperBound,
        ResourceAmounts current) {
}
