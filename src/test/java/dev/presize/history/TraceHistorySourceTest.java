package dev.presize.history;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceHistorySourceTest {

    private static final Instant END = Instant.parse("2026-11-21T10:00:00Z");
    private static final Duration TWO_WEEKS = Duration.ofDays(14);
    private static TraceHistorySource demo;

    @BeforeAll
    static void load() {
        demo = new TraceHistorySource();
    }

    @Test
    void replaysTheDemoTraceEndingJustBeforeEnd() {
        assertEquals(300, demo.sampleSeconds());
        List<ContainerSeries> history = demo.history(END, TWO_WEEKS);
        assertEquals(31, history.size());
        long end = END.getEpochSecond();
        long latest = Long.MIN_VALUE;
        int samples = 0;
        for (ContainerSeries s : history) {
            long[] t = s.timestamps();
            assertTrue(t[0] >= end - TWO_WEEKS.getSeconds(), s + " starts inside the window");
            latest = Math.max(latest, t[t.length - 1]);
            samples += s.size();
        }
        assertEquals(end - 300, latest, "the last sample's 5 minutes end at the refresh instant");
        // 14 of the 16 days: most, not all, of the 133,449 rows.
        assertTrue(samples > 133_449 * 13 / 16 && samples < 133_449 * 15 / 16, "samples " + samples);
    }

    @Test
    void sameEndGivesTheSameHistoryAndLaterEndMovesIt() {
        assertEquals(demo.history(END, TWO_WEEKS), new TraceHistorySource().history(END, TWO_WEEKS));
        List<ContainerSeries> later = demo.history(END.plus(Duration.ofMinutes(15)), TWO_WEEKS);
        ContainerSeries a = demo.history(END, TWO_WEEKS).get(0);
        ContainerSeries b = later.get(0);
        assertEquals(a.timestamps()[a.size() - 1] + 900, b.timestamps()[b.size() - 1]);
        assertEquals(a.cpuCores()[a.size() - 1], b.cpuCores()[b.size() - 1]);
    }

    @Test
    void shiftsAHandMadeTraceAndCutsTheWindow() {
        ContainerSeries s = new ContainerSeries("n", "w", "c", new long[] {0, 60, 120, 180},
                new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8}, 1, 1);
        TraceHistorySource source = new TraceHistorySource(List.of(s));
        Instant end = Instant.ofEpochSecond(10_000);
        assertEquals(Instant.ofEpochSecond(10_000 - 60 - 180), source.replayStart(end));
        List<ContainerSeries> h = source.history(end, Duration.ofSeconds(150));
        assertEquals(1, h.size());
        // Shifted timestamps 9760, 9820, 9880, 9940; the window is [9850, 10000).
        assertEquals(List.of(9880L, 9940L), List.of(h.get(0).timestamps()[0], h.get(0).timestamps()[1]));
        assertEquals(2, h.get(0).size());
        assertEquals(List.of(), source.history(end.minus(Duration.ofDays(1)), Duration.ofSeconds(1)));
    }
}
