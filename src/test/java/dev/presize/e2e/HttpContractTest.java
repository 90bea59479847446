package dev.presize.e2e;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Set;
import dev.presize.v1beta1.Requests;
import dev.presize.recommendations.SnapshotStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every row of the API contract (api.md), over real HTTPS against the demo server. */
class HttpContractTest {

    static final String BASE = "/apis/presize.dev/v1beta1";
    static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

    static DemoServer server;
    static List<Requests> all;

    @BeforeAll
    static void start() {
        server = DemoServer.get();
        all = server.context.getBean(SnapshotStore.class).current().list(null);
    }

    static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    static JsonObject assertStatus(HttpResponse<String> r, int code, String reason) {
        assertEquals(code, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonObject s = json(r);
        assertEquals("Status", s.get("kind").getAsString());
        assertEquals("v1", s.get("apiVersion").getAsString());
        assertEquals("Failure", s.get("status").getAsString());
        assertEquals(reason, s.get("reason").getAsString(), r.body());
        assertEquals(code, s.get("code").getAsInt());
        assertTrue(s.has("metadata"));
        assertFalse(s.get("message").getAsString().isBlank());
        assertFalse(r.body().contains("Exception"), r.body());
        return s;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static List<String> names(JsonObject list) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : list.getAsJsonArray("items")) {
            JsonObject m = e.getAsJsonObject().getAsJsonObject("metadata");
            out.add(m.get("namespace").getAsString() + "/" + m.get("name").getAsString());
        }
        return out;
    }

    static List<String> expectedNames(java.util.function.Predicate<Requests> p) {
        return all.stream().filter(p).map(r -> r.namespace() + "/" + r.name()).toList();
    }

    // ---- discovery ----

    @Test
    void apisServesLegacyAndAggregatedDiscoveryWithEtags() {
        HttpResponse<String> legacy = server.get("/apis");
        assertEquals(200, legacy.statusCode());
        assertEquals("APIGroupList", json(legacy).get("kind").getAsString());
        JsonObject group = json(legacy).getAsJsonArray("groups").get(0).getAsJsonObject();
        assertEquals("presize.dev", group.get("name").getAsString());
        assertEquals("presize.dev/v1beta1", group.getAsJsonObject("preferredVersion").get("groupVersion").getAsString());

        for (String v : List.of("v2", "v2beta1")) {
            String accept = "application/json;g=apidiscovery.k8s.io;v=" + v + ";as=APIGroupDiscoveryList,application/json";
            HttpResponse<String> agg = server.get("/apis", "Accept", accept);
            assertEquals(200, agg.statusCode());
            assertEquals("application/json;g=apidiscovery.k8s.io;v=" + v + ";as=APIGroupDiscoveryList",
                    agg.headers().firstValue("content-type").orElseThrow());
            JsonObject doc = json(agg);
            assertEquals("APIGroupDiscoveryList", doc.get("kind").getAsString());
            assertEquals("apidiscovery.k8s.io/" + v, doc.get("apiVersion").getAsString());
            JsonObject res = doc.getAsJsonArray("items").get(0).getAsJsonObject().getAsJsonArray("versions").get(0)
                    .getAsJsonObject().getAsJsonArray("resources").get(0).getAsJsonObject();
            assertEquals("requests", res.get("resource").getAsString());
            assertEquals("Namespaced", res.get("scope").getAsString());
            assertEquals("Requests", res.getAsJsonObject("responseKind").get("kind").getAsString());
            assertEquals("[\"get\",\"list\",\"watch\"]", res.getAsJsonArray("verbs").toString());
            assertTrue(agg.headers().allValues("vary").stream().anyMatch(h -> h.contains("Accept")));
            String etag = agg.headers().firstValue("etag").orElseThrow();
            HttpResponse<String> again = server.get("/apis", "Accept", accept, "If-None-Match", etag);
            assertEquals(304, again.statusCode());
            assertEquals("", again.body());
            HttpResponse<String> stale = server.get("/apis", "Accept", accept, "If-None-Match", "\"not-it\"");
            assertEquals(200, stale.statusCode());
        }
        // An aggregated version we do not serve, with nothing else acceptable: 406.
        assertStatus(server.get("/apis", "Accept", "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList"),
                406, "NotAcceptable");
    }

