package dev.presize.workloads.kubernetes;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.presize.workloads.Workload;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kube-apiserver failing under a running Presize (WireMock answering every list and watch with 500).
 * Once the informers have synced, an outage is not a refresh failure: the caches keep answering
 * with the cluster as last seen (as every controller's informers do), and follow it again when the
 * API is back. Before the first sync it is a failure, an {@link IOException} naming what is
 * missing (when no kind at all has synced), which the refresh turns into {@code Stale} (RefreshFaultsTest).
 */
class KubernetesOutageTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final String INTERNAL_ERROR = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
            + "\"reason\":\"InternalError\",\"code\":500,\"message\":\"etcdserver: request timed out\"}";

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

    private StubMapping outage() {
        return api.server.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody(INTERNAL_ERROR)));
    }

    @Test
    void anOutageAfterTheFirstSyncServesTheCachedWorkloadsAndTheCacheFollowsTheClusterAgainAfterwards() throws Exception {
        api = new KubeApiStub();
        source = api.source(Duration.ofSeconds(20));
        List<Workload> before = source.workloads(NOW);
        assertTrue(refs(before).contains("shop/Pod/debug-shell"), refs(before).toString());

        StubMapping outage = outage();
        // Wait (for a condition, not a time) until the informers have actually hit the outage: a
        // watch ends after KubeApiStub.IDLE_WATCH_MILLIS and its successor gets the 500.
        awaitServed(e -> e.getResponse().getStatus() == 500 && e.getRequest().getUrl().startsWith("/api/v1/pods"));
        assertEquals(before, source.workloads(NOW), "the cluster as last seen, not an error and not a partial list");

        api.server.removeStub(outage);
        api.queueWatchEvents("pods", List.of(Map.entry("DELETED",
                new V1Pod().metadata(new V1ObjectMeta().namespace("shop").name("debug-shell").resourceVersion("2003")))));
        List<Workload> after = awaitWorkloads(w -> !refs(w).contains("shop/Pod/debug-shell"));
        assertEquals(before.size() - 1, after.size(), refs(after).toString());
    }

    @Test
    void anOutageBeforeTheFirstSyncIsAnIOExceptionNamingTheFailure() throws Exception {
        api = new KubeApiStub();
        StubMapping outage = outage();
        source = api.source(Duration.ofSeconds(2));
        IOException e = assertThrows(IOException.class, () -> source.workloads(NOW));
        assertTrue(e.getMessage().startsWith("workload cache not synced yet: "), e.getMessage());
        assertTrue(e.getMessage().contains("500"), e.getMessage());
        assertFalse(e.getMessage().contains("\tat "), e.getMessage());

        api.server.removeStub(outage);
        // Kinds come back one by one (each its own backoff); each refresh serves those that did.
        assertEquals(OwnerChainsTest.EXPECTED_WORKLOADS, refs(awaitWorkloads(w -> refs(w).equals(OwnerChainsTest.EXPECTED_WORKLOADS))));
    }

    private void awaitServed(Predicate<ServeEvent> seen) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (api.server.getAllServeEvents().stream().noneMatch(seen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the informers never reached the failing API server");
            }
            Thread.sleep(50);
        }
    }

    private List<Workload> awaitWorkloads(Predicate<List<Workload>> done) throws Exception {
        return ClusterWorkloadSourceTest.awaitWorkloads(source, NOW, done, Duration.ofSeconds(30));
    }

    private static List<String> refs(List<Workload> workloads) {
        return ClusterWorkloadSourceTest.refs(workloads);
    }
}
