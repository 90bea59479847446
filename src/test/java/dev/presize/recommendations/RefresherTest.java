package dev.presize.recommendations;

import dev.presize.v1beta1.Requests;

import dev.presize.history.TraceHistorySource;
import dev.presize.history.UsageHistory;
import dev.presize.model.RequestStrategy;
import dev.presize.model.learned.LearnedStrategy;
import dev.presize.model.learned.Learner;
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

class RefresherTest {

    private static final Duration INTERVAL = Duration.ofMinutes(15);
    private static final Duration WINDOW = Duration.ofHours(336);

    private static RequestStrategy model() {
        return new LearnedStrategy(LearnedStrategy.Settings.defaults(Learner.XGBOOST, 0.05, 0.01, 6 * 3600));
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
        assertEquals("presize-allocation", web.model().name());

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

    @Test
    void rejectsNonsenseSettings() {
        UsageHistory none = (namespace, end, window) -> List.of();
        assertThrows(IllegalArgumentException.class, () -> new Refresher(new SnapshotStore(), none, at -> List.of(),
                model(), Duration.ZERO, WINDOW, Clock.systemUTC()));
        assertThrows(IllegalArgumentException.class, () -> new Refresher(new SnapshotStore(), none, at -> List.of(),
                model(), INTERVAL, Duration.ofMinutes(90), Clock.systemUTC()));
    }
}
