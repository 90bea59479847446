package dev.presize.e2e;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of hostile requests {@link HostileInputTest} sends, generated from lists of bad values
 * crossed with the places they can go (name, namespace, every list parameter, headers, methods,
 * transports). Every case says what the answer must be; what "served" means for the few requests
 * that are strange but harmless (and that kube-apiserver serves too) is written next to them.
 */
final class HostileCases {

    static final String BASE = "/apis/presize.dev/v1beta1";
    /** An object the demo always has. */
    static final String OBJECT = BASE + "/namespaces/shop/requests/web";
    static final String LIST_NS = BASE + "/namespaces/shop/requests";
    static final String LIST_ALL = BASE + "/requests";
    static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

    enum Via {
        /** java.net.http over TLS with ALPN h2. */
        H2,
        /** java.net.http over TLS, HTTP/1.1. */
        H1,
        /** Exact bytes over an SSLSocket (or plain TCP), for what java.net.http will not send. */
        RAW
    }

    enum Outcome {
        /** Exactly this code and reason, as a Status (HEAD: the code, no body). */
        STATUS,
        /** Some 4xx Status: the exact code is not part of the contract (e.g. watch not implemented yet). */
        CLIENT_ERROR,
        /** Past the size limits: 413 or 431, as a Status or (HTTP/2 header lists) Netty's empty 431. */
        TOO_LARGE,
        /** Harmless and served normally, as kube-apiserver does; the body must be the resource asked for. */
        SERVED,
        /** Raw only: no request ever completed (nothing to answer), or the connection is closed; or a 4xx Status. */
        CLOSED_OR_CLIENT_ERROR,
        /** Raw only: the TLS handshake is refused. */
        HANDSHAKE_REFUSED
    }

    /** @param served for SERVED: the {@code kind} of the JSON answer, or the exact text body */
    record Expect(Outcome outcome, int code, String reason, String served) {

        static Expect status(int code, String reason) {
            return new Expect(Outcome.STATUS, code, reason, null);
        }

        static Expect badRequest() {
            return status(400, "BadRequest");
        }

        static Expect notFound() {
            return status(404, "NotFound");
        }

        static Expect methodNotAllowed() {
            return status(405, "MethodNotAllowed");
        }

        static Expect notAcceptable() {
            return status(406, "NotAcceptable");
        }

        static Expect clientError() {
            return new Expect(Outcome.CLIENT_ERROR, 0, null, null);
        }

        static Expect tooLarge() {
            return new Expect(Outcome.TOO_LARGE, 0, null, null);
        }

        static Expect served(String kindOrText) {
            return new Expect(Outcome.SERVED, 200, null, kindOrText);
        }

        static Expect closedOrClientError() {
            return new Expect(Outcome.CLOSED_OR_CLIENT_ERROR, 0, null, null);
        }

        static Expect handshakeRefused() {
            return new Expect(Outcome.HANDSHAKE_REFUSED, 0, null, null);
        }

        /** True for every outcome in which the request is refused rather than served. */
        boolean refuses() {
            return outcome != Outcome.SERVED;
        }

        String describe() {
            return switch (outcome) {
                case STATUS -> code + " " + reason;
                case CLIENT_ERROR -> "4xx Status";
                case TOO_LARGE -> "413/431";
                case SERVED -> "served (" + served + ")";
                case CLOSED_OR_CLIENT_ERROR -> "closed or 4xx";
                case HANDSHAKE_REFUSED -> "handshake refused";
            };
        }
    }

    /**
     * One request. For H2/H1: {@code method}, {@code target} (path and query exactly as sent),
     * {@code headers} (name, value, name, value...), {@code body} (null: none). For RAW: {@code raw}
     * and {@code tls}.
     */
    record Case(String group, String label, Via via, String method, String target, List<String> headers,
                byte[] body, byte[] raw, RawHttps.Tls tls, Expect expect) {

        String displayName() {
            return "[" + via + "] " + group + ": " + label + " → " + expect.describe();
        }
    }

    private final List<Case> cases = new ArrayList<>();

    private HostileCases() {
    }

    static List<Case> all() {
        HostileCases t = new HostileCases();
        t.names();
        t.namespaces();
        t.traversal();
        t.listParameters();
        t.watchParameters();
        t.hugeInputs();
        t.acceptHeaders();
        t.otherHeaders();
        t.bodiesOnGet();
        t.methods();
        t.head();
        t.rawRequests();
        t.tls();
        return List.copyOf(t.cases);
    }

    // ---- names and namespaces -------------------------------------------------------------------

    /** Path segments (already percent-encoded as sent) that are not DNS-1123 subdomains. */
    static final List<String> BAD_NAMES = List.of(
            "Bad_Name", "UPPER", "-leading-dash", "trailing-dash-", "trailing-dot.", ".leading-dot", "a..b", "a_b",
            "a%20b", "%20", "%00", "a%00b", "%0D%0AX-Injected:%201", "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "%C3%A9t%C3%A9", "%F0%9F%98%80", "%E2%80%AEevil", "a".repeat(254), "%2E", "%2E%2E", "a%2Fb", "a%5Cb",
            "a:b", "a%3Bb", "%2A", "a@b", "~", "a%25b", "q%3Fx%3D1", "a%09b", "a%FFb", "%C0%AE%C0%AE", "%252E%252E",
            "a%23frag", "'%20OR%201=1--", "$(id)", "%7B%7D", "a%2Bb");

