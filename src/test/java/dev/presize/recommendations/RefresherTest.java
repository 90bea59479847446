package dev.presize.recommendations;

import dev.presize.v1beta1.Condition;
import dev.presize.v1beta1.Requests;
import dev.presize.v1beta1.ResourceAmounts;

import dev.presize.history.HourlyUsage;
import dev.presize.model.TargetStatus;
import dev.presize.history.PodUsage;
import dev.presize.history.TraceHistorySource;
import dev.presize.history.UsageHistory;
import dev.presize.workloads.DemoWorkloadSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a refresh does with the strategy's answers: publish, mark stale, recover. The strategy is
 * {@link FakeStrategy}, whose answers are known; DemoWiringTest checks that the server wires the
 * real model.
 */
class RefresherTest {

    private static final Duration INTERVAL = Duration.ofMinutes(15);
    private static final Duration WINDOW = Duration.ofHours(336);

    private static FakeStrategy model() {
        return new FakeStrategy(null);
    }

    @Test
    void publishesAtTheGridInstantMarksStaleOnFailureAndClearsOnRecovery() {
        TraceHistorySource trace = new TraceHistorySource();
        AtomicBoolean broken = new AtomicBoolean();
        // A real source that can be made to fail, as Prometheus does when it is unreachable.
        UsageHistory flaky = (namespace, end, window) -> {
            if (broken.get()) {
                throw new IOException("history unavailable");
            }
            return trace.namespace(namespace, end, window);
        };
        SnapshotStore store = new SnapshotStore();
        Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:07:31Z"), ZoneOffset.UTC);
        Refresher refresher = new Refresher(store, flaky, new DemoWorkloadSource(trace), model(), INTERVAL, WINDOW,
                clock);
        assertFalse(refresher.hasSnapshot());

        assertTrue(refresher.refreshNow());
        Instant grid = Instant.parse("2026-11-21T10:00:00Z");
        assertEquals(grid, refresher.lastRefresh().orElseThrow());
        Snapshot first = store.current();
        assertEquals(grid.toEpochMilli(), first.resourceVersion());
        assertEquals(21, first.size());
        Requests web = first.get("shop", "web.statefulset").orElseThrow();
        assertNull(web.conditions());
        assertEquals(FakeStrategy.NAME, web.model().name());
        assertEquals(new ResourceAmounts("250m", "256Mi"), web.containers().get(0).requests());

        broken.set(true);
        Instant failed = grid.plus(INTERVAL);
        assertFalse(refresher.refresh(failed));
        Snapshot stale = store.current();
        assertEquals(21, stale.size());
        Requests staleWeb = stale.get("shop", "web.statefulset").orElseThrow();
        assertEquals("Stale", staleWeb.conditions().get(0).type());
        assertEquals("True", staleWeb.conditions().get(0).status());
        assertTrue(staleWeb.conditions().get(0).message().contains("history unavailable"));
        assertEquals(web.containers(), staleWeb.containers(), "the last good recommendations are still served");
        assertEquals(grid, refresher.lastRefresh().orElseThrow());
        assertTrue(refresher.staleReason().isPresent());

        broken.set(false);
        assertTrue(refresher.refresh(failed.plus(INTERVAL)));
        assertNull(store.current().get("shop", "web.statefulset").orElseThrow().conditions());
        assertTrue(refresher.staleReason().isEmpty());
        assertTrue(store.current().resourceVersion() > stale.resourceVersion());
    }

