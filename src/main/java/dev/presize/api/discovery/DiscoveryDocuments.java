package dev.presize.api.discovery;

import dev.presize.api.responses.MediaTypes;
import dev.presize.v1beta1.RequestsResource;
import dev.presize.api.responses.WireJson;
import io.kubernetes.client.openapi.models.V1APIGroup;
import io.kubernetes.client.openapi.models.V1APIGroupList;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import io.kubernetes.client.openapi.models.V1GroupVersionForDiscovery;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The discovery documents. They never change while the process runs, so they are encoded once at
 * start: the aggregator's availability check ({@code GET /apis/presize.dev/v1beta1}) then costs a
 * byte copy and cannot be slowed by anything else the server is doing.
 */
@Singleton
public class DiscoveryDocuments {

    /** An encoded document and its strong ETag (quoted, as kube-apiserver sends it). */
    public record Encoded(byte[] body, String contentType, String etag) {
    }

    private final Encoded groupList;
    private final Encoded group;
    private final Encoded resourceList;
    private final Encoded aggregatedV2;
    private final Encoded aggregatedV2beta1;

    public DiscoveryDocuments(WireJson json) {
        V1GroupVersionForDiscovery version = new V1GroupVersionForDiscovery()
                .groupVersion(RequestsResource.GROUP_VERSION)
                .version(RequestsResource.VERSION);
        V1APIGroup apiGroup = new V1APIGroup()
                .kind("APIGroup")
                .apiVersion("v1")
                .name(RequestsResource.GROUP)
                .versions(List.of(version))
                .preferredVersion(version);
        this.group = encode(json, apiGroup, MediaTypes.APPLICATION_JSON);
        this.groupList = encode(json, new V1APIGroupList().kind("APIGroupList").apiVersion("v1")
                .groups(List.of(apiGroup)), MediaTypes.APPLICATION_JSON);
        V1APIResource resource = new V1APIResource()
                .name(RequestsResource.RESOURCE)
                .singularName(RequestsResource.SINGULAR)
                .namespaced(true)
                .kind(RequestsResource.KIND)
                .verbs(RequestsResource.VERBS)
                .shortNames(RequestsResource.SHORT_NAMES)
                .categories(RequestsResource.CATEGORIES);
        this.resourceList = encode(json, new V1APIResourceList().kind("APIResourceList").apiVersion("v1")
                .groupVersion(RequestsResource.GROUP_VERSION)
                .resources(List.of(resource)), MediaTypes.APPLICATION_JSON);
        this.aggregatedV2 = encode(json, aggregated("apidiscovery.k8s.io/v2"), MediaTypes.DISCOVERY_V2);
        this.aggregatedV2beta1 = encode(json, aggregated("apidiscovery.k8s.io/v2beta1"), MediaTypes.DISCOVERY_V2BETA1);
    }

    private static AggregatedDiscovery.GroupDiscoveryList aggregated(String apiVersion) {
        var resource = new AggregatedDiscovery.ResourceDiscovery(
                RequestsResource.RESOURCE,
                new AggregatedDiscovery.GroupVersionKind(RequestsResource.GROUP, RequestsResource.VERSION,
                        RequestsResource.KIND),
                "Namespaced",
                RequestsResource.SINGULAR,
                RequestsResource.VERBS,
                RequestsResource.SHORT_NAMES,
                RequestsResource.CATEGORIES);
        var version = new AggregatedDiscovery.VersionDiscovery(RequestsResource.VERSION, List.of(resource), "Current");
        var group = new AggregatedDiscovery.GroupDiscovery(new AggregatedDiscovery.Metadata(RequestsResource.GROUP),
                List.of(version));
        return new AggregatedDiscovery.GroupDiscoveryList("APIGroupDiscoveryList", apiVersion, Map.of(), List.of(group));
    }

    private static Encoded encode(WireJson json, Object document, String contentType) {
        byte[] body = json.encode(document);
        return new Encoded(body, contentType, etagOf(body));
    }

    /** kube-apiserver's discovery ETag is a hash of the serialized document, so equal documents share it. */
    public static String etagOf(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    public Encoded groupList() {
        return groupList;
    }

    public Encoded group() {
        return group;
    }

    public Encoded resourceList() {
        return resourceList;
    }

    public Encoded aggregatedV2() {
        return aggregatedV2;
    }

    public Encoded aggregatedV2beta1() {
        return aggregatedV2beta1;
    }

    static String utf8(Encoded e) {
        return new String(e.body(), StandardCharsets.UTF_8);
    }
}
