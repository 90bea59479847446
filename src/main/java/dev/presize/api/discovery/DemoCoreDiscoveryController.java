package dev.presize.api.discovery;

import dev.presize.api.responses.MediaTypes;
import dev.presize.api.responses.WireJson;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import io.kubernetes.client.openapi.models.V1APIVersions;
import io.kubernetes.client.openapi.models.V1ServerAddressByClientCIDR;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import java.util.List;

/**
 * The smallest core discovery a client reads before {@code /apis}: {@code /api} (the legacy
 * group's versions) and {@code /api/v1} (its resources). In a cluster these come from
 * kube-apiserver and the aggregator never sends them here; the demo stands in for the cluster, so
 * it serves them, with the one core resource it answers: {@code namespaces}, get only (see
 * {@code DemoNamespacesController}). Without them, clients that load the server's groups in order
 * (client-go's {@code ServerGroupsAndResources}) stop at a 404 on {@code /api}.
 */
@Controller("/api")
@Produces(MediaType.ALL)
@Requires(property = "presize.demo", value = "true")
public class DemoCoreDiscoveryController {

    private final byte[] resources;
    private final WireJson json;

    public DemoCoreDiscoveryController(WireJson json) {
        this.json = json;
        this.resources = json.encode(new V1APIResourceList().kind("APIResourceList").groupVersion("v1")
                .resources(List.of(new V1APIResource().name("namespaces").singularName("namespace")
                        .namespaced(false).kind("Namespace").verbs(List.of("get")).shortNames(List.of("ns")))));
    }

    /** serverAddressByClientCIDRs names the address the client used, as kube-apiserver's does for its clients. */
    @Get
    public HttpResponse<byte[]> versions(HttpRequest<?> request) {
        String host = request.getHeaders().get(HttpHeaders.HOST);
        if (host == null || host.isBlank()) {
            host = request.getServerAddress().getHostString() + ":" + request.getServerAddress().getPort();
        }
        V1APIVersions versions = new V1APIVersions().kind("APIVersions").versions(List.of("v1"))
                .serverAddressByClientCIDRs(List.of(new V1ServerAddressByClientCIDR().clientCIDR("0.0.0.0/0")
                        .serverAddress(host)));
        return HttpResponse.ok(json.encode(versions)).contentType(MediaTypes.APPLICATION_JSON);
    }

    @Get("/v1")
    public HttpResponse<byte[]> v1() {
        return HttpResponse.ok(resources).contentType(MediaTypes.APPLICATION_JSON);
    }
}
