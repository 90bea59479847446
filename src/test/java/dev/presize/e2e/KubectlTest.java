package dev.presize.e2e;

import dev.presize.v1beta1.Requests;
import dev.presize.recommendations.SnapshotStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the running demo server with the real kubectl, through the kubeconfig the demo writes,
 * as a newcomer following the README would.
 */
class KubectlTest {

    static DemoServer server;
    static Kubectl kubectl;
    static List<Requests> all;

    @BeforeAll
    static void start() {
        server = DemoServer.get();
        kubectl = server.kubectl();
        all = server.context.getBean(SnapshotStore.class).current().list(null);
        assertTrue(all.size() >= 10, "the demo serves recommendations for its workloads, got " + all.size());
    }

    @Test
    void apiResourcesListsTheResource() {
        Kubectl.Result r = kubectl.run("api-resources", "--api-group=presize.dev");
        assertEquals(0, r.exitCode(), r.all());
        String line = r.stdout().lines().filter(l -> l.startsWith("requests")).findFirst().orElseThrow(() -> new AssertionError(r.all()));
        assertEquals(List.of("requests", "preq", "presize.dev/v1beta1", "true", "Requests"), Arrays.asList(line.trim().split("\\s+")));
        Kubectl.Result wide = kubectl.run("api-resources", "--api-group=presize.dev", "-o", "wide");
        assertTrue(wide.stdout().contains("get,list,watch") || wide.stdout().contains("[get list watch]"), wide.all());
    }

    @Test
    void getAllNamespacesShowsTheColumnsAndEveryObject() {
        Kubectl.Result r = kubectl.run("get", "requests", "-A");
        assertEquals(0, r.exitCode(), r.all());
        List<String> lines = r.stdout().lines().toList();
        assertEquals(List.of("NAMESPACE", "NAME", "KIND", "CPU", "MEMORY", "CONTAINERS", "AGE"),
                Arrays.asList(lines.get(0).trim().split("\\s+")));
        assertEquals(all.size(), lines.size() - 1, r.stdout());
        for (int i = 0; i < all.size(); i++) {
            Requests expected = all.get(i);
            String[] cells = lines.get(i + 1).trim().split("\\s+");
            assertEquals(expected.namespace(), cells[0]);
            assertEquals(expected.name(), cells[1]);
            assertEquals(expected.target().kind(), cells[2]);
            assertEquals(expected.resources().cpu(), cells[3]);
            assertEquals(expected.resources().memory(), cells[4]);
            assertEquals(Integer.toString(expected.containers().size()), cells[5]);
            assertTrue(cells[6].matches("\\d+[smhdy].*"), "age cell: " + cells[6]);
        }
    }

    @Test
    void shortNameCategoryAndCollisionNaming() {
        Kubectl.Result shortName = kubectl.run("get", "preq", "-n", "shop", "-o", "name");
        assertEquals(0, shortName.exitCode(), shortName.all());
        assertTrue(shortName.stdout().contains("requests.presize.dev/web\n"), shortName.stdout());
        assertTrue(shortName.stdout().contains("requests.presize.dev/web.statefulset\n"), shortName.stdout());
        Kubectl.Result category = kubectl.run("get", "presize", "-A", "--no-headers");
        assertEquals(0, category.exitCode(), category.all());
        assertEquals(all.size(), category.stdout().lines().count());
    }

    @Test
    void getOneAsYamlIsTheServedObject() {
        Requests expected = all.stream().filter(r -> r.containers().size() > 1).findFirst().orElseThrow();
        Kubectl.Result r = kubectl.run("get", "requests", expected.name(), "-n", expected.namespace(), "-o", "yaml");
        assertEquals(0, r.exitCode(), r.all());
        Map<String, Object> obj = new Yaml().load(r.stdout());
        assertEquals("presize.dev/v1beta1", obj.get("apiVersion"));
        assertEquals("Requests", obj.get("kind"));
        Map<?, ?> metadata = (Map<?, ?>) obj.get("metadata");
        assertEquals(expected.name(), metadata.get("name"));
        assertEquals(expected.metadata().resourceVersion(), metadata.get("resourceVersion"));
        Map<?, ?> resources = (Map<?, ?>) obj.get("resources");
        assertEquals(expected.resources().cpu(), String.valueOf(resources.get("cpu")));
        assertEquals(expected.resources().memory(), resources.get("memory"));
        List<?> containers = (List<?>) obj.get("containers");
        assertEquals(expected.containers().size(), containers.size());
        assertEquals(expected.containers().get(1).name(), ((Map<?, ?>) containers.get(1)).get("name"));
        assertEquals(expected.window(), obj.get("window"));
    }

