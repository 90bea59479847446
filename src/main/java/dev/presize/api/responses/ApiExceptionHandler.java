package dev.presize.api.responses;

import dev.presize.api.errors.ApiException;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Renders an {@link ApiException} thrown anywhere in request handling as its {@code Status}. */
@Singleton
@Requires(classes = {ApiException.class, ExceptionHandler.class})
public class ApiExceptionHandler implements ExceptionHandler<ApiException, HttpResponse<byte[]>> {

    private final StatusErrors errors;

    public ApiExceptionHandler(StatusErrors errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<byte[]> handle(HttpRequest request, ApiException exception) {
        return errors.response(exception);
    }
}
