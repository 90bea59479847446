package dev.presize.api.discovery;

import dev.presize.api.responses.AcceptNegotiator;
import dev.presize.api.responses.MediaTypes;
import dev.presize.api.responses.YamlRenderer;
import dev.presize.v1beta1.RequestsResource;
import dev.presize.api.openapi.OpenApiDocuments;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

import java.util.Map;

/**
 * Discovery and OpenAPI endpoints. All documents are precomputed; each request only negotiates
 * the representation and copies bytes, which keeps the aggregator's 5-second availability check
 * independent of anything else the server does.
 */
@Controller
@Produces(MediaType.ALL)
public class DiscoveryController {

    private final DiscoveryDocuments discovery;
    private final OpenApiDocuments openApi;
    private final YamlRenderer yaml;

    public DiscoveryController(DiscoveryDocuments discovery, OpenApiDocuments openApi, YamlRenderer yaml) {
        this.discovery = discovery;
        this.openApi = openApi;
        this.yaml = yaml;
    }

    /**
     * {@code /apis}: the aggregated document (apidiscovery.k8s.io v2 or v2beta1) when the client
     * prefers it, as kube-apiserver's aggregator and kubectl 1.26+ do; the legacy APIGroupList
     * otherwise. The response varies on Accept.
     */
    @Get("/apis")
    public HttpResponse<byte[]> apis(HttpRequest<?> request) {
        String accept = request.getHeaders().get(HttpHeaders.ACCEPT);
        for (MediaTypes.Clause clause : MediaTypes.parseAccept(accept)) {
            Map<String, String> p = clause.params();
            boolean json = clause.type().equals("application") && clause.subType().equals("json");
            if (json && "APIGroupDiscoveryList".equals(p.get("as")) && "apidiscovery.k8s.io".equals(p.get("g"))) {
                if ("v2".equals(p.get("v"))) {
                    return serve(request, discovery.aggregatedV2()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
                }
                if ("v2beta1".equals(p.get("v"))) {
                    return serve(request, discovery.aggregatedV2beta1()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
                }
            }
        }
        // No aggregated form asked for (or none we serve): the legacy list, if JSON or YAML is acceptable.
        return document(request, discovery.groupList()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
    }

    @Get("/apis/" + RequestsResource.GROUP)
    public HttpResponse<byte[]> group(HttpRequest<?> request) {
        return document(request, discovery.group());
    }

    /** The aggregator's availability probe: must answer 200 quickly, always. */
    @Get("/apis/" + RequestsResource.GROUP_VERSION)
    public HttpResponse<byte[]> resources(HttpRequest<?> request) {
        return document(request, discovery.resourceList());
    }

    @Get("/openapi/v2")
    public HttpResponse<byte[]> openApiV2(HttpRequest<?> request) {
        return document(request, openApi.v2());
    }

    @Get("/openapi/v3")
    public HttpResponse<byte[]> openApiV3(HttpRequest<?> request) {
        return document(request, openApi.v3Root());
    }

    @Get("/openapi/v3/apis/" + RequestsResource.GROUP_VERSION)
    public HttpResponse<byte[]> openApiV3GroupVersion(HttpRequest<?> request) {
        return document(request, openApi.v3GroupVersion());
    }

    /** Discovery documents come as JSON, or YAML when asked; Table and other conversions are 406. */
    private io.micronaut.http.MutableHttpResponse<byte[]> document(HttpRequest<?> request,
                                                                   DiscoveryDocuments.Encoded doc) {
        var negotiated = AcceptNegotiator.negotiate(request.getHeaders().get(HttpHeaders.ACCEPT),
                AcceptNegotiator.Endpoint.DISCOVERY);
        if (negotiated.format() == AcceptNegotiator.Format.YAML) {
            byte[] body = yaml.encode(com.google.gson.JsonParser.parseString(
                    new String(doc.body(), java.nio.charset.StandardCharsets.UTF_8)));
            return HttpResponse.ok(body).contentType(negotiated.format().mediaType());
        }
        return serve(request, doc);
    }

    /** Strong ETag on every document; a matching If-None-Match gets 304 with no body. */
    private static io.micronaut.http.MutableHttpResponse<byte[]> serve(HttpRequest<?> request,
                                                                        DiscoveryDocuments.Encoded doc) {
        String ifNoneMatch = request.getHeaders().get(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && matches(ifNoneMatch, doc.etag())) {
            return HttpResponse.<byte[]>status(HttpStatus.NOT_MODIFIED).header(HttpHeaders.ETAG, doc.etag());
        }
        return HttpResponse.ok(doc.body()).contentType(doc.contentType()).header(HttpHeaders.ETAG, doc.etag());
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag) || c.equals("*")) {
                return true;
            }
        }
        return false;
    }
}
