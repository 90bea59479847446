package dev.presize.api.responses;

import dev.presize.api.errors.ApiException;

import dev.presize.api.responses.MediaTypes;
import dev.presize.api.responses.WireJson;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/**
 * Replaces Micronaut's JSON/HTML error bodies: every error Micronaut raises on its own (no route,
 * method not allowed, malformed request, too large) leaves the server as a {@code metav1.Status},
 * never as Micronaut's own error document or a stack trace.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class StatusErrorResponseProcessor implements ErrorResponseProcessor<byte[]> {

    private final StatusErrors errors;
    private final WireJson json;

    public StatusErrorResponseProcessor(StatusErrors errors, WireJson json) {
        this.errors = errors;
        this.json = json;
    }

    @Override
    public MutableHttpResponse<byte[]> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        ApiException e = context.getRootCause()
                .filter(ApiException.class::isInstance)
                .map(ApiException.class::cast)
                .or(() -> decoderFailure(context).flatMap(StatusErrors::fromDecoderFailure))
                .orElseGet(() -> StatusErrors.fromHttpStatus(response.code(), firstMessage(context)));
        @SuppressWarnings("unchecked")
        MutableHttpResponse<byte[]> typed = (MutableHttpResponse<byte[]>) response;
        typed.status(e.code());
        typed.contentType(MediaTypes.APPLICATION_JSON);
        if (e.retryAfterSeconds() != null) {
            typed.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        if (e.code() == 413) {
            // The rest of a body that is too large is never read, so over HTTP/1.1 the connection
            // cannot carry another request: close it, as Go's net/http does, instead of leaving a
            // client that writes its whole body before reading blocked forever on a connection
            // nobody reads. (HTTP/2 drops this header; its streams are reset instead.)
            typed.header("Connection", "close");
        }
        return typed.body(json.encode(errors.toStatus(e)));
    }

    /**
     * Why Netty could not decode the request (an over-long request line or header block). Micronaut
     * answers that with a bare 413 and no cause; the cause is on the request Netty built.
     */
    private static java.util.Optional<Throwable> decoderFailure(ErrorContext context) {
        if (context.getRequest() instanceof io.micronaut.http.server.netty.NettyHttpRequest<?> netty
                && netty.getNativeRequest().decoderResult().isFailure()) {
            return java.util.Optional.ofNullable(netty.getNativeRequest().decoderResult().cause());
        }
        return java.util.Optional.empty();
    }

    /** Micronaut's messages for 400s are safe to show (they name the bad parameter); others are replaced. */
    private static String firstMessage(ErrorContext context) {
        return context.getErrors().stream().map(Error::getMessage).findFirst().orElse(null);
    }
}
