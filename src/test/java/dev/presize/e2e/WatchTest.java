package dev.presize.e2e;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.presize.v1beta1.ObjectMeta;
import dev.presize.v1beta1.Requests;
import dev.presize.v1beta1.ResourceAmounts;
import dev.presize.recommendations.SnapshotStore;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Watch end to end, on a demo server of its own (the tests publish snapshots into it): the real
 * kubectl's {@code get -w}, an informer of the official Kubernetes Java client, and the wire
 * format of the watch forms.
 */
class WatchTest {

    private static final String BASE = "/apis/presize.dev/v1beta1";

    static DemoServer server;
    static SnapshotStore store;

    @BeforeAll
    static void start() {
        // Java's HTTP clients keep an idle HTTP/2 connection open after the server's GOAWAY (Go's
        // close it), so graceful shutdown would wait its whole grace period when the test ends.
        server = DemoServer.startBetweenRefreshes(Map.of("micronaut.lifecycle.graceful-shutdown.grace-period", "5s"));
        store = server.context.getBean(SnapshotStore.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Publishes the current objects changed by {@code change}, as a refresh would, one version later. */
    static void publish(UnaryOperator<List<Requests>> change) {
        List<Requests> next = change.apply(new ArrayList<>(store.current().list(null)));
        store.replace(next, store.current().resourceVersion() + 60_000);
    }

    static Requests withCpu(Requests r, String cpu) {
        return new Requests(r.apiVersion(), r.kind(), r.metadata(), r.target(), r.timestamp(), r.window(),
                new ResourceAmounts(cpu, r.resources().memory()), r.containers(), r.model(), r.conditions());
    }

    static Requests renamed(Requests r, String name) {
        ObjectMeta m = r.metadata();
        return new Requests(r.apiVersion(), r.kind(), new ObjectMeta(name, m.namespace(), m.creationTimestamp(), m.labels(), null),
                r.target(), r.timestamp(), r.window(), r.resources(), r.containers(), r.model(), r.conditions());
    }

    static Requests find(String ns, String name) {
        return store.current().get(ns, name).orElseThrow(() -> new AssertionError("no " + ns + "/" + name));
    }

    @Test
    void kubectlGetWatchShowsTheChangesOfASnapshotSwap() throws Exception {
        Requests web = find("shop", "web");
        Requests catalog = find("shop", "catalog");
        try (Kubectl.Streaming kubectl = server.kubectl().start("get", "requests", "-A", "-w", "--output-watch-events",
                "--request-timeout=300s")) {
            // kubectl lists first (as a Table, its rows printed as ADDED), then watches from the list's version
            kubectl.awaitLine("ADDED", "shop", "web.statefulset");
            publish(list -> {
                list.remove(catalog);
                list.set(list.indexOf(web), withCpu(web, "999m"));
                list.add(renamed(web, "kubectl-new"));
                return list;
            });
            // one swap's events come in (namespace, name) order
            kubectl.awaitLine("DELETED", "shop", "catalog");
            kubectl.awaitLine("ADDED", "shop", "kubectl-new");
            String modified = kubectl.awaitLine("MODIFIED", "shop", "web ");
            assertTrue(modified.contains("999m"), modified);
            assertTrue(kubectl.alive(), "the watch stays open: " + kubectl.stderr);
        }
    }

    @Test
    void anInformerOfTheJavaClientSeesAddUpdateDelete() throws Exception {
        ApiClient client;
        try (Reader kubeconfig = Files.newBufferedReader(server.kubeconfig)) {
            client = ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(kubeconfig)).build();
        }
        // Typed by a minimal model rather than DynamicKubernetesObject: DynamicKubernetesApi installs
        // its Gson adapters into the client's process-wide JSON, which the servers under test share.
        GenericKubernetesApi<RequestsObject, RequestsObjectList> api = new GenericKubernetesApi<>(
                RequestsObject.class, RequestsObjectList.class, "presize.dev", "v1beta1", "requests", client);
        SharedInformerFactory factory = new SharedInformerFactory(client);
        SharedIndexInformer<RequestsObject> informer = factory.sharedIndexInformerFor(api, RequestsObject.class, 0);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(RequestsObject obj) {
                events.add("ADDED " + key(obj) + " " + cpu(obj));
            }

            @Override
            public void onUpdate(RequestsObject oldObj, RequestsObject newObj) {
                events.add("MODIFIED " + key(newObj) + " " + cpu(newObj));
            }

            @Override
            public void onDelete(RequestsObject obj, boolean deletedFinalStateUnknown) {
                events.add("DELETED " + key(obj) + (deletedFinalStateUnknown ? " unknown" : ""));
            }
        });
        factory.startAllRegisteredInformers();
        try {
            int initial = store.current().size();
            for (int i = 0; i < initial; i++) {
                String e = events.poll(60, TimeUnit.SECONDS);
                assertNotNull(e, "the informer's initial list: " + i + " of " + initial + " objects");
                assertTrue(e.startsWith("ADDED "), e);
            }
            Requests web = find("shop", "web");
            Requests search = find("shop", "search");
            publish(list -> {
                list.remove(search);
                list.set(list.indexOf(web), withCpu(web, "777m"));
                list.add(renamed(web, "informed"));
                return list;
            });
            List<String> seen = new ArrayList<>();
            java.util.Set<String> missing = new java.util.HashSet<>(List.of(
                    "ADDED shop/informed " + web.resources().cpu(), "MODIFIED shop/web 777m", "DELETED shop/search"));
            while (!missing.isEmpty()) {
                String e = events.poll(60, TimeUnit.SECONDS);
                assertNotNull(e, "the informer did not see " + missing + "; saw " + seen);
                seen.add(e);
                missing.remove(e);
            }
            RequestsObject cached = informer.getIndexer().getByKey("shop/web");
            assertEquals("777m", cpu(cached), "the informer's cache follows");
            assertEquals(null, informer.getIndexer().getByKey("shop/search"));
        } finally {
            factory.stopAllRegisteredInformers();
        }
    }

    private static String key(RequestsObject o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    private static String cpu(RequestsObject o) {
        return o.resources.get("cpu");
    }

    /** Just enough of {@code Requests} for an informer: what a client would write for its own use. */
    public static final class RequestsObject implements KubernetesObject {
        String apiVersion;
        String kind;
        V1ObjectMeta metadata;
        Map<String, String> resources;

        @Override
        public V1ObjectMeta getMetadata() {
            return metadata;
        }

        @Override
        public String getApiVersion() {
            return apiVersion;
        }

        @Override
        public String getKind() {
            return kind;
        }
    }

    public static final class RequestsObjectList implements KubernetesListObject {
        String apiVersion;
        String kind;
        V1ListMeta metadata;
        List<RequestsObject> items;

        @Override
        public V1ListMeta getMetadata() {
            return metadata;
        }

        @Override
        public List<RequestsObject> getItems() {
            return items;
        }

        @Override
        public String getApiVersion() {
            return apiVersion;
        }

        @Override
        public String getKind() {
            return kind;
        }
    }

    /**
     * The first {@code n} events of a watch, read as they stream; then the stream is closed. Tests
     * never rely on timeoutSeconds to end a stream in time on a busy machine.
     */
    private static List<JsonObject> firstEvents(String path, int n, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(120));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<java.util.stream.Stream<String>> r = server.http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, r.statusCode(), path);
            assertEquals("application/json", r.headers().firstValue("content-type").orElse(""), path);
            try (var lines = r.body()) {
                List<JsonObject> out = new ArrayList<>();
                var it = lines.iterator();
                while (out.size() < n && it.hasNext()) {
                    out.add(JsonParser.parseString(it.next()).getAsJsonObject());
                }
                return out;
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(path + ": " + e, e);
        }
    }

    private static List<String> names(List<JsonObject> events) {
        return events.stream().map(e -> e.getAsJsonObject("object").getAsJsonObject("metadata").get("name").getAsString()).toList();
    }

    private static List<String> names(java.util.stream.Stream<Requests> objects) {
        return objects.map(Requests::name).toList();
    }

    private static HttpResponse<String> get(String path, String... headers) {
        return server.get(path, headers);
    }

    @Test
    void everyWatchFormStreamsNewlineDelimitedWatchEvents() {
        List<Requests> all = store.current().list(null);
        List<Requests> shop = store.current().list("shop");
        List<String> allNames = names(all.stream());
        List<String> shopNames = names(shop.stream());
        List<String> frontend = names(all.stream().filter(r -> r.metadata().labels() != null
                && "frontend".equals(r.metadata().labels().get("tier"))));
        Map<String, List<String>> forms = Map.of(
                BASE + "/requests?watch=true", allNames,
                BASE + "/namespaces/shop/requests?watch=1", shopNames,
                BASE + "/watch/requests", allNames,
                BASE + "/watch/namespaces/shop/requests", shopNames,
                BASE + "/watch/namespaces/shop/requests/web", List.of("web"),
                BASE + "/requests?watch=true&labelSelector=tier%3Dfrontend", frontend,
                BASE + "/requests?watch=true&fieldSelector=metadata.namespace%3Dshop", shopNames);
        forms.forEach((path, expected) -> {
            List<JsonObject> events = firstEvents(path, expected.size());
            assertEquals(expected, names(events), path + ": the current state, in list order");
            for (JsonObject e : events) {
                assertEquals("ADDED", e.get("type").getAsString());
                assertEquals("Requests", e.getAsJsonObject("object").get("kind").getAsString());
            }
        });
    }

    @Test
    void anExpiredVersionIsAnErrorEventInAnOkStream() {
        HttpResponse<String> r = get(BASE + "/requests?watch=true&resourceVersion=1");
        assertEquals(200, r.statusCode(), "kube answers a too-old watch with a 200 stream holding one ERROR event");
        List<JsonObject> events = r.body().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertEquals(1, events.size(), "the stream ends after the error: " + r.body());
        assertEquals("ERROR", events.get(0).get("type").getAsString());
        JsonObject status = events.get(0).getAsJsonObject("object");
        assertEquals("Status", status.get("kind").getAsString());
        assertEquals(410, status.get("code").getAsInt());
        assertEquals("Expired", status.get("reason").getAsString());
    }

    @Test
    void watchListEndsTheInitialEventsWithABookmark() {
        int shop = store.current().list("shop").size();
        List<JsonObject> events = firstEvents(BASE + "/namespaces/shop/requests?watch=true&sendInitialEvents=true"
                + "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true", shop + 1);
        assertEquals(names(store.current().list("shop").stream()), names(events.subList(0, shop)));
        JsonObject end = events.get(shop);
        assertEquals("BOOKMARK", end.get("type").getAsString());
        assertEquals("true", end.getAsJsonObject("object").getAsJsonObject("metadata").getAsJsonObject("annotations")
                .get("k8s.io/initial-events-end").getAsString());
    }

    @Test
    void aWatchAskingForTablesGetsOneTablePerEvent() {
        List<JsonObject> events = firstEvents(BASE + "/namespaces/shop/requests?watch=true", 2,
                "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        assertEquals("Table", events.get(0).getAsJsonObject("object").get("kind").getAsString());
        assertTrue(events.get(0).getAsJsonObject("object").has("columnDefinitions"));
        assertTrue(!events.get(1).getAsJsonObject("object").has("columnDefinitions"));
    }

    @Test
    void badWatchRequestsAreCleanStatuses() {
        JsonObject yaml = JsonParser.parseString(get(BASE + "/requests?watch=true", "Accept", "application/yaml").body()).getAsJsonObject();
        assertEquals(406, yaml.get("code").getAsInt(), "there is no YAML stream, as in kube");
        JsonObject match = JsonParser.parseString(get(BASE + "/requests?watch=true&sendInitialEvents=true").body()).getAsJsonObject();
        assertEquals(400, match.get("code").getAsInt());
        assertTrue(match.get("message").getAsString().contains("sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        JsonObject name = JsonParser.parseString(get(BASE + "/watch/namespaces/shop/requests/web?fieldSelector=metadata.name%3Dother").body()).getAsJsonObject();
        assertEquals(400, name.get("code").getAsInt());
        assertEquals("fieldSelector metadata.name doesn't match requested name", name.get("message").getAsString());
        assertEquals(404, get(BASE + "/watch/things").statusCode());
        HttpResponse<String> one = get(BASE + "/namespaces/shop/requests/web?watch=true");
        assertEquals(200, one.statusCode(), "a GET of one object ignores watch, as kube's GET handler does");
        assertEquals("web", JsonParser.parseString(one.body()).getAsJsonObject().getAsJsonObject("metadata").get("name").getAsString());
    }

    @Test
    void aWatchSeesASwapOverHttp() throws Exception {
        long rv = store.current().resourceVersion();
        HttpRequest request = HttpRequest.newBuilder(server.uri(BASE + "/namespaces/payments/requests?watch=true&resourceVersion=" + rv))
                .timeout(Duration.ofSeconds(120)).build();
        HttpResponse<java.util.stream.Stream<String>> r = server.http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode(), "the headers arrive before any event");
        try (var lines = r.body()) {
            Requests ledger = find("payments", "ledger");
            publish(list -> {
                list.set(list.indexOf(ledger), withCpu(ledger, "555m"));
                return list;
            });
            JsonObject e = JsonParser.parseString(lines.iterator().next()).getAsJsonObject();
            assertEquals("MODIFIED", e.get("type").getAsString());
            assertEquals("555m", e.getAsJsonObject("object").getAsJsonObject("resources").get("cpu").getAsString());
            assertEquals(Long.toString(store.current().resourceVersion()),
                    e.getAsJsonObject("object").getAsJsonObject("metadata").get("resourceVersion").getAsString());
        }
    }
}
