package dev.presize.workloads.kubernetes;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.presize.testing.LogLines;
import dev.presize.workloads.UnavailableKind;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadRef;
import io.kubernetes.client.util.ClientBuilder;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.presize.workloads.WorkloadKind.CRON_JOB;
import static dev.presize.workloads.WorkloadKind.JOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13: a workload kind that cannot be listed never costs the others. CronJobs are the case
 * met in the field (Kubernetes 1.20 serves them only as batch/v1beta1; a narrowed ClusterRole
 * forbids them), against WireMock standing in for kube-apiserver, discovery documents included.
 */
class PartialSyncTest {

    private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant LATER = Instant.parse("2026-11-21T10:15:00Z");
    private static final WorkloadRef NIGHTLY_JOB = new WorkloadRef("data", JOB, "etl-nightly-29433600");
    private static final WorkloadRef NIGHTLY_CRON_JOB = new WorkloadRef("data", CRON_JOB, "etl-nightly");
    private static final String FORBIDDEN = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
            + "\"reason\":\"Forbidden\",\"code\":403,\"message\":\"cronjobs.batch is forbidden: User"
            + " \\\"system:serviceaccount:presize-system:presize\\\" cannot list resource \\\"cronjobs\\\" in API group"
            + " \\\"batch\\\" at the cluster scope\"}";
    private static final String NOT_FOUND = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
            + "\"reason\":\"NotFound\",\"code\":404,\"message\":\"the server could not find the requested resource\"}";

    private KubeApiStub api;
    private ClusterWorkloadSource source;
    private final PrometheusRegistry metrics = new PrometheusRegistry();
    @RegisterExtension
    final LogLines log = new LogLines(KindAvailability.class);

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
    void cronJobsOnlyServedAsBatchV1beta1AreListedThereAndRecommended() throws Exception {
        api = new KubeApiStub();
        batchDiscovery("v1", "jobs");
        batchDiscovery("v1beta1", "cronjobs");
        api.server.stubFor(get(urlPathEqualTo("/apis/batch/v1/cronjobs")).atPriority(1).willReturn(status(404, NOT_FOUND)));
        String v1beta1 = FixtureCluster.body("cronjobs").replace("\"batch/v1\"", "\"batch/v1beta1\"");
        api.server.stubFor(get(urlPathEqualTo("/apis/batch/v1beta1/cronjobs")).atPriority(5).willReturn(KubeApiStub.json(v1beta1)));
        api.server.stubFor(get(urlPathEqualTo("/apis/batch/v1beta1/cronjobs")).withQueryParam("watch", equalTo("true"))
                .atPriority(3).willReturn(KubeApiStub.json("").withFixedDelay(KubeApiStub.IDLE_WATCH_MILLIS)));
        source = source();

        List<Workload> workloads = source.workloads(NOW);
        assertEquals(OwnerChainsTest.EXPECTED_WORKLOADS, refs(workloads));
        assertEquals(Map.of(), source.unavailableKinds(workloads));
        assertEquals(Optional.of(NIGHTLY_CRON_JOB), source.ownerOf(workloads, "data", "etl-nightly-29433600-h7x9d"));
        assertEquals("batch/v1beta1", workloads.stream().filter(w -> w.ref().equals(NIGHTLY_CRON_JOB)).findFirst()
                .orElseThrow().apiVersion(), "served as target.apiVersion: the version this cluster has");
        assertTrue(metricsText().contains("presize_workload_kind_available{kind=\"cronjobs\",version=\"batch/v1beta1\"} 1"), metricsText());
        assertTrue(servedPaths().noneMatch("/apis/batch/v1/cronjobs"::equals), "discovery said where to look");
    }

    @Test
    void forbiddenCronJobsLeaveTheirJobsAsJobsWithTheConditionAndEverythingElseServed() throws Exception {
        api = new KubeApiStub();
        StubMapping forbidden = api.server.stubFor(get(urlPathEqualTo("/apis/batch/v1/cronjobs")).atPriority(1)
                .willReturn(status(403, FORBIDDEN)));
        source = source();

        List<Workload> workloads = source.workloads(NOW);
        List<String> expected = OwnerChainsTest.EXPECTED_WORKLOADS.stream()
                .map(r -> r.equals(NIGHTLY_CRON_JOB.toString()) ? NIGHTLY_JOB.toString() : r).sorted().toList();
        assertEquals(expected, refs(workloads).stream().sorted().toList());
        assertEquals(Optional.of(NIGHTLY_JOB), source.ownerOf(workloads, "data", "etl-nightly-29433600-h7x9d"));

        Map<WorkloadRef, List<UnavailableKind>> unavailable = source.unavailableKinds(workloads);
        assertEquals(List.of(NIGHTLY_JOB), List.copyOf(unavailable.keySet()), "only the Job of the CronJob is affected");
        UnavailableKind cronJobs = unavailable.get(NIGHTLY_JOB).get(0);
        assertEquals("cronjobs", cronJobs.resource());
        assertEquals("batch/v1", cronJobs.groupVersion());
        assertEquals("Forbidden", cronJobs.reason());
        assertEquals(NOW, cronJobs.since());
        assertTrue(cronJobs.cause().startsWith("GET " + api.url() + "/apis/batch/v1/cronjobs: HTTP 403 from the API server: "
                + "cronjobs.batch is forbidden: "), cronJobs.cause());
        assertTrue(metricsText().contains("presize_workload_kind_available{kind=\"cronjobs\",version=\"batch/v1\"} 0"), metricsText());
        assertTrue(metricsText().contains("presize_workload_kind_available{kind=\"jobs\",version=\"batch/v1\"} 1"), metricsText());

        // Retries (capped backoff) are not log lines: wait for three of them, then count.
        awaitServed(e -> e.getRequest().getUrl().startsWith("/apis/batch/v1/cronjobs") && e.getResponse().getStatus() == 403, 3);
        assertEquals(NOW, source.unavailableKinds(source.workloads(LATER)).get(NIGHTLY_JOB).get(0).since(),
                "the condition's transition time is the first refresh that found it missing");
        assertEquals(1L, cronJobLines(), lines().toString());
        assertTrue(lines().get(0).contains("Workload kind cronjobs (batch/v1) cannot be listed (Forbidden)"), lines().toString());

        // Allowed again (RBAC fixed): the informer's next retry lists it, a refresh after that uses it.
        api.server.removeStub(forbidden);
        List<Workload> healed = awaitWorkloads(w -> refs(w).contains(NIGHTLY_CRON_JOB.toString()));
        assertEquals(OwnerChainsTest.EXPECTED_WORKLOADS, refs(healed));
        assertEquals(Map.of(), source.unavailableKinds(healed));
        assertEquals(2L, cronJobLines(), lines().toString());
        assertTrue(lines().get(1).contains("Workload kind cronjobs (batch/v1) can be listed again"), lines().toString());
        assertTrue(metricsText().contains("presize_workload_kind_available{kind=\"cronjobs\",version=\"batch/v1\"} 1"), metricsText());
    }

