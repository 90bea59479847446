package dev.presize.workloads.kubernetes;

import dev.presize.kubernetes.KubernetesClientFactory;
import dev.presize.security.SecurityConfigurationException;
import dev.presize.security.TestCertificates;
import dev.presize.workloads.DemoWorkloadSource;
import dev.presize.workloads.WorkloadSource;
import io.kubernetes.client.openapi.ApiClient;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bean exists outside demo mode only, reads --kubeconfig, and never stops startup. */
class ClusterWorkloadSourceWiringTest {

    @TempDir
    Path dir;

    private KubeApiStub api;

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void outsideDemoModeTheClusterIsTheSourceThroughTheKubeconfig() throws Exception {
        api = new KubeApiStub();
        Path kubeconfig = kubeconfig(api.url());
        try (ApplicationContext ctx = ApplicationContext.run(Map.of("presize.demo", "false",
                "presize.kubeconfig", kubeconfig.toString()))) {
            WorkloadSource source = ctx.getBean(WorkloadSource.class);
            assertInstanceOf(ClusterWorkloadSource.class, source);
            assertEquals(OwnerChainsTest.EXPECTED_WORKLOADS.size(), source.workloads(Instant.now()).size());
            // One ApiClient bean (ours replaces micronaut-kubernetes-client's), configured from the kubeconfig.
            assertEquals(api.url(), ctx.getBean(ApiClient.class).getBasePath());
            api.server.verify(getRequestedFor(urlPathEqualTo("/api/v1/pods"))
                    .withHeader("Authorization", equalTo("Bearer presize-test-token")));
        }
    }

    @Test
    void demoModeHasNoClusterBeansAndTalksToNoCluster() {
        api = new KubeApiStub();
        try (ApplicationContext ctx = ApplicationContext.run(Map.of("presize.demo", "true", "presize.bind-address", "127.0.0.1",
                "presize.kubeconfig", kubeconfig(api.url()).toString()))) {
            assertInstanceOf(DemoWorkloadSource.class, ctx.getBean(WorkloadSource.class));
            assertFalse(ctx.containsBean(ClusterWorkloadSource.class));
            assertFalse(ctx.containsBean(KubernetesClientFactory.class));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertTrue(api.server.getAllServeEvents().isEmpty(), "no request reached the API server");
    }

    @Test
    void anUnreachableKubernetesApiNeverStopsStartupAndRefreshesSayWhy() throws Exception {
        // Delegated authentication needs its CA from a file here (no ConfigMap lookup), so nothing
        // at startup depends on the API server; the kubeconfig points at a port nobody listens on.
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path ca = dir.resolve("client-ca.crt");
        Files.writeString(ca, TestCertificates.ca("wiring").pem());
        try (ApplicationContext ctx = ApplicationContext.run(Map.of("presize.demo", "false",
                "presize.kubeconfig", kubeconfig("http://127.0.0.1:" + closedPort).toString(),
                "presize.authentication-skip-lookup", "true", "presize.client-ca-file", ca.toString()))) {
            ClusterWorkloadSource source = ctx.getBean(ClusterWorkloadSource.class);
            IOException e = assertThrows(IOException.class, () -> source.workloads(Instant.now()));
            assertTrue(e.getMessage().startsWith("workload cache not synced yet: pods: "), e.getMessage());
            assertTrue(e.getMessage().contains("onnect"), "says it could not connect: " + e.getMessage());
        }
    }

    @Test
    void withoutAnyKubernetesConfigurationTheServerRefusesToStartAndSaysWhatToGive() {
        // Since delegated authentication, TokenReview and SubjectAccessReview need the Kubernetes
        // API, so outside a pod and without --kubeconfig there is nothing to start with.
        Assumptions.assumeTrue(System.getenv("KUBERNETES_SERVICE_HOST") == null, "running inside a pod");
        Throwable e = assertThrows(Throwable.class, () -> ApplicationContext.run(Map.of("presize.demo", "false")).close());
        String message = SecurityConfigurationException.find(e).orElseThrow(() -> new AssertionError(e)).getMessage();
        assertTrue(message.contains("not a pod") && message.contains("give --kubeconfig"), message);
    }

    @Test
    void aMissingKubeconfigFileIsNamed() {
        IOException e = assertThrows(IOException.class, () -> KubernetesClientFactory.create(
                dir.resolve("nope.kubeconfig").toString(), java.time.Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("nope.kubeconfig: no such file"), e.getMessage());
    }

    private Path kubeconfig(String server) throws IOException {
        Path file = dir.resolve("test.kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: stub
                  cluster:
                    server: %s
                users:
                - name: presize
                  user:
                    token: presize-test-token
                contexts:
                - name: stub
                  context:
                    cluster: stub
                    user: presize
                current-context: stub
                """.formatted(server));
        return file;
    }
}
