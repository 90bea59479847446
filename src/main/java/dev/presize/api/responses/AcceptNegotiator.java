package dev.presize.api.responses;

import dev.presize.api.errors.ApiException;
import java.util.List;
import java.util.Map;

/**
 * Decides what to answer for an {@code Accept} header, following k8s.io/apiserver
 * {@code pkg/endpoints/handlers/negotiation} ({@code NegotiateMediaTypeOptions},
 * {@code acceptMediaTypeOptions}) and the endpoint's {@code AllowsMediaTypeTransform}: the best
 * ranked clause that names a media type we encode and a transformation the endpoint allows wins;
 * no header means JSON; nothing servable is a 406 listing what we serve.
 *
 * <p>Transformations: {@code as=Table;g=meta.k8s.io;v=v1|v1beta1} (JSON or YAML) and
 * {@code as=PartialObjectMetadata|PartialObjectMetadataList;g=meta.k8s.io;v=v1|v1beta1}, each
 * only where the {@link Endpoint} allows it. Any other {@code as/g/v} makes that clause
 * unacceptable, so a protobuf-first or aggregated-discovery-first header still falls through to
 * a plain JSON clause after it. Unknown parameters are ignored; {@code pretty=1} asks for indented
 * output.
 */
public final class AcceptNegotiator {

    /** What an endpoint can serve besides its own JSON/YAML. */
    public enum Endpoint {
        /** Discovery and other non-resource paths: the object itself only. */
        DISCOVERY(false, false),
        /** GET of one object: Table and PartialObjectMetadata. */
        OBJECT(true, false),
        /** List of objects: Table and PartialObjectMetadataList. */
        LIST(true, true),
        /**
         * A watch: each event carries one object, so Table and PartialObjectMetadata; JSON only,
         * since kube has a stream serializer for JSON and none for YAML.
         */
        WATCH(true, false);

        private final boolean transforms;
        private final boolean list;

        Endpoint(boolean transforms, boolean list) {
            this.transforms = transforms;
            this.list = list;
        }

        private boolean serves(Format format) {
            return this != WATCH || format == Format.JSON;
        }
    }

    /** The shape of the answer. */
    public enum Representation {
        /** The resource itself ({@code Requests}, {@code RequestsList}, discovery documents). */
        OBJECT,
        /** A meta.k8s.io Table. */
        TABLE,
        /** {@code PartialObjectMetadata} for an OBJECT endpoint, {@code PartialObjectMetadataList} for a LIST one. */
        PARTIAL_METADATA
    }

    public enum Format {
        JSON(MediaTypes.APPLICATION_JSON), YAML(MediaTypes.APPLICATION_YAML);

        private final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        /** The Content-Type to answer with. */
        public String mediaType() {
            return mediaType;
        }
    }

    /**
     * @param groupVersion for TABLE and PARTIAL_METADATA the meta.k8s.io version asked for
     *                     ({@code meta.k8s.io/v1} or {@code meta.k8s.io/v1beta1}); null for OBJECT
     * @param pretty       the clause carried {@code pretty=1}
     */
    public record Negotiated(Representation representation, Format format, String groupVersion, boolean pretty) {
        public static final Negotiated DEFAULT = new Negotiated(Representation.OBJECT, Format.JSON, null, false);
    }

    private static final String META_GROUP = "meta.k8s.io";

    private AcceptNegotiator() {
    }

    /**
     * @throws ApiException 406 NotAcceptable when no clause can be served
     */
    public static Negotiated negotiate(String accept, Endpoint endpoint) {
        if (accept == null || accept.isEmpty()) {
            return Negotiated.DEFAULT;
        }
        List<MediaTypes.Clause> clauses = MediaTypes.parseAccept(accept);
        for (MediaTypes.Clause clause : clauses) {
            for (Format format : Format.values()) {
                String[] typeAndSub = format.mediaType().split("/");
                boolean matches = (clause.type().equals(typeAndSub[0])
                        && (clause.subType().equals(typeAndSub[1]) || clause.subType().equals("*")))
                        || (clause.type().equals("*") && clause.subType().equals("*"));
                if (!matches || !endpoint.serves(format)) {
                    continue;
                }
                Negotiated n = accept(clause.params(), format, endpoint);
                if (n != null) {
                    return n;
                }
            }
        }
        if (endpoint == Endpoint.WATCH) {
            throw ApiException.notAcceptable("only the following media types are accepted: " + MediaTypes.APPLICATION_JSON);
        }
        throw notAcceptable();
    }

    private static Negotiated accept(Map<String, String> params, Format format, Endpoint endpoint) {
        String as = params.get("as");
        String g = params.get("g");
        String v = params.get("v");
        String stream = params.get("stream");
        boolean pretty = "1".equals(params.get("pretty"));
        // only JSON has a stream (watch) serializer, as in kube where YAML has none
        if (stream != null && !stream.isEmpty() && (!stream.equals("watch") || format != Format.JSON)) {
            return null;
        }
        if (as == null && g == null && v == null) {
            return new Negotiated(Representation.OBJECT, format, null, pretty);
        }
        // a conversion was asked for: only meta.k8s.io v1/v1beta1 Table and PartialObjectMetadata exist
        if (!META_GROUP.equals(g) || !("v1".equals(v) || "v1beta1".equals(v)) || !endpoint.transforms) {
            return null;
        }
        String groupVersion = META_GROUP + "/" + v;
        return switch (as == null ? "" : as) {
            case "Table" -> new Negotiated(Representation.TABLE, format, groupVersion, pretty);
            case "PartialObjectMetadata" -> {
                if (endpoint.list) {
                    throw ApiException.notAcceptable(
                            "you requested PartialObjectMetadata, but the requested object is a list (RequestsList)");
                }
                yield new Negotiated(Representation.PARTIAL_METADATA, format, groupVersion, pretty);
            }
            case "PartialObjectMetadataList" -> {
                if (!endpoint.list) {
                    throw ApiException.notAcceptable(
                            "you requested PartialObjectMetadataList, but the requested object is not a list (Requests)");
                }
                yield new Negotiated(Representation.PARTIAL_METADATA, format, groupVersion, pretty);
            }
            default -> null;
        };
    }

    /** kube's {@code NotAcceptableError}, listing what we serve. */
    public static ApiException notAcceptable() {
        return ApiException.notAcceptable("only the following media types are accepted: "
                + String.join(", ", MediaTypes.SERVED));
    }
}