    @Test
    void groupAndResourceList() {
        HttpResponse<String> g = server.get("/apis/presize.dev");
        assertEquals(200, g.statusCode());
        assertEquals("APIGroup", json(g).get("kind").getAsString());
        HttpResponse<String> r = server.get(BASE);
        assertEquals(200, r.statusCode());
        JsonObject list = json(r);
        assertEquals("APIResourceList", list.get("kind").getAsString());
        assertEquals("presize.dev/v1beta1", list.get("groupVersion").getAsString());
        JsonArray resources = list.getAsJsonArray("resources");
        assertEquals(1, resources.size());
        JsonObject res = resources.get(0).getAsJsonObject();
        assertEquals("requests", res.get("name").getAsString());
        assertEquals("requests", res.get("singularName").getAsString());
        assertTrue(res.get("namespaced").getAsBoolean());
        assertEquals("Requests", res.get("kind").getAsString());
        assertEquals("[\"get\",\"list\",\"watch\"]", res.getAsJsonArray("verbs").toString());
        assertEquals("[\"preq\"]", res.getAsJsonArray("shortNames").toString());
        assertEquals("[\"presize\"]", res.getAsJsonArray("categories").toString());
        String etag = r.headers().firstValue("etag").orElseThrow();
        assertEquals(304, server.get(BASE, "If-None-Match", etag).statusCode());
    }

    // ---- get ----

