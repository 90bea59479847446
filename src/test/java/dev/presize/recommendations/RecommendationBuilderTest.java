package dev.presize.recommendations;

import dev.presize.v1beta1.Condition;
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
import dev.presize.model.TargetStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * Building the served objects from workloads and recommendations. The recommendations come from
 * {@link FakeStrategy}, whose answers are known, so what is checked here is collection, naming,
 * quantities and the object's fields, not the model (LearnedStrategyTest is about the model).
 */
class RecommendationBuilderTest {

    private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");
    /** The model in use was trained 4 hours before the refresh (it retrains every 6 h). */
    private static final Instant TRAINED = Instant.parse("2026-11-21T06:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(336);
    private static TraceHistorySource history;
    private static DemoWorkloadSource workloads;
    private final RecommendationBuilder builder = new RecommendationBuilder("tribuo-xgboost");

    @BeforeAll
    static void load() {
        history = new TraceHistorySource();
        workloads = new DemoWorkloadSource(history);
    }

    /** The refresh pipeline on the demo sources: collect, recommend with the fake, build. */
    private static List<Requests> build(TraceHistorySource history, DemoWorkloadSource workloads, Instant at) {
        try {
            List<Workload> found = workloads.workloads(at);
            Instant end = Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), 3600) * 3600);
            List<ContainerHistory> histories = new HistoryCollector(history, workloads).collect(found, end, WINDOW);
            Map<SeriesKey, Recommendation> recommendations = new FakeStrategy(TRAINED.getEpochSecond())
                    .recommend(histories, end.getEpochSecond());
            return new RecommendationBuilder(FakeStrategy.NAME).build(found, recommendations, at, TRAINED, WINDOW);
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
        assertEquals(FakeStrategy.NAME, api.model().name());
        // When the model in use was trained, not the refresh instant: it was 10:00 before the model
        // retrained only every --retrain-interval, so a refresh's timestamp no longer says that.
        assertEquals("2026-11-21T06:00:00Z", api.model().trainedAt());
        // The fake answers with the samples it was given: three containers, ~14 days of 5-minute samples.
        assertTrue(api.model().samples() > 3 * 3500, "" + api.model().samples());
        assertEquals(FakeStrategy.CONFIDENCE, api.model().confidence());
        for (ContainerRequests c : api.containers()) {
            // FakeStrategy's 0.25 / 0.1 / 0.5 cores and 256 / 128 / 512 MiB, as Kubernetes quantities.
            assertEquals(new ResourceAmounts("250m", "256Mi"), c.requests(), c.name());
            assertEquals(new ResourceAmounts("100m", "128Mi"), c.lowerBound(), c.name());
            assertEquals(new ResourceAmounts("500m", "512Mi"), c.upperBound(), c.name());
        }
        assertEquals(new ResourceAmounts("750m", "768Mi"), api.resources(), "three containers' sum");
    }

    @Test
    void resourcesAreTheSumOfTheServedContainerRecommendations() {
        Workload w = new Workload("ns", WorkloadKind.DEPLOYMENT, "pair", Map.of(), Instant.EPOCH,
                List.of(new ContainerSpec("a", null, null), new ContainerSpec("b", 0.5, null)));
        double mib = 1024 * 1024;
        Map<SeriesKey, Recommendation> recs = Map.of(
                RecommendationBuilder.key(w, "a"), rec(0.1004, 115.4 * mib, 100),
                RecommendationBuilder.key(w, "b"), rec(0.2003, 230.3 * mib, 100));
        Requests r = builder.build(List.of(w), recs, AT, TRAINED, WINDOW).get(0);
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
    void aContainerWithoutMemoryHistoryGetsCpuOnlyAndTheObjectSaysWhy() {
        Workload w = new Workload("ns", WorkloadKind.DEPLOYMENT, "pair", Map.of(), Instant.EPOCH,
                List.of(new ContainerSpec("a", null, null), new ContainerSpec("b", null, 1e9)));
        double mib = 1024 * 1024;
        Map<SeriesKey, Recommendation> recs = Map.of(
                RecommendationBuilder.key(w, "a"), rec(0.1, 100 * mib, 100),
                RecommendationBuilder.key(w, "b"), rec(0.2, Double.NaN, 100));
        Requests r = builder.build(List.of(w), recs, AT, TRAINED, WINDOW).get(0);
        ContainerRequests b = r.containers().get(1);
        assertEquals(new ResourceAmounts("200m", null), b.requests());
        assertEquals(new ResourceAmounts("200m", null), b.lowerBound());
        assertEquals(new ResourceAmounts("200m", null), b.upperBound());
        assertEquals(new ResourceAmounts(null, "954Mi"), b.current(), "the live request is still shown");
        // A sum without b's memory would not be the pod's: the total has CPU only.
        assertEquals(new ResourceAmounts("300m", null), r.resources());
        assertEquals(List.of(new Condition("Incomplete", "True", "NoMemoryHistory",
                "no memory usage data in the last 336h0m0s for container b, so memory is not recommended for it"
                        + " and the pod total has no memory", "2026-11-21T10:00:00Z")), r.conditions());
    }

    @Test
    void theConditionNamesEveryContainerAndResourceMissing() {
        Workload w = new Workload("ns", WorkloadKind.DEPLOYMENT, "trio", Map.of(), Instant.EPOCH,
                List.of(new ContainerSpec("a", null, null), new ContainerSpec("b", null, null),
                        new ContainerSpec("c", null, null)));
        Map<SeriesKey, Recommendation> recs = Map.of(
                RecommendationBuilder.key(w, "a"), rec(Double.NaN, 1e8, 0),
                RecommendationBuilder.key(w, "b"), rec(0.2, Double.NaN, 100),
                RecommendationBuilder.key(w, "c"), rec(0.2, Double.NaN, 100));
        Requests r = builder.build(List.of(w), recs, AT, TRAINED, WINDOW).get(0);
        assertEquals(new ResourceAmounts(null, null), r.resources());
        Condition c = r.conditions().get(0);
        assertEquals(1, r.conditions().size());
        assertEquals("NoCpuOrMemoryHistory", c.reason());
        assertEquals("no CPU usage data in the last 336h0m0s for container a, so CPU is not recommended for it"
                + " and the pod total has no CPU; no memory usage data in the last 336h0m0s for containers b, c,"
                + " so memory is not recommended for them and the pod total has no memory", c.message());
        Map<SeriesKey, Recommendation> cpuMissing = Map.of(RecommendationBuilder.key(w, "a"), rec(Double.NaN, 1e8, 0));
        assertEquals("NoCpuHistory", builder.build(List.of(w), cpuMissing, AT, TRAINED, WINDOW).get(0)
                .conditions().get(0).reason());
    }

    @Test
    void aFallbackIsNamedInTheModel() {
        Workload w = new Workload("ns", WorkloadKind.DEPLOYMENT, "pair", Map.of(), Instant.EPOCH,
                List.of(new ContainerSpec("a", null, null), new ContainerSpec("b", null, null)));
        Map<SeriesKey, Recommendation> recs = Map.of(
                RecommendationBuilder.key(w, "a"), rec(0.1, 1e8, 10),
                RecommendationBuilder.key(w, "b"), fallback(0.1, 1e8, 10));
        assertEquals("tribuo-xgboost+vpa", builder.build(List.of(w), recs, AT, TRAINED, WINDOW).get(0).model().name());
    }

    /**
     * A target the model's calibration could not hold is on every object with a resource the model
     * sized for it, in words a person can act on, dated by the training that found it; an object
     * only the baseline sized, or without that resource, does not carry it; held targets add nothing.
     */
    @Test
    void aTargetTheCalibrationCouldNotHoldIsOnTheObjectsItConcerns() {
        List<TargetStatus> memoryMissed = List.of(new TargetStatus("cpu-target-risk", 0.05, 0.049, true),
                new TargetStatus("cpu-target-unmet", 0.02, 0.019, true),
                new TargetStatus("memory-target-risk", 0.01, 0.014, false));
        Workload w = new Workload("ns", WorkloadKind.DEPLOYMENT, "pair", Map.of(), Instant.EPOCH,
                List.of(new ContainerSpec("a", null, null), new ContainerSpec("b", null, null)));
        Map<SeriesKey, Recommendation> both = Map.of(
                RecommendationBuilder.key(w, "a"), rec(0.1, 1e8, 10),
                RecommendationBuilder.key(w, "b"), fallback(0.1, 1e8, 10));
        Requests r = builder.build(List.of(w), both, AT, TRAINED, WINDOW, memoryMissed).get(0);
        assertEquals(List.of(new Condition("TargetMissed", "True", "NoPriceHoldsTarget",
                "no price held --memory-target-risk 0.01 (the closest price left 0.0140 of container-days above the"
                        + " request there) on the calibration days, so this recommendation's risk is likely above"
                        + " that target", "2026-11-21T06:00:00Z")), r.conditions());

        Map<SeriesKey, Recommendation> baselineOnly = Map.of(
                RecommendationBuilder.key(w, "a"), fallback(0.1, 1e8, 10));
        assertNull(builder.build(List.of(w), baselineOnly, AT, TRAINED, WINDOW, memoryMissed).get(0).conditions(),
                "the baseline was not sized by the calibrated prices");
        Map<SeriesKey, Recommendation> cpuOnly = Map.of(RecommendationBuilder.key(w, "a"), rec(0.1, Double.NaN, 10));
        List<Condition> onlyIncomplete = builder.build(List.of(w), cpuOnly, AT, TRAINED, WINDOW, memoryMissed).get(0)
                .conditions();
        assertEquals(List.of("Incomplete"), onlyIncomplete.stream().map(Condition::type).toList(),
                "no memory was sized, so the memory target does not concern it");
        List<TargetStatus> allHeld = List.of(new TargetStatus("cpu-target-risk", 0.05, 0.049, true),
                new TargetStatus("memory-target-risk", 0.01, 0.0099, true));
        assertNull(builder.build(List.of(w), both, AT, TRAINED, WINDOW, allHeld).get(0).conditions());

        List<TargetStatus> twoMissed = List.of(new TargetStatus("cpu-target-unmet", 0.02, 0.0312, false),
                new TargetStatus("memory-target-risk", 0.01, 0.014, false));
        Condition c = builder.build(List.of(w), cpuOnly, AT, TRAINED, WINDOW, twoMissed).get(0).conditions().get(1);
        assertEquals("no price held --cpu-target-unmet 0.02 (the closest price left 0.0312 of CPU usage above the"
                + " request there) on the calibration days, so this recommendation's risk is likely above that"
                + " target", c.message(), "only the CPU target concerns a CPU-only object");
        assertTrue(builder.build(List.of(w), both, AT, TRAINED, WINDOW, twoMissed).get(0).conditions().get(0).message()
                .endsWith("above those targets"));
    }

    @Test
    void noRecommendationMeansNoObject() {
        Workload w = new Workload("ns", WorkloadKind.JOB, "new", Map.of(), Instant.EPOCH,
                List.of(new ContainerSpec("a", null, null)));
        assertEquals(List.of(), builder.build(List.of(w), Map.of(), AT, TRAINED, WINDOW));
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

    /** A recommendation served by a fallback model ("vpa", confidence 0.3). */
    private static Recommendation fallback(double cpu, double memory, long samples) {
        Resources r = new Resources(cpu, memory);
        return new Recommendation(r, r, r, 0.3, samples, "vpa");
    }
}
