package dev.presize.api.responses;

import com.google.gson.Gson;
import io.kubernetes.client.openapi.JSON;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

/**
 * Encodes everything Presize puts on the wire. It starts from the official Kubernetes client's
 * Gson configuration, so its own model classes ({@code V1Status}, {@code V1APIResourceList}, ...)
 * are written exactly as the client reads them back (RFC 3339 times, quantities, omitted nulls),
 * and Presize's records go through the same encoder. HTML escaping is off because Go's
 * apiserver output does not escape {@code =} in selectors and names.
 */
@Singleton
public class WireJson {

    private final Gson gson = JSON.getGson().newBuilder().disableHtmlEscaping().create();

    public byte[] encode(Object value) {
        return gson.toJson(value).getBytes(StandardCharsets.UTF_8);
    }

    public String encodeToString(Object value) {
        return gson.toJson(value);
    }

    public Gson gson() {
        return gson;
    }
}
