package dev.presize.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CPU bound's per-day factor on a cluster whose answer can be worked out by hand. */
class CpuBoundTest {

    private static final long START = 1_700_000_000L / 3600 * 3600;
    private static final int DAYS = 30;

    /** One sample an hour, each day's samples all at that day's level (so max, p95 and p99 agree). */
    private static DaySamples daily(double[] levels) {
        long[] t = new long[DAYS * 24];
        double[] u = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = START + i * 3600L;
            u[i] = levels[i / 24];
        }
        return DaySamples.of(t, u, START);
    }

    @Test
    void aFactorPerDayFollowsTheClusterDayByDay() {
        // Two containers moving together (b at twice a) by day-to-day ratios the week does not
        // repeat. With nothing allowed above the requests, one factor per day takes each day the
        // smallest grid factor at or above that day's ratio to yesterday, for both at once; one
        // factor for every day must cover the largest ratio.
        double[] levels = new double[DAYS];
        double[] twice = new double[DAYS];
        for (int d = 0; d < DAYS; d++) {
            levels[d] = 1 + 0.25 * (d * d % 7);
            twice[d] = 2 * levels[d];
        }
        CpuBound.Costs costs = new CpuBound.Costs(List.of(daily(levels), daily(twice)));
        double usage = 0;
        double perDay = 0;
        for (int d = CpuBound.FIRST_DAY; d < DAYS; d++) {
            double f = smallestFactorAtLeast(levels[d] / levels[d - 1]);
            usage += 3 * 24 * levels[d];
            perDay += 3 * 24 * (f * levels[d - 1] - levels[d]);
        }
        // Base 0: the highest sample of the last day.
        CpuBound.Result day = costs.dayLine(0, 0, 0);
        assertEquals(0, day.above());
        assertEquals(0, day.unmet());
        assertEquals(perDay / usage, day.slack(), 1e-9);
        assertTrue(costs.line(0, 0, 0).slack() > day.slack() + 0.1, "one factor for every day costs more");
    }

    private static double smallestFactorAtLeast(double x) {
        for (int j = 0; j < CpuBound.FACTORS; j++) {
            if (CpuBound.Costs.factor(j) >= x - 1e-12) {
                return CpuBound.Costs.factor(j);
            }
        }
        throw new AssertionError("no factor at or above " + x);
    }
}
