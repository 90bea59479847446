package dev.presize.recommendations;

import dev.presize.history.TraceHistorySource;
import dev.presize.history.UsageHistory;
import dev.presize.model.baselines.VpaRecommender;
import dev.presize.v1beta1.Condition;
import dev.presize.v1beta1.Requests;
import dev.presize.workloads.DemoWorkloadSource;
import dev.presize.workloads.UnavailableKind;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadKind;
import dev.presize.workloads.WorkloadRef;
import dev.presize.workloads.WorkloadSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code WorkloadKindUnavailable} condition on served objects (api.md), through a {@link Refresher}. */
class UnavailableKindConditionsTest {

    private static final Duration INTERVAL = Duration.ofMinutes(15);
    private static final Instant GRID = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant SINCE = Instant.parse("2026-11-21T09:45:00Z");

    @Test
    void objectsOfWorkloadsResolvedWithoutAKindCarryTheConditionUntilARefreshHasItAgain() {
        TraceHistorySource trace = new TraceHistorySource();
        DemoWorkloadSource demo = new DemoWorkloadSource(trace);
        AtomicReference<Map<WorkloadRef, List<UnavailableKind>>> unavailable = new AtomicReference<>(Map.of());
        AtomicBoolean historyDown = new AtomicBoolean();
        WorkloadSource source = new WorkloadSource() {
            @Override
            public List<Workload> workloads(Instant at) {
                return demo.workloads(at);
            }

            @Override
            public Optional<WorkloadRef> ownerOf(List<Workload> workloads, String namespace, String pod, String container) {
                return demo.ownerOf(workloads, namespace, pod, container);
            }

            @Override
            public Map<WorkloadRef, List<UnavailableKind>> unavailableKinds(List<Workload> workloads) {
                return unavailable.get();
            }
        };
        UsageHistory history = (namespace, end, window) -> {
            if (historyDown.get()) {
                throw new IOException("history unavailable");
            }
            return trace.namespace(namespace, end, window);
        };
        SnapshotStore store = new SnapshotStore();
        Refresher refresher = new Refresher(store, history, source, new VpaRecommender(), INTERVAL, Duration.ofHours(336),
                Clock.fixed(GRID, ZoneOffset.UTC));

        Requests any = firstObject(refresher, store);
        WorkloadRef affected = new WorkloadRef(any.namespace(), WorkloadKind.ofKind(any.target().kind()), any.target().name());
        String cause = "GET https://10.0.0.1:443/apis/batch/v1/cronjobs: HTTP 403 from the API server: cronjobs.batch is forbidden";
        unavailable.set(Map.of(affected, List.of(new UnavailableKind("cronjobs", "batch/v1", "Forbidden", cause, SINCE))));
        assertTrue(refresher.refresh(GRID));

        Condition c = store.current().get(any.namespace(), any.name()).orElseThrow().conditions().get(0);
        assertEquals(new Condition("WorkloadKindUnavailable", "True", "Forbidden",
                "resolved without a kind Presize cannot list, so its owner chain ends at the deepest owner that could be read: "
                        + "cronjobs (batch/v1): " + cause, "2026-11-21T09:45:00Z"), c);
        long marked = store.current().list(null).stream().filter(r -> r.conditions() != null).count();
        assertEquals(1, marked, "only the affected workload's object");

        // A failed refresh adds Stale and keeps what is still true of the served object.
        historyDown.set(true);
        assertTrue(!refresher.refresh(GRID.plus(INTERVAL)));
        List<String> types = store.current().get(any.namespace(), any.name()).orElseThrow().conditions().stream()
                .map(Condition::type).toList();
        assertEquals(List.of("WorkloadKindUnavailable", "Stale"), types);

        historyDown.set(false);
        unavailable.set(Map.of());
        assertTrue(refresher.refresh(GRID.plus(INTERVAL.multipliedBy(2))));
        assertNull(store.current().get(any.namespace(), any.name()).orElseThrow().conditions());
    }

    @Test
    void severalMissingKindsMakeOneConditionWithTheEarliestTransition() {
        Instant later = SINCE.plus(INTERVAL);
        Condition c = UnavailableKindConditions.condition(List.of(
                new UnavailableKind("pods", "v1", "ListFailed", "GET https://k/api/v1/pods: no answer in time", later),
                new UnavailableKind("jobs", "batch/v1", "NotServed", "GET https://k/apis/batch/v1/jobs: HTTP 404 from the API server", SINCE)));
        assertEquals("WorkloadKindUnavailable", c.type());
        assertEquals("NotServed", c.reason(), "the first kind in name order");
        assertEquals("2026-11-21T09:45:00Z", c.lastTransitionTime());
        assertTrue(c.message().startsWith("resolved without kinds Presize cannot list, "), c.message());
        assertTrue(c.message().endsWith("jobs (batch/v1): GET https://k/apis/batch/v1/jobs: HTTP 404 from the API server; "
                + "pods (v1): GET https://k/api/v1/pods: no answer in time"), c.message());
    }

    private static Requests firstObject(Refresher refresher, SnapshotStore store) {
        assertTrue(refresher.refresh(GRID));
        return store.current().list(null).get(0);
    }
}
