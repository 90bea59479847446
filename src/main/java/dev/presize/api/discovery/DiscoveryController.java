package dev.presize.api.discovery;

import dev.presize.api.ApiException;
import dev.presize.api.ContentTypes;
import dev.presize.api.MediaRange;
import dev.presize.api.RequestsResource;
import dev.presize.api.openapi.OpenApiDocuments;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

import java.util.List;

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

    public DiscoveryController(DiscoveryDocuments discovery, OpenApiDocuments openApi) {
        this.discovery = discovery;
        this.openApi = openApi;
    }

    /**
     * {@code /apis}: the aggregated document (apidiscovery.k8s.io v2 or v2beta1) when the client
     * prefers it, as kube-apiserver's aggregator and kubectl 1.26+ do; the legacy APIGroupList
     * otherwise. The response varies on Accept.
     */
    @Get("/apis")
    public HttpResponse<byte[]> apis(HttpRequest<?> request) {
        for (MediaRange range : MediaRange.parseAccept(request.getHeaders().get(HttpHeaders.ACCEPT))) {
            String as = range.param("as");
            if (as == null) {
                if (plainJson(range)) {
                    return serve(request, discovery.groupList()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
                }
                continue;
            }
            if (range.admits("application", "json") && as.equals("APIGroupDiscoveryList")
                    && "apidiscovery.k8s.io".equals(range.param("g"))) {
                if ("v2".equals(range.param("v"))) {
                    return serve(request, discovery.aggregatedV2()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
                }
                if ("v2beta1".equals(range.param("v"))) {
                    return serve(request, discovery.aggregatedV2beta1()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
                }
            }
        }
        throw ApiException.notAcceptable(ContentTypes.NOT_ACCEPTABLE_MESSAGE);
    }

    @Get("/apis/" + RequestsResource.GROUP)
    public HttpResponse<byte[]> group(HttpRequest<?> request) {
        return json(request, discovery.group());
    }

    /** The aggregator's availability probe: must answer 200 quickly, always. */
    @Get("/apis/" + RequestsResource.GROUP_VERSION)
    public HttpResponse<byte[]> resources(HttpRequest<?> request) {
        return json(request, discovery.resourceList());
    }

    @Get("/openapi/v2")
    public HttpResponse<byte[]> openApiV2(HttpRequest<?> request) {
        return json(request, openApi.v2());
    }

    @Get("/openapi/v3")
    public HttpResponse<byte[]> openApiV3(HttpRequest<?> request) {
        return json(request, openApi.v3Root());
    }

    @Get("/openapi/v3/apis/" + RequestsResource.GROUP_VERSION)
    public HttpResponse<byte[]> openApiV3GroupVersion(HttpRequest<?> request) {
        return json(request, openApi.v3GroupVersion());
    }

    /** JSON-only documents: anything that admits application/json (or has no Accept) gets it. */
    private HttpResponse<byte[]> json(HttpRequest<?> request, DiscoveryDocuments.Encoded doc) {
        List<MediaRange> ranges = MediaRange.parseAccept(request.getHeaders().get(HttpHeaders.ACCEPT));
        if (ranges.stream().noneMatch(DiscoveryController::plainJson)) {
            throw ApiException.notAcceptable(ContentTypes.NOT_ACCEPTABLE_MESSAGE);
        }
        return serve(request, doc);
    }

    private static boolean plainJson(MediaRange range) {
        return range.param("as") == null && range.admits("application", "json");
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
