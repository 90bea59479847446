package dev.presize.api.tables;

import dev.presize.v1beta1.ObjectMeta;
import dev.presize.v1beta1.Requests;

/**
 * meta.k8s.io {@code PartialObjectMetadata}: an object reduced to its metadata, as served in Table
 * rows with {@code includeObject=Metadata} and for {@code as=PartialObjectMetadata} requests.
 */
public record PartialObjectMetadata(String kind, String apiVersion, ObjectMeta metadata) {

    public static final String KIND = "PartialObjectMetadata";

    /** @param groupVersion {@code meta.k8s.io/v1} or {@code meta.k8s.io/v1beta1}, the version the client asked for */
    public static PartialObjectMetadata of(Requests r, String groupVersion) {
        return new PartialObjectMetadata(KIND, groupVersion, r.metadata());
    }
}