    @Test
    void fieldAndLabelSelectorsAndChunkedLists() {
        Kubectl.Result byName = kubectl.run("get", "requests", "-A", "--field-selector", "metadata.name=web", "-o", "name");
        assertEquals(0, byName.exitCode(), byName.all());
        assertEquals("requests.presize.dev/web", byName.stdout().trim());
        Requests labelled = all.stream().filter(r -> r.metadata().labels() != null).findFirst().orElseThrow();
        var label = labelled.metadata().labels().entrySet().iterator().next();
        Kubectl.Result byLabel = kubectl.run("get", "requests", "-A", "-l", label.getKey() + "=" + label.getValue(), "-o", "name");
        assertEquals(0, byLabel.exitCode(), byLabel.all());
        long expected = all.stream().filter(r -> r.metadata().labels() != null
                && label.getValue().equals(r.metadata().labels().get(label.getKey()))).count();
        assertEquals(expected, byLabel.stdout().lines().count(), byLabel.stdout());
        Kubectl.Result chunked = kubectl.run("get", "requests", "-A", "--chunk-size=3", "--no-headers");
        assertEquals(0, chunked.exitCode(), chunked.all());
        assertEquals(all.size(), chunked.stdout().lines().count());
    }

    @Test
    void explainShowsTheSchema() {
        Kubectl.Result r = kubectl.run("explain", "requests");
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.stdout().contains("KIND:") && r.stdout().contains("Requests"), r.stdout());
        assertTrue(r.stdout().contains("recommendation of CPU and memory requests"), r.stdout());
        assertTrue(r.stdout().contains("containers"), r.stdout());
        Kubectl.Result nested = kubectl.run("explain", "requests.containers.requests");
        assertEquals(0, nested.exitCode(), nested.all());
        assertTrue(nested.stdout().contains("cpu") && nested.stdout().contains("memory"), nested.stdout());
        assertTrue(nested.stdout().contains("rounded up to the next MiB"), nested.stdout());
    }

    @Test
    void rawDiscoveryPaths() {
        for (var e : Map.of("/apis", "APIGroupList", "/apis/presize.dev", "APIGroup",
                "/apis/presize.dev/v1beta1", "APIResourceList").entrySet()) {
            Kubectl.Result r = kubectl.run("get", "--raw", e.getKey());
            assertEquals(0, r.exitCode(), r.all());
            assertTrue(r.stdout().contains("\"kind\":\"" + e.getValue() + "\""), r.stdout());
        }
        Requests one = all.get(0);
        Kubectl.Result r = kubectl.run("get", "--raw",
                "/apis/presize.dev/v1beta1/namespaces/" + one.namespace() + "/requests/" + one.name());
        assertEquals(0, r.exitCode(), r.all());
        assertTrue(r.stdout().contains("\"name\":\"" + one.name() + "\""), r.stdout());
    }

    @Test
    void missingObjectIsNotFound() {
        Kubectl.Result r = kubectl.run("get", "requests", "no-such-workload", "-n", "shop");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("Error from server (NotFound): requests.presize.dev \"no-such-workload\" not found"), r.stderr());
        Kubectl.Result ns = kubectl.run("get", "requests", "web", "-n", "no-such-namespace");
        assertNotEquals(0, ns.exitCode());
        assertTrue(ns.stderr().contains("Error from server (NotFound): namespaces \"no-such-namespace\" not found"), ns.stderr());
    }

    @Test
    void deleteIsMethodNotAllowed() {
        Requests one = all.get(0);
        Kubectl.Result r = kubectl.run("delete", "requests", one.name(), "-n", one.namespace());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("MethodNotAllowed"), r.stderr());
        assertTrue(server.context.getBean(SnapshotStore.class).current().get(one.namespace(), one.name()).isPresent());
    }

    @Test
    void badSelectorIsBadRequest() {
        Kubectl.Result r = kubectl.run("get", "requests", "-A", "-l", "app in (a");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("BadRequest") || r.stderr().contains("unable to parse requirement"), r.stderr());
        Kubectl.Result f = kubectl.run("get", "requests", "-A", "--field-selector", "spec.nodeName=x");
        assertNotEquals(0, f.exitCode());
        assertTrue(f.stderr().contains("BadRequest"), f.stderr());
    }

    /** kubectl lists, then watches until its request timeout ends the watch; WatchTest shows changes arriving. */
    @Test
    void watchListsThenWatchesUntilTheRequestTimeout() {
        Kubectl.Result r = kubectl.run("get", "requests", "-A", "-w", "--request-timeout=5s");
        assertEquals(0, r.exitCode(), r.all());
        // at least the header and every object (a refresh during the watch would add rows)
        assertTrue(r.stdout().lines().count() >= all.size() + 1, r.stdout());
        assertFalse(r.stderr().contains("Error"), r.stderr());
    }
}
