package dev.presize.api.requests;

import dev.presize.v1beta1.RequestsResource;
import dev.presize.v1beta1.Requests;
import io.kubernetes.client.openapi.models.V1ListMeta;

import java.util.List;

/** {@code RequestsList}: the list kind for {@code requests}, as on the wire. */
public record RequestsList(String apiVersion, String kind, V1ListMeta metadata, List<Requests> items) {

    public static RequestsList of(V1ListMeta metadata, List<Requests> items) {
        return new RequestsList(RequestsResource.GROUP_VERSION, RequestsResource.LIST_KIND, metadata, items);
    }
}
