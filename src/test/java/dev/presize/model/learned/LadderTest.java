package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.history.HourlyUsage;
import org.junit.jupiter.api.Test;

class LadderTest {

    private static final long START = 1_700_000_000L / 3600 * 3600;
    private static final int HOURS = 14 * 24;
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** Memory at {@code level} every hour of the window but a {@code peak} at hour {@code at}. */
    private static HourlyUsage memory(double level, double peak, int at, int lastHourWithData) {
        HourlyUsage.Builder u = HourlyUsage.builder(START, HOURS);
        for (int h = 0; h < lastHourWithData; h++) {
            u.memoryMax()[h] = (float) (h == at ? peak : level);
        }
        return u.build();
    }

    /** The candidate the memory ladder is anchored at: the largest daily peak it read. */
    private static double anchor(Ladder l) {
        return l.requests()[Ladder.MEMORY_BELOW];
    }

    @Test
    void theMemoryLadderReadsTheLastWeeksPeaks() {
        // A peak 10 days back lies outside the week the calibration origins and the served decision
        // alike see; one 3 days back does not.
        Ladder old = Ladder.memory(memory(GIB, 3 * GIB, HOURS - 10 * 24, HOURS), HOURS);
        assertEquals(GIB, anchor(old), 1);
        Ladder recent = Ladder.memory(memory(GIB, 3 * GIB, HOURS - 3 * 24, HOURS), HOURS);
        assertEquals(3 * GIB, anchor(recent), 1);
    }

    @Test
    void aMemoryMetricMissingForTheLastWeekStillGetsALadderFromTheWindow() {
        // Memory measured only in the first 5 days of the 14: the whole window is read, not nothing.
        Ladder l = Ladder.memory(memory(GIB, 2 * GIB, 24, 5 * 24), HOURS);
        assertEquals(2 * GIB, anchor(l), 1);
    }

    @Test
    void theCpuMeanIsWeightedAsTheCurvesAndSkipsHoursWithoutData() {
        // 1 core for the first 10 days, 3 cores for the last day, nothing in between (a NaN mean
        // there must not poison the sum). Each hour weighs 2^(-age / 24 h): the old hours, at least
        // 97 hours old, hold about a ninth of the weight (2.13 against the last day's 17.06).
        HourlyUsage.Builder u = HourlyUsage.builder(START, HOURS);
        for (int h = 0; h < HOURS; h++) {
            boolean old = h < 10 * 24;
            boolean last = h >= HOURS - 24;
            if (!old && !last) {
                u.cpuMean()[h] = Float.NaN;
                continue;
            }
            u.cpuMean()[h] = old ? 1 : 3;
            u.samples()[h] = 12;
            for (float[] q : u.cpuQuantiles()) {
                q[h] = u.cpuMean()[h];
            }
        }
        HourlyUsage usage = u.build();
        double mean = Ladder.cpuMean(usage, HOURS);
        assertTrue(mean > 3 - 2.0 / 8 && mean < 3, "recent hours weigh most: " + mean);
        assertEquals(1, Ladder.cpuMean(usage, 10 * 24), 1e-9, "before the gap, the level");
        assertEquals(0, Ladder.cpuMean(usage, 0), 0, "no hours, no usage");
    }
}
