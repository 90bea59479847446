package dev.presize.bench;

import static dev.presize.bench.HourlyDays.DAYS;
import static dev.presize.bench.HourlyDays.together;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CPU bound's per-day factor on a cluster whose answer can be worked out by hand. */
class CpuBoundTest {

    @Test
    void aFactorPerDayFollowsTheClusterDayByDay() {
        // Two containers moving together (b at twice a) by day-to-day ratios the week does not
        // repeat. With nothing allowed above the requests, one factor per day takes each day the
        // smallest grid factor at or above that day's ratio to yesterday, for both at once; one
        // factor for every day must cover the largest ratio.
        double[] levels = new double[DAYS];
        for (int d = 0; d < DAYS; d++) {
            levels[d] = 1 + 0.25 * (d * d % 7);
        }
        CpuBound.Costs costs = new CpuBound.Costs(together(levels, 2));
        double usage = 0;
        double perDay = 0;
        for (int d = CpuBound.FIRST_DAY; d < DAYS; d++) {
            double f = CpuBound.GRID.atLeast(levels[d] / levels[d - 1]);
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

    @Test
    void theDualLowerBoundLiesUnderEveryHindsightChoiceAndCloseToTheBest() {
        // Six containers whose samples move within each day (a sawtooth of its own period and
        // depth) and from day to day: with targets that bind, the lower bound from the prices is never
        // above a choice that holds them (a sign slip in it would put it there), and not far under
        // it (prices off the grid's scale would): with six containers, whole choices leave a gap
        // between the two that hundreds of containers close.
        List<DaySamples> series = new java.util.ArrayList<>();
        for (int c = 0; c < 6; c++) {
            int k = c;
            series.add(HourlyDays.of(i -> (1 + k) * (1 + 0.3 * ((i / 24 * (k + 2)) % 5))
                    * (1 + (k + 1) * 0.2 * (i % (3 + k)) / (3.0 + k))));
        }
        CpuBound.Costs costs = new CpuBound.Costs(series);
        int[] all = new int[CpuBound.WINDOWS.length * CpuBound.QUANTILES.length];
        for (int b = 0; b < all.length; b++) {
            all[b] = b;
        }
        for (int[] bases : new int[][] {{0}, {3}, all}) {
            CpuBound.Result best = costs.hindsight(bases, 0.05, 0.02);
            double lower = costs.lowerBound(bases, 0.05, 0.02);
            assertTrue(best.above() <= 0.05 && best.unmet() <= 0.02, best.toString());
            assertTrue(lower <= best.slack() + 1e-12, lower + " above " + best);
            assertTrue(lower >= 0.75 * best.slack(), lower + " far under " + best);
        }
    }
}
