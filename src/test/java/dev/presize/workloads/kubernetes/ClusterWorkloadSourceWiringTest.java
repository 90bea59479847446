package dev.presize.workloads.kubernetes;

import dev.presize.Main;
import dev.presize.kubernetes.KubernetesClientFactory;
import dev.presize.kubernetes.KubernetesConfigurationException;
import dev.presize.security.TestCertificates;
import dev.presize.workloads.DemoWorkloadSource;
import dev.presize.workloads.WorkloadSource;
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
            assertEquals(api.url(), ctx.getBean(KubernetesClientFactory.class).lists().getBasePath());
            api.server.verify(getRequestedFor(urlPathEqualTo("/api/v1/pods"))
                    .withHeader("Authorization", equalTo("Bearer presize-test-token")));
            // Discovery (which version serves CronJobs) with the same credentials.
            api.server.verify(getRequestedFor(urlPathEqualTo("/apis/batch/v1"))
                    .withHeader("Authorization", equalTo("Bearer presize-test-token")));
            // The registry /metrics serves has a gauge per kind.
            var names = ctx.getBean(io.prometheus.metrics.model.registry.PrometheusRegistry.class).scrape().stream()
                    .map(m -> m.getMetadata().getPrometheusName()).toList();
            assertTrue(names.contains("presize_workload_kind_available"), names.toString());
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
            assertTrue(e.getMessage().contains("cannot connect"), "says it could not connect: " + e.getMessage());
        }
    }

    @Test
    void anUnreadableAuthenticationConfigMapStopsStartupUnlessToleratedAsInK8sApiserver() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String server = "http://127.0.0.1:" + closedPort;
        Map<String, Object> flags = Map.of("presize.demo", "false", "presize.kubeconfig", kubeconfig(server).toString(),
                "presize.authentication-token-webhook-timeout", "2s");
        Throwable e = assertThrows(Throwable.class, () -> ApplicationContext.run(flags).getBean(ClusterWorkloadSource.class));
        String message = Main.startupMessage(e);
        assertTrue(message.startsWith("unable to load ConfigMap kube-system/extension-apiserver-authentication through --kubeconfig "
                + dir.resolve("test.kubeconfig") + " (" + server + "): GET " + server
                + "/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication: cannot connect: "), message);
        assertTrue(message.endsWith("(give --requestheader-client-ca-file and --client-ca-file, "
                + "or --authentication-tolerate-lookup-failure to start anyway)"), message);
        assertFalse(message.contains("\n"), message);

        Map<String, Object> tolerating = new java.util.HashMap<>(flags);
        tolerating.put("presize.authentication-tolerate-lookup-failure", "true");
        try (ApplicationContext ctx = ApplicationContext.run(tolerating)) {
            assertInstanceOf(ClusterWorkloadSource.class, ctx.getBean(WorkloadSource.class));
        }
    }

    @Test
    void withoutAnyKubernetesConfigurationTheServerRefusesToStartAndSaysWhatToGive() {
        // The workloads, TokenReview and SubjectAccessReview need the Kubernetes API, so outside a
        // pod and without --kubeconfig there is nothing to start with.
        Assumptions.assumeTrue(System.getenv("KUBERNETES_SERVICE_HOST") == null, "running inside a pod");
        Throwable e = assertThrows(Throwable.class, () -> ApplicationContext.run(Map.of("presize.demo", "false")).close());
        assertEquals("--kubeconfig is empty and this is not a pod (KUBERNETES_SERVICE_HOST/PORT are not set): "
                + "Presize needs the Kubernetes API for workloads, TokenReview and SubjectAccessReview; give --kubeconfig",
                Main.startupMessage(e));
    }

    @Test
    void aMissingOrBrokenKubeconfigFileStopsStartupNamingTheFile() throws IOException {
        Path missing = dir.resolve("nope.kubeconfig");
        Throwable e = assertThrows(Throwable.class, () -> ApplicationContext.run(Map.of("presize.demo", "false",
                "presize.kubeconfig", missing.toString())).close());
        assertEquals("--kubeconfig " + missing + ": no such file", Main.startupMessage(e));

        Path broken = Files.writeString(dir.resolve("broken.kubeconfig"), "clusters: [\n");
        KubernetesConfigurationException notYaml = assertThrows(KubernetesConfigurationException.class,
                () -> new KubernetesClientFactory(broken.toString()));
        assertTrue(notYaml.getMessage().startsWith("--kubeconfig " + broken + ": not a kubeconfig: "), notYaml.getMessage());
        assertFalse(notYaml.getMessage().contains("\n"), notYaml.getMessage());

        Path noServer = Files.writeString(dir.resolve("no-server.kubeconfig"), "apiVersion: v1\nkind: Config\n");
        assertEquals("--kubeconfig " + noServer + ": its current context names no cluster server",
                assertThrows(KubernetesConfigurationException.class, () -> new KubernetesClientFactory(noServer.toString())).getMessage());
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
