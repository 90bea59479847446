package dev.presize.api.responses;

import dev.presize.api.errors.ApiException;
import dev.presize.api.responses.AcceptNegotiator.Endpoint;
import dev.presize.api.responses.AcceptNegotiator.Format;
import dev.presize.api.responses.AcceptNegotiator.Negotiated;
import dev.presize.api.responses.AcceptNegotiator.Representation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AcceptNegotiatorTest {

    private static final String TABLE_V1 = "application/json;as=Table;v=v1;g=meta.k8s.io";
    /** What kubectl get sends. */
    private static final String KUBECTL = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;"
            + "g=meta.k8s.io,application/json";
    private static final Negotiated JSON = new Negotiated(Representation.OBJECT, Format.JSON, null, false);
    private static final Negotiated YAML = new Negotiated(Representation.OBJECT, Format.YAML, null, false);
    private static final Negotiated TABLE = new Negotiated(Representation.TABLE, Format.JSON, "meta.k8s.io/v1", false);

    static Stream<Arguments> servable() {
        return Stream.of(
                Arguments.of(null, Endpoint.LIST, JSON),
                Arguments.of("", Endpoint.LIST, JSON),
                Arguments.of("application/json", Endpoint.OBJECT, JSON),
                Arguments.of("application/yaml", Endpoint.OBJECT, YAML),
                Arguments.of("*/*", Endpoint.LIST, JSON),
                Arguments.of("*", Endpoint.LIST, JSON),
                Arguments.of("application/*", Endpoint.LIST, JSON),
                Arguments.of("APPLICATION/JSON", Endpoint.LIST, JSON),
                Arguments.of("application/json; charset=utf-8", Endpoint.LIST, JSON),
                Arguments.of("application/json;stream=watch", Endpoint.LIST, JSON),
                Arguments.of("application/vnd.kubernetes.protobuf, */*", Endpoint.LIST, JSON),
                Arguments.of("application/vnd.kubernetes.protobuf;q=0.9, application/json", Endpoint.LIST, JSON),
                Arguments.of("application/vnd.kubernetes.protobuf,application/json", Endpoint.DISCOVERY, JSON),
                Arguments.of("application/yaml, application/json", Endpoint.LIST, YAML),
                Arguments.of("application/yaml;q=0.5, application/json;q=0.8", Endpoint.LIST, JSON),
                Arguments.of("*/*;q=0.5, application/yaml;q=0.5", Endpoint.LIST, YAML),
                Arguments.of("application/json;q=0", Endpoint.LIST, JSON), // kube still serves a q=0 clause
                Arguments.of("text/html, application/json;q=abc", Endpoint.LIST, JSON),
                Arguments.of("application/json;pretty=1", Endpoint.LIST, new Negotiated(Representation.OBJECT, Format.JSON, null, true)),
                Arguments.of(TABLE_V1, Endpoint.LIST, TABLE),
                Arguments.of(TABLE_V1, Endpoint.OBJECT, TABLE),
                Arguments.of(KUBECTL, Endpoint.LIST, TABLE),
                Arguments.of(KUBECTL, Endpoint.DISCOVERY, JSON),
                Arguments.of("application/json;as=Table;v=v1beta1;g=meta.k8s.io", Endpoint.LIST,
                        new Negotiated(Representation.TABLE, Format.JSON, "meta.k8s.io/v1beta1", false)),
                Arguments.of("application/yaml;as=Table;v=v1;g=meta.k8s.io", Endpoint.LIST,
                        new Negotiated(Representation.TABLE, Format.YAML, "meta.k8s.io/v1", false)),
                Arguments.of("application/json;as=Table;v=v2;g=meta.k8s.io, application/json", Endpoint.LIST, JSON),
                Arguments.of("application/json;as=Table, application/yaml", Endpoint.LIST, YAML),
                Arguments.of("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, " + TABLE_V1, Endpoint.LIST, TABLE),
                Arguments.of("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json", Endpoint.LIST,
                        new Negotiated(Representation.PARTIAL_METADATA, Format.JSON, "meta.k8s.io/v1", false)),
                Arguments.of("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1", Endpoint.OBJECT,
                        new Negotiated(Representation.PARTIAL_METADATA, Format.JSON, "meta.k8s.io/v1", false)),
                Arguments.of("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json", Endpoint.DISCOVERY, JSON),
                Arguments.of("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json",
                        Endpoint.DISCOVERY, JSON),
                Arguments.of("garbage, a/b/c, ;;;, application/json", Endpoint.LIST, JSON));
    }

    @ParameterizedTest
    @MethodSource("servable")
    void negotiates(String accept, Endpoint endpoint, Negotiated expected) {
        assertEquals(expected, AcceptNegotiator.negotiate(accept, endpoint));
    }

    static Stream<Arguments> notServable() {
        String onlyOurs = "only the following media types are accepted: application/json, application/yaml";
        return Stream.of(
                Arguments.of("application/vnd.kubernetes.protobuf", Endpoint.LIST, onlyOurs),
                Arguments.of("application/cbor", Endpoint.LIST, onlyOurs),
                Arguments.of("text/html", Endpoint.OBJECT, onlyOurs),
                Arguments.of("text/*", Endpoint.OBJECT, onlyOurs),
                Arguments.of(TABLE_V1, Endpoint.DISCOVERY, onlyOurs),
                Arguments.of("application/json;as=Table", Endpoint.LIST, onlyOurs),
                Arguments.of("application/json;as=Table;g=meta.k8s.io;v=v2", Endpoint.LIST, onlyOurs),
                Arguments.of("application/json;as=Requests;g=presize.dev;v=v1beta1", Endpoint.LIST, onlyOurs),
                Arguments.of("application/json;stream=other", Endpoint.LIST, onlyOurs),
                Arguments.of("application/yaml;stream=watch", Endpoint.LIST, onlyOurs),
                Arguments.of(",,,", Endpoint.LIST, onlyOurs),
                Arguments.of("\u0000/\u0000", Endpoint.LIST, onlyOurs),
                Arguments.of("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1", Endpoint.LIST,
                        "you requested PartialObjectMetadata, but the requested object is a list (RequestsList)"),
                Arguments.of("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1", Endpoint.OBJECT,
                        "you requested PartialObjectMetadataList, but the requested object is not a list (Requests)"));
    }

    @ParameterizedTest
    @MethodSource("notServable")
    void answers406(String accept, Endpoint endpoint, String message) {
        ApiException e = assertThrows(ApiException.class, () -> AcceptNegotiator.negotiate(accept, endpoint));
        assertEquals(406, e.code());
        assertEquals("NotAcceptable", e.reason());
        assertEquals(message, e.getMessage());
    }

    @Test
    void parseAcceptRanksByQualityThenSpecificity() {
        var clauses = MediaTypes.parseAccept("*/*;q=0.8, text/*;q=0.8, text/html;q=0.8, application/json;q=0.9; a = b");
        assertEquals("application/json", clauses.get(0).type() + "/" + clauses.get(0).subType());
        assertEquals("b", clauses.get(0).params().get("a"));
        assertEquals("text/html", clauses.get(1).type() + "/" + clauses.get(1).subType());
        assertEquals("text/*", clauses.get(2).type() + "/" + clauses.get(2).subType());
        assertEquals("*/*", clauses.get(3).type() + "/" + clauses.get(3).subType());
        assertEquals(0.9, clauses.get(0).q(), 1e-6);
    }

    @Test
    void hugeHeadersAreCheap() {
        String huge = "application/x;q=0.1,".repeat(100_000) + "application/json";
        long start = System.nanoTime();
        assertThrows(ApiException.class, () -> AcceptNegotiator.negotiate(huge, Endpoint.LIST)); // json clause cut off
        assertTrue(System.nanoTime() - start < 2_000_000_000L);
    }

    @Test
    void aWatchIsJsonEventsOfSingleObjects() {
        assertEquals(JSON, AcceptNegotiator.negotiate("application/json;stream=watch", Endpoint.WATCH));
        assertEquals(JSON, AcceptNegotiator.negotiate("application/yaml, application/json", Endpoint.WATCH),
                "no YAML stream, as in kube: the JSON clause after it wins");
        assertEquals(TABLE, AcceptNegotiator.negotiate(KUBECTL, Endpoint.WATCH));
        assertEquals(new Negotiated(Representation.PARTIAL_METADATA, Format.JSON, "meta.k8s.io/v1", false),
                AcceptNegotiator.negotiate("application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json",
                        Endpoint.WATCH), "what a metadata informer sends for its watch");
        ApiException yaml = assertThrows(ApiException.class, () -> AcceptNegotiator.negotiate("application/yaml", Endpoint.WATCH));
        assertEquals(406, yaml.code());
        assertEquals("only the following media types are accepted: application/json", yaml.getMessage());
        assertEquals(406, assertThrows(ApiException.class, () -> AcceptNegotiator.negotiate(
                "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1", Endpoint.WATCH)).code());
    }
}
