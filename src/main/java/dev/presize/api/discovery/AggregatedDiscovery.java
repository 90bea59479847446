package dev.presize.api.discovery;

import java.util.List;
import java.util.Map;

/**
 * apidiscovery.k8s.io {@code APIGroupDiscoveryList} (v2 and v2beta1 share the shape). The official
 * Java client 22 has no model for it, so these records mirror
 * k8s.io/api/apidiscovery/v2/types.go field for field.
 */
public final class AggregatedDiscovery {

    private AggregatedDiscovery() {
    }

    public record GroupDiscoveryList(String kind, String apiVersion, Map<String, Object> metadata,
                                     List<GroupDiscovery> items) {
    }

    public record GroupDiscovery(Metadata metadata, List<VersionDiscovery> versions) {
    }

    public record Metadata(String name) {
    }

    public record VersionDiscovery(String version, List<ResourceDiscovery> resources, String freshness) {
    }

    public record ResourceDiscovery(String resource, GroupVersionKind responseKind, String scope,
                                    String singularResource, List<String> verbs, List<String> shortNames,
                                    List<String> categories) {
    }

    public record GroupVersionKind(String group, String version, String kind) {
    }
}
