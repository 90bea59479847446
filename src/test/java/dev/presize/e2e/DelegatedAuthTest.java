package dev.presize.e2e;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.presize.security.FakeKubeApiServer;
import dev.presize.security.SecretVolume;
import dev.presize.security.TestCertificates;
import dev.presize.security.TestCertificates.Ca;
import dev.presize.security.TestCertificates.Issued;
import dev.presize.security.TestCertificates.Usage;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.presize.security.FakeKubeApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server outside demo mode, over real TLS, with WireMock as kube-apiserver (ConfigMap,
 * TokenReview, SubjectAccessReview), driven by JDK HTTPS clients with and without client
 * certificates and by the real kubectl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DelegatedAuthTest {

    static final String LIST = "/apis/presize.dev/v1beta1/namespaces/shop/requests";

    Path dir;

    FakeKubeApiServer kube;
    EmbeddedServer server;
    X509Certificate servingCa;

    final Ca clientCa = TestCertificates.ca("client-ca");
    final Ca proxyCa = TestCertificates.ca("front-proxy-ca");
    final Ca otherCa = TestCertificates.ca("someone-elses-ca");
    Issued frontProxy;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        frontProxy = proxyCa.client("front-proxy-client");
        kube = new FakeKubeApiServer();
        kube.configMap(FakeKubeApiServer.authenticationData(clientCa.pem(), proxyCa.pem(), List.of("front-proxy-client")));
        kube.access("system:anonymous", false);
        server = startServer(Map.of());
        servingCa = certificate(dir.resolve("certs/ca.crt"));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.getApplicationContext().close();
        }
        if (kube != null) {
            kube.close();
        }
    }

    EmbeddedServer startServer(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(Map.of(
                "micronaut.server.ssl.port", "-1", // a free port: Micronaut's -1, not a valid --secure-port
                "presize.bind-address", "127.0.0.1",
                "presize.cert-dir", dir.resolve("certs").toString(),
                "presize.kubeconfig", kube.writeKubeconfig(dir).toString(),
                "presize.authorization-webhook-timeout", "2s",
                "presize.authentication-token-webhook-timeout", "2s",
                "presize.tls-reload-interval", "100ms"));
        props.putAll(extra);
        EmbeddedServer s = ApplicationContext.run(EmbeddedServer.class, props);
        if (!s.isRunning()) {
            s.start();
        }
        return s;
    }

    // ---- front proxy -------------------------------------------------------------------------

    @Test
    void theFrontProxyIdentityIsTakenFromItsHeadersAndAuthorizedWithASubjectAccessReview() {
        kube.access("alice", true);
        HttpResponse<String> r = get(client(frontProxy), LIST + "?labelSelector=tier%3Dweb&fieldSelector=metadata.name%21%3Dx",
                "X-Remote-User", "alice", "X-Remote-Group", "devs", "X-Remote-Group", "qa",
                "X-Remote-Extra-Acme.dev%2fTeam", "payments");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"kind\":\"RequestsList\""), r.body());

        JsonObject spec = kube.accessReviewsFor("alice").get(0).getAsJsonObject("spec");
        assertEquals(JsonParser.parseString("[\"devs\",\"qa\",\"system:authenticated\"]"), spec.get("groups"));
        assertEquals(JsonParser.parseString("{\"acme.dev/team\":[\"payments\"]}"), spec.get("extra"));
        JsonObject ra = spec.getAsJsonObject("resourceAttributes");
        assertEquals("list", ra.get("verb").getAsString());
        assertEquals("presize.dev", ra.get("group").getAsString());
        assertEquals("v1beta1", ra.get("version").getAsString());
        assertEquals("requests", ra.get("resource").getAsString());
        assertEquals("shop", ra.get("namespace").getAsString());
        assertEquals(JsonParser.parseString("{\"requirements\":[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"web\"]}]}"),
                ra.get("labelSelector"));
        assertEquals(JsonParser.parseString("{\"requirements\":[{\"key\":\"metadata.name\",\"operator\":\"NotIn\",\"values\":[\"x\"]}]}"),
                ra.get("fieldSelector"));
    }

    @Test
    void aVerifiedFrontProxyWithoutAUserHeaderIsNotAnAuthenticatedUser() {
        // Upstream: no user header → no opinion from the front proxy; the certificate is not from
        // the client CA → error → 401 (kube-aggregator's availability check sees exactly this).
        assertEquals(401, get(client(frontProxy), "/apis/presize.dev/v1beta1").statusCode());
    }

    @Test
    void forgedIdentityHeadersWithoutAFrontProxyCertificateAreIgnored() {
        kube.access("system:admin", true);
        HttpResponse<String> r = get(client(null), LIST, "X-Remote-User", "system:admin", "X-Remote-Group", "system:masters");
        assertEquals(403, r.statusCode(), r.body());
        assertStatus(r, 403, "Forbidden", "requests.presize.dev is forbidden: User \"system:anonymous\" cannot list resource "
                + "\"requests\" in API group \"presize.dev\" in the namespace \"shop\"");
        assertEquals(0, kube.accessReviewsFor("system:admin").size(), "never asked about the forged user");
    }

    @Test
    void forgedIdentityHeadersWithAWrongFrontProxyCertificateGetNothing() {
        kube.access("system:admin", true);
        Instant now = Instant.now();
        Map<String, Issued> wrong = Map.of(
                "CN not in the allowed names", proxyCa.client("not-the-front-proxy"),
                "signed by another CA", otherCa.client("front-proxy-client"),
                "expired", proxyCa.issue("front-proxy-client", List.of(), Usage.CLIENT_AUTH, now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1))),
                "without client-auth usage", proxyCa.issue("front-proxy-client", List.of(), Usage.SERVER_AUTH_ONLY, now.minus(Duration.ofHours(1)),
                        now.plus(Duration.ofDays(1))));
        wrong.forEach((why, cert) -> {
            HttpResponse<String> r = get(client(cert), LIST, "X-Remote-User", "system:admin", "X-Remote-Group", "system:masters");
            assertStatus(r, 401, "Unauthorized", "Unauthorized");
        });
        assertEquals(0, kube.accessReviewsFor("system:admin").size());
    }

    // ---- client certificates -----------------------------------------------------------------

    @Test
    void aClientCertificateFromTheClientCaIsItsCommonNameInItsOrganizations() {
        kube.access("bob", false);
        HttpResponse<String> r = get(client(clientCa.client("bob", "devs", "ops")), "/apis/presize.dev/v1beta1/namespaces/shop/requests/web");
        assertStatus(r, 403, "Forbidden", "requests.presize.dev \"web\" is forbidden: User \"bob\" cannot get resource \"requests\" "
                + "in API group \"presize.dev\" in the namespace \"shop\"");
        JsonObject details = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("details");
        assertEquals("web", details.get("name").getAsString());
        assertEquals("presize.dev", details.get("group").getAsString());
        assertEquals("requests", details.get("kind").getAsString());
        JsonObject spec = kube.accessReviewsFor("bob").get(0).getAsJsonObject("spec");
        assertEquals(JsonParser.parseString("[\"devs\",\"ops\",\"system:authenticated\"]"), spec.get("groups"));
        assertEquals("web", spec.getAsJsonObject("resourceAttributes").get("name").getAsString());
        assertEquals("get", spec.getAsJsonObject("resourceAttributes").get("verb").getAsString());
    }

    @Test
    void systemMastersIsAllowedWithoutAsking() {
        HttpResponse<String> r = get(client(clientCa.client("root", "system:masters")), LIST);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(0, kube.accessReviewsFor("root").size());
    }

    @Test
    void aCertificateNoCaVouchesForIsRejectedEvenWithAValidToken() {
        // An unverifiable certificate is an error, but union authentication goes on: the token wins.
        kube.tokenAuthenticates("token-erin", "erin", List.of());
        kube.access("erin", true);
        assertEquals(200, get(client(otherCa.client("mallory")), LIST, "Authorization", "Bearer token-erin").statusCode());
        assertStatus(get(client(otherCa.client("mallory")), LIST), 401, "Unauthorized", "Unauthorized");
    }

    // ---- tokens ------------------------------------------------------------------------------

    @Test
    void bearerTokensAreReviewedAndFailuresAre401NeverAnonymous() {
        kube.tokenAuthenticates("token-frank", "frank", List.of("team-a"));
        kube.access("frank", true);
        HttpResponse<String> ok = get(client(null), "/metrics", "Authorization", "Bearer token-frank");
        assertEquals(200, ok.statusCode(), ok.body());
        JsonObject spec = kube.accessReviewsFor("frank").get(0).getAsJsonObject("spec");
        assertEquals(JsonParser.parseString("{\"path\":\"/metrics\",\"verb\":\"get\"}"), spec.get("nonResourceAttributes"));
        assertEquals("uid-frank", spec.get("uid").getAsString());

        kube.tokenRejected("token-expired");
        kube.tokenReview("token-500", json(500, "{\"kind\":\"Status\",\"code\":500}"));
        kube.tokenReview("token-slow", json(201, "{\"kind\":\"TokenReview\",\"spec\":{},\"status\":{\"authenticated\":true,\"user\":{\"username\":\"slow\"}}}")
                .withFixedDelay(6000));
        kube.tokenReview("token-garbage", json(201, "<html>not json</html>"));
        kube.tokenReview("token-wrong-type", json(201, "{\"kind\":\"TokenReview\",\"spec\":{},\"status\":{\"authenticated\":[true],\"user\":{\"username\":\"x\"}}}"));
        kube.access("slow", true);
        kube.access("x", true);
        for (String token : List.of("token-expired", "token-500", "token-slow", "token-garbage", "token-wrong-type", "never-heard-of")) {
            assertStatus(get(client(null), "/metrics", "Authorization", "Bearer " + token), 401, "Unauthorized", "Unauthorized");
        }
        // Not a bearer token at all: nothing presented, so anonymous (and health is always allowed).
        assertEquals(200, get(client(null), "/healthz", "Authorization", "Basic Zm9vOmJhcg==").statusCode());
    }

    // ---- authorization failures --------------------------------------------------------------

    @Test
    void aSubjectAccessReviewThatCannotBeHadDenies() {
        kube.tokenAuthenticates("token-sar-500", "sar-500", List.of());
        kube.tokenAuthenticates("token-sar-slow", "sar-slow", List.of());
        kube.tokenAuthenticates("token-sar-garbage", "sar-garbage", List.of());
        kube.tokenAuthenticates("token-sar-both", "sar-both", List.of());
        kube.accessReview("sar-500", json(500, "{}"));
        kube.accessReview("sar-slow", json(201, "{\"kind\":\"SubjectAccessReview\",\"spec\":{},\"status\":{\"allowed\":true}}").withFixedDelay(6000));
        kube.accessReview("sar-garbage", json(201, "{\"kind\":\"SubjectAccessReview\",\"spec\":{},\"status\":{\"allowed\":1}}"));
        kube.accessReview("sar-both", json(201, "{\"kind\":\"SubjectAccessReview\",\"spec\":{},\"status\":{\"allowed\":true,\"denied\":true}}"));
        for (String user : List.of("sar-500", "sar-slow", "sar-garbage", "sar-both")) {
            HttpResponse<String> r = get(client(null), LIST, "Authorization", "Bearer token-" + user);
            assertEquals(403, r.statusCode(), user + ": " + r.body());
            assertTrue(r.body().contains("\"reason\":\"Forbidden\""), r.body());
        }
    }

    @Test
    void alwaysAllowedPathsNeedNoReviewAndOtherPathsDo() {
        for (String path : List.of("/healthz", "/readyz", "/livez")) {
            assertEquals(200, get(client(null), path).statusCode(), path);
        }
        assertStatus(get(client(null), "/metrics"), 403, "Forbidden", "forbidden: User \"system:anonymous\" cannot get path \"/metrics\"");
        assertStatus(get(client(null), "/no-such-path"), 403, "Forbidden",
                "forbidden: User \"system:anonymous\" cannot get path \"/no-such-path\"");
    }

    // ---- kubectl -----------------------------------------------------------------------------

    @Test
    void kubectlWithABearerTokenAndWithAClientCertificate() throws Exception {
        kube.tokenAuthenticates("token-kubectl", "gina", List.of("readers"));
        kube.access("gina", true);
        Kubectl.Result ok = new Kubectl(kubeconfig("gina", "token: token-kubectl")).run("get", "requests", "-n", "shop");
        assertEquals(0, ok.exitCode(), ok.all());
        assertTrue(ok.all().contains("No resources found in shop namespace."), ok.all());

        // Discovery is allowed, reading requests is not: kubectl shows kube-apiserver's message.
        kube.tokenAuthenticates("token-carol", "carol", List.of());
        kube.access("carol", true);
        kube.accessReview(post(urlEqualTo(FakeKubeApiServer.SUBJECTACCESSREVIEWS))
                .withRequestBody(matchingJsonPath("$.spec.user", equalTo("carol")))
                .withRequestBody(matchingJsonPath("$.spec.resourceAttributes")),
                json(201, "{\"kind\":\"SubjectAccessReview\",\"spec\":{},\"status\":{\"allowed\":false}}"));
        Kubectl.Result denied = new Kubectl(kubeconfig("carol", "token: token-carol")).run("get", "requests", "-n", "shop");
        assertNotEquals(0, denied.exitCode());
        assertTrue(denied.stderr().contains("Error from server (Forbidden): requests.presize.dev is forbidden: User \"carol\" cannot list "
                + "resource \"requests\" in API group \"presize.dev\" in the namespace \"shop\""), denied.all());

        Issued dave = clientCa.client("dave", "readers");
        kube.access("dave", true);
        Kubectl.Result cert = new Kubectl(kubeconfig("dave", "client-certificate-data: " + b64(dave.certPem()) + "\n    client-key-data: "
                + b64(dave.keyPem()))).run("get", "requests", "-A");
        assertEquals(0, cert.exitCode(), cert.all());
        assertTrue(cert.all().contains("No resources found"), cert.all());
        assertEquals(JsonParser.parseString("[\"readers\",\"system:authenticated\"]"),
                kube.accessReviewsFor("dave").get(kube.accessReviewsFor("dave").size() - 1).getAsJsonObject("spec").get("groups"));

        Kubectl.Result unknown = new Kubectl(kubeconfig("mallory", "token: nobody-knows-me")).run("get", "requests", "-n", "shop");
        assertNotEquals(0, unknown.exitCode());
        // kubectl's words for a 401 Unauthorized Status
        assertTrue(unknown.all().contains("the server has asked for the client to provide credentials"), unknown.all());
    }

    // ---- changes at run time (last: they change the trust of the shared server) ----------------

    @Test
    @Order(Integer.MAX_VALUE)
    void aChangedConfigMapAppliesWithoutRestart() {
        kube.access("henry", true);
        Ca newProxyCa = TestCertificates.ca("front-proxy-ca-2");
        Issued newProxy = newProxyCa.client("front-proxy-client");
        assertEquals(401, get(client(newProxy), LIST, "X-Remote-User", "henry").statusCode(), "not trusted yet");

        kube.configMap(FakeKubeApiServer.authenticationData(clientCa.pem(), newProxyCa.pem(), List.of("front-proxy-client")));
        awaitStatus(200, () -> get(client(newProxy), LIST, "X-Remote-User", "henry").statusCode());
        assertEquals(401, get(client(frontProxy), LIST, "X-Remote-User", "henry").statusCode(), "the old front-proxy CA is gone");
    }

    @Test
    void caFilesGivenByFlagsAreReloadedWhenASecretSwapsThem() throws Exception {
        Ca first = TestCertificates.ca("file-ca-1");
        Ca second = TestCertificates.ca("file-ca-2");
        Path volume = dir.resolve("ca-volume");
        mount(volume, "..v1", first.pem());
        EmbeddedServer own = startServer(Map.of(
                "presize.authentication-skip-lookup", "true",
                "presize.client-ca-file", volume.resolve("ca.crt").toString(),
                "presize.cert-dir", dir.resolve("certs-own").toString()));
        try {
            X509Certificate ownCa = certificate(dir.resolve("certs-own/ca.crt"));
            kube.access("ivy", true);
            IntSupplier asIvyFromSecond = () -> get(own, client(second.client("ivy"), ownCa), "/metrics").statusCode();
            assertEquals(200, get(own, client(first.client("ivy"), ownCa), "/metrics").statusCode());
            assertEquals(401, asIvyFromSecond.getAsInt());
            mount(volume, "..v2", second.pem());
            awaitStatus(200, asIvyFromSecond);
            assertEquals(401, get(own, client(first.client("ivy"), ownCa), "/metrics").statusCode());
        } finally {
            own.getApplicationContext().close();
        }
    }

    @Test
    void withoutTheLookupAndWithoutCaFlagsTheServerRefusesToStart() {
        Throwable e = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> startServer(Map.of(
                "presize.authentication-skip-lookup", "true", "presize.cert-dir", dir.resolve("certs-refused").toString())));
        String message = dev.presize.security.SecurityConfigurationException.find(e).orElseThrow(() -> new AssertionError(e)).getMessage();
        assertTrue(message.contains("--authentication-skip-lookup is set, so give --requestheader-client-ca-file"), message);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private void awaitStatus(int expected, IntSupplier status) {
        Instant deadline = Instant.now().plusSeconds(30);
        int last = status.getAsInt();
        while (last != expected && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            last = status.getAsInt();
        }
        assertEquals(expected, last, "the running server never picked up the change");
    }

    private static void mount(Path volume, String version, String pem) throws IOException {
        SecretVolume.mount(volume, version, Map.of("ca.crt", pem));
    }


    private Path kubeconfig(String name, String credentials) throws IOException {
        Path file = dir.resolve(name + ".kubeconfig");
        Files.writeString(file, "apiVersion: v1\nkind: Config\nclusters:\n- name: presize\n  cluster:\n    server: https://127.0.0.1:"
                + server.getPort() + "\n    certificate-authority-data: " + b64(TestCertificates.pem(servingCa)) + "\n"
                + "users:\n- name: " + name + "\n  user:\n    " + credentials + "\n"
                + "contexts:\n- name: presize\n  context:\n    cluster: presize\n    user: " + name + "\ncurrent-context: presize\n");
        return file;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private HttpClient client(Issued identity) {
        return client(identity, servingCa);
    }

    private static HttpClient client(Issued identity, X509Certificate serverCa) {
        SSLContext ctx = TestCertificates.clientContext(identity, serverCa);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private HttpResponse<String> get(HttpClient client, String path, String... headers) {
        return get(server, client, path, headers);
    }

    private static HttpResponse<String> get(EmbeddedServer on, HttpClient client, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + on.getPort() + path)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("GET " + path + ": " + e, e);
        }
    }

    private static void assertStatus(HttpResponse<String> r, int code, String reason, String message) {
        assertEquals(code, r.statusCode(), r.body());
        JsonObject status = JsonParser.parseString(r.body()).getAsJsonObject();
        assertEquals("Status", status.get("kind").getAsString());
        assertEquals("Failure", status.get("status").getAsString());
        assertEquals(reason, status.get("reason").getAsString());
        assertEquals(message, status.get("message").getAsString());
        assertEquals(code, status.get("code").getAsInt());
    }
}
