package dev.presize.api.watch;

import dev.presize.api.responses.AcceptNegotiator;
import dev.presize.api.responses.MediaTypes;
import dev.presize.api.responses.WireJson;
import dev.presize.api.errors.ApiException;
import dev.presize.apimachinery.FieldSelector;
import dev.presize.api.listoptions.ListOptions;
import dev.presize.v1beta1.Requests;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.time.Clock;
import java.util.function.Predicate;

/**
 * Answers a watch request, by {@code ?watch=true} on a list path or by the {@code /watch/} path
 * form: negotiates the representation, turns path and selectors into the watch's filter, opens a
 * {@link Watcher} and streams it. Validation happens before anything is streamed, so a bad
 * request is a plain 4xx Status; once streaming, failures arrive as ERROR events.
 */
@Singleton
public class RequestsWatch {

    private final WatchHub hub;
    private final WireJson json;
    private final Clock clock;

    public RequestsWatch(WatchHub hub, WireJson json, Clock clock) {
        this.hub = hub;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param namespace the path's namespace, or null for all namespaces
     * @param name      the path's object name ({@code /watch/namespaces/ns/requests/name}), or null
     */
    public HttpResponse<Publisher<byte[]>> watch(String namespace, String name, ListOptions options, HttpRequest<?> request) {
        var how = AcceptNegotiator.negotiate(request.getHeaders().get(HttpHeaders.ACCEPT), AcceptNegotiator.Endpoint.WATCH);
        if (name != null && !options.fieldSelector().isEmpty()) {
            // kube's ListResource: a named watch may only repeat its own name in the field selector
            String selected = options.fieldSelector().requiresExactMatch(FieldSelector.METADATA_NAME);
            if (!name.equals(selected)) {
                throw ApiException.badRequest("fieldSelector metadata.name doesn't match requested name");
            }
        }
        String scope = namespace != null ? namespace
                : options.fieldSelector().requiresExactMatch(FieldSelector.METADATA_NAMESPACE);
        Predicate<Requests> selectors = options.filter();
        Predicate<Requests> filter = r -> (namespace == null || namespace.equals(r.namespace()))
                && (name == null || name.equals(r.name()))
                && (selectors == null || selectors.test(r));
        Watcher watcher = hub.open(scope, filter, options, new WatchEncoder(json, how, options.includeObject(), clock));
        // kube answers a JSON watch as application/json (Table and metadata events included) and
        // streams it with chunked transfer encoding, which Micronaut chooses for a Publisher body.
        return HttpResponse.<Publisher<byte[]>>ok(watcher).contentType(MediaTypes.APPLICATION_JSON);
    }
}