    @Test
    void getOneObject() {
        Requests expected = all.get(all.size() / 2);
        HttpResponse<String> r = server.get(BASE + "/namespaces/" + expected.namespace() + "/requests/" + expected.name());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        JsonObject o = json(r);
        assertEquals("presize.dev/v1beta1", o.get("apiVersion").getAsString());
        assertEquals("Requests", o.get("kind").getAsString());
        JsonObject m = o.getAsJsonObject("metadata");
        assertEquals(expected.name(), m.get("name").getAsString());
        assertEquals(expected.namespace(), m.get("namespace").getAsString());
        assertTrue(m.get("resourceVersion").getAsString().matches("[1-9][0-9]*"));
        assertTrue(m.get("creationTimestamp").getAsString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        assertEquals(expected.target().kind(), o.getAsJsonObject("target").get("kind").getAsString());
        assertTrue(o.get("timestamp").getAsString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
        assertTrue(o.get("window").getAsString().matches("\\d+h\\d+m\\d+s"));
        // Byte-identical on repeat: everything in the object comes from data, nothing from a clock.
        assertEquals(r.body(), server.get(BASE + "/namespaces/" + expected.namespace() + "/requests/" + expected.name()).body());
    }

    @Test
    void resourcesAreTheSumOfContainersInCanonicalForm() {
        for (Requests r : all) {
            long cpuMilli = 0;
            long memMi = 0;
            for (var c : r.containers()) {
                assertTrue(c.requests().cpu().matches("[1-9][0-9]*m|[1-9][0-9]*"), c.requests().cpu());
                assertTrue(c.requests().memory().matches("[1-9][0-9]*(Mi|Gi|Ti)"), c.requests().memory());
                cpuMilli += milli(c.requests().cpu());
                memMi += mebi(c.requests().memory());
            }
            assertEquals(cpuMilli, milli(r.resources().cpu()), r.name());
            assertEquals(memMi, mebi(r.resources().memory()), r.name());
        }
    }

    static long milli(String q) {
        return q.endsWith("m") ? Long.parseLong(q.substring(0, q.length() - 1)) : Long.parseLong(q) * 1000;
    }

    static long mebi(String q) {
        long n = Long.parseLong(q.substring(0, q.length() - 2));
        return switch (q.substring(q.length() - 2)) {
            case "Mi" -> n;
            case "Gi" -> n * 1024;
            case "Ti" -> n * 1024 * 1024;
            default -> throw new AssertionError(q);
        };
    }

    @Test
    void notFoundIsAStatusWithDetails() {
        JsonObject s = assertStatus(server.get(BASE + "/namespaces/shop/requests/nope"), 404, "NotFound");
        assertEquals("requests.presize.dev \"nope\" not found", s.get("message").getAsString());
        JsonObject d = s.getAsJsonObject("details");
        assertEquals("nope", d.get("name").getAsString());
        assertEquals("presize.dev", d.get("group").getAsString());
        assertEquals("requests", d.get("kind").getAsString());
        assertStatus(server.get("/apis/presize.dev/v1/requests"), 404, "NotFound");
        assertStatus(server.get("/no/such/path"), 404, "NotFound");
        assertStatus(server.get(BASE + "/namespaces/shop/pods"), 404, "NotFound");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/namespaces/Bad_NS/requests", "/namespaces/shop/requests/Bad_Name",
            "/namespaces/" + "a234567890123456789012345678901234567890123456789012345678901234/requests"})
    void invalidNamesAreBadRequest(String path) {
        assertStatus(server.get(BASE + path), 400, "BadRequest");
    }

    // ---- list ----

    @Test
    void listAllAndOneNamespace() {
        HttpResponse<String> r = server.get(BASE + "/requests");
        assertEquals(200, r.statusCode());
        JsonObject list = json(r);
        assertEquals("RequestsList", list.get("kind").getAsString());
        assertEquals("presize.dev/v1beta1", list.get("apiVersion").getAsString());
        assertTrue(list.getAsJsonObject("metadata").get("resourceVersion").getAsString().matches("[1-9][0-9]*"));
        assertEquals(expectedNames(x -> true), names(list));
        JsonObject shop = json(server.get(BASE + "/namespaces/shop/requests"));
        assertEquals(expectedNames(x -> x.namespace().equals("shop")), names(shop));
        JsonObject empty = json(server.get(BASE + "/namespaces/empty-namespace/requests"));
        assertEquals(0, empty.getAsJsonArray("items").size(), "items is present and empty, not missing");
    }

    @Test
    void labelSelectors() {
        Requests labelled = all.stream().filter(x -> x.metadata().labels() != null).findFirst().orElseThrow();
        var e = labelled.metadata().labels().entrySet().iterator().next();
        String key = e.getKey();
        String value = e.getValue();
        assertEquals(expectedNames(x -> x.metadata().labels() != null && value.equals(x.metadata().labels().get(key))),
                names(json(server.get(BASE + "/requests?labelSelector=" + enc(key + "=" + value)))));
        assertEquals(expectedNames(x -> x.metadata().labels() == null || !value.equals(x.metadata().labels().get(key))),
                names(json(server.get(BASE + "/requests?labelSelector=" + enc(key + "!=" + value)))));
        assertEquals(expectedNames(x -> x.metadata().labels() != null && x.metadata().labels().containsKey(key)),
                names(json(server.get(BASE + "/requests?labelSelector=" + enc(key)))));
        assertEquals(expectedNames(x -> x.metadata().labels() != null && value.equals(x.metadata().labels().get(key))),
                names(json(server.get(BASE + "/requests?labelSelector=" + enc(key + " in (" + value + ",zzz-none)")))));
        for (String bad : List.of("app in (a", "a=b=c", "!", "x notin", "-bad-=1", "a=(b", "k in (a b)", "a>b")) {
            assertStatus(server.get(BASE + "/requests?labelSelector=" + enc(bad)), 400, "BadRequest");
        }
    }

    @Test
    void fieldSelectors() {
        assertEquals(expectedNames(x -> x.name().equals("web")),
                names(json(server.get(BASE + "/requests?fieldSelector=" + enc("metadata.name=web")))));
        assertEquals(expectedNames(x -> x.namespace().equals("shop")),
                names(json(server.get(BASE + "/requests?fieldSelector=" + enc("metadata.namespace=shop")))));
        assertEquals(expectedNames(x -> !x.namespace().equals("shop") && !x.name().equals("web")),
                names(json(server.get(BASE + "/requests?fieldSelector=" + enc("metadata.namespace!=shop,metadata.name!=web")))));
        assertStatus(server.get(BASE + "/requests?fieldSelector=" + enc("spec.nodeName=x")), 400, "BadRequest");
        assertStatus(server.get(BASE + "/requests?fieldSelector=" + enc("metadata.name")), 400, "BadRequest");
    }

    @Test
    void limitAndContinueWalkEveryObjectOnce() {
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String q = "?limit=4" + (token == null ? "" : "&continue=" + enc(token));
            JsonObject page = json(server.get(BASE + "/requests" + q));
            List<String> names = names(page);
            assertTrue(names.size() <= 4);
            seen.addAll(names);
            JsonObject meta = page.getAsJsonObject("metadata");
            token = meta.has("continue") ? meta.get("continue").getAsString() : null;
            if (token != null) {
                assertTrue(meta.get("remainingItemCount").getAsLong() > 0);
            }
            pages++;
        } while (token != null && pages < 100);
        assertEquals(expectedNames(x -> true), seen);
        assertEquals((all.size() + 3) / 4, pages);
        assertStatus(server.get(BASE + "/requests?limit=2&continue=not-a-token"), 400, "BadRequest");
        assertStatus(server.get(BASE + "/requests?limit=-1"), 400, "BadRequest");
        assertStatus(server.get(BASE + "/requests?limit=abc"), 400, "BadRequest");
    }

