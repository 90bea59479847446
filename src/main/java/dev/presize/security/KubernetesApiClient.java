package dev.presize.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A deliberately small client for the few Kubernetes API calls delegated authentication and
 * authorization make (POST a review, GET and watch one ConfigMap). Every call has a hard deadline
 * for the whole answer, not only for the connection, and every way a call can go wrong (refused,
 * slow, TLS, a non-2xx status) is one {@link KubernetesApiException}, so callers can fail closed
 * in one place.
 */
public final class KubernetesApiClient {

    /** The status and body of a 2xx answer. */
    public record Response(int status, byte[] body) {
    }

    private final KubernetesApiConfig config;
    private final HttpClient http;

    public KubernetesApiClient(KubernetesApiConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(config.ssl())
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public KubernetesApiConfig config() {
        return config;
    }

    public Response get(String path, Duration timeout) throws KubernetesApiException {
        return send(request(path, timeout).GET().build(), timeout);
    }

    public Response post(String path, byte[] json, Duration timeout) throws KubernetesApiException {
        return send(request(path, timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), timeout);
    }

    /**
     * Streams a watch: each line of the answer (one JSON event) goes to {@code onLine} until the
     * server ends the stream. {@code connectTimeout} bounds only the wait for the response headers.
     * Blocks; interrupting the calling thread ends it.
     */
    public void watch(String path, Duration connectTimeout, Consumer<String> onLine) throws KubernetesApiException, InterruptedException {
        HttpRequest req = request(path, null).GET().build();
        CompletableFuture<HttpResponse<InputStream>> future = http.sendAsync(req, HttpResponse.BodyHandlers.ofInputStream());
        HttpResponse<InputStream> response;
        try {
            response = future.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new KubernetesApiException("GET " + path + ": no answer within " + connectTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new KubernetesApiException("GET " + path + ": " + describe(e.getCause()));
        }
        try (InputStream in = response.body();
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            if (response.statusCode() / 100 != 2) {
                throw new KubernetesApiException("GET " + path + ": HTTP " + response.statusCode());
            }
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                if (!line.isBlank()) {
                    onLine.accept(line);
                }
            }
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            throw new KubernetesApiException("GET " + path + ": the watch stream broke: " + describe(e));
        }
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(config.server().resolve(path))
                .header("Accept", "application/json")
                .header("User-Agent", "presize");
        if (timeout != null) {
            b.timeout(timeout);
        }
        config.bearerToken().get().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private Response send(HttpRequest req, Duration timeout) throws KubernetesApiException {
        String what = req.method() + " " + req.uri().getRawPath();
        // get() with a deadline bounds the whole exchange, body included; the request's own
        // timeout alone would stop at the response headers.
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new KubernetesApiException(what + ": no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new KubernetesApiException(what + ": interrupted");
        } catch (ExecutionException e) {
            throw new KubernetesApiException(what + ": " + describe(e.getCause()));
        }
        if (response.statusCode() / 100 != 2) {
            throw new KubernetesApiException(what + ": HTTP " + response.statusCode());
        }
        return new Response(response.statusCode(), response.body());
    }

    private static String describe(Throwable t) {
        return t == null ? "failed" : t.getMessage() == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