    /** Path segments that are not DNS-1123 labels. */
    static final List<String> BAD_NAMESPACES = List.of(
            "Bad_NS", "UPPER", "a.b", "a".repeat(64), "-x", "x-", "%2E%2E", "%2E", "%00", "a%2Fb", "%F0%9F%98%80",
            "a_b", "a%20b", "%0D%0A", "a".repeat(10_000), "kube-system.", "..%2F..", "a%FFb", "%3Cb%3E");

    private void names() {
        for (String name : BAD_NAMES) {
            for (Via via : List.of(Via.H2, Via.H1)) {
                get("invalid name", via, BASE + "/namespaces/shop/requests/" + name, Expect.badRequest());
            }
            get("invalid name as Table", Via.H2, BASE + "/namespaces/shop/requests/" + name, Expect.badRequest(),
                    "Accept", TABLE);
            get("invalid name, watch path", Via.H2, BASE + "/watch/namespaces/shop/requests/" + name, Expect.clientError());
        }
        // Micronaut's router does not route a literal '+' into a path variable: the path matches no
        // route, a 404 NotFound (for kube-apiserver, which does not validate names on reads, too).
        get("'+' in a name", Via.H2, BASE + "/namespaces/shop/requests/a+b", Expect.notFound());
        get("'+' in a name", Via.H1, BASE + "/namespaces/shop/requests/a+b", Expect.notFound());
        // Valid, at the maximal length, and absent: a plain NotFound.
        get("longest valid name", Via.H2, BASE + "/namespaces/shop/requests/" + "a".repeat(253), Expect.notFound());
        get("longest valid name", Via.H1, BASE + "/namespaces/shop/requests/" + "a".repeat(253), Expect.notFound());
    }

    private void namespaces() {
        for (String ns : BAD_NAMESPACES) {
            for (Via via : List.of(Via.H2, Via.H1)) {
                get("invalid namespace, get", via, BASE + "/namespaces/" + ns + "/requests/web", Expect.badRequest());
                get("invalid namespace, list", via, BASE + "/namespaces/" + ns + "/requests", Expect.badRequest());
            }
            get("invalid namespace, list as Table", Via.H2, BASE + "/namespaces/" + ns + "/requests", Expect.badRequest(),
                    "Accept", TABLE);
            // The demo's stand-in for kube-apiserver's namespace GET (DemoNamespacesController).
            get("invalid namespace, demo namespace lookup", Via.H2, "/api/v1/namespaces/" + ns, Expect.badRequest());
        }
        get("longest valid namespace", Via.H2, BASE + "/namespaces/" + "a".repeat(63) + "/requests/web", Expect.notFound());
        get("empty namespace segment", Via.H2, BASE + "/namespaces//requests/web", Expect.notFound());
        get("empty namespace segment, list", Via.H2, BASE + "/namespaces//requests", Expect.notFound());
    }

    // ---- traversal ---------------------------------------------------------------------------

    /** Paths that try to climb out of or around the API; none may reach anything but a 4xx. */
    static final List<String> TRAVERSALS = List.of(
            OBJECT + "/../../../../../livez",
            OBJECT + "/../../../../../../../../etc/passwd",
            BASE + "/namespaces/shop/requests/%2e%2e/%2e%2e/%2e%2e/%2e%2e/livez",
            BASE + "/namespaces/%2e%2e/requests",
            BASE + "/namespaces/shop/requests/..%2f..%2f..%2fmetrics",
            BASE + "/namespaces/shop/requests/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
            BASE + "/namespaces/shop/requests/%252e%252e%252f%252e%252e",
            "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/..;/..;/etc/passwd",
            "//apis/presize.dev/v1beta1/requests",
            "/apis//presize.dev/v1beta1/requests",
            "/apis/presize.dev//v1beta1/requests",
            BASE + "//requests",
            BASE + "/namespaces/shop//requests/web",
            BASE + "/namespaces/shop/requests//web",
            "/apis/presize.dev%2Fv1beta1/requests",
            BASE + "/namespaces%2Fshop%2Frequests",
            BASE + "/namespaces/shop%2Frequests%2Fweb",
            "/apis/./presize.dev/v1beta1/requests/..",
            "/openapi/v3/..%2f..%2f..%2fetc%2fpasswd",
            "/openapi/v3/apis/presize.dev/v1beta1/%2e%2e",
            "/livez/..%2fmetrics",
            "/readyz/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            BASE + "/watch/%2e%2e/%2e%2e/requests",
            BASE + "/namespaces/shop/requests/web/status",
            BASE + "/namespaces/shop/requests/web/..",
            BASE + "/namespaces/shop/requests/web/%2e%2e/%2e%2e/x",
            "/apis/presize.dev/v1beta1/namespaces/shop/requests/web%00.json",
            "/api/v1/namespaces/shop/..%2f..%2f..%2fsecrets",
            "/api/v1/namespaces/kube-system/secrets");

    private void traversal() {
        for (String target : TRAVERSALS) {
            for (Via via : List.of(Via.H2, Via.H1)) {
                get("path traversal", via, target, Expect.clientError());
            }
            raw("path traversal", request("GET", target), Expect.clientError());
        }
        // Dot segments and backslashes that java.net.URI refuses or would not keep as they are.
        for (String target : List.of("/apis\\..\\livez", OBJECT + "/..\\..\\..\\etc\\passwd", "/./../apis",
                BASE + "/namespaces/shop/requests/./web", "/..", "/../../../etc/passwd")) {
            raw("path traversal, literal", request("GET", target), Expect.clientError());
        }
    }