    /** The same usage without any memory data, as when the memory metric is missing. */
    private static HourlyUsage withoutMemory(HourlyUsage u) {
        HourlyUsage.Builder b = HourlyUsage.builder(u.start(), u.hours());
        System.arraycopy(u.cpuMean(), 0, b.cpuMean(), 0, u.hours());
        for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
            System.arraycopy(u.cpuQuantiles()[k], 0, b.cpuQuantiles()[k], 0, u.hours());
        }
        System.arraycopy(u.samples(), 0, b.samples(), 0, u.hours());
        return b.build();
    }

    @Test
    void aContainerWithoutMemoryHistoryIsServedCpuWithTheIncompleteConditionEvenWhenStale() {
        TraceHistorySource trace = new TraceHistorySource();
        AtomicBoolean broken = new AtomicBoolean();
        // Namespace shop has CPU series but no memory series (the memory metric is absent).
        UsageHistory noMemoryInShop = (namespace, end, window) -> {
            if (broken.get()) {
                throw new IOException("history unavailable");
            }
            return trace.namespace(namespace, end, window).stream()
                    .map(p -> namespace.equals("shop")
                            ? new PodUsage(p.namespace(), p.pod(), p.container(), withoutMemory(p.usage())) : p)
                    .toList();
        };
        SnapshotStore store = new SnapshotStore();
        Refresher refresher = new Refresher(store, noMemoryInShop, new DemoWorkloadSource(trace), model(), INTERVAL,
                WINDOW, Clock.fixed(Instant.parse("2026-11-21T10:07:31Z"), ZoneOffset.UTC));
        assertTrue(refresher.refreshNow());
        assertEquals(21, store.current().size(), "every workload still has an object");
        Requests web = store.current().get("shop", "web.statefulset").orElseThrow();
        assertEquals(new ResourceAmounts("250m", null), web.containers().get(0).requests());
        assertNull(web.resources().memory());
        assertEquals(1, web.conditions().size());
        Condition incomplete = web.conditions().get(0);
        assertEquals(List.of("Incomplete", "True", "NoMemoryHistory"),
                List.of(incomplete.type(), incomplete.status(), incomplete.reason()));
        assertEquals("no memory usage data in the last 336h0m0s for containers db, exporter, so memory is not"
                + " recommended for them and the pod total has no memory", incomplete.message());
        // Elsewhere nothing changes.
        for (Requests r : store.current().list(null)) {
            if (!r.namespace().equals("shop")) {
                assertNull(r.conditions(), r.name());
                assertEquals("256Mi", r.containers().get(0).requests().memory(), r.name());
            }
        }

        broken.set(true);
        assertFalse(refresher.refresh(Instant.parse("2026-11-21T10:15:00Z")));
        List<Condition> stale = store.current().get("shop", "web.statefulset").orElseThrow().conditions();
        assertEquals(List.of("Incomplete", "Stale"), stale.stream().map(Condition::type).toList(),
                "the served recommendation is still incomplete, and now stale too");
    }

    /** A target the model's calibration could not hold is on the served objects until one holds it again. */
    @Test
    void aTargetTheModelCouldNotHoldIsOnTheServedObjectsUntilItHoldsAgain() {
        TraceHistorySource trace = new TraceHistorySource();
        Instant trained = Instant.parse("2026-11-21T06:00:00Z");
        FakeStrategy strategy = new FakeStrategy(trained.getEpochSecond());
        strategy.targets = List.of(new TargetStatus("memory-target-risk", 0.01, 0.0152, false));
        SnapshotStore store = new SnapshotStore();
        Refresher refresher = new Refresher(store, trace, new DemoWorkloadSource(trace), strategy, INTERVAL, WINDOW,
                Clock.fixed(Instant.parse("2026-11-21T10:52:00Z"), ZoneOffset.UTC));
        assertTrue(refresher.refreshNow());
        for (Requests r : store.current().list(null)) {
            Condition c = r.conditions().get(0);
            assertEquals(List.of("TargetMissed", "True", "NoPriceHoldsTarget", "2026-11-21T06:00:00Z"),
                    List.of(c.type(), c.status(), c.reason(), c.lastTransitionTime()), r.name());
            assertTrue(c.message().startsWith("no price held --memory-target-risk 0.01 (the closest price left 0.0152"),
                    c.message());
        }
        strategy.targets = List.of(new TargetStatus("memory-target-risk", 0.01, 0.0098, true));
        assertTrue(refresher.refresh(Instant.parse("2026-11-21T11:00:00Z")));
        for (Requests r : store.current().list(null)) {
            assertNull(r.conditions(), r.name());
        }
    }

    @Test
    void theStrategyDecidesAtTheLastWholeHourAndItsTrainingTimeIsServed() {
        TraceHistorySource trace = new TraceHistorySource();
        Instant trained = Instant.parse("2026-11-21T06:00:00Z");
        FakeStrategy strategy = new FakeStrategy(trained.getEpochSecond());
        SnapshotStore store = new SnapshotStore();
        // 10:52 falls in the grid slot of 10:45; history is read (and decided on) up to 10:00.
        Refresher refresher = new Refresher(store, trace, new DemoWorkloadSource(trace), strategy, INTERVAL, WINDOW,
                Clock.fixed(Instant.parse("2026-11-21T10:52:00Z"), ZoneOffset.UTC));

        assertTrue(refresher.refreshNow());
        assertEquals(List.of(Instant.parse("2026-11-21T10:00:00Z").getEpochSecond()), strategy.decisions);
        for (Requests r : store.current().list(null)) {
            assertEquals("2026-11-21T10:45:00Z", r.timestamp(), r.name());
            assertEquals("2026-11-21T06:00:00Z", r.model().trainedAt(), "the strategy's training, not the refresh");
        }
        // A strategy without training state is as old as its decision: the whole hour, not the grid instant.
        SnapshotStore other = new SnapshotStore();
        assertTrue(new Refresher(other, trace, new DemoWorkloadSource(trace), model(), INTERVAL, WINDOW,
                Clock.systemUTC()).refresh(Instant.parse("2026-11-21T10:45:00Z")));
        assertEquals("2026-11-21T10:00:00Z", other.current().list(null).get(0).model().trainedAt());
    }

    @Test
    void rejectsNonsenseSettings() {
        UsageHistory none = (namespace, end, window) -> List.of();
        assertThrows(IllegalArgumentException.class, () -> new Refresher(new SnapshotStore(), none, at -> List.of(),
                model(), Duration.ZERO, WINDOW, Clock.systemUTC()));
        assertThrows(IllegalArgumentException.class, () -> new Refresher(new SnapshotStore(), none, at -> List.of(),
                model(), INTERVAL, Duration.ofMinutes(90), Clock.systemUTC()));
    }
}
