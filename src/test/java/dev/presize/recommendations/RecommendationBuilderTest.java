package dev.presize.recommendations;

import dev.presize.v1beta1.ContainerRequests;
import dev.presize.v1beta1.Requests;
import dev.presize.v1beta1.ResourceAmounts;
import dev.presize.v1beta1.Target;

import dev.presize.history.ContainerSeries;
import dev.presize.history.TraceHistorySource;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.Resources;
import dev.presize.model.learned.LearnedStrategy;
import dev.presize.model.learned.Learner;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.presize.format.Quantities;
import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.DemoWorkloadSource;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecommendationBuilderTest {

    private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(336);
    private static TraceHistorySource history;
    private static DemoWorkloadSource workloads;
    private final RecommendationBuilder builder = new RecommendationBuilder("tribuo-xgboost");

    @BeforeAll
    static void load() {
        history = new TraceHistorySource();
        workloads = new DemoWorkloadSource(history);
    }

    /** The refresh pipeline on the demo sources: collect, recommend with the model, build. */
    private static List<Requests> build(TraceHistorySource history, DemoWorkloadSource workloads, Instant at) {
        try {
            List<Workload> found = workloads.workloads(at);
            Instant end = Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), 3600) * 3600);
            List<ContainerHistory> histories = new HistoryCollector(history, workloads).collect(found, end, WINDOW);
            Map<SeriesKey, Recommendation> recommendations = new LearnedStrategy(LearnedStrategy.Settings.defaults(
                    Learner.XGBOOST, 0.05, 0.01, 6 * 3600)).recommend(histories, end.getEpochSecond());
            return new RecommendationBuilder("tribuo-xgboost").build(found, recommendations, at, WINDOW);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Requests> build(Instant at) {
        return build(history, workloads, at);
    }

    private static Requests find(List<Requests> objects, String ns, String name) {
        return objects.stream().filter(r -> r.namespace().equals(ns) && r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no object " + ns + "/" + name));
    }

    @Test
    void everyDemoWorkloadGetsAnObject() {
        List<Requests> objects = build(AT);
        List<Workload> all = workloads.workloads(AT);
        assertEquals(all.size(), objects.size());
        for (Workload w : all) {
            assertTrue(objects.stream().anyMatch(r -> r.namespace().equals(w.namespace())
                    && r.target().kind().equals(w.kind().kind()) && r.target().name().equals(w.name())
                    && r.containers().size() == w.containers().size()), "object for " + w.ref());
        }
        assertEquals(objects.stream().sorted(Snapshot.ORDER).toList(), objects, "sorted like the store");
        Snapshot.of(1, objects); // and no duplicate names
    }

    @Test
    void theCollisionFollowsTheNamingRule() {
        List<Requests> objects = build(AT);
        Requests deployment = find(objects, "shop", "web");
        Requests statefulSet = find(objects, "shop", "web.statefulset");
        assertEquals(new Target("apps/v1", "Deployment", "web"), deployment.target());
        assertEquals(new Target("apps/v1", "StatefulSet", "web"), statefulSet.target());
        assertEquals(List.of("app", "nginx"), deployment.containers().stream().map(ContainerRequests::name).toList());
        assertEquals(List.of("db", "exporter"),
                statefulSet.containers().stream().map(ContainerRequests::name).toList());
        assertEquals(new Target("batch/v1", "CronJob", "etl-nightly"), find(objects, "data", "etl-nightly").target());
        assertEquals(new Target("v1", "Pod", "debug-shell"), find(objects, "platform", "debug-shell").target());
    }

    @Test
    void objectsCarryTheContractFields() {
        Requests api = find(build(AT), "payments", "api");
        assertEquals("presize.dev/v1beta1", api.apiVersion());
        assertEquals("Requests", api.kind());
        assertEquals("2026-11-21T10:00:00Z", api.timestamp());
        assertEquals("336h0m0s", api.window());
        assertEquals(Map.of("app", "payments-api", "team", "payments"), api.metadata().labels());
        assertNull(api.metadata().resourceVersion(), "the store assigns it");
        assertEquals(Instant.parse(api.metadata().creationTimestamp()), history.replayStart(AT));
        assertEquals(List.of("app", "envoy", "log-shipper"), api.containers().stream().map(ContainerRequests::name).toList());
        assertEquals(new ResourceAmounts("8", "16Gi"), api.containers().get(0).current());
        assertEquals("tribuo-xgboost", api.model().name());
        assertEquals(api.timestamp(), api.model().trainedAt());
        assertTrue(api.model().samples() > 3 * 3500, "three containers, ~14 days of 5-minute samples");
        assertTrue(api.model().confidence() > 0 && api.model().confidence() <= 1, "" + api.model().confidence());
        for (ContainerRequests c : api.containers()) {
            assertTrue(millis(c.lowerBound().cpu()) <= millis(c.requests().cpu())
                    && millis(c.requests().cpu()) <= millis(c.upperBound().cpu()), c.toString());
        }
    }

    @Test
    void resourcesAreTheSumOfTheServedContainerRecommendations() {
        Workload w = new Workload("ns", WorkloadKind.DEPLOYMENT, "pair", Map.of(), Instant.EPOCH,
                List.of(new ContainerSpec("a", null, null), new ContainerSpec("b", 0.5, null)));
        double mib = 1024 * 1024;
        Map<SeriesKey, Recommendation> recs = Map.of(
                RecommendationBuilder.key(w, "a"), rec(0.1004, 115.4 * mib, 100),
                RecommendationBuilder.key(w, "b"), rec(0.2003, 230.3 * mib, 100));
        Requests r = builder.build(List.of(w), recs, AT, WINDOW).get(0);
        assertEquals(new ResourceAmounts("101m", "116Mi"), r.containers().get(0).requests());
        assertEquals(new ResourceAmounts("201m", "231Mi"), r.containers().get(1).requests());
        // The pod total adds up the served values (101m + 201m, 116Mi + 231Mi), not the raw 0.3007
        // cores / 345.7 MiB, so a client summing containers[].requests gets exactly resources.
        assertEquals(new ResourceAmounts("302m", "347Mi"), r.resources());
        assertNull(r.containers().get(0).current());
        assertEquals(new ResourceAmounts("500m", null), r.containers().get(1).current());
        assertEquals(200, r.model().samples());
        assertEquals("tribuo-xgboost", r.model().name());
    }

    @Test
    void aFallbackIsNamedInTheModel() {
        Workload w = new Workload("ns", WorkloadKind.DEPLOYMENT, "pair", Map.of(), Instant.EPOCH,
                List.of(new ContainerSpec("a", null, null), new ContainerSpec("b", null, null)));
        Map<SeriesKey, Recommendation> recs = Map.of(
                RecommendationBuilder.key(w, "a"), rec(0.1, 1e8, 10),
                RecommendationBuilder.key(w, "b"), rec(0.1, 1e8, 10).withModel("vpa", 0.3));
        assertEquals("tribuo-xgboost+vpa", builder.build(List.of(w), recs, AT, WINDOW).get(0).model().name());
    }

    @Test
    void noRecommendationMeansNoObject() {
        Workload w = new Workload("ns", WorkloadKind.JOB, "new", Map.of(), Instant.EPOCH,
                List.of(new ContainerSpec("a", null, null)));
        assertEquals(List.of(), builder.build(List.of(w), Map.of(), AT, WINDOW));
    }

    @Test
    void deterministicForTheSameInstant() {
        List<Requests> first = build(AT);
        TraceHistorySource fresh = new TraceHistorySource();
        List<Requests> second = build(fresh, new DemoWorkloadSource(fresh), AT);
        assertEquals(first, second, "replicas with the same history serve the same objects");
        List<Requests> later = build(AT.plus(Duration.ofMinutes(15)));
        assertNotEquals(first, later, "the timestamp moves with the refresh");
    }

    private static Recommendation rec(double cpu, double memory, long samples) {
        Resources r = new Resources(cpu, memory);
        return new Recommendation(r, r, r, 0.9, samples);
    }

    private static long millis(String cpu) {
        return cpu.endsWith("m") ? Long.parseLong(cpu.substring(0, cpu.length() - 1)) : Long.parseLong(cpu) * 1000;
    }

    @Test
    void millisHelperAgreesWithQuantities() {
        assertEquals(1500, millis(Quantities.cpu(1.5)));
        assertEquals(2000, millis(Quantities.cpu(2)));
    }
}
