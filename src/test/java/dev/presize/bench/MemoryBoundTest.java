package dev.presize.bench;

import static dev.presize.bench.HourlyDays.DAYS;
import static dev.presize.bench.HourlyDays.START;
import static dev.presize.bench.HourlyDays.daily;
import static dev.presize.bench.HourlyDays.together;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bound's arithmetic on clusters whose answers can be worked out by hand. */
class MemoryBoundTest {

    @Test
    void hindsightLetsEachContainerTakeItsOwnFactorWhereTheLineTakesTheWorstOnes() {
        // a never moves; b alternates 100 and 200 a day, so yesterday's peak needs twice itself to
        // never be exceeded. At a target of 0 the line takes that factor for both; hindsight gives a
        // the smallest factor at or above 1. Every day's samples sit at its peak, so the oracle has 0.
        double[] flat = new double[DAYS];
        double[] alternating = new double[DAYS];
        Arrays.fill(flat, 100);
        for (int d = 0; d < DAYS; d++) {
            alternating[d] = d % 2 == 0 ? 100 : 200;
        }
        List<DaySamples> series = List.of(daily(flat), daily(alternating));
        MemoryBound.Costs costs = new MemoryBound.Costs(series, false);
        double one = MemoryBound.GRID.atLeast(1);
        double two = MemoryBound.GRID.atLeast(2);
        int scored = DAYS - MemoryBound.FIRST_DAY;
        double usage = 24 * (scored * 100.0 + sum(alternating, MemoryBound.FIRST_DAY));
        double b = 0;
        for (int d = MemoryBound.FIRST_DAY; d < DAYS; d++) {
            b += 24 * (two * alternating[d - 1] - alternating[d]);
        }
        double a1 = 24 * scored * (one - 1) * 100;
        double a2 = 24 * scored * (two - 1) * 100;

        assertEquals(2 * scored, costs.scored());
        assertEquals(0, costs.oracleSlack(), 1e-12);
        MemoryBound.Result line = costs.line(0, 0);
        assertEquals(0, line.exceeded());
        assertEquals((a2 + b) / usage, line.slack(), 1e-9);
        MemoryBound.Result hindsight = costs.hindsight(new int[] {0}, 0);
        assertEquals(0, hindsight.exceeded());
        assertEquals((a1 + b) / usage, hindsight.slack(), 1e-9);
    }

    @Test
    void holdingTheDepthTooSpendsTheDaysExceededWhereTheyAreShallow() {
        // Two containers at 100 with four high days each in the scored days (every fifth day from
        // day 2): a's reach three grid steps over 300, b's 101. A target of 4 days exceeded in
        // the 42 lets one container's high days through at yesterday's peak × about 1. Alone, the
        // days' price spends them on a, whose headroom is dearest (about 200 a day deep); holding
        // the depth at what b's 4 shallow days cost, b's are spent instead. Both checked against
        // a brute force over the two containers' factors.
        double spike = 100 * MemoryBound.GRID.factor(MemoryBound.GRID.indexAtLeast(3) + 3);
        double[] a = new double[DAYS];
        double[] b = new double[DAYS];
        for (int d = 0; d < DAYS; d++) {
            a[d] = d % 5 == 2 ? spike : 100;
            b[d] = d % 5 == 2 ? 101 : 100;
        }
        MemoryBound.Costs costs = new MemoryBound.Costs(List.of(daily(a), daily(b)), false);
        int scored = 2 * (DAYS - MemoryBound.FIRST_DAY);
        double target = 4.0 / scored;
        double[][] costA = ruleCosts(a);
        double[][] costB = ruleCosts(b);
        double peaks = 0;
        double usage = 0;
        for (int d = MemoryBound.FIRST_DAY; d < DAYS; d++) {
            peaks += a[d] + b[d];
            usage += 24 * (a[d] + b[d]);
        }
        double depthOfB = costB[MemoryBound.GRID.indexAtLeast(1)][2] / peaks;

        MemoryBound.Result free = costs.hindsight(new int[] {0}, target);
        MemoryBound.Result held = costs.hindsight(new int[] {0}, target, depthOfB);

        assertEquals(bruteForce(costA, costB, target * scored, Double.MAX_VALUE) / usage, free.slack(), 1e-9);
        assertEquals(bruteForce(costA, costB, target * scored, depthOfB * peaks) / usage, held.slack(), 1e-9);
        assertTrue(free.depth() > 0.1, "a's high days are spent: " + free.depth());
        assertTrue(held.depth() <= depthOfB && held.exceeded() <= target, held.toString());
        assertTrue(held.slack() > free.slack());
        // Both bests use up exactly the days (and b's depth) allowed, so the dual lower bounds, never above
        // the best, meet it: a bound above would be a sign error, one below a price grid missing.
        assertEquals(free.slack(), costs.lowerBound(new int[] {0}, target, Double.MAX_VALUE), 1e-9);
        assertEquals(held.slack(), costs.lowerBound(new int[] {0}, target, depthOfB), 1e-9);
    }

