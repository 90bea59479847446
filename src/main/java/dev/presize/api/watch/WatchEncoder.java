package dev.presize.api.watch;

import com.google.gson.Gson;
import dev.presize.api.responses.AcceptNegotiator;
import dev.presize.v1beta1.RequestsResource;
import dev.presize.api.responses.WireJson;
import dev.presize.api.listoptions.IncludeObject;
import dev.presize.api.tables.PartialObjectMetadata;
import dev.presize.api.tables.Table;
import dev.presize.api.tables.TableConverter;
import dev.presize.v1beta1.Requests;
import io.kubernetes.client.openapi.models.V1Status;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Encodes one watch stream's events as newline-delimited JSON {@code metav1.WatchEvent}s, the way
 * kube-apiserver's {@code watchEncoder} does (k8s.io/apiserver pkg/endpoints/handlers/watch.go,
 * response.go): the event's object in the negotiated representation, with a Table's column
 * definitions only in the first event (kube then sets {@code TableOptions.NoHeaders}). Error
 * events always carry a plain {@code Status}. One instance per stream; not thread-safe.
 */
public final class WatchEncoder {

    /** The annotation on the bookmark that ends a watch's initial events (KEP-3157 watch-list). */
    public static final String INITIAL_EVENTS_END = "k8s.io/initial-events-end";

    /** metav1.WatchEvent on the wire. */
    record WireEvent(String type, Object object) {
    }

    /** A bookmark's object: only the kind and the resourceVersion (and the watch-list annotation). */
    record BookmarkObject(String kind, String apiVersion, BookmarkMeta metadata) {
    }

    record BookmarkMeta(String resourceVersion, Map<String, String> annotations) {
    }

    private final Gson gson;
    private final AcceptNegotiator.Negotiated how;
    private final IncludeObject include;
    private final Clock clock;
    private boolean headersSent;

    public WatchEncoder(WireJson json, AcceptNegotiator.Negotiated how, IncludeObject include, Clock clock) {
        this.gson = json.gson();
        this.how = how;
        this.include = include;
        this.clock = clock;
    }

    public byte[] event(EventType type, Requests object) {
        Object body = switch (how.representation()) {
            case OBJECT -> object;
            case TABLE -> table(TableConverter.toTable(object, include, how.groupVersion(), clock.instant()));
            case PARTIAL_METADATA -> PartialObjectMetadata.of(object, how.groupVersion());
        };
        return line(type, body);
    }

    /**
     * A BOOKMARK: an empty object of the watched kind with only {@code metadata.resourceVersion}
     * (kube's watch cache sends exactly that). In a Table watch, kube would run the empty object
     * through the table converter and send a row without a name; Presize sends a Table without
     * rows whose {@code metadata.resourceVersion} is the bookmark's, which is what a client can use.
     */
    public byte[] bookmark(long resourceVersion, boolean initialEventsEnd) {
        String rv = Long.toString(resourceVersion);
        Map<String, String> annotations = initialEventsEnd ? Map.of(INITIAL_EVENTS_END, "true") : null;
        Object body = switch (how.representation()) {
            case OBJECT -> new BookmarkObject(RequestsResource.KIND, RequestsResource.GROUP_VERSION,
                    new BookmarkMeta(rv, annotations));
            case PARTIAL_METADATA -> new BookmarkObject(PartialObjectMetadata.KIND, how.groupVersion(),
                    new BookmarkMeta(rv, annotations));
            case TABLE -> table(new Table(Table.KIND, how.groupVersion(), new Table.ListMeta(rv, null, null),
                    TableConverter.COLUMNS, List.of()));
        };
        return line(EventType.BOOKMARK, body);
    }

    public byte[] error(V1Status status) {
        return line(EventType.ERROR, status);
    }

    private Table table(Table full) {
        if (headersSent) {
            return full.withoutColumnDefinitions();
        }
        headersSent = true;
        return full;
    }

    private byte[] line(EventType type, Object object) {
        return (gson.toJson(new WireEvent(type.name(), object)) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
