package dev.presize.apimachinery;

import dev.presize.api.Fixtures;
import dev.presize.api.errors.ApiException;
import dev.presize.v1beta1.Requests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldSelectorTest {

    private static final String ONLY = " is not a known field selector: only \"metadata.name\", \"metadata.namespace\"";

    private static final Requests WEB = Fixtures.requests("shop", "web");
    private static final Requests WEB_STS = Fixtures.requests("shop", "web.statefulset");
    private static final Requests ODD = Fixtures.requests("shop", "a,b=c\\d");

    static Stream<Arguments> matching() {
        return Stream.of(
                Arguments.of("", WEB, true),
                Arguments.of(",,", WEB, true),
                Arguments.of("metadata.name=web", WEB, true),
                Arguments.of("metadata.name==web", WEB, true),
                Arguments.of("metadata.name=web", WEB_STS, false),
                Arguments.of("metadata.name=web.statefulset", WEB_STS, true),
                Arguments.of("metadata.name!=web", WEB, false),
                Arguments.of("metadata.name!=web", WEB_STS, true),
                Arguments.of("metadata.namespace=shop", WEB, true),
                Arguments.of("metadata.namespace=other", WEB, false),
                Arguments.of("metadata.namespace=shop,metadata.name=web", WEB, true),
                Arguments.of("metadata.namespace=shop,metadata.name!=web", WEB, false),
                Arguments.of("metadata.name=web,", WEB, true),
                Arguments.of("metadata.name=", WEB, false),
                Arguments.of("metadata.name!=", WEB, true),
                Arguments.of("metadata.name=a\\,b\\=c\\\\d", ODD, true));
    }

    @ParameterizedTest
    @MethodSource("matching")
    void matchesLikeUpstream(String selector, Requests r, boolean expected) {
        assertEquals(expected, FieldSelector.parse(selector).matches(r));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("spec.foo=bar", "\"spec.foo\"" + ONLY),
                Arguments.of("status.phase!=Running", "\"status.phase\"" + ONLY),
                Arguments.of("metadata.name = web", "\"metadata.name \"" + ONLY),
                Arguments.of("=web", "\"\"" + ONLY),
                Arguments.of("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
                Arguments.of("metadata.name=a,oops", "invalid selector: 'metadata.name=a,oops'; can't understand 'oops'"),
                Arguments.of("metadata.name=a\\x", "invalid field selector: invalid escape sequence: \\x"),
                Arguments.of("metadata.name=a\\", "invalid field selector: invalid escape sequence: \\"),
                Arguments.of("metadata.name=a=b", "invalid field selector: unescaped character in value: 61"),
                Arguments.of("metadata.name===web", "invalid field selector: unescaped character in value: 61"),
                // every term parses before any field is converted, so the escape error wins over the unknown field
                Arguments.of("spec.x=1,metadata.name=a\\q", "invalid field selector: invalid escape sequence: \\q"),
                // terms are sorted before conversion: "a.b" is reported before "z.z"
                Arguments.of("z.z=1,a.b=2", "\"a.b\"" + ONLY),
                // hostile input
                Arguments.of("métadata.name=x", "\"métadata.name\"" + ONLY),
                Arguments.of("\u0001=x", "\"\\x01\"" + ONLY),
                Arguments.of("metadata.name\u0000=x", "\"metadata.name\\x00\"" + ONLY),
                Arguments.of("metadata.name=\\é", "invalid field selector: invalid escape sequence: \\é"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsWithKubeApiserverMessages(String selector, String message) {
        ApiException e = assertThrows(ApiException.class, () -> FieldSelector.parse(selector));
        assertEquals(400, e.code());
        assertEquals(message, e.getMessage());
    }

    @Test
    void unicodeValuesAreKeptAndSimplyMatchNothing() {
        assertEquals(false, FieldSelector.parse("metadata.name=wéb").matches(WEB));
    }

    @Test
    void requiresExactMatchReportsEqualityTermsOnly() {
        FieldSelector s = FieldSelector.parse("metadata.namespace=shop,metadata.name!=web");
        assertEquals("shop", s.requiresExactMatch(FieldSelector.METADATA_NAMESPACE));
        assertNull(s.requiresExactMatch(FieldSelector.METADATA_NAME));
    }

    @Test
    void emptySelectsEverythingAndCanonicalFormEscapes() {
        assertTrue(FieldSelector.parse(null).isEmpty());
        assertTrue(FieldSelector.parse(",").isEmpty());
        assertEquals("metadata.name=a\\,b", FieldSelector.parse("metadata.name==a\\,b").toString());
        assertEquals("a\\\\b\\,c\\=d", FieldSelector.escapeValue("a\\b,c=d"));
    }

    @Test
    void refusesOverlongSelectors() {
        String longest = "metadata.name=" + "a".repeat(FieldSelector.MAX_LENGTH - 14);
        FieldSelector.parse(longest);
        ApiException e = assertThrows(ApiException.class, () -> FieldSelector.parse(longest + "a"));
        assertEquals("invalid selector: the field selector is 10001 characters long; at most 10000 are allowed", e.getMessage());
    }
}
