package dev.presize.kubernetes;

import dev.presize.security.FakeKubeApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.presize.security.FakeKubeApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The authentication ConfigMap read once and then followed, against WireMock as kube-apiserver. */
class ConfigMapInformerTest {

    static final String NAMESPACE = "kube-system";
    static final String NAME = "extension-apiserver-authentication";

    @TempDir
    Path dir;

    FakeKubeApiServer kube;
    ConfigMapInformer informer;
    final List<Optional<Map<String, String>>> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        kube = new FakeKubeApiServer();
        KubernetesClientFactory clients = new KubernetesClientFactory(kube.writeKubeconfig(dir).toString());
        informer = new ConfigMapInformer(clients, NAMESPACE, NAME, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        informer.close();
        kube.close();
    }

    @Test
    void theFirstReadIsTheDataAndAMissingConfigMapIsEmptyNotAnError() throws IOException {
        assertEquals(Optional.empty(), informer.read(), "404: not there");
        kube.configMap(Map.of("client-ca-file", "pem-1"));
        assertEquals(Optional.of(Map.of("client-ca-file", "pem-1")), informer.read());
    }

    @Test
    void anyOtherFailureOfTheFirstReadNamesTheUrlAndTheCause() {
        kube.wireMock().stubFor(get(urlEqualTo(FakeKubeApiServer.CONFIGMAP_PATH)).atPriority(1).willReturn(json(403,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,"
                        + "\"message\":\"configmaps \\\"extension-apiserver-authentication\\\" is forbidden\"}")));
        IOException e = assertThrows(IOException.class, informer::read);
        assertEquals("GET " + kube.url() + FakeKubeApiServer.CONFIGMAP_PATH
                + ": HTTP 403 from the API server: configmaps \"extension-apiserver-authentication\" is forbidden", e.getMessage());
    }

    @Test
    void changesAndTheDeletionArePickedUp() throws Exception {
        kube.configMap(Map.of("client-ca-file", "pem-1"));
        informer.start(seen::add);
        await(s -> s.contains(Optional.of(Map.of("client-ca-file", "pem-1"))), "the ConfigMap as listed");

        kube.configMap(Map.of("client-ca-file", "pem-2"));
        await(s -> s.get(s.size() - 1).equals(Optional.of(Map.of("client-ca-file", "pem-2"))), "the modified ConfigMap");

        kube.configMapDeleted();
        await(s -> s.get(s.size() - 1).isEmpty(), "the deletion");
    }

    @Test
    void aConfigMapThatAppearsLaterIsPickedUp() throws Exception {
        informer.start(seen::add);
        kube.configMap(Map.of("requestheader-client-ca-file", "pem-3"));
        await(s -> s.contains(Optional.of(Map.of("requestheader-client-ca-file", "pem-3"))), "the created ConfigMap");
    }

    /** Polls what the informer reported until {@code done}; fails after a generous deadline. */
    private void await(Predicate<List<Optional<Map<String, String>>>> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (seen.isEmpty() || !done.test(List.copyOf(seen))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never saw " + what + "; saw " + seen);
            }
            Thread.sleep(50);
        }
    }
}
