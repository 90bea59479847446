package dev.presize.v1beta1;

import java.util.List;

/**
 * One {@code presize.dev/v1beta1} {@code Requests} object: the recommendation for one workload.
 * The shape is the wire contract (docs: api.md); field order here is the order on the wire.
 */
public record Requests(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        Target target,
        String timestamp,
        String window,
        ResourceAmounts resources,
        List<ContainerRequests> containers,
        ModelInfo model,
        List<Condition> conditions) {

    public static final String API_VERSION = "presize.dev/v1beta1";
    public static final String KIND = "Requests";

    public Requests {
        containers = List.copyOf(containers);
        conditions = conditions == null || conditions.isEmpty() ? null : List.copyOf(conditions);
    }

    public String namespace() {
        return metadata.namespace();
    }

    public String name() {
        return metadata.name();
    }

    public Requests withResourceVersion(String rv) {
        return new Requests(apiVersion, kind, metadata.withResourceVersion(rv), target, timestamp, window,
                resources, containers, model, conditions);
    }
}
