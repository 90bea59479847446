package dev.presize.api.requests;

import dev.presize.api.responses.AcceptNegotiator;
import dev.presize.v1beta1.RequestsResource;
import dev.presize.api.errors.ApiException;
import dev.presize.apimachinery.FieldSelector;
import dev.presize.api.listoptions.ListOptions;
import dev.presize.api.listoptions.ListOptionsParser;
import dev.presize.apimachinery.Names;
import dev.presize.api.listoptions.Pager;
import dev.presize.api.watch.RequestsWatch;
import dev.presize.v1beta1.Requests;
import dev.presize.recommendations.Snapshot;
import dev.presize.recommendations.SnapshotStore;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

/**
 * The read-only REST storage for {@code requests.presize.dev}: get, list in a namespace, list
 * across namespaces. Every read takes one snapshot reference and answers entirely from it, so a
 * page, its resourceVersion and its continue token always agree. A list with {@code watch=true} is
 * a watch ({@link RequestsWatch}). Write verbs have no route and get Micronaut's 405, rendered as
 * a {@code MethodNotAllowed} Status.
 */
@Controller(RequestsResource.PREFIX)
@Produces(MediaType.ALL)
public class RequestsController {

    private final SnapshotStore store;
    private final RequestsRenderer renderer;
    private final RequestsWatch watches;

    public RequestsController(SnapshotStore store, RequestsRenderer renderer, RequestsWatch watches) {
        this.store = store;
        this.renderer = renderer;
        this.watches = watches;
    }

    @Get("/namespaces/{namespace}/requests/{name}")
    public HttpResponse<byte[]> get(String namespace, String name, HttpRequest<?> request) {
        Names.requireNamespace(namespace);
        Names.requireName(name);
        ListOptions options = options(request);
        var how = AcceptNegotiator.negotiate(request.getHeaders().get(HttpHeaders.ACCEPT), AcceptNegotiator.Endpoint.OBJECT);
        Snapshot snapshot = store.current();
        Requests found = snapshot.get(namespace, name)
                .orElseThrow(() -> ApiException.notFound(RequestsResource.RESOURCE, RequestsResource.GROUP, name));
        return renderer.one(snapshot, found, how, options.includeObject());
    }

    @Get("/namespaces/{namespace}/requests")
    public HttpResponse<byte[]> listNamespace(String namespace, HttpRequest<?> request) {
        return list(Names.requireNamespace(namespace), request);
    }

    @Get("/requests")
    public HttpResponse<byte[]> listAll(HttpRequest<?> request) {
        return list(null, request);
    }

    private HttpResponse<byte[]> list(String namespace, HttpRequest<?> request) {
        ListOptions options = options(request);
        if (options.watch()) {
            return watch(namespace, options, request);
        }
        var how = AcceptNegotiator.negotiate(request.getHeaders().get(HttpHeaders.ACCEPT), AcceptNegotiator.Endpoint.LIST);
        Snapshot snapshot = store.current();
        // A field selector on metadata.namespace narrows the scan to one namespace up front.
        String scope = namespace != null ? namespace : options.fieldSelector().requiresExactMatch(FieldSelector.METADATA_NAMESPACE);
        Pager.Page page = Pager.page(snapshot.list(scope), options.filter(), options.limit(), options.continueToken(),
                snapshot.resourceVersion());
        return renderer.list(snapshot, page, how, options.includeObject());
    }

    /**
     * The watch's body is a stream of byte chunks, not one byte[]: the route still declares byte[]
     * because Micronaut wraps a Publisher body in a JSON array ("[", ",", "]") whenever the
     * route's declared body type is not bytes (RouteInfo.isResponseBodyJsonFormattable), which
     * would break the newline-delimited WatchEvent stream.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private HttpResponse<byte[]> watch(String namespace, ListOptions options, HttpRequest<?> request) {
        return (HttpResponse) watches.watch(namespace, null, options, request);
    }

    /** On a GET of one object {@code watch} is ignored, as kube's GET handler ignores it. */
    private static ListOptions options(HttpRequest<?> request) {
        return ListOptionsParser.parse(request.getParameters().asMap());
    }
}
