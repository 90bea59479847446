package dev.presize.api.requests;

import dev.presize.api.responses.AcceptNegotiator;
import dev.presize.api.responses.WireJson;
import dev.presize.api.responses.YamlRenderer;
import dev.presize.api.listoptions.IncludeObject;
import dev.presize.api.listoptions.Pager;
import dev.presize.api.tables.PartialObjectMetadata;
import dev.presize.api.tables.Table;
import dev.presize.api.tables.TableConverter;
import dev.presize.v1beta1.Requests;
import dev.presize.recommendations.Snapshot;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a {@link Requests} object or a page of them into the representation the client
 * negotiated: the object itself, a {@code meta.k8s.io} Table, or PartialObjectMetadata; as JSON or
 * YAML. Content types are the ones kube-apiserver sends for the same answers, which client-go
 * checks before decoding.
 */
@Singleton
public class RequestsRenderer {

    /** PartialObjectMetadataList, the list form of metadata-only answers (metadata informers use it). */
    record PartialObjectMetadataList(String kind, String apiVersion, V1ListMeta metadata,
                                     List<PartialObjectMetadata> items) {
    }

    /** How an empty RequestsList ends: the items are spliced in before the closing "]}". */
    private static final byte[] EMPTY_ITEMS_END = "[]}".getBytes(StandardCharsets.UTF_8);

    private final WireJson json;
    private final YamlRenderer yaml;
    private final Clock clock;
    private final EncodedObjects encoded;

    public RequestsRenderer(WireJson json, YamlRenderer yaml, Clock clock, EncodedObjects encoded) {
        this.json = json;
        this.yaml = yaml;
        this.clock = clock;
        this.encoded = encoded;
    }

    /** One object of {@code snapshot}. */
    public MutableHttpResponse<byte[]> one(Snapshot snapshot, Requests r, AcceptNegotiator.Negotiated how, IncludeObject include) {
        if (plainJson(how)) {
            return HttpResponse.ok(encoded.json(snapshot, r)).contentType(how.format().mediaType());
        }
        return one(r, how, include);
    }

    /** A page of objects of {@code snapshot}. */
    public MutableHttpResponse<byte[]> list(Snapshot snapshot, Pager.Page page, AcceptNegotiator.Negotiated how,
                                            IncludeObject include) {
        if (plainJson(how)) {
            // The list's own fields through the encoder, then each item's memoized JSON where the
            // empty items array was: byte for byte what encoding the whole RequestsList gives.
            byte[] envelope = json.encode(RequestsList.of(listMeta(Long.toString(snapshot.resourceVersion()), page), List.of()));
            int cut = envelope.length - EMPTY_ITEMS_END.length;
            if (cut > 0 && Arrays.equals(envelope, cut, envelope.length, EMPTY_ITEMS_END, 0, EMPTY_ITEMS_END.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(envelope.length + 1024 * page.items().size());
                out.write(envelope, 0, cut + 1);
                for (int i = 0; i < page.items().size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    out.writeBytes(encoded.json(snapshot, page.items().get(i)));
                }
                out.write(EMPTY_ITEMS_END, 1, 2);
                return HttpResponse.ok(out.toByteArray()).contentType(how.format().mediaType());
            }
        }
        return list(page, snapshot.resourceVersion(), how, include);
    }

    private static boolean plainJson(AcceptNegotiator.Negotiated how) {
        return how.representation() == AcceptNegotiator.Representation.OBJECT && how.format() == AcceptNegotiator.Format.JSON;
    }

    public MutableHttpResponse<byte[]> one(Requests r, AcceptNegotiator.Negotiated how, IncludeObject include) {
        Object body = switch (how.representation()) {
            case OBJECT -> r;
            case TABLE -> TableConverter.toTable(r, include, how.groupVersion(), clock.instant());
            case PARTIAL_METADATA -> PartialObjectMetadata.of(r, how.groupVersion());
        };
        return encode(body, how);
    }

    public MutableHttpResponse<byte[]> list(Pager.Page page, long resourceVersion, AcceptNegotiator.Negotiated how,
                                            IncludeObject include) {
        String rv = Long.toString(resourceVersion);
        Object body = switch (how.representation()) {
            case OBJECT -> RequestsList.of(listMeta(rv, page), page.items());
            case TABLE -> TableConverter.toTable(page.items(),
                    new Table.ListMeta(rv, page.continueToken(), page.remainingItemCount()), include,
                    how.groupVersion(), clock.instant());
            case PARTIAL_METADATA -> new PartialObjectMetadataList("PartialObjectMetadataList", how.groupVersion(),
                    listMeta(rv, page), page.items().stream().map(r -> PartialObjectMetadata.of(r, how.groupVersion())).toList());
        };
        return encode(body, how);
    }

    private static V1ListMeta listMeta(String rv, Pager.Page page) {
        return new V1ListMeta().resourceVersion(rv)._continue(page.continueToken())
                .remainingItemCount(page.remainingItemCount());
    }

    private MutableHttpResponse<byte[]> encode(Object body, AcceptNegotiator.Negotiated how) {
        boolean asYaml = how.format() == AcceptNegotiator.Format.YAML;
        byte[] bytes = asYaml ? yaml.encode(body) : json.encode(body);
        String contentType = how.format().mediaType();
        if (how.representation() != AcceptNegotiator.Representation.OBJECT) {
            String as = how.representation() == AcceptNegotiator.Representation.TABLE ? "Table"
                    : body instanceof PartialObjectMetadataList ? "PartialObjectMetadataList" : "PartialObjectMetadata";
            String version = how.groupVersion().substring(how.groupVersion().indexOf('/') + 1);
            contentType = contentType + ";as=" + as + ";v=" + version + ";g=meta.k8s.io";
        }
        return HttpResponse.ok(bytes).contentType(contentType);
    }
}
