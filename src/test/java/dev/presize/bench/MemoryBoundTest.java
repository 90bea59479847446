package dev.presize.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.presize.history.ContainerSeries;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bound's arithmetic on clusters whose answers can be worked out by hand. */
class MemoryBoundTest {

    private static final long START = 1_700_000_000L / 3600 * 3600;
    private static final int DAYS = 30;

    /** One sample an hour for {@link #DAYS} days, each day's samples all at that day's level. */
    private static ContainerSeries daily(String name, double[] levels) {
        long[] t = new long[DAYS * 24];
        double[] m = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = START + i * 3600L;
            m[i] = levels[i / 24];
        }
        return new ContainerSeries("ns", name, "c", t, new double[t.length], m, Double.NaN, Double.NaN);
    }

    @Test
    void aDaysSlackIsTheSumOfTheGapsUnderTheRequest() {
        Random random = new Random(7);
        long[] t = new long[24 * 3];
        double[] m = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = START + i * 3600L;
            m[i] = i % 5 == 0 ? Double.NaN : random.nextDouble() * 100;
        }
        MemoryBound.DayPeaks peaks = MemoryBound.DayPeaks.of(
                new ContainerSeries("ns", "w", "c", t, new double[t.length], m, Double.NaN, Double.NaN), START);
        for (int d = 0; d < 3; d++) {
            for (double request : new double[] {0, 17.5, 50, 99.9, 250}) {
                double expected = 0;
                for (int i = d * 24; i < (d + 1) * 24; i++) {
                    expected += Double.isNaN(m[i]) ? 0 : Math.max(0, request - m[i]);
                }
                assertEquals(expected, peaks.slack(d, request), 1e-9, "day " + d + " at " + request);
            }
        }
    }

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
        List<MemoryBound.DayPeaks> series = List.of(MemoryBound.DayPeaks.of(daily("a", flat), START),
                MemoryBound.DayPeaks.of(daily("b", alternating), START));
        MemoryBound.Costs costs = new MemoryBound.Costs(series, false);
        double one = smallestFactorAtLeast(1);
        double two = smallestFactorAtLeast(2);
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

    private static double smallestFactorAtLeast(double x) {
        for (int j = 0; j < MemoryBound.FACTORS; j++) {
            if (MemoryBound.Costs.factor(j) >= x - 1e-12) {
                return MemoryBound.Costs.factor(j);
            }
        }
        throw new AssertionError("no factor at or above " + x);
    }

    private static double sum(double[] x, int from) {
        double s = 0;
        for (int i = from; i < x.length; i++) {
            s += x[i];
        }
        return s;
    }
}
