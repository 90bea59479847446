package dev.presize.recommendations;

import dev.presize.history.ContainerSeries;
import dev.presize.history.HistorySource;
import dev.presize.history.TraceHistorySource;
import dev.presize.model.PercentileRecommender;
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
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefresherTest {

    private static final Duration INTERVAL = Duration.ofMinutes(15);
    private static final Duration WINDOW = Duration.ofHours(336);

    @Test
    void publishesAtTheGridInstantAndKeepsTheLastSnapshotOnFailure() {
        TraceHistorySource trace = new TraceHistorySource();
        AtomicBoolean broken = new AtomicBoolean();
        // A real source that can be made to fail, as Prometheus will when it is unreachable.
        HistorySource flaky = (end, window) -> {
            if (broken.get()) {
                throw new IOException("history unavailable");
            }
            return trace.history(end, window);
        };
        SnapshotStore store = new SnapshotStore();
        Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:07:31Z"), ZoneOffset.UTC);
        Refresher refresher = new Refresher(store, flaky, new DemoWorkloadSource(trace),
                new PercentileRecommender(PercentileRecommender.Settings.DEFAULTS), INTERVAL, WINDOW, clock);
        assertFalse(refresher.hasSnapshot());

        assertTrue(refresher.refreshNow());
        assertTrue(refresher.hasSnapshot());
        Instant grid = Instant.parse("2026-11-21T10:00:00Z");
        assertEquals(grid, refresher.lastRefresh().orElseThrow());
        Snapshot first = store.current();
        assertEquals(grid.toEpochMilli(), first.resourceVersion());
        assertEquals(21, first.size());
        assertEquals(Long.toString(grid.toEpochMilli()),
                first.get("shop", "web.statefulset").orElseThrow().metadata().resourceVersion());

        broken.set(true);
        assertFalse(refresher.refresh(grid.plus(INTERVAL)));
        assertSame(first, store.current());
        assertEquals(grid, refresher.lastRefresh().orElseThrow());
    }

    @Test
    void rejectsNonsenseSettings() {
        HistorySource none = (end, window) -> List.<ContainerSeries>of();
        assertThrows(IllegalArgumentException.class, () -> new Refresher(new SnapshotStore(), none, at -> List.of(),
                new PercentileRecommender(PercentileRecommender.Settings.DEFAULTS), Duration.ZERO, WINDOW));
    }
}
