package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    void theMemoryFloorIsTheLargerOfTheRecentAndTheWeeksShares() {
        // A 3 GiB peak 2 days back: 0.95 of it. 5 days back: only the week's 0.7 of it, or 0.95 of
        // the last three days' 1 GiB if larger. 10 days back: neither window holds it.
        assertEquals(Ladder.RECENT_FLOOR * 3 * GIB, Ladder.floor(memory(GIB, 3 * GIB, HOURS - 2 * 24, HOURS), HOURS), 1);
        assertEquals(Ladder.MEMORY_FLOOR * 3 * GIB, Ladder.floor(memory(GIB, 3 * GIB, HOURS - 5 * 24, HOURS), HOURS), 1);
        assertEquals(Ladder.RECENT_FLOOR * GIB, Ladder.floor(memory(GIB, 1.2 * GIB, HOURS - 5 * 24, HOURS), HOURS), 1);
        assertEquals(Ladder.RECENT_FLOOR * GIB, Ladder.floor(memory(GIB, 3 * GIB, HOURS - 10 * 24, HOURS), HOURS), 1);
        // Memory unmeasured for the last 4 days: the week's share alone; for the last 8: no floor.
        assertEquals(Ladder.MEMORY_FLOOR * GIB, Ladder.floor(memory(GIB, GIB, 0, HOURS - 4 * 24), HOURS), 1);
        assertTrue(Double.isNaN(Ladder.floor(memory(GIB, GIB, 0, HOURS - 8 * 24), HOURS)));
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

    /**
     * CPU at {@code level} cores every hour up to {@code end}, at {@code last} cores in the day
     * before it, nothing after it.
     */
    private static HourlyUsage cpu(double level, double last, int end) {
        return cpu(level, last, end, 1);
    }

    /** {@link #cpu(double, double, int)} with {@code lastDays} days at {@code last} before {@code end}. */
    private static HourlyUsage cpu(double level, double last, int end, int lastDays) {
        HourlyUsage.Builder u = HourlyUsage.builder(START, HOURS);
        for (int h = 0; h < HOURS; h++) {
            if (h >= end) {
                u.cpuMean()[h] = Float.NaN;
                continue;
            }
            u.cpuMean()[h] = (float) (h >= end - lastDays * 24 ? last : level);
            u.samples()[h] = 12;
            for (float[] q : u.cpuQuantiles()) {
                q[h] = u.cpuMean()[h];
            }
        }
        return u.build();
    }

    /**
     * The mean over the window's {@link #HOURS} hours with each hour weighing 2^(−age / 24 h): the last
     * day's hours times {@code lastWeight}, the older ones aged {@code lastDayAges} of a day across it.
     */
    private static double expectedMean(double level, double last, double lastWeight, double lastDayAges) {
        double weight = 0;
        double usage = 0;
        for (int age = 1; age <= HOURS; age++) {
            boolean inLast = age <= 24;
            double w = inLast ? lastWeight * Math.pow(2, -age / 24.0)
                : Math.pow(2, -(age - 24 + 24 * lastDayAges) / 24.0);
            weight += w;
            usage += w * (inLast ? last : level);
        }
        return usage / weight;
    }

    @Test
    void aQuietLastDayCountsAsAQuarterOfADay() {
        // 2 cores for 13 days, then a day at 0.2 (a tenth of the week's level): the quiet day's hours
        // weigh a quarter, and the older hours age by a quarter of a day across it. The CPU curves
        // read the same weights (Ladder.cpuWeights) as this mean.
        HourlyUsage quiet = cpu(2, 0.2, HOURS);
        assertTrue(Ladder.quiet(quiet, HOURS));
        double mean = Ladder.cpuMean(quiet, HOURS);
        assertEquals(expectedMean(2, 0.2, 0.25, 0.25), mean, 1e-6);
        // The half-life alone reads about half the weight at the quiet level (1.10 cores); here the
        // quiet day holds about an eighth of it (1.77).
        assertEquals(1.10, expectedMean(2, 0.2, 1, 1), 0.01);
        assertEquals(1.77, mean, 0.01);
    }

    @Test
    void aSecondQuietDayInARowIsReadAsItIsAndSoIsTheFirstThen() {
        // 2 cores for 12 days, then two days at 0.2: the last day is quiet (a tenth of the six days
        // before it, which hold the first quiet day), but so was the day before it, so both are read
        // at the half-life alone: 2^(-age / 24 h) for every hour, whatever its level.
        HourlyUsage lull = cpu(2, 0.2, HOURS, 2);
        assertTrue(Ladder.quiet(lull, HOURS));
        assertTrue(Ladder.quiet(lull, HOURS - 24));
        double weight = 0;
        double usage = 0;
        for (int age = 1; age <= HOURS; age++) {
            double w = Math.pow(2, -age / 24.0);
            weight += w;
            usage += w * (age <= 48 ? 0.2 : 2);
        }
        assertEquals(usage / weight, Ladder.cpuMean(lull, HOURS), 1e-6);
        // About three quarters of the weight at the quiet level (0.65 cores), against 1.77 for one
        // quiet day read as a quarter: a lull that lasts brings the requests down a day later, not two.
        assertEquals(0.65, Ladder.cpuMean(lull, HOURS), 0.01);
    }

    @Test
    void aDayAboveTheQuietShareOrWithoutAWeekBeforeItIsReadAsItIs() {
        // 0.7 cores against 2 is 35 % of the week's level, over the 30 % of a quiet day.
        HourlyUsage calm = cpu(2, 0.7, HOURS);
        assertFalse(Ladder.quiet(calm, HOURS));
        assertEquals(expectedMean(2, 0.7, 1, 1), Ladder.cpuMean(calm, HOURS), 1e-6);
        // The same quiet day after 6 or 7 days of data: only a whole week before it makes it quiet.
        assertTrue(Ladder.quiet(cpu(2, 0.2, 7 * 24), 7 * 24));
        assertFalse(Ladder.quiet(cpu(2, 0.2, 6 * 24), 6 * 24));
        // A day of no use after a week of use is quiet; a week of none before it is not a week of use.
        assertTrue(Ladder.quiet(cpu(2, 0, HOURS), HOURS));
        assertFalse(Ladder.quiet(cpu(0, 0, HOURS), HOURS));
    }

    /** CPU at {@code busy} cores in every fourth hour of the window and at {@code idle} in the others. */
    private static HourlyUsage everyFourthHour(double idle, double busy) {
        HourlyUsage.Builder u = HourlyUsage.builder(START, HOURS);
        for (int h = 0; h < HOURS; h++) {
            u.cpuMean()[h] = (float) (h % 4 == 0 ? busy : idle);
            u.samples()[h] = 12;
            for (float[] q : u.cpuQuantiles()) {
                q[h] = u.cpuMean()[h];
            }
        }
        return u.build();
    }

    @Test
    void noCpuCandidateLiesUnderTheFloorAndTheFloorCarriesItsOwnRisk() {
        // Idle at 5m three hours in four, 20m in the fourth: the median candidate is about 5m.
        HourlyUsage u = everyFourthHour(0.005, 0.020);
        Ladder unfloored = Ladder.cpu(u, HOURS, 0);
        assertTrue(unfloored.requests()[0] < 0.010, "without a floor the ladder starts near the median");
        Ladder l = Ladder.cpu(u, HOURS, 0.010);
        assertEquals(0.010, l.requests()[0], 0, "the candidates under the floor are one at the floor");
        assertTrue(l.requests()[1] > 0.010);
        // The floor's curves are read at the floor: between the unfloored ladder's last candidate
        // under it and the first above it, not the none of a candidate at 20m.
        int under = 0;
        while (unfloored.requests()[under + 1] < 0.010) {
            under++;
        }
        assertTrue(l.risk()[0] > 0.1, "the busy hours lie above the floor: " + l.risk()[0]);
        assertTrue(l.risk()[0] <= unfloored.risk()[under] && l.risk()[0] >= l.risk()[1]);
        assertTrue(l.unmet()[0] <= unfloored.unmet()[under] && l.unmet()[0] > l.unmet()[1]);
        // The candidates above the floor are the unfloored ladder's.
        double[] tail = java.util.Arrays.copyOfRange(unfloored.requests(),
                unfloored.size() - (l.size() - 1), unfloored.size());
        assertTrue(java.util.Arrays.equals(tail, java.util.Arrays.copyOfRange(l.requests(), 1, l.size())));
    }

    @Test
    void aContainerUnderTheFloorEverywhereGetsTheFloorAlone() {
        HourlyUsage u = everyFourthHour(0.001, 0.004);
        Ladder l = Ladder.cpu(u, HOURS, 0.010);
        assertEquals(1, l.size(), "twice its highest use is under the floor");
        assertEquals(0.010, l.requests()[0], 0);
        assertEquals(0, l.risk()[0], 0);
        assertEquals(0, l.unmet()[0], 0);
    }
}
