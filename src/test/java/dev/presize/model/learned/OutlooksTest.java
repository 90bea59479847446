package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.history.HourlyUsage;
import dev.presize.history.HourlyUsages;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutlooksTest {

    private static final long START = 1_700_000_000L / 3600 * 3600;
    private static final double GIB = 1024.0 * 1024 * 1024;

    /** {@code days} days of hourly data; memory peaks at {@code peaks[d]} on day d, 1 GiB otherwise. */
    private static HourlyUsage usage(int days, double[] peaks, long seed) {
        HourlyUsage.Builder u = HourlyUsage.builder(START, days * 24);
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
        return u.build();
    }

    private static void assertNonIncreasingRisksAndIncreasingRequests(RiskAllocation.Outlook o) {
        for (int k = 1; k < o.requests().length; k++) {
            assertTrue(o.requests()[k] > o.requests()[k - 1]);
            assertTrue(o.costs()[k] > o.costs()[k - 1]);
            assertTrue(o.risks()[k] <= o.risks()[k - 1]);
        }
    }

    // ---- CPU: two kinds of hour whose samples are known ------------------------------------------
    //
    // Even hours: 12 samples, eleven at 0.5 cores and one burst at 1.0. Prometheus' quantile puts
    // level φ at rank φ·11 of the sorted samples: p50 (rank 5.5) 0.5, p90 (9.9) 0.5, p95 (10.45)
    // 0.5·0.55 + 1.0·0.45 = 0.725, p99 (10.89) 0.5·0.11 + 1.0·0.89 = 0.945, max 1.0.
    // Odd hours: 6 samples, five at 0.5 and one burst at 1.0; ranks φ·5: p50 (2.5) 0.5, p90 (4.5)
    // 0.75, p95 (4.75) 0.875, p99 (4.95) 0.975, max 1.0.
    // A request r in [0.75, 1.0) is above every sample but the burst in both kinds of hour, so over
    // 8 days (96 hours of each kind): 96 + 96 = 192 samples above r out of 96·12 + 96·6 = 1728,
    // a risk of 1/9. (Averaging the hours' shares instead of counting samples would give
    // (1/12 + 1/6) / 2 = 1/8.) A request at or above 1.0 is above every sample: risk 0.

    private static final int PAST = 8 * 24;
    private static final float[] EVEN_KNOTS = {0.5f, 0.5f, 0.725f, 0.945f, 1.0f};
    private static final float[] ODD_KNOTS = {0.5f, 0.75f, 0.875f, 0.975f, 1.0f};

    /** The past as above, then 2 days whose maxima are {@code futureMax}. */
    private static HourlyUsage burstyHours(float futureMax) {
        HourlyUsage.Builder u = HourlyUsage.builder(START, PAST + 48);
        for (int i = 0; i < u.hours(); i++) {
            boolean even = i % 2 == 0;
            float[] knots = even ? EVEN_KNOTS : ODD_KNOTS;
            for (int k = 0; k < knots.length; k++) {
                u.cpuQuantiles()[k][i] = knots[k];
            }
            if (i >= PAST) {
                u.cpuQuantiles()[knots.length - 1][i] = futureMax;
            }
            u.samples()[i] = (short) (even ? 12 : 6);
            u.cpuMean()[i] = even ? (11 * 0.5f + 1) / 12 : (5 * 0.5f + 1) / 6;
        }
        return u.build();
    }

    @Test
    void cpuCandidatesRunFromFarBelowToAboveThePastMaximum() {
        RiskAllocation.Outlook o = Outlooks.cpu(burstyHours(1.0f), PAST, 0);
        assertNonIncreasingRisksAndIncreasingRequests(o);
        // Log-spaced by 0.025 from e^-6 to e^0.5 times the past maximum (1.0): 6.5 / 0.025 + 1 = 261.
        assertEquals(261, o.requests().length);
        assertEquals(Math.exp(-6), o.requests()[0], 1e-12);
        assertEquals(Math.exp(-6 + 0.025), o.requests()[1], 1e-12);
        assertEquals(Math.exp(0.5), o.requests()[260], 1e-9);
        // The cost of a CPU request is the request, in cores.
        assertArrayEquals(o.requests(), o.costs());
        // The ladder hangs from the past maximum: a future burst to 100 cores moves nothing.
        RiskAllocation.Outlook withFuture = Outlooks.cpu(burstyHours(100f), PAST, 0);
        assertArrayEquals(o.requests(), withFuture.requests());
        assertArrayEquals(o.risks(), withFuture.risks());
    }

    @Test
    void cpuRisksAreTheShareOfPastSamplesAboveEachCandidate() {
        RiskAllocation.Outlook o = Outlooks.cpu(burstyHours(1.0f), PAST, 0);
        int between = 0;
        int above = 0;
        for (int k = 0; k < o.requests().length; k++) {
            double r = o.requests()[k];
            if (r >= 0.75 && r < 1.0 - 1e-9) {
                assertEquals(1.0 / 9, o.risks()[k], 1e-9, "request " + r);
                between++;
            } else if (r > 1.0 + 1e-9) {
                assertEquals(0, o.risks()[k], "request " + r);
                above++;
            }
        }
        // e^(-6 + 0.025 k) in [0.75, 1): k = 229..239 (ln 0.75 = -0.288); above 1: k = 241..260.
        assertEquals(11, between);
        assertEquals(20, above);
    }

    @Test
    void aCpuShiftScalesThePast() {
        // A shift of 0.2 says tomorrow is e^0.2 = 1.221 times the past: the bursts reach 1.221, the
        // rest 0.611. So requests in [0.75·e^0.2, e^0.2) = [0.916, 1.221) carry the 1/9, and only
        // those above 1.221 are safe; without the shift every request above 1.0 was.
        HourlyUsage u = burstyHours(1.0f);
        RiskAllocation.Outlook shifted = Outlooks.cpu(u, PAST, 0.2);
        int between = 0;
        for (int k = 0; k < shifted.requests().length; k++) {
            double r = shifted.requests()[k];
            if (r >= 0.75 * Math.exp(0.2) && r < Math.exp(0.2) - 1e-9) {
                assertEquals(1.0 / 9, shifted.risks()[k], 1e-9, "request " + r);
                between++;
            } else if (r > Math.exp(0.2) + 1e-9) {
                assertEquals(0, shifted.risks()[k], "request " + r);
            }
        }
        // e^(-6 + 0.025 k) in [0.916, 1.221): k = 237..247.
        assertEquals(11, between);
        // Bounded: a wild regressor moves the past by at most MAX_SHIFT.
        RiskAllocation.Outlook wild = Outlooks.cpu(u, PAST, 5);
        RiskAllocation.Outlook capped = Outlooks.cpu(u, PAST, Outlooks.MAX_SHIFT);
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
        // Candidates are ln(8 GiB) - 4 + 0.025 k. At the top (k = 160) the pseudo-day counts fully
        // (its tail starts there) and each spike day half (the logistic's middle): (1 + 2 · 0.5) / 11.
        assertEquals(8 * GIB, o.requests()[160], 1);
        assertEquals(2.0 / 11, o.risks()[160], 1e-6);
        // 0.1 above the top (k = 164), 2 bandwidths: the pseudo-day's tail e^-2 = 0.135335, each
        // spike day 1 / (1 + e^2) = 0.119203, the 1 GiB days 1 / (1 + e^((ln 8 + 0.1) / 0.05)) ≈ 1e-19:
        // (0.135335 + 2 · 0.119203) / 11 = 0.033976.
        assertEquals(8 * GIB * Math.exp(0.1), o.requests()[164], 1);
        assertEquals(0.033976, o.risks()[164], 1e-6);
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
        HourlyUsage u = withoutMemory(usage(5, peaks, 5), 24, 48);
        assertEquals(List.of((double) (float) (4 * GIB), (double) (float) (3 * GIB), (double) (float) GIB),
                Outlooks.dailyPeaks(u, 4 * 24));
        HourlyUsage none = withoutMemory(usage(5, null, 6), 0, 5 * 24);
        assertNull(Outlooks.memory(none, 4 * 24, 0));
    }

    /** {@code u} with no memory measured in hours {@code [from, to)}. */
    private static HourlyUsage withoutMemory(HourlyUsage u, int from, int to) {
        HourlyUsage.Builder b = HourlyUsages.copyOf(u);
        Arrays.fill(b.memoryMax(), from, to, Float.NaN);
        return b.build();
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