    @Test
    void resourceVersionIsAcceptedAndValidated() {
        assertEquals(200, server.get(BASE + "/requests?resourceVersion=0").statusCode());
        assertEquals(200, server.get(BASE + "/requests?resourceVersion=").statusCode());
        assertEquals(200, server.get(BASE + "/namespaces/shop/requests?resourceVersion=12345&resourceVersionMatch=NotOlderThan").statusCode());
        assertStatus(server.get(BASE + "/requests?resourceVersion=yesterday"), 400, "BadRequest");
    }

    // ---- representations ----

    @ParameterizedTest
    @CsvSource({"None,false", "Metadata,true", "Object,true", "'',true"})
    void tableOutput(String includeObject, boolean hasObject) {
        String q = includeObject.isEmpty() ? "" : "?includeObject=" + includeObject;
        HttpResponse<String> r = server.get(BASE + "/requests" + q, "Accept", TABLE + ",application/json");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElseThrow().startsWith(TABLE), r.headers().toString());
        JsonObject t = json(r);
        assertEquals("Table", t.get("kind").getAsString());
        assertEquals("meta.k8s.io/v1", t.get("apiVersion").getAsString());
        List<String> columns = new ArrayList<>();
        t.getAsJsonArray("columnDefinitions").forEach(c -> columns.add(c.getAsJsonObject().get("name").getAsString().toUpperCase()));
        assertEquals(List.of("NAME", "KIND", "CPU", "MEMORY", "CONTAINERS", "AGE"), columns);
        JsonArray rows = t.getAsJsonArray("rows");
        assertEquals(all.size(), rows.size());
        JsonObject row = rows.get(0).getAsJsonObject();
        assertEquals(all.get(0).name(), row.getAsJsonArray("cells").get(0).getAsString());
        assertEquals(all.get(0).containers().size(), row.getAsJsonArray("cells").get(4).getAsInt());
        assertEquals(hasObject, row.has("object") && !row.get("object").isJsonNull());
        if (hasObject) {
            JsonObject obj = row.getAsJsonObject("object");
            String kind = obj.get("kind").getAsString();
            assertEquals(includeObject.equals("Object") ? "Requests" : "PartialObjectMetadata", kind);
            assertEquals(all.get(0).name(), obj.getAsJsonObject("metadata").get("name").getAsString());
        }
        assertStatus(server.get(BASE + "/requests?includeObject=Everything", "Accept", TABLE), 400, "BadRequest");
    }

    @Test
    void tableForOneObjectHasOneRow() {
        Requests one = all.get(0);
        JsonObject t = json(server.get(BASE + "/namespaces/" + one.namespace() + "/requests/" + one.name(), "Accept", TABLE));
        assertEquals("Table", t.get("kind").getAsString());
        assertEquals(1, t.getAsJsonArray("rows").size());
    }

    @Test
    void acceptNegotiation() {
        Requests one = all.get(0);
        String path = BASE + "/namespaces/" + one.namespace() + "/requests/" + one.name();
        HttpResponse<String> pbFirst = server.get(path, "Accept", "application/vnd.kubernetes.protobuf,application/json");
        assertEquals(200, pbFirst.statusCode());
        assertTrue(pbFirst.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        assertEquals(200, server.get(path, "Accept", "application/vnd.kubernetes.protobuf, */*").statusCode());
        assertStatus(server.get(path, "Accept", "application/vnd.kubernetes.protobuf"), 406, "NotAcceptable");
        assertStatus(server.get(path, "Accept", "text/html"), 406, "NotAcceptable");
        assertStatus(server.get(BASE + "/requests", "Accept", "image/png"), 406, "NotAcceptable");
        HttpResponse<String> yaml = server.get(path, "Accept", "application/yaml");
        assertEquals(200, yaml.statusCode());
        assertTrue(yaml.headers().firstValue("content-type").orElseThrow().startsWith("application/yaml"));
        Map<String, Object> obj = new Yaml().load(yaml.body());
        assertEquals(one.name(), ((Map<?, ?>) obj.get("metadata")).get("name"));
    }

    // ---- read-only API ----

    @ParameterizedTest
    @CsvSource({"POST,/requests", "POST,/namespaces/shop/requests", "PUT,/namespaces/shop/requests/web",
            "PATCH,/namespaces/shop/requests/web", "DELETE,/namespaces/shop/requests/web",
            "DELETE,/namespaces/shop/requests", "POST,''", "PUT,/namespaces/shop/requests"})
    void writesAreMethodNotAllowed(String method, String path) {
        HttpResponse<String> r = server.send(method, BASE + path, "{\"kind\":\"Requests\"}", "Content-Type", "application/json");
        assertStatus(r, 405, "MethodNotAllowed");
        assertTrue(server.context.getBean(SnapshotStore.class).current().get("shop", "web").isPresent());
    }

    /** Each watch form is a stream that ends by itself here (timeoutSeconds); WatchTest covers watching. */
    @ParameterizedTest
    @ValueSource(strings = {"/requests?watch=true", "/namespaces/shop/requests?watch=1", "/watch/requests",
            "/watch/namespaces/shop/requests", "/watch/namespaces/shop/requests/web"})
    void watchFormsAnswerAStreamOfWatchEvents(String path) {
        HttpResponse<String> r = server.get(BASE + path + (path.contains("?") ? "&" : "?") + "timeoutSeconds=1");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        r.body().lines().forEach(line -> {
            JsonObject event = JsonParser.parseString(line).getAsJsonObject();
            assertTrue(Set.of("ADDED", "BOOKMARK").contains(event.get("type").getAsString()), line);
            assertTrue(event.getAsJsonObject("object").has("kind"), line);
        });
    }

    // ---- OpenAPI ----

    @Test
    void openApiDocuments() {
        JsonObject v2 = json(server.get("/openapi/v2", "Accept", "application/json"));
        assertEquals("2.0", v2.get("swagger").getAsString());
        JsonObject def = v2.getAsJsonObject("definitions").getAsJsonObject("dev.presize.v1beta1.Requests");
        assertEquals("Requests", def.getAsJsonArray("x-kubernetes-group-version-kind").get(0).getAsJsonObject().get("kind").getAsString());
        assertEquals("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
                def.getAsJsonObject("properties").getAsJsonObject("metadata").get("$ref").getAsString());
        assertFalse(v2.toString().contains("#/components/"), "v2 must only reference #/definitions");
        JsonObject root = json(server.get("/openapi/v3"));
        String url = root.getAsJsonObject("paths").getAsJsonObject("apis/presize.dev/v1beta1").get("serverRelativeURL").getAsString();
        JsonObject v3 = json(server.get(url));
        assertEquals("3.0.0", v3.get("openapi").getAsString());
        assertNotNull(v3.getAsJsonObject("components").getAsJsonObject("schemas").getAsJsonObject("dev.presize.v1beta1.RequestsList"));
        assertTrue(v3.getAsJsonObject("paths").has(BASE + "/namespaces/{namespace}/requests/{name}"));
        JsonObject watchList = v3.getAsJsonObject("paths").getAsJsonObject(BASE + "/watch/namespaces/{namespace}/requests")
                .getAsJsonObject("get");
        assertEquals("watchlist", watchList.get("x-kubernetes-action").getAsString());
        assertTrue(watchList.toString().contains("\"name\":\"watch\""), "list operations take watch and its parameters");
        // every reference resolves, in both documents
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile("\"\\$ref\":\"#/components/schemas/([^\"]+)\"").matcher(v3.toString());
        int resolved = 0;
        while (refs.find()) {
            assertTrue(v3.getAsJsonObject("components").getAsJsonObject("schemas").has(refs.group(1)), refs.group(1));
            resolved++;
        }
        assertTrue(resolved > 10, "references found: " + resolved);
        java.util.regex.Matcher refs2 = java.util.regex.Pattern.compile("\"\\$ref\":\"#/definitions/([^\"]+)\"").matcher(v2.toString());
        while (refs2.find()) {
            assertTrue(v2.getAsJsonObject("definitions").has(refs2.group(1)), refs2.group(1));
        }
        assertEquals(304, server.get("/openapi/v2", "If-None-Match",
                server.get("/openapi/v2").headers().firstValue("etag").orElseThrow()).statusCode());
    }

    // ---- health, metrics, transport ----

    @Test
    void healthEndpoints() {
        for (String p : List.of("/livez", "/readyz", "/healthz")) {
            HttpResponse<String> r = server.get(p);
            assertEquals(200, r.statusCode());
            assertEquals("ok", r.body());
            HttpResponse<String> v = server.get(p + "?verbose");
            assertTrue(v.body().contains("[+]ping ok"), v.body());
            assertTrue(v.body().contains(p.substring(1) + " check passed"), v.body());
            assertEquals("ok", server.get(p + "/ping").body());
        }
        assertStatus(server.get("/livez/no-such-check"), 404, "NotFound");
    }

    @Test
    void metricsCountRequestsByVerbResourceAndCode() {
        server.get(BASE + "/namespaces/shop/requests/nope");
        server.get(BASE + "/requests");
        String metrics = server.get("/metrics").body();
        assertTrue(metrics.contains("presize_apiserver_request_total{code=\"404\",resource=\"requests\",verb=\"GET\"}"), metrics);
        assertTrue(metrics.contains("presize_apiserver_request_total{code=\"200\",resource=\"requests\",verb=\"LIST\"}"), metrics);
        assertTrue(metrics.contains("presize_apiserver_request_duration_seconds_bucket{"), metrics);
        // The demo's model has trained (its recommendations are served): each target's state is there.
        for (String target : List.of("cpu-target-risk", "cpu-target-unmet", "memory-target-risk")) {
            assertTrue(metrics.contains("presize_model_target_held{target=\"" + target + "\"}"), metrics);
            assertTrue(metrics.contains("presize_model_calibrated_risk{target=\"" + target + "\"}"), metrics);
        }
    }

    @Test
    void identityHeadersOfAUserInManyGroupsFit() {
        // The aggregator forwards one X-Remote-Group header per group; 300 groups is ~20 KiB,
        // well past Netty's 8 KiB default and well inside Go's 1 MiB that kube-apiserver allows.
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            headers.add("X-Remote-Group");
            headers.add("corp:engineering:platform-team-with-a-long-name-" + i);
        }
        for (String version : List.of("HTTP_2", "HTTP_1_1")) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.valueOf(version))
                    .sslContext(server.http.sslContext()).build();
            var request = java.net.http.HttpRequest.newBuilder(server.uri(BASE + "/requests"))
                    .headers(headers.toArray(String[]::new)).build();
            try {
                assertEquals(200, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode(), version);
            } catch (Exception e) {
                throw new AssertionError(version + ": " + e, e);
            }
        }
    }

    @Test
    void servesHttp2OverTls() {
        HttpResponse<String> r = server.get(BASE);
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertNull(r.headers().firstValue("server").filter(s -> s.contains("Micronaut")).orElse(null));
    }
}
