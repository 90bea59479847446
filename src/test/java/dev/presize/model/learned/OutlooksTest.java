package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.history.HourlyUsage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutlooksTest {

    private static final long START = 1_700_000_000L / 3600 * 3600;
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** {@code days} days of hourly data; memory peaks at {@code peaks[d]} on day d, 1 GiB otherwise. */
    private static HourlyUsage usage(int days, double[] peaks, long seed) {
        HourlyUsage u = HourlyUsage.empty(START, days * 24);
        Random random = new Random(seed);
        for (int i = 0; i < u.hours(); i++) {
            double level = 0.5 + random.nextDouble();
            u.cpuMean()[i] = (float) level;
            double[] factors = {1.0, 1.3, 1.4, 1.6, 1.8};
            for (int k = 0; k < factors.length; k++) {
                u.cpuQuantiles()[k][i] = (float) (level * factors[k]);
            }
            u.samples()[i] = 12;
            u.memoryMax()[i] = (float) (i % 24 == 12 && peaks != null ? peaks[i / 24] : GIB);
        }
        return u;
    }

    private static void assertNonIncreasingRisksAndIncreasingRequests(RiskAllocation.Outlook o) {
        for (int k = 1; k < o.requests().length; k++) {
            assertTrue(o.requests()[k] > o.requests()[k - 1]);
            assertTrue(o.costs()[k] > o.costs()[k - 1]);
            assertTrue(o.risks()[k] <= o.risks()[k - 1]);
        }
    }

    @Test
    void cpuRisksAreTheShareOfPastSamplesAboveEachCandidate() {
        HourlyUsage u = usage(10, null, 1);
        RiskAllocation.Outlook o = Outlooks.cpu(u, 8 * 24, 0);
        assertNonIncreasingRisksAndIncreasingRequests(o);
        for (int k = 0; k < o.requests().length; k += 17) {
            assertEquals(CpuDistribution.exceedFraction(u, 0, 8 * 24, o.requests()[k]), o.risks()[k], 1e-12);
            assertEquals(o.requests()[k], o.costs()[k]);
        }
        // The top candidate is above every past sample.
        assertEquals(0, o.risks()[o.risks().length - 1]);
        // Nothing after the origin is read: changing the future leaves the outlook alone.
        HourlyUsage changed = usage(10, null, 1);
        for (int i = 8 * 24; i < changed.hours(); i++) {
            changed.cpuQuantiles()[4][i] = 100;
        }
        assertArrayEquals(o.risks(), Outlooks.cpu(changed, 8 * 24, 0).risks());
    }

    @Test
    void aCpuShiftScalesThePast() {
        HourlyUsage u = usage(10, null, 2);
        RiskAllocation.Outlook shifted = Outlooks.cpu(u, 8 * 24, 0.2);
        for (int k = 0; k < shifted.requests().length; k += 13) {
            double expected = CpuDistribution.exceedFraction(u, 0, 8 * 24, shifted.requests()[k] * Math.exp(-0.2));
            assertEquals(expected, shifted.risks()[k], 1e-12);
        }
        // Bounded: a wild regressor moves the past by at most MAX_SHIFT.
        RiskAllocation.Outlook wild = Outlooks.cpu(u, 8 * 24, 5);
        RiskAllocation.Outlook capped = Outlooks.cpu(u, 8 * 24, Outlooks.MAX_SHIFT);
        assertArrayEquals(capped.risks(), wild.risks());
    }

    @Test
    void memoryRiskFollowsThePastDailyPeaks() {
        // Ten days: eight at 1 GiB, two spiking to 8 GiB.
        double[] peaks = {GIB, GIB, 8 * GIB, GIB, GIB, GIB, GIB, 8 * GIB, GIB, GIB, GIB, GIB};
        HourlyUsage u = usage(12, peaks, 3);
        RiskAllocation.Outlook o = Outlooks.memory(u, 10 * 24, 0);
        assertNonIncreasingRisksAndIncreasingRequests(o);
        // Between the two levels, the estimated chance of exceeding is the spike days plus the
        // pseudo-day at the top, out of ten days plus one.
        assertEquals(3.0 / 11, riskAt(o, 3 * GIB), 0.01);
        // Well below 1 GiB, every day exceeds.
        assertEquals(1.0, riskAt(o, 0.5 * GIB), 0.01);
        // At the top the pseudo-day is half exceeded, and its tail fades above.
        assertTrue(riskAt(o, 8 * GIB) > 0.5 / 11);
        assertTrue(riskAt(o, 8 * GIB * 1.3) < 0.01);
        // Costs are request times the samples of a day.
        assertEquals(o.requests()[5] * 24 * 12, o.costs()[5], 1e-3);
    }

    @Test
    void aPositiveMemoryShiftMovesTheWholeOutlookUp() {
        double[] peaks = {GIB, 2 * GIB, 3 * GIB, GIB, GIB, 2 * GIB, GIB, GIB, GIB, GIB};
        HourlyUsage u = usage(10, peaks, 4);
        RiskAllocation.Outlook flat = Outlooks.memory(u, 8 * 24, 0);
        RiskAllocation.Outlook up = Outlooks.memory(u, 8 * 24, 0.3);
        for (double r = 0.5 * GIB; r < 4 * GIB; r += 0.25 * GIB) {
            assertEquals(riskAt(flat, r), riskAt(up, r * Math.exp(0.3)), 0.02, "at " + r / GIB + " GiB");
        }
    }

    @Test
    void dailyPeaksAreLatestFirstAndSkipDaysWithoutMemory() {
        double[] peaks = {GIB, 2 * GIB, 3 * GIB, 4 * GIB, 5 * GIB};
        HourlyUsage u = usage(5, peaks, 5);
        for (int i = 24; i < 48; i++) {
            u.memoryMax()[i] = Float.NaN;
        }
        assertEquals(List.of((double) (float) (4 * GIB), (double) (float) (3 * GIB), (double) (float) GIB),
                Outlooks.dailyPeaks(u, 4 * 24));
        HourlyUsage none = usage(5, null, 6);
        for (int i = 0; i < none.hours(); i++) {
            none.memoryMax()[i] = Float.NaN;
        }
        assertNull(Outlooks.memory(none, 4 * 24, 0));
    }

    /** The estimated risk of the smallest candidate at or above {@code request}. */
    private static double riskAt(RiskAllocation.Outlook o, double request) {
        for (int k = 0; k < o.requests().length; k++) {
            if (o.requests()[k] >= request) {
                return o.risks()[k];
            }
        }
        return 0;
    }
}
