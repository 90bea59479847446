package dev.presize.api.watch;

import dev.presize.v1beta1.RequestsResource;
import dev.presize.api.errors.ApiException;
import dev.presize.api.listoptions.ListOptionsParser;
import dev.presize.apimachinery.Names;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import org.reactivestreams.Publisher;

/**
 * The {@code /watch/} path form (deprecated in Kubernetes, still served by kube-apiserver and used
 * by older clients): always a watch, whatever {@code watch} says; a name in the path watches that
 * one object. The {@code ?watch=true} form is served by the list routes.
 */
@Controller(RequestsResource.PREFIX + "/watch")
@Produces(MediaType.ALL)
public class WatchController {

    private final RequestsWatch watches;

    public WatchController(RequestsWatch watches) {
        this.watches = watches;
    }

    @Get("/requests")
    public HttpResponse<Publisher<byte[]>> all(HttpRequest<?> request) {
        return watches.watch(null, null, ListOptionsParser.parse(request.getParameters().asMap(), true), request);
    }

    @Get("/namespaces/{namespace}/requests")
    public HttpResponse<Publisher<byte[]>> namespace(String namespace, HttpRequest<?> request) {
        Names.requireNamespace(namespace);
        return watches.watch(namespace, null, ListOptionsParser.parse(request.getParameters().asMap(), true), request);
    }

    @Get("/namespaces/{namespace}/requests/{name}")
    public HttpResponse<Publisher<byte[]>> one(String namespace, String name, HttpRequest<?> request) {
        Names.requireNamespace(namespace);
        Names.requireName(name);
        return watches.watch(namespace, name, ListOptionsParser.parse(request.getParameters().asMap(), true), request);
    }

    /** Any other {@code /watch/...} path names nothing that is served. */
    @Get("/{+rest}")
    public HttpResponse<byte[]> other(String rest) {
        throw ApiException.pathNotFound();
    }
}