    /** Per factor j of yesterday's peak: slack, days exceeded and Σ(peak − R)⁺ over the scored days. */
    private static double[][] ruleCosts(double[] levels) {
        double[][] cost = new double[MemoryBound.FACTORS][3];
        for (int j = 0; j < MemoryBound.FACTORS; j++) {
            for (int d = MemoryBound.FIRST_DAY; d < DAYS; d++) {
                double request = MemoryBound.GRID.factor(j) * levels[d - 1];
                cost[j][0] += 24 * Math.max(0, request - levels[d]);
                cost[j][1] += levels[d] > request ? 1 : 0;
                cost[j][2] += Math.max(0, levels[d] - request);
            }
        }
        return cost;
    }

    private static double bruteForce(double[][] a, double[][] b, double days, double depth) {
        double best = Double.MAX_VALUE;
        for (double[] x : a) {
            for (double[] y : b) {
                if (x[1] + y[1] <= days + 1e-9 && x[2] + y[2] <= depth * (1 + 1e-12)) {
                    best = Math.min(best, x[0] + y[0]);
                }
            }
        }
        return best;
    }

    @Test
    void aFactorPerWeekdayBuysHeadroomOnlyForTheHardWeekday() {
        // Memory at 200 on every Wednesday (UTC) and 100 otherwise: at a target of 0 one factor of
        // yesterday's peak must double every day, while a factor per weekday doubles Wednesdays,
        // halves Thursdays (yesterday was the high day) and stays at 1 otherwise.
        double[] levels = new double[DAYS];
        boolean[] wednesday = new boolean[DAYS];
        for (int d = 0; d < DAYS; d++) {
            wednesday[d] = java.time.Instant.ofEpochSecond(START + d * 86_400L).atZone(java.time.ZoneOffset.UTC)
                    .getDayOfWeek() == java.time.DayOfWeek.WEDNESDAY;
            levels[d] = wednesday[d] ? 200 : 100;
        }
        MemoryBound.Costs costs = new MemoryBound.Costs(List.of(daily(levels)), false);
        double half = MemoryBound.GRID.atLeast(0.5);
        double one = MemoryBound.GRID.atLeast(1);
        double two = MemoryBound.GRID.atLeast(2);
        double usage = 0;
        double weekdays = 0;
        double line = 0;
        for (int d = MemoryBound.FIRST_DAY; d < DAYS; d++) {
            usage += 24 * levels[d];
            double f = wednesday[d] ? two : wednesday[d - 1] ? half : one;
            weekdays += 24 * (f * levels[d - 1] - levels[d]);
            line += 24 * (two * levels[d - 1] - levels[d]);
        }
        assertEquals(0.5, half, 1e-12);
        assertEquals(line / usage, costs.line(0, 0).slack(), 1e-9);
        MemoryBound.Result weekday = costs.weekdayLine(0, 0, START);
        assertEquals(0, weekday.exceeded());
        assertEquals(weekdays / usage, weekday.slack(), 1e-9);
    }

    @Test
    void aFactorPerDayFollowsTheClusterDayByDay() {
        // Two containers whose memory moves together (b at three times a), day to day by a ratio
        // the week does not repeat: at a target of 0 a factor per day takes, each day, the smallest
        // grid factor at or above that day's ratio to yesterday, for both containers at once.
        double[] levels = new double[DAYS];
        for (int d = 0; d < DAYS; d++) {
            levels[d] = 100 + 25 * (d * d % 11);
        }
        MemoryBound.Costs costs = new MemoryBound.Costs(together(levels, 3), false);
        double usage = 0;
        double perDay = 0;
        for (int d = MemoryBound.FIRST_DAY; d < DAYS; d++) {
            double f = MemoryBound.GRID.atLeast(levels[d] / levels[d - 1]);
            usage += 4 * 24 * levels[d];
            perDay += 4 * 24 * (f * levels[d - 1] - levels[d]);
        }
        MemoryBound.Result day = costs.dayLine(0, 0);
        assertEquals(0, day.exceeded());
        assertEquals(perDay / usage, day.slack(), 1e-9);
        assertTrue(costs.line(0, 0).slack() > day.slack() + 0.1, "one factor for every day costs more");
    }

    private static double sum(double[] x, int from) {
        double s = 0;
        for (int i = from; i < x.length; i++) {
            s += x[i];
        }
        return s;
    }
}
