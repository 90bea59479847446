package dev.presize.api.responses;

import dev.presize.api.errors.ApiException;

import dev.presize.api.responses.AcceptNegotiator;
import dev.presize.api.responses.MediaTypes;
import dev.presize.api.responses.WireJson;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusDetails;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

/**
 * The one place that turns a failure into the {@code metav1.Status} body a Kubernetes client
 * expects (k8s.io/apimachinery/pkg/api/errors), so clients can branch on {@code reason} and
 * kubectl prints its usual "Error from server (NotFound): ..." line.
 */
@Singleton
public class StatusErrors {

    private final WireJson json;

    public StatusErrors(WireJson json) {
        this.json = json;
    }

    public V1Status toStatus(ApiException e) {
        V1Status status = new V1Status()
                .kind("Status")
                .apiVersion("v1")
                .metadata(new V1ListMeta())
                .status("Failure")
                .message(e.getMessage())
                .reason(e.reason())
                .code(e.code());
        if (e.detailName() != null || e.detailKind() != null) {
            V1StatusDetails details = new V1StatusDetails().name(e.detailName()).group(e.detailGroup())
                    .kind(e.detailKind());
            if (e.retryAfterSeconds() != null) {
                details.retryAfterSeconds(e.retryAfterSeconds());
            }
            status.details(details);
        } else if (e.retryAfterSeconds() != null) {
            status.details(new V1StatusDetails().retryAfterSeconds(e.retryAfterSeconds()));
        }
        return status;
    }

    public MutableHttpResponse<byte[]> response(ApiException e) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(HttpStatus.valueOf(e.code()))
                .contentType(MediaTypes.APPLICATION_JSON)
                .body(json.encode(toStatus(e)));
        if (e.retryAfterSeconds() != null) {
            response.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        return response;
    }

    /**
     * Netty refuses an over-long request line or header block before any route runs, and
     * Micronaut answers both as 413. kube-apiserver (Go's net/http, 1 MiB of headers) answers them
     * {@code 431 Request Header Fields Too Large}, which says what to fix; so does Presize.
     */
    public static java.util.Optional<ApiException> fromDecoderFailure(Throwable cause) {
        if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
            return java.util.Optional.of(new ApiException(431, "RequestHeaderFieldsTooLarge",
                    "the request headers are too large: " + cause.getMessage(), null, null, null));
        }
        if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
            return java.util.Optional.of(new ApiException(431, "RequestHeaderFieldsTooLarge",
                    "the request line (method and URL) is too long: " + cause.getMessage(), null, null, null));
        }
        return java.util.Optional.empty();
    }

    /**
     * Maps a status Micronaut produced itself (no route, wrong method, unreadable request) to the
     * reason and wording kube-apiserver uses for the same situation.
     */
    public static ApiException fromHttpStatus(int code, String micronautMessage) {
        return switch (code) {
            case 400 -> ApiException.badRequest(micronautMessage == null || micronautMessage.isBlank()
                    ? "the server rejected our request for an unknown reason" : micronautMessage);
            case 404 -> ApiException.pathNotFound();
            case 405 -> ApiException.methodNotAllowed("", null);
            case 406 -> AcceptNegotiator.notAcceptable();
            case 413, 431 -> new ApiException(code, "RequestEntityTooLarge",
                    code == 431 ? "the request headers are too large" : "the request is too large", null, null, null);
            case 415 -> ApiException.unsupportedMediaType("the body of the request was in an unknown format");
            case 429 -> new ApiException(429, "TooManyRequests", "too many requests, please try again later", null, null, 1);
            case 503 -> new ApiException(503, "ServiceUnavailable", "the server is currently unable to handle the request", null, null, null);
            case 504 -> new ApiException(504, "Timeout", "the server was unable to return a response in the time allotted", null, null, null);
            default -> code >= 500
                    ? new ApiException(500, "InternalError", "an error on the server prevented the request from succeeding", null, null, null)
                    : new ApiException(code, "BadRequest", micronautMessage == null ? "bad request" : micronautMessage, null, null, null);
        };
    }
}
