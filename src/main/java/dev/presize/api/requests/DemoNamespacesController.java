package dev.presize.api.requests;

import dev.presize.api.responses.MediaTypes;
import dev.presize.api.responses.WireJson;
import dev.presize.api.errors.ApiException;
import dev.presize.apimachinery.Names;
import dev.presize.recommendations.SnapshotStore;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NamespaceStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/**
 * Demo only: in a cluster kubectl reaches Presize through kube-apiserver, which also serves core
 * namespaces. After a 404 on a namespaced GET, kubectl asks {@code GET /api/v1/namespaces/<ns>}
 * and reports that answer if it is a 404 too (k8s.io/cli-runtime resource.Info.Get). The demo
 * stands in for the cluster, so it answers that one question for the namespaces it knows;
 * otherwise every missing object would read "the server could not find the requested resource".
 */
@Controller("/api/v1/namespaces")
@Produces(MediaType.ALL)
@Requires(property = "presize.demo", value = "true")
public class DemoNamespacesController {

    private final SnapshotStore store;
    private final WireJson json;

    public DemoNamespacesController(SnapshotStore store, WireJson json) {
        this.store = store;
        this.json = json;
    }

    @Get("/{name}")
    public HttpResponse<byte[]> get(String name) {
        Names.requireNamespace(name);
        if (store.current().list(name).isEmpty()) {
            throw ApiException.notFound("namespaces", "", name);
        }
        V1Namespace namespace = new V1Namespace().apiVersion("v1").kind("Namespace")
                .metadata(new V1ObjectMeta().name(name))
                .status(new V1NamespaceStatus().phase("Active"));
        return HttpResponse.ok(json.encode(namespace)).contentType(MediaTypes.APPLICATION_JSON);
    }
}
