package dev.presize.security;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * WireMock standing in for kube-apiserver, on 127.0.0.1 only: ConfigMap
 * {@code kube-system/extension-apiserver-authentication}, TokenReview and SubjectAccessReview, with
 * helpers for allow, deny, error, slow and malformed answers.
 */
public final class FakeKubeApiServer implements AutoCloseable {

    public static final String CONFIGMAPS = "/api/v1/namespaces/kube-system/configmaps";
    public static final String CONFIGMAP_PATH = CONFIGMAPS + "/extension-apiserver-authentication";
    public static final String TOKENREVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    public static final String SUBJECTACCESSREVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    /** What Presize itself authenticates to the fake with; checked on every stub. */
    public static final String PRESIZE_TOKEN = "presize-service-account-token";

    /** How long an idle workload watch stays open before it ends and the informer watches again. */
    private static final int IDLE_WATCH_MILLIS = 2000;
    private static final Gson GSON = new Gson();
    private final WireMockServer wm;
    private int configMapVersion;

    public FakeKubeApiServer() {
        wm = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(20).asynchronousResponseEnabled(false));
        wm.start();
        // No ConfigMap until a test serves one: the informer lists none and its watches stay idle.
        wm.stubFor(get(urlPathEqualTo(CONFIGMAPS)).withQueryParam("watch", equalTo("false")).atPriority(4)
                .willReturn(json(200, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMapList\",\"metadata\":{\"resourceVersion\":\"0\"},\"items\":[]}")));
        wm.stubFor(get(urlPathEqualTo(CONFIGMAPS)).withQueryParam("watch", equalTo("true")).atPriority(4)
                .willReturn(json(200, "").withFixedDelay(IDLE_WATCH_MILLIS)));
        // Anything not stubbed is a 404 Status, as kube-apiserver would answer.
        wm.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()).atPriority(10)
                .willReturn(json(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}")));
    }

    public WireMockServer wireMock() {
        return wm;
    }

    public String url() {
        return "http://127.0.0.1:" + wm.port();
    }

    /** A kubeconfig for Presize pointing at this fake with {@link #PRESIZE_TOKEN}. */
    public Path writeKubeconfig(Path dir) {
        Path file = dir.resolve("presize-to-fake-apiserver.kubeconfig");
        String yaml = "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: " + url() + "\n"
                + "users:\n- name: presize\n  user:\n    token: " + PRESIZE_TOKEN + "\n"
                + "contexts:\n- name: fake\n  context:\n    cluster: fake\n    user: presize\ncurrent-context: fake\n";
        try {
            Files.createDirectories(dir);
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * The workload resources Presize's informers list and watch cluster-wide
     * ({@code dev.presize.workloads.kubernetes.WorkloadInformers}), plural name → collection path.
     */
    public static final Map<String, String> WORKLOAD_RESOURCES = workloadResources();

    private static Map<String, String> workloadResources() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("pods", "/api/v1/pods");
        m.put("replicasets", "/apis/apps/v1/replicasets");
        m.put("deployments", "/apis/apps/v1/deployments");
        m.put("statefulsets", "/apis/apps/v1/statefulsets");
        m.put("daemonsets", "/apis/apps/v1/daemonsets");
        m.put("jobs", "/apis/batch/v1/jobs");
        m.put("cronjobs", "/apis/batch/v1/cronjobs");
        m.put("replicationcontrollers", "/api/v1/replicationcontrollers");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Serves the workload resources to Presize's informers: {@code lists} maps a resource of
     * {@link #WORKLOAD_RESOURCES} to its list body (a resource not in the map lists empty), and every
     * watch stays open for a moment and ends without events, as a real watch does while nothing
     * changes. Only Presize's own credentials are answered.
     */
    public void workloads(Map<String, String> lists) {
        WORKLOAD_RESOURCES.forEach((resource, path) -> {
            String body = lists.getOrDefault(resource, "{\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[]}");
            wm.stubFor(get(urlPathEqualTo(path)).atPriority(5).withHeader("Authorization", equalTo("Bearer " + PRESIZE_TOKEN))
                    .willReturn(json(200, body)));
            wm.stubFor(get(urlPathEqualTo(path)).withQueryParam("watch", equalTo("true")).atPriority(3)
                    .withHeader("Authorization", equalTo("Bearer " + PRESIZE_TOKEN))
                    .willReturn(json(200, "").withFixedDelay(IDLE_WATCH_MILLIS)));
        });
    }

    /**
     * The least a server outside demo mode needs to start against this fake and have nothing to
     * do: the authentication ConfigMap (with a throwaway CA) and a cluster without workloads.
     * Returns the {@code --kubeconfig} to give it.
     */
    public Path emptyCluster(Path dir) {
        String ca = TestCertificates.ca("empty-cluster-ca").pem();
        configMap(authenticationData(ca, ca, List.of("front-proxy-client")));
        workloads(Map.of());
        return writeKubeconfig(dir);
    }

    /**
     * Serves the ConfigMap with the given data under a new resourceVersion, as kube-apiserver
     * would: the GET, the list narrowed to it, and a watch from any older resourceVersion that
     * delivers the change (a watch from the current one stays idle a moment and ends).
     */
    public void configMap(Map<String, String> data) {
        JsonObject cm = configMapObject(Integer.toString(++configMapVersion));
        cm.add("data", GSON.toJsonTree(data));
        wm.stubFor(get(urlEqualTo(CONFIGMAP_PATH)).atPriority(2).withHeader("Authorization", equalTo("Bearer " + PRESIZE_TOKEN))
                .willReturn(json(200, cm.toString())));
        configMapChanged("MODIFIED", cm, List.of(cm));
    }

    /** Deletes the ConfigMap: the GET is a 404 again and watches from before deliver a DELETED event. */
    public void configMapDeleted() {
        JsonObject cm = configMapObject(Integer.toString(++configMapVersion));
        wm.stubFor(get(urlEqualTo(CONFIGMAP_PATH)).atPriority(2).willReturn(json(404,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}")));
        configMapChanged("DELETED", cm, List.of());
    }

    private void configMapChanged(String event, JsonObject cm, List<JsonObject> items) {
        String version = cm.getAsJsonObject("metadata").get("resourceVersion").getAsString();
        JsonObject list = new JsonObject();
        list.addProperty("apiVersion", "v1");
        list.addProperty("kind", "ConfigMapList");
        JsonObject listMeta = new JsonObject();
        listMeta.addProperty("resourceVersion", version);
        list.add("metadata", listMeta);
        list.add("items", GSON.toJsonTree(items));
        JsonObject change = new JsonObject();
        change.addProperty("type", event);
        change.add("object", cm);
        String fieldSelector = "metadata.name=extension-apiserver-authentication";
        wm.stubFor(get(urlPathEqualTo(CONFIGMAPS)).withQueryParam("watch", equalTo("false")).withQueryParam("fieldSelector", equalTo(fieldSelector))
                .atPriority(2).withHeader("Authorization", equalTo("Bearer " + PRESIZE_TOKEN)).willReturn(json(200, list.toString())));
        wm.stubFor(get(urlPathEqualTo(CONFIGMAPS)).withQueryParam("watch", equalTo("true")).withQueryParam("fieldSelector", equalTo(fieldSelector))
                .withQueryParam("resourceVersion", notMatching(version))
                .atPriority(2).withHeader("Authorization", equalTo("Bearer " + PRESIZE_TOKEN)).willReturn(json(200, change + "\n")));
        wm.stubFor(get(urlPathEqualTo(CONFIGMAPS)).withQueryParam("watch", equalTo("true")).withQueryParam("fieldSelector", equalTo(fieldSelector))
                .withQueryParam("resourceVersion", equalTo(version))
                .atPriority(2).withHeader("Authorization", equalTo("Bearer " + PRESIZE_TOKEN))
                .willReturn(json(200, "").withFixedDelay(IDLE_WATCH_MILLIS)));
    }

    private static JsonObject configMapObject(String resourceVersion) {
        JsonObject cm = new JsonObject();
        cm.addProperty("apiVersion", "v1");
        cm.addProperty("kind", "ConfigMap");
        JsonObject meta = new JsonObject();
        meta.addProperty("name", "extension-apiserver-authentication");
        meta.addProperty("namespace", "kube-system");
        meta.addProperty("resourceVersion", resourceVersion);
        cm.add("metadata", meta);
        return cm;
    }

    /** The ConfigMap's data as kube-apiserver writes it: PEM bundles and JSON string arrays. */
    public static Map<String, String> authenticationData(String clientCaPem, String requestHeaderCaPem, List<String> allowedNames) {
        return Map.of(
                "client-ca-file", clientCaPem,
                "requestheader-client-ca-file", requestHeaderCaPem,
                "requestheader-allowed-names", GSON.toJson(allowedNames),
                "requestheader-username-headers", "[\"X-Remote-User\"]",
                "requestheader-group-headers", "[\"X-Remote-Group\"]",
                "requestheader-extra-headers-prefix", "[\"X-Remote-Extra-\"]");
    }

    /** TokenReview of {@code token} says: authenticated as {@code user} in {@code groups}. */
    public void tokenAuthenticates(String token, String user, List<String> groups) {
        JsonObject status = new JsonObject();
        status.addProperty("authenticated", true);
        JsonObject u = new JsonObject();
        u.addProperty("username", user);
        u.addProperty("uid", "uid-" + user);
        u.add("groups", GSON.toJsonTree(groups));
        status.add("user", u);
        tokenReview(token, json(201, review("authentication.k8s.io/v1", "TokenReview", status)));
    }

    public void tokenRejected(String token) {
        JsonObject status = new JsonObject();
        status.addProperty("authenticated", false);
        status.addProperty("error", "token has expired");
        tokenReview(token, json(201, review("authentication.k8s.io/v1", "TokenReview", status)));
    }

    public void tokenReview(String token, ResponseDefinitionBuilder answer) {
        wm.stubFor(post(urlEqualTo(TOKENREVIEWS)).atPriority(2).withHeader("Authorization", equalTo("Bearer " + PRESIZE_TOKEN))
                .withRequestBody(matchingJsonPath("$.spec.token", equalTo(token))).willReturn(answer));
    }

    /** SubjectAccessReview for {@code user} answers {@code allowed}/{@code denied}. */
    public void access(String user, boolean allowed) {
        JsonObject status = new JsonObject();
        status.addProperty("allowed", allowed);
        if (!allowed) {
            status.addProperty("reason", "");
        }
        accessReview(user, json(201, review("authorization.k8s.io/v1", "SubjectAccessReview", status)));
    }

    public void accessReview(String user, ResponseDefinitionBuilder answer) {
        accessReview(post(urlEqualTo(SUBJECTACCESSREVIEWS)).withRequestBody(matchingJsonPath("$.spec.user", equalTo(user))), answer);
    }

    public void accessReview(MappingBuilder match, ResponseDefinitionBuilder answer) {
        wm.stubFor(match.atPriority(2).withHeader("Authorization", equalTo("Bearer " + PRESIZE_TOKEN)).willReturn(answer));
    }

    /** The SubjectAccessReview bodies received for {@code user}. */
    public List<JsonObject> accessReviewsFor(String user) {
        return wm.findAll(postRequestedFor(urlEqualTo(SUBJECTACCESSREVIEWS)).withRequestBody(matchingJsonPath("$.spec.user", equalTo(user))))
                .stream().map(LoggedRequest::getBodyAsString).map(b -> JsonParser.parseString(b).getAsJsonObject()).toList();
    }

    public int tokenReviewsFor(String token) {
        return wm.findAll(postRequestedFor(urlEqualTo(TOKENREVIEWS)).withRequestBody(matchingJsonPath("$.spec.token", equalTo(token)))).size();
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String review(String apiVersion, String kind, JsonObject status) {
        JsonObject o = new JsonObject();
        o.addProperty("apiVersion", apiVersion);
        o.addProperty("kind", kind);
        o.add("metadata", new JsonObject());
        // kube-apiserver answers with the whole object, spec included; client-java requires it.
        o.add("spec", new JsonObject());
        o.add("status", status);
        return o.toString();
    }

    @Override
    public void close() {
        wm.stop();
    }
}
