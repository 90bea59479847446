package dev.presize.api.openapi;

import com.google.gson.reflect.TypeToken;
import dev.presize.v1beta1.RequestsResource;
import dev.presize.api.responses.WireJson;
import dev.presize.api.discovery.DiscoveryDocuments;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAPI v2 and v3 documents for {@code presize.dev/v1beta1}: what {@code kubectl explain} reads
 * and what kube-apiserver's aggregator merges into the cluster's spec. The schemas are written
 * once, v3-style, in {@code openapi/schemas.json}; the v2 document is derived from them the way
 * kube-openapi does ({@code allOf: [$ref]} becomes a plain {@code $ref}), so the two cannot drift.
 * Both are built and encoded once at start.
 */
@Singleton
public class OpenApiDocuments {

    private static final String V3_PREFIX = "#/components/schemas/";
    private static final String V2_PREFIX = "#/definitions/";

    private final DiscoveryDocuments.Encoded v2;
    private final DiscoveryDocuments.Encoded v3GroupVersion;
    private final DiscoveryDocuments.Encoded v3Root;

    public OpenApiDocuments(WireJson json) {
        Map<String, Object> schemas = loadSchemas(json);
        Map<String, Object> v3 = new LinkedHashMap<>();
        v3.put("openapi", "3.0.0");
        v3.put("info", Map.of("title", "Presize", "version", RequestsResource.VERSION));
        v3.put("paths", Paths.v3(V3_PREFIX));
        v3.put("components", Map.of("schemas", schemas));
        this.v3GroupVersion = encode(json, v3);

        Map<String, Object> v2 = new LinkedHashMap<>();
        v2.put("swagger", "2.0");
        v2.put("info", Map.of("title", "Presize", "version", RequestsResource.VERSION));
        v2.put("paths", toV2(Paths.v3(V3_PREFIX)));
        v2.put("definitions", toV2(schemas));
        this.v2 = encode(json, v2);

        // The root lists each group-version with a content hash, as kube-apiserver's /openapi/v3
        // does; clients use the hash to cache the per-group document.
        String hash = v3GroupVersion.etag().replace("\"", "");
        Map<String, Object> root = Map.of("paths", Map.of(
                "apis/" + RequestsResource.GROUP_VERSION,
                Map.of("serverRelativeURL", "/openapi/v3/apis/" + RequestsResource.GROUP_VERSION + "?hash=" + hash)));
        this.v3Root = encode(json, root);
    }

    public DiscoveryDocuments.Encoded v2() {
        return v2;
    }

    public DiscoveryDocuments.Encoded v3Root() {
        return v3Root;
    }

    public DiscoveryDocuments.Encoded v3GroupVersion() {
        return v3GroupVersion;
    }

    private static Map<String, Object> loadSchemas(WireJson json) {
        try (InputStream in = OpenApiDocuments.class.getResourceAsStream("/openapi/schemas.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi/schemas.json is missing from the jar");
            }
            return json.gson().fromJson(new InputStreamReader(in, StandardCharsets.UTF_8),
                    new TypeToken<LinkedHashMap<String, Object>>() { }.getType());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites a v3 schema tree for Swagger 2.0: {@code allOf:[{$ref}]} → {@code $ref}, refs re-pointed. */
    @SuppressWarnings("unchecked")
    static Object toV2(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            Object allOf = map.get("allOf");
            if (allOf instanceof List<?> list && list.size() == 1 && list.get(0) instanceof Map<?, ?> only
                    && only.containsKey("$ref")) {
                map.forEach((k, v) -> {
                    if (!k.equals("allOf") && !k.equals("default")) {
                        out.put((String) k, toV2(v));
                    }
                });
                out.put("$ref", toV2(only.get("$ref")));
                return out;
            }
            map.forEach((k, v) -> out.put((String) k, toV2(v)));
            if (out.containsKey("content") && out.get("content") instanceof Map<?, ?> content) {
                // responses: v3 {content: {application/json: {schema}}} → v2 {schema}
                Object json = content.get("application/json");
                out.remove("content");
                if (json instanceof Map<?, ?> media) {
                    out.put("schema", media.get("schema"));
                }
            }
            if (out.containsKey("schema") && out.containsKey("in")) {
                // parameters: v3 {schema: {type}} → v2 {type}
                Map<String, Object> schema = (Map<String, Object>) out.remove("schema");
                out.putAll(schema);
            }
            return out;
        }
        if (node instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(toV2(v)));
            return out;
        }
        if (node instanceof String s && s.startsWith(V3_PREFIX)) {
            return V2_PREFIX + s.substring(V3_PREFIX.length());
        }
        return node;
    }

    private static DiscoveryDocuments.Encoded encode(WireJson json, Object doc) {
        byte[] body = json.encode(doc);
        return new DiscoveryDocuments.Encoded(body, "application/json", DiscoveryDocuments.etagOf(body));
    }
}
