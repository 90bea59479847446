package dev.presize.model.learned;

import dev.presize.history.HourlyUsage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With many samples an hour, the hourly CDF is the piecewise-linear curve through (0, 0), (p50, 0.5),
 * (p90, 0.9), (p95, 0.95), (p99, 0.99) and (max, 1); with few, each knot stands for its rank among
 * the samples (Prometheus' φ·(n − 1)). Several hours mix by sample count. Expected values are read
 * off those curves by hand.
 */
class CpuDistributionTest {

    private static final long START = 1_699_999_200L;
    private static final float[] KNOTS = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
    private static final double EPS = 1e-6; // knots are floats

    /** Hour {@code i} gets {@code knots[i]} (null = no samples) and {@code samples[i]}. */
    private static HourlyUsage usage(float[][] knots, int[] samples) {
        HourlyUsage.Builder u = HourlyUsage.builder(START, knots.length);
        for (int i = 0; i < knots.length; i++) {
            if (knots[i] == null) {
                continue;
            }
            for (int k = 0; k < knots[i].length; k++) {
                u.cpuQuantiles()[k][i] = knots[i][k];
            }
            u.cpuMean()[i] = knots[i][0];
            u.samples()[i] = (short) samples[i];
        }
        return u.build();
    }

    private static HourlyUsage oneHour(float[] knots) {
        return usage(new float[][] {knots}, new int[] {1000});
    }

    private static float[] flat(float v) {
        return new float[] {v, v, v, v, v};
    }

    @Test
    void exceedFractionFollowsTheLinesThroughTheKnots() {
        HourlyUsage u = oneHour(KNOTS);
        assertEquals(1.0, CpuDistribution.exceedFraction(u, 0, 1, 0), EPS, "everything exceeds 0");
        assertEquals(0.75, CpuDistribution.exceedFraction(u, 0, 1, 0.05), EPS, "half-way from 0 to p50");
        assertEquals(0.5, CpuDistribution.exceedFraction(u, 0, 1, 0.1), EPS, "at p50");
        assertEquals(0.3, CpuDistribution.exceedFraction(u, 0, 1, 0.15), EPS, "half-way from p50 to p90");
        assertEquals(0.1, CpuDistribution.exceedFraction(u, 0, 1, 0.2), EPS, "at p90");
        assertEquals(0.075, CpuDistribution.exceedFraction(u, 0, 1, 0.25), EPS, "half-way from p90 to p95");
        assertEquals(0.01, CpuDistribution.exceedFraction(u, 0, 1, 0.4), EPS, "at p99");
        // With 1000 samples the largest one alone is above everything under the max: the curve runs
        // from 0.99 at p99 to 0.999 just under the max.
        assertEquals(0.0055, CpuDistribution.exceedFraction(u, 0, 1, 0.45), EPS, "half-way from p99 to max");
        assertEquals(0.0, CpuDistribution.exceedFraction(u, 0, 1, 0.5), EPS, "at the max");
        assertEquals(0.0, CpuDistribution.exceedFraction(u, 0, 1, 7), EPS, "above the max");
    }

    @Test
    void withFewSamplesEachKnotStandsForItsRank() {
        // Twelve samples (5-minute scrapes): ranks 5.5, 9.9, 10.45, 10.89 and 11. p95 and p99 both lie
        // between the two largest samples, so exactly one sample in twelve is above any value from p95
        // to just under the max, and p90 (rank 9.9) has two above it.
        HourlyUsage u = usage(new float[][] {KNOTS}, new int[] {12});
        assertEquals(1.0 / 12, CpuDistribution.exceedFraction(u, 0, 1, 0.3), EPS, "at p95");
        assertEquals(1.0 / 12, CpuDistribution.exceedFraction(u, 0, 1, 0.45), EPS, "between p99 and the max");
        assertEquals(2.0 / 12, CpuDistribution.exceedFraction(u, 0, 1, 0.2), EPS, "at p90");
        assertEquals(1.5 / 12, CpuDistribution.exceedFraction(u, 0, 1, 0.25), EPS, "half-way from p90 to p95");
        assertEquals(0.0, CpuDistribution.exceedFraction(u, 0, 1, 0.5), EPS, "at the max");
        // Half-way from p50 (rank 5.5: six under and at it) to p90 (ten under it): 8 of 12.
        assertEquals(1 - 8.0 / 12, CpuDistribution.exceedFraction(u, 0, 1, 0.15), EPS);
        // The same knots from 10 samples read differently: p90 to the max all have one sample in ten above.
        HourlyUsage ten = usage(new float[][] {KNOTS}, new int[] {10});
        assertEquals(0.1, CpuDistribution.exceedFraction(ten, 0, 1, 0.25), EPS);
        assertEquals(0.1, CpuDistribution.exceedFraction(ten, 0, 1, 0.45), EPS);
        // A single sample: all of it is at the value.
        HourlyUsage one = usage(new float[][] {flat(0.3f)}, new int[] {1});
        assertEquals(1.0, CpuDistribution.exceedFraction(one, 0, 1, 0.29), EPS);
        assertEquals(0.0, CpuDistribution.exceedFraction(one, 0, 1, 0.3f), EPS);
    }

    @Test
    void tiedKnotsAreAPointMass() {
        // p90 = p95 = p99 = 0.2: 9 % of the samples sit exactly at 0.2.
        HourlyUsage u = oneHour(new float[] {0.1f, 0.2f, 0.2f, 0.2f, 0.5f});
        assertEquals(0.01, CpuDistribution.exceedFraction(u, 0, 1, 0.2f), EPS, "at the tie (as stored, a float)");
        assertEquals(0.1 + 0.4 * 0.001 / 0.1, CpuDistribution.exceedFraction(u, 0, 1, 0.2 - 0.001), EPS);
        // A flat hour: linear from 0 to the value for the lower half, then all of it at the value.
        HourlyUsage flat = oneHour(flat(1f));
        assertEquals(0.75, CpuDistribution.exceedFraction(flat, 0, 1, 0.5), EPS);
        assertEquals(0.0, CpuDistribution.exceedFraction(flat, 0, 1, 1), EPS);
    }

    @Test
    void hoursMixByTheirSampleCounts() {
        // 30 samples of a flat hour at 1.0 (exceeds 0.5 with 0.75) and 10 of KNOTS (exceeds 0.5 with 0):
        // (30 × 0.75 + 10 × 0) / 40 = 0.5625.
        HourlyUsage u = usage(new float[][] {flat(1f), KNOTS}, new int[] {30, 10});
        assertEquals(0.5625, CpuDistribution.exceedFraction(u, 0, 2, 0.5), EPS);
        assertEquals(40, CpuDistribution.samples(u, 0, 2));
    }

    @Test
    void readsOnlyTheSlotsAskedForAndOnlyHoursWithSamples() {
        HourlyUsage u = usage(new float[][] {flat(5f), KNOTS, null, flat(9f)}, new int[] {10, 10, 0, 10});
        assertEquals(0.1, CpuDistribution.exceedFraction(u, 1, 3, 0.2), EPS, "slot 1 only: slot 2 has no samples");
        assertEquals(10, CpuDistribution.samples(u, 1, 3));
        // A range reaching before slot 0 is clipped. The flat hour at 5 has 0.5 × 0.2 / 5 = 2 % of its
        // samples under 0.2: (10 × 0.98 + 10 × 0.1) / 20 = 0.54.
        assertEquals(0.54, CpuDistribution.exceedFraction(u, -5, 2, 0.2), EPS);
        assertEquals(30, CpuDistribution.samples(u, 0, 99), "a range past the end is clipped");
    }

    @Test
    void withoutSamplesThereIsNoAnswer() {
        HourlyUsage u = usage(new float[][] {null, KNOTS}, new int[] {0, 10});
        assertTrue(Double.isNaN(CpuDistribution.exceedFraction(u, 0, 1, 0.2)));
        assertTrue(Double.isNaN(CpuDistribution.quantile(u, 0, 1, 0.9)));
        assertTrue(Double.isNaN(CpuDistribution.exceedFraction(u, 1, 1, 0.2)), "an empty range");
        assertEquals(0, CpuDistribution.samples(u, 0, 1));
        // An hour whose mean is missing has no usable samples even with a count.
        HourlyUsage.Builder b = HourlyUsage.builder(START, 1);
        for (int k = 0; k < KNOTS.length; k++) {
            b.cpuQuantiles()[k][0] = KNOTS[k];
        }
        b.samples()[0] = 1000;
        HourlyUsage noMean = b.build();
        assertTrue(Double.isNaN(CpuDistribution.quantile(noMean, 0, 1, 0.9)));
    }

    @Test
    void quantileInvertsTheCdf() {
        HourlyUsage u = oneHour(KNOTS);
        assertEquals(0.2, CpuDistribution.quantile(u, 0, 1, 0.9), EPS);
        assertEquals(0.15, CpuDistribution.quantile(u, 0, 1, 0.7), EPS);
        assertEquals(0.05, CpuDistribution.quantile(u, 0, 1, 0.25), EPS);
        assertEquals(0.4 + 0.1 * 5 / 9, CpuDistribution.quantile(u, 0, 1, 0.995), EPS);
        assertEquals(0.5, CpuDistribution.quantile(u, 0, 1, 1.0), EPS);
        // The mixture of the two hours above: exceed(0.5) = 0.5625, so its 0.4375-quantile is 0.5.
        HourlyUsage mix = usage(new float[][] {flat(1f), KNOTS}, new int[] {30, 10});
        assertEquals(0.5, CpuDistribution.quantile(mix, 0, 2, 0.4375), EPS);
    }

    @Test
    void exceedFractionFallsAndQuantileRisesMonotonically() {
        HourlyUsage u = usage(new float[][] {KNOTS, flat(0.3f), {0.05f, 0.4f, 0.4f, 0.4f, 2f}, null},
                new int[] {12, 5, 30, 0});
        double previous = 1;
        for (double r = 0; r <= 2.1; r += 0.001) {
            double e = CpuDistribution.exceedFraction(u, 0, 4, r);
            assertTrue(e <= previous + 1e-12, "exceed(" + r + ") = " + e + " > " + previous);
            assertTrue(e >= 0 && e <= 1);
            previous = e;
        }
        double last = 0;
        for (double level = 0.01; level <= 1.0; level += 0.01) {
            double q = CpuDistribution.quantile(u, 0, 4, level);
            assertTrue(q >= last - 1e-9, "quantile(" + level + ") = " + q + " < " + last);
            // The smallest request meeting the level: its exceed fraction is at most 1 − level.
            assertTrue(CpuDistribution.exceedFraction(u, 0, 4, q) <= 1 - level + 1e-6, "level " + level);
            last = q;
        }
    }

    @Test
    void theVolumeAboveARequestIsReadOffTheSketchLikeTheSamplesWouldGiveIt() {
        // One hour of 101 samples 0.00, 0.01, ..., 1.00: the sketch's knots are exact samples.
        HourlyUsage.Builder b = HourlyUsage.builder(0, 1);
        for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
            b.cpuQuantiles()[k][0] = (float) HourlyUsage.CPU_LEVELS[k];
        }
        b.cpuMean()[0] = 0.5f;
        b.samples()[0] = 101;
        HourlyUsage u = b.build();
        for (double r : new double[] {0.5, 0.9, 0.95}) {
            double exact = 0;
            for (int i = 0; i <= 100; i++) {
                exact += Math.max(0, i / 100.0 - r);
            }
            double read = CpuDistribution.unmet(u, 0, 1, r);
            assertTrue(Math.abs(read - exact) <= 0.1 * exact, r + ": " + read + " vs " + exact);
        }
        assertEquals(0, CpuDistribution.unmet(u, 0, 1, 1.0), 1e-12, "nothing above the maximum");
        assertEquals(CpuDistribution.usage(u, 0, 1), CpuDistribution.unmet(u, 0, 1, 0), 0.03 * 50.5,
                "above 0: all the usage");
        assertEquals(50.5, CpuDistribution.usage(u, 0, 1), 1e-4);
    }

    @Test
    void readingManyRequestsAtOnceGivesEachRequestsOwnFiguresToTheLastBit() {
        // Knots out of order, tied, at 0, an hour without samples and one with few: the walk that
        // searches each request's segment from the last one's must land where a search from the
        // first knot does, for ascending requests, repeated ones and requests that go back down.
        HourlyUsage u = usage(new float[][] {KNOTS, flat(0.3f), {0.05f, 0.4f, 0.4f, 0.4f, 2f}, null,
                        {0.2f, 0.1f, 0.3f, 0.25f, 0.6f}, {0f, 0f, 0.1f, 0.1f, 0.1f}},
                new int[] {12, 5, 30, 0, 7, 1000});
        CpuDistribution.Hour[] hours = CpuDistribution.hours(u, 0, 6);
        java.util.Random random = new java.util.Random(7);
        double[] ascending = new double[200];
        for (int j = 1; j < ascending.length; j++) {
            ascending[j] = ascending[j - 1] + (random.nextInt(4) == 0 ? 0 : random.nextDouble() * 0.02);
        }
        double[] mixed = {0.3, 0.1, 0.1, 0.4, -1, 0, 0.25, 2.5, 0.2, Double.NaN, 0.2};
        for (double[] requests : new double[][] {ascending, mixed, {0.3f, 0.4f, 0.5f}}) {
            double[] exceed = new double[requests.length];
            double[] unmet = new double[requests.length];
            CpuDistribution.read(hours, requests, exceed, unmet);
            for (int j = 0; j < requests.length; j++) {
                double r = requests[j];
                assertEquals(Double.doubleToLongBits(CpuDistribution.exceedFraction(hours, r)),
                        Double.doubleToLongBits(exceed[j]), "exceed at " + r);
                assertEquals(Double.doubleToLongBits(CpuDistribution.unmet(hours, r)),
                        Double.doubleToLongBits(unmet[j]), "unmet at " + r);
            }
            for (CpuDistribution.Hour h : hours) {
                if (h == null) {
                    continue;
                }
                CpuDistribution.Reader read = h.reader();
                for (double r : requests) {
                    read.at(r);
                    assertEquals(Double.doubleToLongBits(h.cdf(r)), Double.doubleToLongBits(read.cdf()), "cdf at " + r);
                    assertEquals(Double.doubleToLongBits(h.unmetPerSample(r)),
                            Double.doubleToLongBits(read.unmetPerSample()), "unmet per sample at " + r);
                }
            }
        }
    }
}
