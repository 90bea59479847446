package dev.presize.history;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IncrementalUsageHistory} over a source whose pods come and go all the time (a CronJob-like
 * churn: a new pod every 6 hours, each living 10 hours): the cache answers what the source answers,
 * and what it holds stays bounded by the window however long it runs. The real engines are in
 * {@code IncrementalHistoryEngineTest}.
 */
class IncrementalUsageHistoryTest {

    private static final long H = HourlyUsage.HOUR;
    private static final long T0 = 1_700_000_000L / H * H;
    private static final Duration WINDOW = Duration.ofHours(48);
    private static final Clock SETTLED = Clock.fixed(Instant.ofEpochSecond(T0 + 10_000 * H), ZoneOffset.UTC);

    /** Pod {@code i} of namespace "jobs" runs in {@code [T0 + 6h i, T0 + 6h i + 10h)}; every hour of it has data. */
    private static final class Churn implements UsageHistory {
        long calls;

        @Override
        public List<PodUsage> namespace(String namespace, Instant end, Duration window) {
            calls++;
            long e = end.getEpochSecond();
            long start = e - window.getSeconds();
            int hours = (int) (window.getSeconds() / H);
            List<PodUsage> out = new ArrayList<>();
            for (int i = 0; T0 + 6 * H * i < e; i++) {
                long born = T0 + 6 * H * i;
                long died = born + 10 * H;
                if (died <= start) {
                    continue;
                }
                HourlyUsage.Builder b = HourlyUsage.builder(start, hours);
                for (long t = Math.max(born, start); t < Math.min(died, e); t += H) {
                    int slot = b.slotOf(t);
                    float v = (float) ((t / H) % 17 + i % 5) / 10f;
                    b.cpuMean()[slot] = v;
                    for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
                        b.cpuQuantiles()[k][slot] = v * (1 + k);
                    }
                    b.memoryMax()[slot] = 1e8f + i;
                    b.samples()[slot] = 12;
                    b.oomKilled()[slot] = (t / H) % 23 == 0;
                }
                out.add(new PodUsage(namespace, String.format("job-%05d", i), "main", b.build()));
            }
            return out;
        }
    }

    @Test
    void aMonthOfChurnHoldsNoMoreThanTheWindowAndAnswersLikeTheSource() throws IOException {
        Churn source = new Churn();
        IncrementalUsageHistory cache = new IncrementalUsageHistory(source, SETTLED);
        long maxContainers = 0;
        for (long end = T0 + WINDOW.toSeconds(); end <= T0 + 30 * 24 * H; end += H) {
            List<PodUsage> expected = source.namespace("jobs", Instant.ofEpochSecond(end), WINDOW);
            assertEquals(expected, cache.namespace("jobs", Instant.ofEpochSecond(end), WINDOW));
            // Held: exactly the pods with an hour in the window, each at most its own hours in it.
            assertEquals(expected.size(), cache.containers(), "at " + end);
            assertTrue(cache.hours() <= expected.size() * 10L, "held hours " + cache.hours());
            assertTrue(cache.bytesPerContainer() <= 16 * ContainerHours.BYTES_PER_HOUR + 512,
                    "a 10-hour pod holds about 10 hours, not the window: " + cache.bytesPerContainer());
            maxContainers = Math.max(maxContainers, cache.containers());
        }
        // 120 pods came and went; at most (48 + 10) / 6 + 1 overlap any window.
        assertTrue(maxContainers <= 11 && maxContainers >= 8, "containers held at most " + maxContainers);
    }

    @Test
    void aLongLivedContainerHoldsAtMostTheWindow() throws IOException {
        UsageHistory forever = (ns, end, window) -> {
            long e = end.getEpochSecond();
            HourlyUsage.Builder b = HourlyUsage.builder(e - window.getSeconds(), (int) (window.getSeconds() / H));
            for (int s = 0; s < b.hours(); s++) {
                b.samples()[s] = 12;
                b.cpuMean()[s] = (float) ((b.start() / H + s) % 7);
            }
            return List.of(new PodUsage(ns, "db-0", "db", b.build()));
        };
        IncrementalUsageHistory cache = new IncrementalUsageHistory(forever, SETTLED);
        for (long end = T0 + WINDOW.toSeconds(); end <= T0 + 20 * 24 * H; end += 5 * H) {
            assertEquals(forever.namespace("db", Instant.ofEpochSecond(end), WINDOW),
                    cache.namespace("db", Instant.ofEpochSecond(end), WINDOW));
            assertEquals(WINDOW.toHours(), cache.hours());
            assertTrue(cache.bytes() <= WINDOW.toHours() * ContainerHours.BYTES_PER_HOUR + 512, "bytes " + cache.bytes());
        }
    }

    @Test
    void aNamespaceNoLongerReadIsForgottenAndALargerWindowRefills() throws IOException {
        Churn source = new Churn();
        IncrementalUsageHistory cache = new IncrementalUsageHistory(source, SETTLED);
        long end = T0 + 100 * H;
        cache.beginRefresh(Set.of("jobs", "other"), Instant.ofEpochSecond(end), WINDOW);
        cache.namespace("jobs", Instant.ofEpochSecond(end), WINDOW);
        cache.namespace("other", Instant.ofEpochSecond(end), WINDOW);
        cache.endRefresh(true);
        long both = cache.containers();
        cache.beginRefresh(Set.of("jobs"), Instant.ofEpochSecond(end), WINDOW);
        assertEquals(both / 2, cache.containers(), "other's containers are dropped");
        // --history raised: the held 48 hours do not reach back far enough; the namespace is read again.
        long calls = source.calls;
        Duration longer = Duration.ofHours(96);
        assertEquals(source.namespace("jobs", Instant.ofEpochSecond(end), longer),
                cache.namespace("jobs", Instant.ofEpochSecond(end), longer));
        assertEquals(1 + 4, source.calls - calls, "the comparison's call, then 96 hours in 4 day chunks");
    }

    @Test
    void theFillIsCountedInChunksAndAFailedChunkKeepsNothingOfTheNamespace() throws IOException {
        Churn churn = new Churn();
        int[] allowed = {2};
        UsageHistory failing = (ns, end, window) -> {
            if (allowed[0]-- <= 0) {
                throw new IOException("connection refused");
            }
            return churn.namespace(ns, end, window);
        };
        IncrementalUsageHistory cache = new IncrementalUsageHistory(failing, SETTLED);
        Duration twoWeeks = Duration.ofHours(336);
        Instant end = Instant.ofEpochSecond(T0 + 400 * H);
        cache.beginRefresh(List.of("jobs"), end, twoWeeks);
        assertEquals(14, cache.progress().total());
        assertTrue(cache.progress().filling());
        assertThrows(IOException.class, () -> cache.namespace("jobs", end, twoWeeks));
        cache.endRefresh(false);
        assertEquals(2, cache.progress().done());
        assertEquals(0, cache.containers(), "two chunks arrived, none is kept");
        allowed[0] = Integer.MAX_VALUE;
        cache.beginRefresh(List.of("jobs"), end, twoWeeks);
        assertEquals(churn.namespace("jobs", end, twoWeeks), cache.namespace("jobs", end, twoWeeks));
        cache.endRefresh(true);
        assertEquals(1.0, cache.progress().ratio());
        assertEquals(1, cache.progress().fillsCompleted());
        // The next hour: one chunk, no fill.
        cache.beginRefresh(List.of("jobs"), end.plusSeconds(H), twoWeeks);
        assertEquals(1, cache.progress().total());
        assertTrue(!cache.progress().filling());
    }
}
