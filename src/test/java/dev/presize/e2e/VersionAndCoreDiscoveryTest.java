package dev.presize.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What clients load before discovery (issue 15 item 2): {@code /version} like k8s.io/apiserver's,
 * the demo's {@code /api} and {@code /api/v1}, and health endpoints that ignore Accept, checked
 * over real HTTPS and with the real kubectl.
 */
class VersionAndCoreDiscoveryTest {

    private static DemoServer server;

    @BeforeAll
    static void start() {
        server = DemoServer.get();
    }

    @Test
    void versionHasEveryFieldOfVersionInfoFromTheBuild() {
        HttpResponse<String> r = server.get("/version");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("content-type").orElse(""));
        JsonObject v = JsonParser.parseString(r.body()).getAsJsonObject();
        assertEquals(List.of("major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion",
                "compiler", "platform"), List.copyOf(v.keySet()));
        // The build writes these (git-commit-id-maven-plugin); the test runs from a git checkout.
        assertTrue(v.get("gitVersion").getAsString().matches("v\\d+\\.\\d+\\.\\d+.*"), r.body());
        assertTrue(v.get("gitVersion").getAsString().startsWith("v" + v.get("major").getAsString() + "."
                + v.get("minor").getAsString() + "."), r.body());
        assertTrue(v.get("gitCommit").getAsString().matches("[0-9a-f]{40}"), r.body());
        assertTrue(v.get("gitTreeState").getAsString().matches("clean|dirty"), r.body());
        assertTrue(v.get("buildDate").getAsString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), r.body());
        assertTrue(v.get("platform").getAsString().matches("[a-z0-9_]+/[a-z0-9_]+"), r.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/yaml", "text/plain", "*/*"})
    void versionIsJsonWhateverTheAccept(String accept) {
        HttpResponse<String> r = server.get("/version", "Accept", accept);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(JsonParser.parseString(r.body()).getAsJsonObject().has("gitVersion"), r.body());
    }

    @Test
    void kubectlVersionShowsTheServer() {
        Kubectl.Result r = server.kubectl().run("version", "-o", "json");
        assertEquals(0, r.exitCode(), r.all());
        JsonObject out = JsonParser.parseString(r.stdout()).getAsJsonObject();
        assertEquals(JsonParser.parseString(server.get("/version").body()), out.get("serverVersion"), r.all());
    }

    @Test
    void demoServesTheCoreGroupsVersionsAndItsOneResource() {
        HttpResponse<String> api = server.get("/api");
        assertEquals(200, api.statusCode(), api.body());
        JsonObject versions = JsonParser.parseString(api.body()).getAsJsonObject();
        assertEquals("APIVersions", versions.get("kind").getAsString());
        assertEquals("[\"v1\"]", versions.get("versions").toString());
        String address = versions.getAsJsonArray("serverAddressByClientCIDRs").get(0).getAsJsonObject()
                .get("serverAddress").getAsString();
        assertTrue(address.endsWith(":" + server.server.getPort()), api.body());

        HttpResponse<String> v1 = server.get("/api/v1");
        assertEquals(200, v1.statusCode(), v1.body());
        JsonObject list = JsonParser.parseString(v1.body()).getAsJsonObject();
        assertEquals("APIResourceList", list.get("kind").getAsString());
        assertEquals("v1", list.get("groupVersion").getAsString());
        JsonObject namespaces = list.getAsJsonArray("resources").get(0).getAsJsonObject();
        assertEquals("namespaces", namespaces.get("name").getAsString());
        assertEquals("[\"get\"]", namespaces.get("verbs").toString());
    }

    @Test
    void kubectlStillFindsRequestsWithTheCoreGroupPresent() {
        Kubectl.Result r = server.kubectl().run("api-resources");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.stdout().lines().anyMatch(l -> l.startsWith("namespaces ")), r.all());
        assertTrue(r.stdout().lines().anyMatch(l -> l.startsWith("requests ")), r.all());
        Kubectl.Result get = server.kubectl().run("get", "requests", "-A", "-o", "name");
        assertEquals(0, get.exitCode(), get.all());
        assertTrue(get.stdout().contains("requests.presize.dev/"), get.all());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/livez", "/readyz", "/healthz", "/livez/ping"})
    void healthAnswersWhateverTheAccept(String path) {
        for (String accept : List.of("application/json", "application/yaml", "text/html", "image/png", "*/*")) {
            HttpResponse<String> r = server.get(path, "Accept", accept);
            assertEquals(200, r.statusCode(), path + " Accept " + accept + ": " + r.body());
            assertEquals("ok", r.body(), path + " Accept " + accept);
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"), path);
        }
    }
}
