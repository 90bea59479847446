package dev.presize.model;

/**
 * A recommendation for one container. A container with usage history of only one resource gets a
 * recommendation for that one: the other side of requests and bounds is NaN (not recommended).
 *
 * @param requests   what to request
 * @param lowerBound below this the container is likely starved
 * @param upperBound above this the request is likely waste
 * @param confidence 0..1, how far the history supports the numbers
 * @param samples    how many samples it was computed from
 * @param model      which model produced it when not the strategy's own (a fallback); else null
 */
public record Recommendation(Resources requests, Resources lowerBound, Resources upperBound, double confidence,
                             long samples, String model) {

    public Recommendation(Resources requests, Resources lowerBound, Resources upperBound, double confidence,
                          long samples) {
        this(requests, lowerBound, upperBound, confidence, samples, null);
    }
}