    @Test
    void aKindNotServedThenServedIsUsedByTheNextRefreshAndItsConditionGoes() throws Exception {
        api = new KubeApiStub();
        StubMapping discovery = batchDiscovery("v1", "jobs");
        StubMapping notFound = api.server.stubFor(get(urlPathEqualTo("/apis/batch/v1/cronjobs")).atPriority(1)
                .willReturn(status(404, NOT_FOUND)));
        source = source();

        List<Workload> before = source.workloads(NOW);
        assertFalse(refs(before).contains(NIGHTLY_CRON_JOB.toString()), refs(before).toString());
        UnavailableKind cronJobs = source.unavailableKinds(before).get(NIGHTLY_JOB).get(0);
        assertEquals("NotServed", cronJobs.reason());
        assertTrue(cronJobs.cause().contains("HTTP 404 from the API server"), cronJobs.cause());

        // The API server now serves batch/v1 CronJobs (an upgrade, an API turned on): discovery says
        // so, and the refresh right after reads discovery again because the list got 404.
        api.server.removeStub(notFound);
        api.server.removeStub(discovery);
        batchDiscovery("v1", "jobs", "cronjobs");
        List<Workload> after = source.workloads(LATER);
        assertEquals(OwnerChainsTest.EXPECTED_WORKLOADS, refs(after));
        assertEquals(Map.of(), source.unavailableKinds(after));
        assertEquals(Optional.of(NIGHTLY_CRON_JOB), source.ownerOf(after, "data", "etl-nightly-29433600-h7x9d"));
        assertEquals(2L, cronJobLines(), lines().toString());
    }

    private ClusterWorkloadSource source() {
        String url = api.url();
        return new ClusterWorkloadSource(new ClientBuilder().setBasePath(url).setReadTimeout(Duration.ofSeconds(60)).build(),
                new ClientBuilder().setBasePath(url).build(), Duration.ofSeconds(20), metrics);
    }

    /** {@code GET /apis/batch/<version>}: an APIResourceList with these resources. */
    private StubMapping batchDiscovery(String version, String... resources) {
        StringBuilder list = new StringBuilder();
        for (String r : resources) {
            String kind = r.equals("jobs") ? "Job" : "CronJob";
            list.append(list.isEmpty() ? "" : ",").append("{\"name\":\"").append(r).append("\",\"singularName\":\"")
                    .append(r, 0, r.length() - 1).append("\",\"namespaced\":true,\"kind\":\"").append(kind)
                    .append("\",\"verbs\":[\"get\",\"list\",\"watch\"]}");
        }
        return api.server.stubFor(get(urlPathEqualTo("/apis/batch/" + version)).atPriority(1).willReturn(KubeApiStub.json(
                "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"batch/" + version
                        + "\",\"resources\":[" + list + "]}")));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder status(int code, String body) {
        return aResponse().withStatus(code).withHeader("Content-Type", "application/json").withBody(body);
    }

    private String metricsText() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, metrics.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private java.util.stream.Stream<String> servedPaths() {
        return api.server.getAllServeEvents().stream().map(e -> e.getRequest().getUrl().replaceFirst("\\?.*", ""));
    }

    private List<String> lines() {
        return log.messages();
    }

    private long cronJobLines() {
        return lines().stream().filter(l -> l.contains("cronjobs")).count();
    }

    private void awaitServed(Predicate<ServeEvent> seen, int times) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (api.server.getAllServeEvents().stream().filter(seen).count() < times) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the informer did not retry " + times + " times");
            }
            Thread.sleep(50);
        }
    }

    private List<Workload> awaitWorkloads(Predicate<List<Workload>> done) throws Exception {
        return ClusterWorkloadSourceTest.awaitWorkloads(source, LATER, done, Duration.ofSeconds(60));
    }

    private static List<String> refs(List<Workload> workloads) {
        return ClusterWorkloadSourceTest.refs(workloads);
    }
}
