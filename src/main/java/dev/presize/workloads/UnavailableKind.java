package dev.presize.workloads;

import java.time.Instant;
import java.util.Objects;

/**
 * A kind an owner chain can pass through that Presize could not list, as it affects a workload:
 * the workload was resolved without it (its owner chain stops at the deepest owner that could be
 * read), so its served object says so in a {@code WorkloadKindUnavailable} condition (api.md).
 *
 * @param resource     the resource, plural as in the URL, e.g. {@code cronjobs}
 * @param groupVersion where it was looked for, e.g. {@code batch/v1} ({@code v1} for the core group)
 * @param reason       {@code NotServed} (404 or absent from discovery), {@code Forbidden} (403) or
 *                     {@code ListFailed} (anything else: no answer, 5xx, 401)
 * @param cause        the failure in words, naming the URL, e.g.
 *                     {@code GET https://10.0.0.1/apis/batch/v1/cronjobs: HTTP 403 from the API server: ...}
 * @param since        the first refresh that found it unavailable (the condition's lastTransitionTime)
 */
public record UnavailableKind(String resource, String groupVersion, String reason, String cause, Instant since) {

    public static final String NOT_SERVED = "NotServed";
    public static final String FORBIDDEN = "Forbidden";
    public static final String LIST_FAILED = "ListFailed";

    public UnavailableKind {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(groupVersion, "groupVersion");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(since, "since");
    }

    /** The reason for a failed list's HTTP status (0: no answer). */
    public static String reasonFor(int httpStatus) {
        return switch (httpStatus) {
            case 404 -> NOT_SERVED;
            case 403 -> FORBIDDEN;
            default -> LIST_FAILED;
        };
    }
}