    // ---- list parameters -----------------------------------------------------------------------

    /** Garbage for every list parameter (decoded; sent URL-encoded). Each is a 400 BadRequest. */
    static final Map<String, List<String>> BAD_PARAMETERS = badParameters();

    private static Map<String, List<String>> badParameters() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("labelSelector", List.of("app in (a", "a=b=c", "!", "x notin", "-bad-=1", "a=(b", "k in (a b)", "a>b", "=",
                "==", "!=", ",", ",,", "a=" + "v".repeat(64), "k".repeat(64) + "=v", "a/b/c=1", "a=b)", "(((", "ключ=1", "a=b;c=d", "a notin (x),!", "a>1x", "a<", "x in (a),(", "a=b c"));
        m.put("fieldSelector", List.of("spec.nodeName=x", "metadata.name", "=x", "metadata.uid=1", "status.phase=Running",
                "metadata.name~x", "metadata.labels.app=x", "\u0000=x", "metadata.name=a,spec.x=y", "metadata.namespace in (a)",
                "metadata.name>1"));
        m.put("limit", List.of("abc", "-1", "1.5", "1e3", "0x10", "99999999999999999999", "-9223372036854775809", " 1",
                "+-1", "\u0661", "NaN", "Infinity", "1 OR 1=1"));
        m.put("continue", List.of("not-a-token", "====", "\u0000", b64("{}"), b64("[1,2]"), b64("null"),
                b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"../../etc/passwd\\u0000\"}"),
                b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":1e400,\"start\":\"a/b\\u0000\"}"),
                b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":\"1\",\"start\":\"a/b\\u0000\"}"),
                b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":{}}"),
                b64("{\"v\":\"x\"}"), b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"\"}"),
                b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"a/b\\u0000\",}"),
                // Deep nesting in a token short enough to be decoded: must not overflow the parser's stack.
                b64("[".repeat(3000)), b64("{\"a\":".repeat(700)), "A".repeat(4097)));
        m.put("resourceVersion", List.of("yesterday", "-1", "1.0", "18446744073709551616", "0x1", " 1", "1 ", "\u0000",
                "1e9", "\uFF11"));
        m.put("resourceVersionMatch", List.of("garbage", "Exact", "NotOlderThan", "\u0000"));
        m.put("timeoutSeconds", List.of("abc", "-1", "1.5", "99999999999999999999", "1s", "1e2"));
        m.put("watch", List.of("maybe", "2", "yes", "tru", "\u0000", "truee", "-1"));
        m.put("allowWatchBookmarks", List.of("maybe", "2", "\u0000", "on"));
        m.put("sendInitialEvents", List.of("maybe", "true", "false", "\u0000"));
        m.put("pretty", List.of("maybe", "2", "on"));
        m.put("includeObject", List.of("Everything", "none", "OBJECT", "\u0000"));
        return m;
    }

    /** A valid value per parameter, for the "given twice" cases. */
    static final Map<String, String> VALID = Map.ofEntries(
            Map.entry("labelSelector", "app=web"), Map.entry("fieldSelector", "metadata.name=web"),
            Map.entry("limit", "1"), Map.entry("continue", ""), Map.entry("resourceVersion", "0"),
            Map.entry("resourceVersionMatch", "NotOlderThan"), Map.entry("timeoutSeconds", "5"),
            Map.entry("watch", "false"), Map.entry("allowWatchBookmarks", "false"),
            Map.entry("sendInitialEvents", "false"), Map.entry("pretty", "false"), Map.entry("includeObject", "None"));

    private void listParameters() {
        BAD_PARAMETERS.forEach((param, values) -> {
            for (String value : values) {
                String q = "?" + param + "=" + enc(value);
                get(param + " garbage", Via.H2, LIST_ALL + q, Expect.badRequest());
                get(param + " garbage", Via.H2, LIST_NS + q, Expect.badRequest());
                get(param + " garbage", Via.H1, LIST_ALL + q, Expect.badRequest());
            }
            String v = VALID.get(param);
            get(param + " given twice", Via.H2, LIST_ALL + "?" + param + "=" + enc(v) + "&" + param + "=" + enc(v),
                    Expect.badRequest());
        });
        // Parameters kube-apiserver validates together.
        for (String q : List.of("resourceVersion=0&resourceVersionMatch=Exact", "resourceVersion=1&resourceVersionMatch=Bogus",
                "continue=x&resourceVersionMatch=NotOlderThan", "limit=1&continue=" + enc(b64("{}")) + "&resourceVersion=5")) {
            get("inconsistent list parameters", Via.H2, LIST_ALL + "?" + q, Expect.badRequest());
        }
        // Strange but valid selectors, read exactly as k8s.io/apimachinery's labels.Parse reads them:
        // "in" is a key (Exists), "()" is the set {""}, and a NUL ends the input as its lexer's end of
        // string does (so "\0" selects everything and "a=\0" is a="").
        for (String selector : List.of("in", "a in ()", "\u0000", "a=\u0000")) {
            get("odd but valid label selector", Via.H2, LIST_ALL + "?labelSelector=" + enc(selector), Expect.served("RequestsList"));
        }
        // A continue token with a negative resourceVersion asks for the latest snapshot, as in
        // k8s.io/apiserver's etcd3 store ("If continueRV < 0, the request is for the latest
        // resource version"): served.
        get("continue token with resourceVersion -1", Via.H2, LIST_ALL + "?limit=1&continue="
                + b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":-1,\"start\":\"a/b\\u0000\"}"), Expect.served("RequestsList"));
        // Unknown parameters are ignored, as kube-apiserver ignores them, however strange.
        for (String q : List.of("foo=%00", "Limit=-1", "%00=%00", "labelselector=(((", "a=" + "b".repeat(5000), "=", "&&&", "?")) {
            get("unknown parameter (ignored)", Via.H2, LIST_ALL + "?" + q, Expect.served("RequestsList"));
        }
    }

    /**
     * Watch requests that are malformed whichever way watch is served: until watch lands they are a
     * 405 or a 400, afterwards a 400; never a stream, a hang or a 5xx.
     */
    private void watchParameters() {
        List<String> queries = List.of(
                "watch=true&labelSelector=" + enc("app in (a"), "watch=1&fieldSelector=" + enc("spec.x=y"),
                "watch=true&resourceVersion=abc", "watch=true&resourceVersion=-1", "watch=true&timeoutSeconds=-5",
                "watch=true&timeoutSeconds=abc", "watch=true&allowWatchBookmarks=maybe",
                "watch=true&sendInitialEvents=true", "watch=true&resourceVersionMatch=Exact",
                "watch=true&sendInitialEvents=true&resourceVersionMatch=Exact",
                "watch=true&limit=-1", "watch=true&watch=true", "watch=true&includeObject=Everything",
                "watch=true&continue=" + enc("not-a-token") + "&resourceVersionMatch=NotOlderThan");
        for (String q : queries) {
            get("malformed watch", Via.H2, LIST_ALL + "?" + q, Expect.clientError());
            get("malformed watch", Via.H2, LIST_NS + "?" + q, Expect.clientError());
            get("malformed watch", Via.H1, LIST_NS + "?" + q, Expect.clientError());
        }
        for (String q : List.of("labelSelector=" + enc("a=(b"), "resourceVersion=x", "timeoutSeconds=-1", "sendInitialEvents=true")) {
            get("malformed watch, path form", Via.H2, BASE + "/watch/requests?" + q, Expect.clientError());
            get("malformed watch, path form", Via.H2, BASE + "/watch/namespaces/shop/requests?" + q, Expect.clientError());
            get("malformed watch, path form", Via.H2, BASE + "/watch/namespaces/" + "Bad_NS" + "/requests?" + q,
                    Expect.clientError());
        }
    }

    // ---- huge inputs ---------------------------------------------------------------------------

    private void hugeInputs() {
        String longSelector = "a=b,".repeat(2501);                              // 10 004 characters
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= 100; i++) {
            many.append(i == 0 ? "" : ",").append("k").append(i).append("=v");   // 101 requirements
        }
        String hundredK = "a".repeat(100_000);
        get("label selector past 10 000 characters", Via.H2, LIST_ALL + "?labelSelector=" + enc(longSelector), Expect.badRequest());
        get("label selector past 10 000 characters", Via.H1, LIST_NS + "?labelSelector=" + "a".repeat(10_001),
                Expect.badRequest());
        get("label selector with 101 requirements", Via.H2, LIST_ALL + "?labelSelector=" + enc(many.toString()), Expect.badRequest());
        get("label selector with 101 requirements", Via.H1, LIST_NS + "?labelSelector=" + enc(many.toString()), Expect.badRequest());
        get("100 000-character label selector", Via.H2, LIST_ALL + "?labelSelector=" + hundredK, Expect.badRequest());
        // HTTP/1.1 request lines are capped at 16 KiB (micronaut.server.netty.max-initial-line-length).
        get("100 000-character label selector", Via.H1, LIST_ALL + "?labelSelector=" + hundredK, Expect.clientError());
        get("5 000 nested parentheses", Via.H2, LIST_ALL + "?labelSelector=" + enc("a in " + "(".repeat(5000)), Expect.badRequest());
        get("10 000 values in one set", Via.H2, LIST_ALL + "?labelSelector=" + enc("a in (" + "x,".repeat(10_000) + "x)"),
                Expect.badRequest());
        get("100 000-character field selector value", Via.H2, LIST_ALL + "?fieldSelector=" + enc("spec.x=" + hundredK),
                Expect.badRequest());
        get("100 000-character field selector name", Via.H2, LIST_ALL + "?fieldSelector=" + enc("metadata.name=" + hundredK),
                Expect.badRequest());
        get("100 000-character continue token", Via.H2, LIST_ALL + "?limit=1&continue=" + hundredK, Expect.badRequest());
        get("100 000-character name", Via.H2, BASE + "/namespaces/shop/requests/" + hundredK, Expect.badRequest());
        get("100 000-character namespace", Via.H2, BASE + "/namespaces/" + hundredK + "/requests", Expect.badRequest());
        get("100 000-character path", Via.H2, BASE + "/" + hundredK, Expect.notFound());
        get("20 000-character path", Via.H1, BASE + "/" + "a".repeat(20_000), Expect.clientError());
        StringBuilder params = new StringBuilder("?");
        for (int i = 0; i < 10_000; i++) {
            params.append(i == 0 ? "" : "&").append('p').append(i).append("=1");
        }
        get("10 000 unknown parameters (ignored)", Via.H2, LIST_ALL + params, Expect.served("RequestsList"));
        get("limit given 10 000 times", Via.H2, LIST_ALL + "?" + "limit=1&".repeat(10_000) + "limit=1", Expect.badRequest());
        // Past the 1 MiB header list (HTTP/2 carries the path in it; up to 1.25 MiB Netty answers 431,
        // beyond it ends the connection with GOAWAY) and past the 16 KiB request line.
        get("1.1 MiB path", Via.H2, BASE + "/namespaces/shop/requests/" + "a".repeat(1_100_000), Expect.tooLarge());
        get("2 MiB path", Via.H2, BASE + "/namespaces/shop/requests/" + "a".repeat(2 << 20), Expect.tooLarge());
        raw("2 MiB request line", request("GET", LIST_ALL + "?labelSelector=" + "a".repeat(2 << 20)), Expect.tooLarge());
    }

    // ---- headers -------------------------------------------------------------------------------

    /** Accept values with nothing Presize can serve: a 406 NotAcceptable everywhere. */
    static final List<String> BAD_ACCEPT = List.of("text/html", "image/png", "application/xml",
            "application/vnd.kubernetes.protobuf", "application/json;as=Table;g=meta.k8s.io;v=v9",
            "application/json;as=Banana;g=meta.k8s.io;v=v1", "application/json;as=Table;g=evil.io;v=v1", ";;;", ",,,",
            "application/", "/", "text/*", "x".repeat(10_000),
            "text/html;q=1, image/png;q=0.5", String.join(",", java.util.Collections.nCopies(1000, "text/plain;q=0.1")),
            "application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io", "application/json;g=apidiscovery.k8s.io;v=v9;as=APIGroupDiscoveryList");

    private void acceptHeaders() {
        for (String accept : BAD_ACCEPT) {
            get("unservable Accept", Via.H2, OBJECT, Expect.notAcceptable(), "Accept", accept);
            get("unservable Accept", Via.H2, LIST_ALL, Expect.notAcceptable(), "Accept", accept);
            get("unservable Accept", Via.H1, LIST_NS, Expect.notAcceptable(), "Accept", accept);
            get("unservable Accept", Via.H2, BASE, Expect.notAcceptable(), "Accept", accept);
        }
        get("two unservable Accept headers", Via.H2, OBJECT, Expect.notAcceptable(), "Accept", "text/html", "Accept", "image/png");
        get("two unservable Accept headers", Via.H1, LIST_ALL, Expect.notAcceptable(), "Accept", "text/html", "Accept", "image/png");
    }

    private void otherHeaders() {
        get("2 MiB header", Via.H2, LIST_ALL, Expect.tooLarge(), "X-Big", "a".repeat(2 << 20));
        get("2 MiB header", Via.H1, LIST_ALL, Expect.tooLarge(), "X-Big", "a".repeat(2 << 20));
        get("three 512 KiB headers", Via.H2, OBJECT, Expect.tooLarge(),
                "X-A", "a".repeat(512 << 10), "X-B", "b".repeat(512 << 10), "X-C", "c".repeat(512 << 10));
        get("three 512 KiB headers", Via.H1, OBJECT, Expect.tooLarge(),
                "X-A", "a".repeat(512 << 10), "X-B", "b".repeat(512 << 10), "X-C", "c".repeat(512 << 10));
        List<String> thousands = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            thousands.add("X-H-" + i);
            thousands.add("v");
        }
        List<String> repeated = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            repeated.add("X-Same");
            repeated.add("value-" + i);
        }
        // Within the 1 MiB kube-apiserver (and Presize) accepts: served.
        get("20 000 headers within 1 MiB", Via.H2, OBJECT, Expect.served("Requests"), thousands.toArray(String[]::new));
        get("20 000 headers within 1 MiB", Via.H1, OBJECT, Expect.served("Requests"), thousands.toArray(String[]::new));
        get("one header repeated 5 000 times", Via.H2, LIST_NS, Expect.served("RequestsList"), repeated.toArray(String[]::new));
        get("600 KiB header", Via.H2, OBJECT, Expect.served("Requests"), "X-Big", "a".repeat(600 << 10));
        // Headers the demo has no use for are ignored (no authentication in --demo).
        for (String[] h : List.of(new String[]{"Authorization", "Bearer " + "x".repeat(5000)},
                new String[]{"Authorization", "Basic %%%"}, new String[]{"X-Remote-User", "system:admin"},
                new String[]{"X-Remote-Group", "system:masters"}, new String[]{"Content-Type", "garbage/garbage;;;"},
                new String[]{"Accept-Encoding", "gzip;q=abc, br;q=-1"}, new String[]{"If-None-Match", "\"" + "x".repeat(10_000)},
                new String[]{"Cookie", "a=" + "%".repeat(1000)}, new String[]{"X-Forwarded-For", "' OR 1=1"},
                new String[]{"Impersonate-User", "system:admin"}, new String[]{"Accept-Language", "*;q=x"})) {
            get("irrelevant header (ignored)", Via.H2, OBJECT, Expect.served("Requests"), h);
        }
        // k8s.io/apiserver's negotiation matches clauses by type and ignores their q; so does Presize.
        for (String accept : List.of("application/json;q=abc", "application/json;q=0", "*/*;q=0", "application/json;q=-1")) {
            get("Accept with an odd q (ignored)", Via.H2, OBJECT, Expect.served("Requests"), "Accept", accept);
        }
    }

    // ---- bodies --------------------------------------------------------------------------------

    private void bodiesOnGet() {
        // kube-apiserver ignores the body of a GET; so does Presize.
        byte[] garbage = new byte[64 << 10];
        new java.util.Random(1).nextBytes(garbage);
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("JSON", "{\"kind\":\"Requests\",\"metadata\":{\"name\":\"evil\"}}".getBytes(StandardCharsets.UTF_8));
        bodies.put("64 KiB of random bytes", garbage);
        bodies.put("1 MiB of zeros", new byte[1 << 20]);
        for (var e : bodies.entrySet()) {
            for (Via via : List.of(Via.H2, Via.H1)) {
                add("body on GET (ignored)", e.getKey(), via, "GET", OBJECT, List.of("Content-Type", "application/json"),
                        e.getValue(), Expect.served("Requests"));
                add("body on GET (ignored)", e.getKey(), via, "GET", LIST_ALL, List.of(), e.getValue(), Expect.served("RequestsList"));
            }
        }
        add("body on GET with a bad name", "JSON", Via.H2, "GET", BASE + "/namespaces/shop/requests/Bad_Name",
                List.of("Content-Type", "application/json"), bodies.get("JSON"), Expect.badRequest());
        // Past the request size limit (Micronaut's 10 MiB): 413 before the body is read. Over HTTP/1.1
        // only: over HTTP/2 java.net.http waits to finish sending a body nobody reads (curl and Go
        // stop at the response), which would test the client, not the server.
        add("body past the size limit", "GET 11 MiB", Via.H1, "GET", OBJECT, List.of(), new byte[11 << 20], Expect.tooLarge());
        add("body past the size limit", "POST 11 MiB", Via.H1, "POST", LIST_ALL, List.of(), new byte[11 << 20], Expect.tooLarge());
        // Write requests whose bodies pass the 64 KiB HTTP/2 flow-control window: refused, and the
        // connection (shared by every later case) must keep working (see UnreadBodyFilter).
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            for (int size : new int[]{100 << 10, 1 << 20}) {
                for (Via via : List.of(Via.H2, Via.H2, Via.H1)) {
                    add("large body on a write", method + " " + (size >> 10) + " KiB", via, method, OBJECT,
                            List.of("Content-Type", "application/json"), new byte[size], Expect.methodNotAllowed());
                }
            }
        }
    }

    // ---- methods -------------------------------------------------------------------------------

    static final List<String> METHODS = List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "MKCOL",
            "LOCK", "COPY", "MOVE", "PURGE", "FOO", "QUERY", "post", "delete");

    private void methods() {
        List<String> served = List.of(OBJECT, LIST_NS, LIST_ALL, BASE, "/apis", "/apis/presize.dev", "/openapi/v2", "/version", "/api", "/api/v1",
                "/livez", "/metrics", "/api/v1/namespaces/shop");
        byte[] json = "{\"apiVersion\":\"presize.dev/v1beta1\",\"kind\":\"Requests\",\"metadata\":{\"name\":\"web\"}}"
                .getBytes(StandardCharsets.UTF_8);
        for (String method : METHODS) {
            boolean withBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
            for (String path : served) {
                add("method", method + " " + path, Via.H2, method, path,
                        withBody ? List.of("Content-Type", "application/merge-patch+json") : List.of(),
                        withBody ? json : null, Expect.methodNotAllowed());
            }
            for (String path : List.of(OBJECT, LIST_ALL)) {
                add("method", method + " " + path, Via.H1, method, path, List.of(), withBody ? json : null,
                        Expect.methodNotAllowed());
            }
            add("method", method + " on an unknown path", Via.H2, method, "/no/such/path", List.of(), null, Expect.clientError());
            add("method", method + " on an invalid name", Via.H2, method, BASE + "/namespaces/shop/requests/Bad_Name",
                    List.of(), null, Expect.clientError());
        }
        // Micronaut reads method names case-insensitively: "get" is served as the GET it is also
        // authorized as (RequestInfoResolver upper-cases the method too), never as something else.
        add("method", "lower-case get", Via.H2, "get", OBJECT, List.of(), null, Expect.served("Requests"));
        add("method", "lower-case get", Via.H1, "get", LIST_ALL, List.of(), null, Expect.served("RequestsList"));
        // java.net.http will not send CONNECT; see rawRequests for it.
        for (String path : List.of(OBJECT, LIST_ALL, BASE)) {
            raw("method", request("CONNECT", path), Expect.clientError());
        }
    }

    private void head() {
        // HEAD answers like GET without a body: the same 4xx, nothing after the headers.
        for (String target : List.of(BASE + "/namespaces/shop/requests/Bad_Name", BASE + "/namespaces/Bad_NS/requests",
                LIST_ALL + "?labelSelector=" + enc("a=(b"), LIST_ALL + "?limit=-1", LIST_ALL + "?continue=x",
                BASE + "/namespaces/shop/requests/nope", "/no/such/path", LIST_ALL + "?watch=maybe", OBJECT + "/../../..")) {
            for (Via via : List.of(Via.H2, Via.H1)) {
                add("HEAD", target, via, "HEAD", target, List.of(), null, Expect.clientError());
            }
        }
    }

    // ---- raw bytes -----------------------------------------------------------------------------

    private void rawRequests() {
        // Bad percent-encoding, which java.net.URI refuses to build.
        for (String bad : List.of("%ZZ", "%", "%2", "%%", "%u0041", "%G0", "a%2", "%%32%65")) {
            raw("bad percent-encoding in the name", request("GET", BASE + "/namespaces/shop/requests/" + bad), Expect.badRequest());
            raw("bad percent-encoding in the namespace", request("GET", BASE + "/namespaces/" + bad + "/requests"), Expect.badRequest());
            raw("bad percent-encoding in a parameter value", request("GET", LIST_ALL + "?labelSelector=" + bad), Expect.badRequest());
            raw("bad percent-encoding in a parameter name", request("GET", LIST_ALL + "?" + bad + "=1"), Expect.badRequest());
        }
        // Bytes no request target may contain.
        Map<String, byte[]> lines = new LinkedHashMap<>();
        lines.put("non-ASCII bytes in the path", bytes("GET " + BASE + "/namespaces/\u00ff\u00fe/requests HTTP/1.1\r\nHost: x\r\n\r\n"));
        lines.put("control character in the path", bytes("GET /apis/\u0001 HTTP/1.1\r\nHost: x\r\n\r\n"));
        lines.put("DEL in the path", bytes("GET /apis/\u007f HTTP/1.1\r\nHost: x\r\n\r\n"));
        lines.put("space in the path", bytes("GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"));
        lines.put("tab in the path", bytes("GET /a\tb HTTP/1.1\r\nHost: x\r\n\r\n"));
        lines.put("no HTTP version (HTTP/0.9)", bytes("GET /livez\r\n\r\n"));
        lines.put("garbage request line", bytes("\u0000\u0001\u0002garbage\r\n\r\n"));
        lines.put("extra token in the request line", bytes("GET /livez HTTP/1.1 extra\r\nHost: x\r\n\r\n"));
        lines.put("header without a colon", bytes("GET /apis HTTP/1.1\r\nHost: x\r\nFoo\r\n\r\n"));
        lines.put("space before the colon", bytes("GET /apis HTTP/1.1\r\nHost: x\r\nFoo : bar\r\n\r\n"));
        lines.put("NUL in a header value", bytes("GET /apis HTTP/1.1\r\nHost: x\r\nFoo: a\u0000b\r\n\r\n"));
        lines.put("invalid header name", bytes("GET /apis HTTP/1.1\r\nHost: x\r\nFo(o: a\r\n\r\n"));
        lines.put("bare LF line endings", bytes("GET /apis HTTP/1.1\nHost: x\n\n"));
        lines.put("negative Content-Length", bytes("GET /apis HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"));
        lines.put("non-numeric Content-Length", bytes("GET /apis HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"));
        lines.put("two different Content-Lengths", bytes("GET /apis HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"));
        lines.put("Content-Length past 2^63", bytes("GET /apis HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"));
        lines.put("HTTP/2 preface on HTTP/1.1", bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        lines.put("request line past 16 KiB", bytes("GET /apis?" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        lines.put("header block past 1 MiB", bytes("GET /apis HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1_100_000) + "\r\n\r\n"));
        for (var e : lines.entrySet()) {
            Expect expect = e.getKey().endsWith("KiB") || e.getKey().endsWith("MiB") ? Expect.tooLarge() : Expect.clientError();
            cases.add(new Case("malformed HTTP/1.1", e.getKey(), Via.RAW, null, null, List.of(), null, e.getValue(),
                    RawHttps.Tls.DEFAULT, expect));
        }
        // Framing that request smuggling plays with: answered once, as one request, never as two.
        Map<String, byte[]> framing = new LinkedHashMap<>();
        framing.put("Content-Length and chunked", bytes("POST " + LIST_ALL + " HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        framing.put("bad chunk size", bytes("POST " + LIST_ALL + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n"));
        framing.put("unknown transfer coding", bytes("POST " + LIST_ALL + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"));
        framing.put("chunked GET with a bad name", bytes("GET " + BASE + "/namespaces/shop/requests/Bad_Name HTTP/1.1\r\nHost: x\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
        framing.put("write method with a body", bytes("DELETE " + OBJECT + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"));
        for (var e : framing.entrySet()) {
            cases.add(new Case("request framing", e.getKey(), Via.RAW, null, null, List.of(), null, e.getValue(),
                    RawHttps.Tls.DEFAULT, Expect.clientError()));
        }
        // Request targets in the other RFC 9112 forms.
        raw("asterisk-form", bytes("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"), Expect.clientError());
        raw("authority-form", bytes("CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n"), Expect.clientError());
        raw("absolute-form with a bad name", bytes("GET https://evil.example" + BASE + "/namespaces/shop/requests/Bad_Name HTTP/1.1\r\n"
                + "Host: evil.example\r\n\r\n"), Expect.badRequest());
        // Netty's HTTP/1 decoder is more lenient than Go's net/http here (which answers 400 or 505):
        // these are served as the request they spell. Presize uses neither the Host header nor the
        // version for anything, so nothing depends on them.
        raw("lower-case protocol name", bytes("GET /livez http/1.1\r\nHost: x\r\n\r\n"), Expect.served("ok"));
        raw("unknown HTTP version", bytes("GET /livez HTTP/9.9\r\nHost: x\r\n\r\n"), Expect.served("ok"));
        raw("HTTP/1.1 without Host", bytes("GET /livez HTTP/1.1\r\n\r\n"), Expect.served("ok"));
        raw("two Host headers", bytes("GET /livez HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), Expect.served("ok"));
        raw("obsolete line folding", bytes("GET /livez HTTP/1.1\r\nHost: x\r\nX-A: b\r\n  c\r\n\r\n"), Expect.served("ok"));
        raw("Expect other than 100-continue", bytes("GET /livez HTTP/1.1\r\nHost: x\r\nExpect: nonsense\r\n\r\n"),
                Expect.served("ok"));
        raw("absolute-form", bytes("GET https://evil.example/livez HTTP/1.1\r\nHost: evil.example\r\n\r\n"), Expect.served("ok"));
        // Nothing that completes a request: the server waits (the request timeout is not this suite's
        // business) or closes; it must not answer garbage or fall over.
        raw("only empty lines", bytes("\r\n\r\n\r\n"), Expect.closedOrClientError());
        raw("only spaces", bytes("   \r\n\r\n"), Expect.closedOrClientError());
        raw("truncated request line", bytes("GET /apis HTT"), Expect.closedOrClientError());
        raw("truncated headers", bytes("GET /apis HTTP/1.1\r\nHost: x\r\nX-Half: "), Expect.closedOrClientError());
        raw("body shorter than Content-Length", bytes("DELETE " + OBJECT + " HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{}"),
                Expect.closedOrClientError());
    }

    // ---- TLS -----------------------------------------------------------------------------------

    private void tls() {
        byte[] badName = request("GET", BASE + "/namespaces/shop/requests/Bad_Name");
        // An IP address carries no SNI; neither do these. The serving certificate does not depend on it.
        for (RawHttps.Tls tls : List.of(RawHttps.Tls.DEFAULT, RawHttps.Tls.sni("evil.example"), RawHttps.Tls.sni("localhost"),
                RawHttps.Tls.sni("x".repeat(60) + ".invalid"), RawHttps.Tls.offering(), RawHttps.Tls.offering("http/1.0", "http/1.1"))) {
            String label = (tls.sni() == null ? "no SNI" : "SNI " + printable(tls.sni(), 40)) + ", ALPN " + tls.alpn();
            cases.add(new Case("TLS", label + ", bad name", Via.RAW, null, null, List.of(), null, badName, tls, Expect.badRequest()));
        }
        for (String version : List.of("TLSv1", "TLSv1.1")) {
            cases.add(new Case("TLS", version + " only", Via.RAW, null, null, List.of(), null, request("GET", "/livez"),
                    RawHttps.Tls.protocols(version), Expect.handshakeRefused()));
        }
        cases.add(new Case("TLS", "plain HTTP to the TLS port", Via.RAW, null, null, List.of(), null, request("GET", "/livez"),
                RawHttps.Tls.plaintext(), Expect.closedOrClientError()));
        cases.add(new Case("TLS", "random bytes instead of a ClientHello", Via.RAW, null, null, List.of(), null,
                randomBytes(4096), RawHttps.Tls.plaintext(), Expect.closedOrClientError()));
        cases.add(new Case("TLS", "a TLS record header announcing 16 MiB", Via.RAW, null, null, List.of(), null,
                new byte[]{0x16, 0x03, 0x01, (byte) 0xff, (byte) 0xff, 0x01, 0x00, 0x00}, RawHttps.Tls.plaintext(),
                Expect.closedOrClientError()));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private void get(String group, Via via, String target, Expect expect, String... headers) {
        add(group, "GET " + target, via, "GET", target, List.of(headers), null, expect);
    }

    private void add(String group, String label, Via via, String method, String target, List<String> headers, byte[] body,
                     Expect expect) {
        if (via != Via.RAW && !sendable(target)) {
            throw new IllegalArgumentException("java.net.http cannot send " + printable(target, 80) + "; use RAW");
        }
        String shown = printable(label, 140) + (headers.isEmpty() ? "" : " with " + printable(headerSummary(headers), 80));
        cases.add(new Case(group, shown, via, method, target, headers, body, null, null, expect));
    }

    private void raw(String group, byte[] request, Expect expect) {
        String head = new String(request, 0, Math.min(request.length, 200), StandardCharsets.ISO_8859_1);
        String line = head.contains("\r\n") ? head.substring(0, head.indexOf("\r\n")) : head;
        cases.add(new Case(group, printable(line, 140), Via.RAW, null, null, List.of(), null, request, RawHttps.Tls.DEFAULT, expect));
    }

    static byte[] request(String method, String target) {
        return bytes(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean sendable(String target) {
        try {
            URI.create("https://127.0.0.1:1" + target);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String headerSummary(List<String> headers) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        long bytes = 0;
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            counts.merge(headers.get(i), 1, Integer::sum);
            bytes += headers.get(i).length() + headers.get(i + 1).length();
        }
        if (counts.size() == 1 && headers.size() == 2) {
            return headers.get(0) + ": " + headers.get(1);
        }
        return headers.size() / 2 + " headers, " + bytes + " bytes";
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new java.util.Random(7).nextBytes(b);
        b[0] = 0x47; // not a TLS record type
        return b;
    }

    /** Short, printable form for test names and messages: control characters escaped, long runs cut. */
    static String printable(String s, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && out.length() < max; i++) {
            char c = s.charAt(i);
            int run = 1;
            while (i + run < s.length() && s.charAt(i + run) == c) {
                run++;
            }
            if (run > 8) {
                out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c)).append("×").append(run);
                i += run - 1;
                continue;
            }
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.length() >= max ? out.substring(0, max) + "…" : out.toString();
    }
}
