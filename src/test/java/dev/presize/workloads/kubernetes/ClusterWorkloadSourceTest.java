package dev.presize.workloads.kubernetes;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadKind;
import dev.presize.workloads.WorkloadRef;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.custom.Quantity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.presize.workloads.WorkloadKind.CRON_JOB;
import static dev.presize.workloads.WorkloadKind.DAEMON_SET;
import static dev.presize.workloads.WorkloadKind.DEPLOYMENT;
import static dev.presize.workloads.WorkloadKind.JOB;
import static dev.presize.workloads.WorkloadKind.POD;
import static dev.presize.workloads.WorkloadKind.REPLICATION_CONTROLLER;
import static dev.presize.workloads.WorkloadKind.REPLICA_SET;
import static dev.presize.workloads.WorkloadKind.STATEFUL_SET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ClusterWorkloadSource} against WireMock standing in for kube-apiserver. */
class ClusterWorkloadSourceTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

    private KubeApiStub api;
    private ClusterWorkloadSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void resolvesTheFixtureClusterFromListsAndAttributesLiveAndDeadPods() throws Exception {
        api = new KubeApiStub();
        source = api.source(Duration.ofSeconds(20));
        List<Workload> workloads = source.workloads(NOW);

        assertEquals(OwnerChainsTest.EXPECTED_WORKLOADS, workloads.stream().map(w -> w.ref().toString()).toList());
        Workload checkout = OwnerChainsTest.find(workloads, DEPLOYMENT, "checkout");
        assertEquals(Map.of("app", "checkout", "tier", "frontend"), checkout.labels());
        assertEquals(List.of("app", "envoy", "log-shipper"), checkout.containers().stream().map(ContainerSpec::name).toList());
        assertEquals(new ContainerSpec("app", 0.5, 512.0 * 1024 * 1024), checkout.containers().get(0));
        assertEquals(List.of(new ContainerSpec("db", 2.0, 4.0 * (1L << 30)), new ContainerSpec("exporter", 0.1, 50.0 * (1 << 20))),
                OwnerChainsTest.find(workloads, STATEFUL_SET, "web").containers());
        assertEquals(Map.of("app", "web"), OwnerChainsTest.find(workloads, DEPLOYMENT, "web").labels());
        assertEquals(Map.of("app", "web-db"), OwnerChainsTest.find(workloads, STATEFUL_SET, "web").labels());

        // Live pods: their owner chains.
        assertOwner(workloads, "shop", "checkout-6f9c8d7b45-x2x4z", DEPLOYMENT, "checkout");
        assertOwner(workloads, "shop", "web-8f6d4b7c9-n5m8q", DEPLOYMENT, "web");
        assertOwner(workloads, "shop", "web-1", STATEFUL_SET, "web");
        assertOwner(workloads, "data", "etl-nightly-29433600-h7x9d", CRON_JOB, "etl-nightly");
        assertOwner(workloads, "data", "backfill-9mzt4", JOB, "backfill");
        assertOwner(workloads, "monitoring", "node-agent-7xq2v", DAEMON_SET, "node-agent");
        assertOwner(workloads, "shop", "legacy-api-r7k2c", REPLICATION_CONTROLLER, "legacy-api");
        assertOwner(workloads, "data", "ingest-workers-w5l8x", REPLICA_SET, "ingest-workers");
        assertOwner(workloads, "shop", "debug-shell", POD, "debug-shell");
        assertOwner(workloads, "shop", "api-6b7c9d5f4-m2v6w", REPLICA_SET, "api-6b7c9d5f4");
        // Pods that are gone: old rollouts, an old ordinal, an earlier CronJob run.
        assertOwner(workloads, "shop", "checkout-7b4d5c9f8-k2l9p", DEPLOYMENT, "checkout");
        assertOwner(workloads, "shop", "checkout-589bd7fc6c-wz4t8", DEPLOYMENT, "checkout");
        assertOwner(workloads, "shop", "web-2", STATEFUL_SET, "web");
        assertOwner(workloads, "data", "etl-nightly-29432160-p4r2s", CRON_JOB, "etl-nightly");
        // Ambiguity: the longest name wins.
        assertOwner(workloads, "shop", "api-6b7c9d5f4-q2w5z", REPLICA_SET, "api-6b7c9d5f4");
        assertEquals(Optional.empty(), source.ownerOf(workloads, "shop", "nobody-x2x4z"));
        // Only workloads of the given list are returned.
        List<Workload> withoutCheckout = workloads.stream().filter(w -> !w.name().equals("checkout")).toList();
        assertEquals(Optional.empty(), source.ownerOf(withoutCheckout, "shop", "checkout-6f9c8d7b45-x2x4z"));
    }

    @Test
    void cachedObjectsAreStrippedToWhatOwnerChainsAndRequestsNeed() throws Exception {
        api = new KubeApiStub();
        source = api.source(Duration.ofSeconds(20));
        source.workloads(NOW);
        V1Pod pod = source.caches().pods().get("shop", "checkout-6f9c8d7b45-x2x4z");
        assertEmpty(pod.getMetadata().getManagedFields());
        assertEmpty(pod.getMetadata().getAnnotations());
        assertEmpty(pod.getMetadata().getLabels());
        assertEmpty(pod.getSpec().getVolumes());
        assertNull(pod.getSpec().getNodeName());
        assertEmpty(pod.getStatus().getConditions());
        assertEquals("Running", pod.getStatus().getPhase());
        V1Container app = pod.getSpec().getContainers().get(0);
        assertEmpty(app.getEnv());
        assertNull(app.getImage());
        assertEquals(new Quantity("500m"), app.getResources().getRequests().get("cpu"));
        assertEquals(List.of("log-shipper"), pod.getSpec().getInitContainers().stream().map(V1Container::getName).toList());
        assertEquals("checkout-6f9c8d7b45", pod.getMetadata().getOwnerReferences().get(0).getName());
        V1ReplicaSet rs = source.caches().replicaSets().get("shop", "checkout-6f9c8d7b45");
        assertNull(rs.getSpec(), "a Deployment's ReplicaSet keeps no template");
        assertEquals("6f9c8d7b45", rs.getMetadata().getLabels().get("pod-template-hash"));
    }

    @Test
    void watchEventsReachTheCacheWithoutListingAgain() throws Exception {
        api = new KubeApiStub();
        source = api.source(Duration.ofSeconds(20));
        source.workloads(NOW);

        api.queueWatchEvents("deployments", List.of(Map.entry("ADDED", deployment("search"))));
        api.queueWatchEvents("replicasets", List.of(Map.entry("ADDED", replicaSet("search-6d8f7c9b5", "search"))));
        api.queueWatchEvents("pods", List.of(
                Map.entry("ADDED", pod("search-6d8f7c9b5-t7k2m", "search-6d8f7c9b5")),
                Map.entry("DELETED", new V1Pod().metadata(new V1ObjectMeta().namespace("shop").name("debug-shell").resourceVersion("2003")))));

        List<Workload> after = awaitWorkloads(w -> refs(w).contains("shop/Deployment/search")
                && !refs(w).contains("shop/Pod/debug-shell")
                && source.ownerOf(w, "shop", "search-6d8f7c9b5-t7k2m").isPresent(), Duration.ofSeconds(20));
        assertEquals(Optional.of(new WorkloadRef("shop", DEPLOYMENT, "search")), source.ownerOf(after, "shop", "search-6d8f7c9b5-t7k2m"));
        assertEquals(List.of(new ContainerSpec("search", 0.3, null)), OwnerChainsTest.find(after, DEPLOYMENT, "search").containers());

        FixtureCluster.RESOURCES.forEach((resource, r) -> api.server.verify(1,
                getRequestedFor(urlPathEqualTo(r.path())).withQueryParam("watch", equalTo("false"))));
        api.server.verify(moreThanOrExactly(2), getRequestedFor(urlPathEqualTo("/apis/apps/v1/deployments"))
                .withQueryParam("watch", equalTo("true")));
        // The watch resumes from the list's resourceVersion, as kube-apiserver expects.
        api.server.verify(getRequestedFor(urlPathEqualTo("/apis/apps/v1/deployments"))
                .withQueryParam("watch", equalTo("true")).withQueryParam("resourceVersion", equalTo("1003")));
    }

    @Test
    void anUnreachableApiServerIsAnIOExceptionNotAHang() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        source = KubeApiStub.source(url, Duration.ofSeconds(2));
        long started = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> source.workloads(NOW));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(millis < 6000, "answered after " + millis + " ms");
        assertTrue(e.getMessage().startsWith("workload cache not synced yet: "), e.getMessage());
        // The URL and the cause in words, not an exception's class name.
        assertTrue(e.getMessage().contains("pods: GET " + url + "/api/v1/pods: cannot connect: "), e.getMessage());
        assertFalse(e.getMessage().contains("ConnectException"), e.getMessage());
        // The same again, at once after the first wait, and never a partial list.
        assertThrows(IOException.class, () -> source.workloads(NOW));
    }

    @Test
    void aForbiddenListIsReportedThenRetriedInTheBackground() throws Exception {
        api = new KubeApiStub();
        StubMapping forbidden = api.server.stubFor(get(urlPathEqualTo("/api/v1/pods")).withQueryParam("watch", equalTo("false")).atPriority(1)
                .willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json").withBody(
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,"
                                + "\"message\":\"pods is forbidden: User \\\"system:serviceaccount:presize-system:presize\\\" cannot list"
                                + " resource \\\"pods\\\" in API group \\\"\\\" at the cluster scope\"}")));
        source = api.source(Duration.ofSeconds(3));
        // Not a failed refresh (issue 13): the other kinds are served, each saying it was resolved without pods.
        List<Workload> partial = source.workloads(NOW);
        assertFalse(refs(partial).contains("shop/Pod/debug-shell"), "no bare pods without pods: " + refs(partial));
        assertTrue(refs(partial).contains("shop/Deployment/checkout"), refs(partial).toString());
        var unavailable = source.unavailableKinds(partial);
        assertEquals(partial.size(), unavailable.size(), "every workload was resolved without pods");
        var pods = unavailable.get(new WorkloadRef("shop", DEPLOYMENT, "checkout")).get(0);
        assertEquals("Forbidden", pods.reason());
        assertTrue(pods.cause().contains("GET " + api.url() + "/api/v1/pods: HTTP 403 from the API server: ")
                && pods.cause().contains("cannot list resource"), pods.cause());

        api.server.removeStub(forbidden);
        List<Workload> workloads = awaitWorkloads(w -> w.size() == OwnerChainsTest.EXPECTED_WORKLOADS.size(), Duration.ofSeconds(60));
        assertEquals(OwnerChainsTest.EXPECTED_WORKLOADS, refs(workloads));
        assertEquals(Map.of(), source.unavailableKinds(workloads));
    }

    private List<Workload> awaitWorkloads(java.util.function.Predicate<List<Workload>> done, Duration timeout) throws Exception {
        return awaitWorkloads(source, NOW, done, timeout);
    }

    /** Polls {@code source} until its workloads satisfy {@code done}; the last error, if any, says why not. */
    static List<Workload> awaitWorkloads(ClusterWorkloadSource source, Instant now,
                                         java.util.function.Predicate<List<Workload>> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                List<Workload> w = source.workloads(now);
                if (done.test(w)) {
                    return w;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not reached within " + timeout + (last == null ? "" : ": " + last.getMessage()));
    }

    private void assertOwner(List<Workload> workloads, String ns, String pod, WorkloadKind kind, String name) {
        assertEquals(Optional.of(new WorkloadRef(ns, kind, name)), source.ownerOf(workloads, ns, pod), pod);
    }

    private static void assertEmpty(Object collectionOrMap) {
        assertTrue(collectionOrMap == null || (collectionOrMap instanceof java.util.Collection<?> c ? c.isEmpty()
                : ((Map<?, ?>) collectionOrMap).isEmpty()), String.valueOf(collectionOrMap));
    }

    static List<String> refs(List<Workload> workloads) {
        return workloads.stream().map(w -> w.ref().toString()).toList();
    }

    private static V1ObjectMeta meta(String name, String rv) {
        return new V1ObjectMeta().namespace("shop").name(name).resourceVersion(rv)
                .creationTimestamp(OffsetDateTime.parse("2026-11-21T09:00:00Z")).uid("uid-" + name);
    }

    private static V1PodSpec spec(String container) {
        return new V1PodSpec().containers(List.of(new V1Container().name(container)
                .resources(new V1ResourceRequirements().requests(Map.of("cpu", new Quantity("300m"))))));
    }

    private static V1Deployment deployment(String name) {
        return new V1Deployment().apiVersion("apps/v1").kind("Deployment").metadata(meta(name, "2001").labels(Map.of("app", name)))
                .spec(new V1DeploymentSpec().selector(new V1LabelSelector().matchLabels(Map.of("app", name))).template(new V1PodTemplateSpec().spec(spec(name))));
    }

    private static V1ReplicaSet replicaSet(String name, String deployment) {
        return new V1ReplicaSet().apiVersion("apps/v1").kind("ReplicaSet").metadata(meta(name, "2002")
                .labels(Map.of("pod-template-hash", name.substring(name.lastIndexOf('-') + 1)))
                .ownerReferences(List.of(new V1OwnerReference().apiVersion("apps/v1").kind("Deployment").name(deployment)
                        .uid("uid-" + deployment).controller(true))));
    }

    private static V1Pod pod(String name, String replicaSet) {
        return new V1Pod().apiVersion("v1").kind("Pod").metadata(meta(name, "2003")
                .ownerReferences(List.of(new V1OwnerReference().apiVersion("apps/v1").kind("ReplicaSet").name(replicaSet)
                        .uid("uid-" + replicaSet).controller(true))))
                .spec(spec("search"));
    }
}
