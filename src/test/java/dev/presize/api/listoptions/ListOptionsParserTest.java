package dev.presize.api.listoptions;

import dev.presize.api.Fixtures;
import dev.presize.api.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListOptionsParserTest {

    private static final String INVALID = "ListOptions.meta.k8s.io \"\" is invalid: ";

    /** Builds a query from name, value, name, value, ... */
    private static Map<String, List<String>> query(String... pairs) {
        Map<String, List<String>> q = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            q.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
        }
        return q;
    }

    @Test
    void noParametersGiveTheDefaults() {
        assertEquals(ListOptions.DEFAULTS, ListOptionsParser.parse(Map.of()));
        assertEquals(ListOptions.DEFAULTS, ListOptionsParser.parse(null));
        assertTrue(ListOptions.DEFAULTS.selectsEverything());
    }

    @Test
    void parsesEveryParameter() {
        ListOptions o = ListOptionsParser.parse(query(
                "labelSelector", "app=web", "fieldSelector", "metadata.name=web", "limit", "50",
                "resourceVersion", "1795305262000", "resourceVersionMatch", "NotOlderThan", "timeoutSeconds", "30",
                "includeObject", "Object", "pretty", "true", "unknown", "ignored", "Limit", "ignored too"));
        assertEquals("app=web", o.labelSelector().toString());
        assertEquals("metadata.name=web", o.fieldSelector().toString());
        assertEquals(50, o.limit());
        assertEquals("1795305262000", o.resourceVersion());
        assertEquals("NotOlderThan", o.resourceVersionMatch());
        assertEquals(30L, o.timeoutSeconds());
        assertEquals(IncludeObject.OBJECT, o.includeObject());
        assertTrue(o.pretty());
        assertFalse(o.watch());
        assertFalse(o.selectsEverything());
        assertNull(o.continueToken());
        assertNull(o.sendInitialEvents());
    }

    @Test
    void filterCombinesBothSelectorsAndIsNullForEverything() {
        assertNull(ListOptions.DEFAULTS.filter());
        var filter = ListOptionsParser.parse(query("labelSelector", "app=web", "fieldSelector", "metadata.namespace=shop")).filter();
        assertTrue(filter.test(Fixtures.requests("shop", "web")));
        assertFalse(filter.test(Fixtures.requests("shop", "db")));
        assertFalse(filter.test(Fixtures.requests("other", "web")));
        assertFalse(filter.test(Fixtures.requests("shop", "web", null)));
    }

    @Test
    void watchParameters() {
        ListOptions o = ListOptionsParser.parse(query("watch", "1", "allowWatchBookmarks", "true",
                "resourceVersion", "5", "timeoutSeconds", "0"));
        assertTrue(o.watch());
        assertTrue(o.allowWatchBookmarks());
        assertEquals(0L, o.timeoutSeconds());
        // "?watch" without a value is true, as in kube-apiserver
        assertTrue(ListOptionsParser.parse(query("watch", "")).watch());
        // watch-list (KEP-3157) is served
        ListOptions list = ListOptionsParser.parse(query("watch", "true", "sendInitialEvents", "true",
                "resourceVersionMatch", "NotOlderThan", "allowWatchBookmarks", "true"));
        assertEquals(Boolean.TRUE, list.sendInitialEvents());
        assertEquals("NotOlderThan", list.resourceVersionMatch());
        // the /watch/ path form is a watch whatever "watch" says, and validated as one
        assertTrue(ListOptionsParser.parse(query("watch", "false"), true).watch());
        assertEquals(Boolean.FALSE, ListOptionsParser.parse(query("sendInitialEvents", "false",
                "resourceVersionMatch", "NotOlderThan"), true).sendInitialEvents());
    }

    @ParameterizedTest
    @CsvSource({"1,true", "t,true", "T,true", "true,true", "TRUE,true", "True,true",
            "0,false", "f,false", "F,false", "false,false", "FALSE,false", "False,false"})
    void booleansAsGoParseBool(String value, boolean expected) {
        assertEquals(expected, ListOptionsParser.parse(query("watch", value)).watch());
    }

    @Test
    void emptyValuesMeanAbsentWhereThatIsHarmless() {
        ListOptions o = ListOptionsParser.parse(query("labelSelector", "", "fieldSelector", "", "continue", "",
                "resourceVersion", "", "resourceVersionMatch", "", "includeObject", ""));
        assertEquals(ListOptions.DEFAULTS, o);
    }

    @Test
    void continueIsPassedThroughWithResourceVersionZero() {
        ListOptions o = ListOptionsParser.parse(query("continue", "abc", "limit", "0", "resourceVersion", "0"));
        assertEquals("abc", o.continueToken());
        assertEquals(0, o.limit());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of(query("limit", "abc"), "limit: Invalid value: \"abc\": must be a non-negative integer"),
                Arguments.of(query("limit", "-1"), "limit: Invalid value: \"-1\": must be a non-negative integer"),
                Arguments.of(query("limit", ""), "limit: Invalid value: \"\": must be a non-negative integer"),
                Arguments.of(query("limit", "1.5"), "limit: Invalid value: \"1.5\": must be a non-negative integer"),
                Arguments.of(query("limit", "99999999999999999999"),
                        "limit: Invalid value: \"99999999999999999999\": must be a non-negative integer"),
                Arguments.of(query("limit", "1", "limit", "2"), "limit: Invalid value: [\"1\",\"2\"]: must not be given more than once"),
                Arguments.of(query("timeoutSeconds", "-5"), "timeoutSeconds: Invalid value: \"-5\": must be a non-negative integer"),
                Arguments.of(query("timeoutSeconds", "5s"), "timeoutSeconds: Invalid value: \"5s\": must be a non-negative integer"),
                Arguments.of(query("watch", "yes"), "watch: Invalid value: \"yes\": must be true or false"),
                Arguments.of(query("allowWatchBookmarks", "on"), "allowWatchBookmarks: Invalid value: \"on\": must be true or false"),
                Arguments.of(query("pretty", "\u0000"), "pretty: Invalid value: \"\\x00\": must be true or false"),
                Arguments.of(query("labelSelector", "a", "labelSelector", "b"),
                        "labelSelector: Invalid value: [\"a\",\"b\"]: must not be given more than once"),
                Arguments.of(query("labelSelector", "a b"), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
                Arguments.of(query("fieldSelector", "spec.x=1"),
                        "\"spec.x\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""),
                Arguments.of(query("includeObject", "Everything"), "unrecognized includeObject value: \"Everything\""),
                Arguments.of(query("includeObject", "none"), "unrecognized includeObject value: \"none\""),
                Arguments.of(query("resourceVersion", "abc"), "invalid resource version: resourceVersion: Invalid value: "
                        + "\"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax"),
                Arguments.of(query("resourceVersion", "-1"), "invalid resource version: resourceVersion: Invalid value: "
                        + "\"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax"),
                Arguments.of(query("resourceVersion", "18446744073709551616"), "invalid resource version: resourceVersion: "
                        + "Invalid value: \"18446744073709551616\": strconv.ParseUint: parsing \"18446744073709551616\": value out of range"),
                Arguments.of(query("resourceVersionMatch", "NotOlderThan"),
                        INVALID + "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"),
                Arguments.of(query("resourceVersion", "5", "resourceVersionMatch", "Newest"),
                        INVALID + "resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\""),
                Arguments.of(query("resourceVersion", "0", "resourceVersionMatch", "Exact"),
                        INVALID + "resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""),
                Arguments.of(query("resourceVersionMatch", "exact", "continue", "x"),
                        INVALID + "[resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided, "
                                + "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided, "
                                + "resourceVersionMatch: Unsupported value: \"exact\": supported values: \"Exact\", \"NotOlderThan\", \"\"]"),
                Arguments.of(query("sendInitialEvents", "true"),
                        INVALID + "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"),
                Arguments.of(query("watch", "true", "resourceVersionMatch", "NotOlderThan"),
                        INVALID + "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"),
                Arguments.of(query("watch", "true", "sendInitialEvents", "true"),
                        INVALID + "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"),
                Arguments.of(query("watch", "true", "sendInitialEvents", "false", "resourceVersionMatch", "Exact"),
                        INVALID + "[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, "
                                + "resourceVersionMatch: Unsupported value: \"Exact\": supported values: \"NotOlderThan\"]"),
                Arguments.of(query("continue", "x", "resourceVersion", "5"),
                        "specifying resource version is not allowed when using continue"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsWithMessagesNamingTheParameter(Map<String, List<String>> query, String message) {
        ApiException e = assertThrows(ApiException.class, () -> ListOptionsParser.parse(query));
        assertEquals(400, e.code());
        assertEquals(message, e.getMessage());
    }

    @Test
    void nullValueListsAndNullValuesAreTolerated() {
        Map<String, List<String>> q = new HashMap<>();
        q.put("limit", null);
        q.put("labelSelector", List.of());
        assertEquals(ListOptions.DEFAULTS, ListOptionsParser.parse(q));
        Map<String, List<String>> watch = new HashMap<>();
        watch.put("watch", java.util.Collections.singletonList(null));
        assertTrue(ListOptionsParser.parse(watch).watch());
    }

    @Test
    void requireResourceVersionParsesUnsignedDecimal() {
        assertEquals(1795305262000L, ListOptionsParser.requireResourceVersion("1795305262000"));
        assertEquals(-1L, ListOptionsParser.requireResourceVersion("18446744073709551615"));
        assertThrows(ApiException.class, () -> ListOptionsParser.requireResourceVersion("+1"));
        assertThrows(ApiException.class, () -> ListOptionsParser.requireResourceVersion("١٢٣")); // Arabic-Indic digits
    }
}
