package dev.presize.api.errors;

/**
 * A failure a client is meant to see, carried to the single place that renders every error as a
 * {@code metav1.Status} (see {@code StatusErrors}). Reasons and codes follow k8s.io/apimachinery's
 * {@code StatusReason} constants; message wording follows kube-apiserver's so scripts that match on
 * it keep working.
 */
public class ApiException extends RuntimeException {

    private final int code;
    private final String reason;
    private final String detailName;
    private final String detailGroup;
    private final String detailKind;
    private final Integer retryAfterSeconds;

    public ApiException(int code, String reason, String message, String detailName, String detailKind,
                        Integer retryAfterSeconds) {
        this(code, reason, message, detailName, null, detailKind, retryAfterSeconds);
    }

    public ApiException(int code, String reason, String message, String detailName, String detailGroup,
                        String detailKind, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.detailName = detailName;
        this.detailGroup = detailGroup;
        this.detailKind = detailKind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null, null, null);
    }

    /** {@code requests.presize.dev "NAME" not found}, details {name, group, kind} as kube-apiserver writes them. */
    public static ApiException notFound(String resource, String group, String name) {
        String qualified = group.isEmpty() ? resource : resource + "." + group;
        return new ApiException(404, "NotFound", qualified + " \"" + name + "\" not found", name,
                group.isEmpty() ? null : group, resource, null);
    }

    /** A path that is not served at all (no such route): kube-apiserver answers a bare 404 NotFound. */
    public static ApiException pathNotFound() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", null, null, null);
    }

    public static ApiException methodNotAllowed(String method, String resource) {
        String message = resource == null
                ? "the server does not allow this method on the requested resource"
                : method.toUpperCase(java.util.Locale.ROOT) + " is not supported on resources of kind \"" + resource + "\"";
        return new ApiException(405, "MethodNotAllowed", message, null, resource, null);
    }

    public static ApiException notAcceptable(String message) {
        return new ApiException(406, "NotAcceptable", message, null, null, null);
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, "UnsupportedMediaType", message, null, null, null);
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public String detailName() {
        return detailName;
    }

    public String detailGroup() {
        return detailGroup;
    }

    public String detailKind() {
        return detailKind;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
