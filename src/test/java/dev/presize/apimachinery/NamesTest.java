package dev.presize.apimachinery;

import dev.presize.api.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest {

    private static final String LABEL_ERR = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private static final String SUBDOMAIN_ERR = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    @ParameterizedTest
    @ValueSource(strings = {"a", "shop", "kube-system", "0", "123-abc", "a23456789012345678901234567890123456789012345678901234567890123"})
    void validNamespaces(String ns) {
        assertEquals(ns, Names.requireNamespace(ns));
        assertTrue(Names.isValidNamespace(ns));
    }

    @ParameterizedTest
    @ValueSource(strings = {"web", "web.statefulset", "a.b.c", "0", "x-1.y-2"})
    void validNames(String name) {
        assertEquals(name, Names.requireName(name));
        assertTrue(Names.isValidName(name));
    }

    static Stream<Arguments> invalidNamespaces() {
        return Stream.of(
                Arguments.of("", "namespace: Invalid value: \"\": " + LABEL_ERR),
                Arguments.of("Shop", "namespace: Invalid value: \"Shop\": " + LABEL_ERR),
                Arguments.of("-shop", "namespace: Invalid value: \"-shop\": " + LABEL_ERR),
                Arguments.of("shop-", "namespace: Invalid value: \"shop-\": " + LABEL_ERR),
                Arguments.of("my.shop", "namespace: Invalid value: \"my.shop\": must not contain dots"),
                Arguments.of("a".repeat(64), "namespace: Invalid value: \"" + "a".repeat(64) + "\": must be no more than 63 characters"),
                Arguments.of("A".repeat(64), "namespace: Invalid value: \"" + "A".repeat(64) + "\": must be no more than 63 characters; " + LABEL_ERR),
                Arguments.of("..", "namespace: Invalid value: \"..\": " + LABEL_ERR),
                Arguments.of("a/b", "namespace: Invalid value: \"a/b\": " + LABEL_ERR),
                Arguments.of("a%2Fb", "namespace: Invalid value: \"a%2Fb\": " + LABEL_ERR),
                Arguments.of("shöp", "namespace: Invalid value: \"shöp\": " + LABEL_ERR),
                Arguments.of("shop\n", "namespace: Invalid value: \"shop\\n\": " + LABEL_ERR),
                Arguments.of("a\u0000", "namespace: Invalid value: \"a\\x00\": " + LABEL_ERR));
    }

    @ParameterizedTest
    @MethodSource("invalidNamespaces")
    void invalidNamespacesAreBadRequests(String ns, String message) {
        ApiException e = assertThrows(ApiException.class, () -> Names.requireNamespace(ns));
        assertEquals(400, e.code());
        assertEquals(message, e.getMessage());
        assertFalse(Names.isValidNamespace(ns));
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of("", "name: Invalid value: \"\": " + SUBDOMAIN_ERR),
                Arguments.of("Web", "name: Invalid value: \"Web\": " + SUBDOMAIN_ERR),
                Arguments.of("web..sts", "name: Invalid value: \"web..sts\": " + SUBDOMAIN_ERR),
                Arguments.of(".web", "name: Invalid value: \".web\": " + SUBDOMAIN_ERR),
                Arguments.of("web.", "name: Invalid value: \"web.\": " + SUBDOMAIN_ERR),
                Arguments.of("web_1", "name: Invalid value: \"web_1\": " + SUBDOMAIN_ERR),
                Arguments.of(".", "name: Invalid value: \".\": " + SUBDOMAIN_ERR),
                Arguments.of("a".repeat(254), "name: Invalid value: \"" + "a".repeat(254) + "\": must be no more than 253 characters"),
                Arguments.of("web\u202e", "name: Invalid value: \"web\\u202e\": " + SUBDOMAIN_ERR));
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void invalidNamesAreBadRequests(String name, String message) {
        ApiException e = assertThrows(ApiException.class, () -> Names.requireName(name));
        assertEquals(400, e.code());
        assertEquals(message, e.getMessage());
    }

    @Test
    void nullIsInvalid() {
        assertThrows(ApiException.class, () -> Names.requireName(null));
        assertFalse(Names.isValidName(null));
        assertFalse(Names.isValidNamespace(null));
    }

    @Test
    void longestValidNameAndHostileLengthsAreCheap() {
        String longest = ("a".repeat(62) + ".").repeat(4) + "a".repeat(1);
        assertEquals(253, longest.length());
        assertTrue(Names.isValidName(longest));
        String hostile = "a-".repeat(50_000) + "!";
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(1), () -> {
            assertFalse(Names.isValidName(hostile));
            assertFalse(Names.isValidNamespace(hostile));
        });
    }
}
