package dev.presize.recommendations;

import dev.presize.v1beta1.Condition;
import dev.presize.v1beta1.Requests;

import dev.presize.api.responses.WireJson;
import dev.presize.history.PodUsage;
import dev.presize.history.SeriesKey;
import dev.presize.history.TraceHistorySource;
import dev.presize.history.UsageHistory;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.format.Rfc3339;
import dev.presize.model.baselines.VpaRecommender;
import dev.presize.workloads.DemoWorkloadSource;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A refresh that fails anywhere on its way — the workload source (Kubernetes), the history
 * (Prometheus) part-way through the namespaces, the strategy — publishes nothing of its own: the
 * previous snapshot stays served, object for object as it was apart from the {@code Stale}
 * condition (and so its resourceVersion), and the next good refresh clears the condition.
 * Refreshes are driven directly at chosen grid instants; nothing waits for a timer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefreshFaultsTest {

    private static final Duration INTERVAL = Duration.ofMinutes(15);
    private static final Duration WINDOW = Duration.ofHours(336);
    private static final Instant GOOD = Instant.parse("2026-11-21T10:00:00Z");
    private static final Instant FAILED = GOOD.plus(INTERVAL);
    private static final Instant FAILED_AGAIN = FAILED.plus(INTERVAL);
    private static final Instant RECOVERED = FAILED_AGAIN.plus(INTERVAL);

    /** Where the refresh breaks. */
    enum Fault {
        /** The Kubernetes workload source cannot answer (e.g. its informers never synced). */
        WORKLOADS_IO("workload cache not synced yet: connection refused"),
        /** The history source answers some namespaces, then fails with an I/O error (Prometheus went away). */
        HISTORY_IO_AFTER_TWO_NAMESPACES("history unavailable for namespace"),
        /** The history source throws an unchecked exception part-way (a bug, a malformed answer). */
        HISTORY_RUNTIME_AFTER_TWO_NAMESPACES("history blew up in namespace"),
        /** The strategy throws after all history was read. */
        STRATEGY_RUNTIME("strategy blew up"),
        /** The strategy throws without a message: the condition still says something. */
        STRATEGY_NO_MESSAGE("IllegalStateException");

        final String inMessage;

        Fault(String inMessage) {
            this.inMessage = inMessage;
        }
    }

    private TraceHistorySource trace;
    private DemoWorkloadSource demo;
    private final WireJson wire = new WireJson();

    @BeforeAll
    void load() {
        trace = new TraceHistorySource();
        demo = new DemoWorkloadSource(trace);
    }

    /** The sources, each failing when {@link #fault} names it. */
    private final class Faulty implements UsageHistory, WorkloadSource, RequestStrategy {
        volatile Fault fault;
        final AtomicInteger namespacesRead = new AtomicInteger();
        final RequestStrategy vpa = new VpaRecommender();

        @Override
        public List<Workload> workloads(Instant at) throws IOException {
            if (fault == Fault.WORKLOADS_IO) {
                throw new IOException(Fault.WORKLOADS_IO.inMessage);
            }
            return demo.workloads(at);
        }

        @Override
        public List<PodUsage> namespace(String namespace, Instant end, Duration window) throws IOException {
            if (namespacesRead.incrementAndGet() > 2) {
                if (fault == Fault.HISTORY_IO_AFTER_TWO_NAMESPACES) {
                    throw new IOException(fault.inMessage + " " + namespace);
                }
                if (fault == Fault.HISTORY_RUNTIME_AFTER_TWO_NAMESPACES) {
                    throw new IllegalStateException(fault.inMessage + " " + namespace);
                }
            }
            return trace.namespace(namespace, end, window);
        }

        @Override
        public String name() {
            return vpa.name();
        }

        @Override
        public Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long decision) {
            if (fault == Fault.STRATEGY_RUNTIME) {
                throw new IllegalArgumentException(fault.inMessage);
            }
            if (fault == Fault.STRATEGY_NO_MESSAGE) {
                throw new IllegalStateException();
            }
            return vpa.recommend(containers, decision);
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void theLastGoodSnapshotIsServedIntactMarkedStaleAndClearedOnRecovery(Fault fault) {
        Faulty sources = new Faulty();
        SnapshotStore store = new SnapshotStore();
        Refresher refresher = new Refresher(store, sources, sources, sources, INTERVAL, WINDOW,
                Clock.fixed(GOOD, ZoneOffset.UTC));

        assertTrue(refresher.refresh(GOOD));
        Snapshot good = store.current();
        assertTrue(good.size() > 5, "the demo has objects in several namespaces: " + good.size());
        assertTrue(good.list(null).stream().map(Requests::namespace).distinct().count() > 2,
                "more namespaces than the history fault lets through");

        sources.fault = fault;
        sources.namespacesRead.set(0);
        assertFalse(refresher.refresh(FAILED), "the refresh fails, without throwing");
        Snapshot stale = store.current();
        assertEquals(FAILED.toEpochMilli(), stale.resourceVersion());
        String message = assertStaleCopyOf(good, stale, FAILED);
        assertTrue(message.startsWith("recommendations could not be refreshed at " + Rfc3339.format(FAILED) + ": "), message);
        assertTrue(message.contains(fault.inMessage), message);
        assertEquals(GOOD, refresher.lastRefresh().orElseThrow(), "the last good refresh is still the one served");
        assertTrue(refresher.hasSnapshot());
        assertEquals(message, refresher.staleReason().orElseThrow());

        // A second failure in the same streak publishes nothing new: the condition keeps its first
        // transition time (metav1.Condition semantics) and the objects their resourceVersion.
        sources.namespacesRead.set(0);
        assertFalse(refresher.refresh(FAILED_AGAIN));
        assertSame(stale, store.current());

        sources.fault = null;
        assertTrue(refresher.refresh(RECOVERED));
        Snapshot fresh = store.current();
        assertTrue(refresher.staleReason().isEmpty());
        assertEquals(RECOVERED, refresher.lastRefresh().orElseThrow());
        assertEquals(names(good), names(fresh));
        for (Requests r : fresh.list(null)) {
            assertNull(r.conditions(), r.namespace() + "/" + r.name());
            assertEquals(Rfc3339.format(RECOVERED), r.timestamp());
            assertEquals(Long.toString(RECOVERED.toEpochMilli()), r.metadata().resourceVersion());
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFailureBeforeAnyGoodRefreshLeavesAnEmptySnapshotAndNoReadiness(Fault fault) {
        Faulty sources = new Faulty();
        sources.fault = fault;
        SnapshotStore store = new SnapshotStore();
        Refresher refresher = new Refresher(store, sources, sources, sources, INTERVAL, WINDOW,
                Clock.fixed(GOOD, ZoneOffset.UTC));

        assertFalse(refresher.refresh(GOOD));
        assertEquals(0, store.current().size());
        assertFalse(refresher.hasSnapshot());
        assertTrue(refresher.lastRefresh().isEmpty());
        assertTrue(refresher.staleReason().orElseThrow().contains(fault.inMessage));

        sources.fault = null;
        assertTrue(refresher.refresh(FAILED));
        assertTrue(store.current().size() > 5);
        assertTrue(refresher.staleReason().isEmpty());
    }

    /**
     * Every object of {@code stale} is the object of {@code good}, serialized byte for byte the same,
     * except for one {@code Stale=True RefreshFailed} condition and the resourceVersion of the
     * failed refresh. Returns the condition's message.
     */
    private String assertStaleCopyOf(Snapshot good, Snapshot stale, Instant failedAt) {
        assertEquals(names(good), names(stale));
        String message = null;
        for (Requests before : good.list(null)) {
            Requests after = stale.get(before.namespace(), before.name()).orElseThrow();
            assertNotNull(after.conditions(), after.name());
            assertEquals(1, after.conditions().size());
            Condition c = after.conditions().get(0);
            assertEquals(new Condition(Refresher.STALE, "True", Refresher.REFRESH_FAILED, c.message(),
                    Rfc3339.format(failedAt)), c);
            if (message == null) {
                message = c.message();
            }
            assertEquals(message, c.message(), "one failure, one message");
            assertEquals(Long.toString(failedAt.toEpochMilli()), after.metadata().resourceVersion());
            Requests unmarked = new Requests(after.apiVersion(), after.kind(), after.metadata(), after.target(),
                    after.timestamp(), after.window(), after.resources(), after.containers(), after.model(), null)
                    .withResourceVersion(before.metadata().resourceVersion());
            assertEquals(wire.gson().toJson(before), wire.gson().toJson(unmarked), before.namespace() + "/" + before.name());
        }
        assertNotNull(message);
        return message;
    }

    private static List<String> names(Snapshot s) {
        List<String> out = new ArrayList<>();
        s.list(null).forEach(r -> out.add(r.namespace() + "/" + r.name()));
        return out;
    }
}
