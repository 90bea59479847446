package dev.presize.apimachinery;

import dev.presize.api.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class LabelSelectorTest {

    private static final String NAME_PART_ERR = "name part must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private static final String VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric characters, "
            + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
            + "or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    private static final String PREFIX_ERR = "prefix part a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private static final String GT_INT = "for 'Gt', 'Lt' operators, the value must be an integer";

    static Stream<Arguments> valid() {
        return Stream.of(
                // selector, canonical form
                Arguments.of("", ""),
                Arguments.of("   \t\r\n", ""),
                Arguments.of("app=web", "app=web"),
                Arguments.of("app==web", "app==web"),
                Arguments.of("app!=web", "app!=web"),
                Arguments.of("app", "app"),
                Arguments.of("!app", "!app"),
                Arguments.of("x in (b,a)", "x in (a,b)"),
                Arguments.of("x notin ()", "x notin ()"),
                Arguments.of("x in (,a)", "x in (,a)"),
                Arguments.of("x in (a,,b)", "x in (,a,b)"),
                Arguments.of("x in (a,)", "x in (,a)"),
                Arguments.of("x in (in,notin)", "x in (in,notin)"),
                Arguments.of("in in (in)", "in in (in)"),
                Arguments.of("x>1", "x>1"),
                Arguments.of("x<5", "x<5"),
                Arguments.of("x=", "x="),
                Arguments.of(" b = 1 , a in ( x , y ) ", "a in (x,y),b=1"),
                Arguments.of("example.com/app=web,k8s.io/x", "example.com/app=web,k8s.io/x"),
                Arguments.of("a.b_c-d=E.f_G-9", "a.b_c-d=E.f_G-9"),
                // upstream's lexer swallows a NUL that ends an operator or identifier
                Arguments.of("a=b,\u0000c", "a=b,c"));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void parsesValidSelectors(String selector, String canonical) {
        assertEquals(canonical, LabelSelector.parse(selector).toString());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("app:monolith", "unable to parse requirement: <nil>: Invalid value: \"app:monolith\": " + NAME_PART_ERR),
                Arguments.of("app.kubernetes_io/name=x", "unable to parse requirement: <nil>: Invalid value: "
                        + "\"app.kubernetes_io/name\": " + PREFIX_ERR),
                Arguments.of("/x", "unable to parse requirement: <nil>: Invalid value: \"/x\": prefix part must be non-empty"),
                Arguments.of("a/", "unable to parse requirement: <nil>: Invalid value: \"a/\": name part must be non-empty; "
                        + NAME_PART_ERR),
                Arguments.of("a/b/c=d", "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a valid label key "
                        + "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                        + "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                        + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
                        + "(e.g. 'example.com/MyName')"),
                Arguments.of("a".repeat(64), "unable to parse requirement: <nil>: Invalid value: \"" + "a".repeat(64)
                        + "\": name part must be no more than 63 characters"),
                Arguments.of("k=" + "v".repeat(64), "unable to parse requirement: values[0][k]: Invalid value: \""
                        + "v".repeat(64) + "\": must be no more than 63 characters"),
                Arguments.of("k=-v", "unable to parse requirement: values[0][k]: Invalid value: \"-v\": " + VALUE_ERR),
                Arguments.of("k in (b,-a)", "unable to parse requirement: values[0][k]: Invalid value: \"-a\": " + VALUE_ERR),
                Arguments.of("x>abc", "unable to parse requirement: values[0]: Invalid value: \"abc\": " + GT_INT),
                Arguments.of("x<", "unable to parse requirement: values[0]: Invalid value: \"\": " + GT_INT),
                // "-5" is an integer but not a valid label value, so upstream rejects it
                Arguments.of("x<-5", "unable to parse requirement: values[0][x]: Invalid value: \"-5\": " + VALUE_ERR),
                Arguments.of("x>99999999999999999999", "unable to parse requirement: values[0]: Invalid value: "
                        + "\"99999999999999999999\": " + GT_INT),
                Arguments.of("x>a-", "unable to parse requirement: [values[0]: Invalid value: \"a-\": " + GT_INT
                        + ", values[0][x]: Invalid value: \"a-\": " + VALUE_ERR + "]"),
                Arguments.of("x=a b", "found 'b', expected: ',' or 'end of string'"),
                Arguments.of("a=b=c", "found '=', expected: ',' or 'end of string'"),
                Arguments.of("!x=y", "found '=', expected: ',' or 'end of string'"),
                Arguments.of("x in a", "unable to parse requirement: found 'a' expected: '('"),
                Arguments.of("x in (a,b", "unable to parse requirement: found '', expected: ',' or ')'"),
                Arguments.of("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
                Arguments.of("x in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
                Arguments.of("x in (,=)", "unable to parse requirement: found '=', expected: ',', or identifier"),
                Arguments.of("x y", "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"),
                Arguments.of("x=(a)", "unable to parse requirement: found '(', expected: identifier"),
                Arguments.of("x=>1", "unable to parse requirement: found '>', expected: identifier"),
                Arguments.of("!", "unable to parse requirement: found '', expected: identifier"),
                Arguments.of("!=x", "found '!=', expected: !, identifier, or 'end of string'"),
                Arguments.of(",", "found ',', expected: !, identifier, or 'end of string'"),
                Arguments.of("x,", "found '', expected: identifier after ','"),
                Arguments.of("x,,y", "found ',', expected: identifier after ','"),
                // hostile: unicode, control characters, NUL (upstream's lexer reads NUL as end of input)
                Arguments.of("ключ=v", "unable to parse requirement: <nil>: Invalid value: \"ключ\": " + NAME_PART_ERR),
                Arguments.of("a\u0001=b", "unable to parse requirement: <nil>: Invalid value: \"a\\x01\": " + NAME_PART_ERR),
                Arguments.of("a\u200b=b", "unable to parse requirement: <nil>: Invalid value: \"a\\u200b\": " + NAME_PART_ERR),
                Arguments.of("a=b, \u0000c", "found '', expected: identifier after ','"),
                Arguments.of("a=b\u0000c", "found 'c', expected: ',' or 'end of string'"),
                Arguments.of("a=\"b\"", "unable to parse requirement: values[0][a]: Invalid value: \"\\\"b\\\"\": " + VALUE_ERR),
                Arguments.of("a=%zz", "unable to parse requirement: values[0][a]: Invalid value: \"%zz\": " + VALUE_ERR),
                Arguments.of("a=\ufffd", "unable to parse requirement: values[0][a]: Invalid value: \"\ufffd\": " + VALUE_ERR));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsInvalidSelectorsWithUpstreamMessages(String selector, String message) {
        ApiException e = assertThrows(ApiException.class, () -> LabelSelector.parse(selector));
        assertEquals(400, e.code());
        assertEquals("BadRequest", e.reason());
        assertEquals(message, e.getMessage());
    }

    static Stream<Arguments> matching() {
        Map<String, String> web = Map.of("app", "web", "tier", "frontend", "replicas", "3", "empty", "");
        return Stream.of(
                Arguments.of("", web, true),
                Arguments.of("", null, true),
                Arguments.of("app=web", web, true),
                Arguments.of("app==web", web, true),
                Arguments.of("app=db", web, false),
                Arguments.of("app!=db", web, true),
                Arguments.of("app!=web", web, false),
                Arguments.of("missing!=x", web, true),
                Arguments.of("app in (db,web)", web, true),
                Arguments.of("app in (db)", web, false),
                Arguments.of("missing in (x)", web, false),
                Arguments.of("app notin (db)", web, true),
                Arguments.of("app notin (web)", web, false),
                Arguments.of("missing notin (x)", web, true),
                Arguments.of("app", web, true),
                Arguments.of("missing", web, false),
                Arguments.of("!app", web, false),
                Arguments.of("!missing", web, true),
                Arguments.of("!missing", null, true),
                Arguments.of("app", null, false),
                Arguments.of("empty=", web, true),
                Arguments.of("empty", web, true),
                Arguments.of("missing=", web, false),
                Arguments.of("x in (,a)", Map.of("x", ""), true),
                Arguments.of("replicas>2", web, true),
                Arguments.of("replicas>3", web, false),
                Arguments.of("replicas<4", web, true),
                Arguments.of("replicas<3", web, false),
                Arguments.of("app>1", web, false),
                Arguments.of("missing<1", web, false),
                Arguments.of("app=web,tier=frontend", web, true),
                Arguments.of("app=web,tier=backend", web, false),
                Arguments.of("app=web,!tier", web, false));
    }

    @ParameterizedTest
    @MethodSource("matching")
    void matchesLikeUpstream(String selector, Map<String, String> labels, boolean expected) {
        assertEquals(expected, LabelSelector.parse(selector).matches(labels));
    }

    @Test
    void emptyAndNullSelectEverything() {
        assertTrue(LabelSelector.parse(null).isEmpty());
        assertTrue(LabelSelector.parse("").isEmpty());
        assertTrue(LabelSelector.everything().matches(null));
        assertFalse(LabelSelector.parse("a").isEmpty());
    }

    @Test
    void requirementsAreSortedByKeyWithDistinctSortedValues() {
        LabelSelector s = LabelSelector.parse("z in (b,a,b),a=1");
        assertEquals("a", s.requirements().get(0).key());
        assertEquals(LabelSelector.Operator.IN, s.requirements().get(1).operator());
        assertEquals(java.util.List.of("a", "b"), s.requirements().get(1).values());
    }

    @Test
    void refusesOverlongSelectorsBeforeParsing() {
        String longest = "a=" + "b".repeat(LabelSelector.MAX_LENGTH - 2);
        assertThrows(ApiException.class, () -> LabelSelector.parse(longest)); // parses, value too long
        ApiException e = assertThrows(ApiException.class, () -> LabelSelector.parse(longest + "b"));
        assertEquals("unable to parse requirement: the label selector is 10001 characters long; at most 10000 are allowed",
                e.getMessage());
    }

    @Test
    void refusesTooManyRequirements() {
        StringBuilder ok = new StringBuilder("k0");
        for (int i = 1; i < LabelSelector.MAX_REQUIREMENTS; i++) {
            ok.append(",k").append(i);
        }
        assertEquals(LabelSelector.MAX_REQUIREMENTS, LabelSelector.parse(ok.toString()).requirements().size());
        ApiException e = assertThrows(ApiException.class, () -> LabelSelector.parse(ok + ",extra"));
        assertEquals("unable to parse requirement: the label selector has more than 100 requirements", e.getMessage());
    }

    @Test
    void hostileSelectorsAreCheap() {
        // a huge value set, a prefix that makes a backtracking regex explode, many operators
        String bigSet = "k in (" + "a,".repeat(4_900) + "b)";
        String prefix = "a-".repeat(4_000) + "/x";
        String operators = "a" + "=".repeat(9_000);
        String noCommaValues = "k in (" + "x ".repeat(4_000) + ")";
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            labels.put("l" + i, "v" + i);
        }
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(2), () -> {
            LabelSelector s = LabelSelector.parse(bigSet);
            for (int i = 0; i < 10_000; i++) {
                s.matches(Map.of("k", "b"));
            }
            assertThrows(ApiException.class, () -> LabelSelector.parse(prefix));
            assertThrows(ApiException.class, () -> LabelSelector.parse(operators));
            assertThrows(ApiException.class, () -> LabelSelector.parse(noCommaValues));
            assertFalse(LabelSelector.parse("a,b,c").matches(labels));
        });
    }
}
