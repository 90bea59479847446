package dev.presize.api.version;

import dev.presize.api.responses.MediaTypes;
import dev.presize.api.responses.WireJson;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/**
 * {@code GET /version}, as every k8s.io/apiserver-based server serves it (metrics-server
 * included): client-go's {@code DiscoveryClient.ServerVersion} and {@code kubectl version} read it
 * before anything else. Like kube-apiserver's handler it answers JSON whatever the Accept header
 * says. In a cluster it is authorized like any non-resource path (the default
 * {@code system:public-info-viewer} ClusterRole grants it to everyone).
 */
@Controller
@Produces(MediaType.ALL)
public class VersionController {

    private final byte[] body;

    public VersionController(WireJson json) {
        this.body = json.encode(VersionInfo.ofThisBuild());
    }

    @Get("/version")
    public HttpResponse<byte[]> version() {
        return HttpResponse.ok(body).contentType(MediaTypes.APPLICATION_JSON);
    }
}
