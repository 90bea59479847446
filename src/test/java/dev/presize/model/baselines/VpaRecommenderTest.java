package dev.presize.model.baselines;

import dev.presize.history.ContainerSeries;
import dev.presize.history.HourlyUsage;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.Resources;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VPA's target on hand-built histories, against its published defaults: CPU p90 of a decaying
 * histogram of samples, memory p90 of per-24-hour peaks, half-life 24 h, buckets growing 5 % from
 * 0.01 core / 10 MB, +15 % margin, at least 25m and 250 MiB, bounds from p50/p95 with the confidence
 * multipliers. The expected numbers are bucket ends computed by hand:
 * end of the bucket of v = first × (1.05^(b+1) − 1) / 0.05 with b = floor(ln(v × 0.05 / first + 1) / ln 1.05).
 */
class VpaRecommenderTest {

    private static final long DECISION = 1_699_999_200L; // a whole hour
    private static final long HOUR = 3600;
    private static final long DAY = 86_400;
    private static final SeriesKey KEY = new SeriesKey("ns", "web", "app");

    // Bucket ends × 1.15: CPU 0.1 → bucket 8 (ends 0.110266), 0.2 → 14 (0.215786), 0.3 → 18
    // (0.305390), 1.0 → 36 (1.016281); memory 1e9 → 36 (1.016281e9), 2e9 → 49 (2.093480e9),
    // 3e9 → 56 (3.027157e9).
    private static final double CPU_0_1 = 0.11026564319570314 * 1.15;
    private static final double CPU_0_2 = 0.21578563588227356 * 1.15;
    private static final double CPU_1_0 = 1.0162813885540918 * 1.15;
    private static final double MEM_1E9 = 1016281388.5540917 * 1.15;
    private static final double MEM_2E9 = 2093479957.1507382 * 1.15;
    private static final double MEM_3E9 = 3027156617.0604424 * 1.15;

    private static Recommendation vpa(ContainerSeries samples, double cpuRequest) {
        ContainerHistory c = new ContainerHistory(KEY, HourlyUsage.empty(DECISION, 0), samples,
                new Resources(cpuRequest, Double.NaN));
        return new VpaRecommender().recommend(c, DECISION);
    }

    private static Recommendation vpa(HourlyUsage usage) {
        return new VpaRecommender().recommend(new ContainerHistory(KEY, usage, null, new Resources(1, 1e9)), DECISION);
    }

    private static ContainerSeries series(long[] t, double[] cpu, double[] memory) {
        return new ContainerSeries(KEY.namespace(), KEY.workload(), KEY.container(), t, cpu, memory, 1, 1e9);
    }

    /** {@code n} samples one {@code step} apart ending one step before the decision. */
    private static long[] times(int n, long step) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = DECISION - (long) (n - i) * step;
        }
        return t;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-9, what);
    }

    // --- raw samples (the backtest) ---

    @Test
    void steadyUsageGivesTheBucketEndPlusFifteenPercent() {
        Recommendation r = vpa(series(times(100, 1), filled(100, 1.0), filled(100, 2e9)), 1);
        assertClose(CPU_1_0, r.requests().cpuCores(), "cpu");
        assertClose(MEM_2E9, r.requests().memoryBytes(), "memory");
    }

    @Test
    void cpuTargetIsThe90thPercentileOfTheSamples() {
        // 100 samples a second apart weigh the same to 0.1 % (2^(−100 s / 24 h)).
        double[] cpu = filled(100, 0.1);
        Arrays.fill(cpu, 91, 100, 1.0); // 91 % at 0.1: p90 is there, p95 is not
        Recommendation r = vpa(series(times(100, 1), cpu, filled(100, 1e9)), 1);
        assertClose(CPU_0_1, r.requests().cpuCores(), "91 % low");
        assertTrue(r.upperBound().cpuCores() >= CPU_1_0, "the upper bound is p95: " + r.upperBound());

        Arrays.fill(cpu, 89, 100, 1.0); // 89 % at 0.1: p90 is high
        assertClose(CPU_1_0, vpa(series(times(100, 1), cpu, filled(100, 1e9)), 1).requests().cpuCores(), "89 % low");
    }

    @Test
    void samplesLoseHalfTheirWeightPerDay() {
        // 40 old samples at 0.1 core and one fresh one at 1.0: p90 stays low while 40 × 2^(−age / 24 h) ≥ 9,
        // i.e. for ages up to 24 h × log2(40 / 9) = 51.6 h. At 48 h: 40 / 4 = 10; at 60 h: 40 / 5.66 = 7.1.
        // (A 12 h half-life would give 2.5 at 48 h; a 36 h one 13.5 at 60 h.)
        assertClose(CPU_0_1, vpa(oldLowAndOneFreshHigh(48 * HOUR), 1).requests().cpuCores(), "48 h old");
        assertClose(CPU_1_0, vpa(oldLowAndOneFreshHigh(60 * HOUR), 1).requests().cpuCores(), "60 h old");
    }

    private static ContainerSeries oldLowAndOneFreshHigh(long age) {
        long[] t = new long[41];
        double[] cpu = new double[41];
        for (int i = 0; i < 40; i++) {
            t[i] = DECISION - age + i;
            cpu[i] = 0.1;
        }
        t[40] = DECISION - 1;
        cpu[40] = 1.0;
        return series(t, cpu, filled(41, 1e9));
    }

    @Test
    void memoryTargetIsTakenFromDailyPeaksNotFromSamples() {
        // One day of 5-minute samples at 1 GB with a single 3 GB spike: as samples the spike is 0.3 %
        // of them, but it is the day's peak, and the histogram holds only peaks.
        double[] memory = filled(288, 1e9);
        memory[100] = 3e9;
        Recommendation r = vpa(series(times(288, 300), filled(288, 0.5), memory), 1);
        assertClose(MEM_3E9, r.requests().memoryBytes(), "memory");
        // One 24 h window, one peak: the p50 is that peak too (with 12 h windows it would be 1 GB).
        // Lower bound = p50 × (1 + 0.001 / c)^−2 with c = min(287 × 300 s in days, 288 / 1440) = 0.2.
        assertClose(MEM_3E9 * Math.pow(1 + 0.001 / 0.2, -2), r.lowerBound().memoryBytes(), "lower memory");
    }

    @Test
    void memoryPeaksOfOlderDaysCountWithTheirDecayedWeight() {
        // Two decision-aligned days: [D − 48 h, D − 24 h) peaks at 3 GB at D − 47 h (weight 2^(−47/24) = 0.257),
        // [D − 24 h, D) peaks at 1 GB first seen at D − 24 h (weight 0.5). p90 needs 0.9 × 0.757 = 0.681 of
        // the weight: 1 GB's 0.5 is short of it, so 3 GB; p50 needs 0.379: 1 GB is enough.
        long[] t = times(576, 300);
        double[] memory = filled(576, 1e9);
        memory[12] = 3e9; // t = D − 576 × 300 s + 12 × 300 s = D − 47 h
        Recommendation r = vpa(series(t, filled(576, 0.5), memory), 1);
        assertClose(MEM_3E9, r.requests().memoryBytes(), "p90 of the two peaks");
        assertTrue(r.lowerBound().memoryBytes() < MEM_1E9 * 1.0001, "p50 is the 1 GB peak: " + r.lowerBound());
    }

    @Test
    void ignoresEverythingFromTheDecisionOn() {
        long[] t = new long[101];
        System.arraycopy(times(100, 60), 0, t, 0, 100);
        t[100] = DECISION; // a huge sample exactly at the decision is the future
        double[] cpu = filled(101, 1.0);
        double[] memory = filled(101, 2e9);
        cpu[100] = 50;
        memory[100] = 50e9;
        Recommendation r = vpa(series(t, cpu, memory), 1);
        assertClose(CPU_1_0, r.requests().cpuCores(), "cpu");
        assertClose(MEM_2E9, r.requests().memoryBytes(), "memory");
        assertEquals(100, r.samples());
    }

    @Test
    void floorsAre25MillicoresAnd250MiB() {
        Recommendation r = vpa(series(times(100, 60), filled(100, 0.001), filled(100, 1e6)), 1);
        assertEquals(new Resources(0.025, 250.0 * 1024 * 1024), r.requests());
    }

    @Test
    void boundsUseVpaConfidenceMultipliers() {
        // One sample a minute for a day, all at 1 core and 2 GB: every percentile is the same bucket, so
        // lower = target × (1 + 0.001 / c)^−2 and upper = target × (1 + 1 / c), where the confidence
        // c = min(lifespan in days, samples / 1440) = min(1439 / 1440, 1440 / 1440) = 0.999306.
        Recommendation r = vpa(series(times(1440, 60), filled(1440, 1.0), filled(1440, 2e9)), 1);
        assertClose(CPU_1_0, r.requests().cpuCores(), "target cpu");
        assertClose(2.338259371295562, r.upperBound().cpuCores(), "upper cpu");
        assertClose(1.1663880316550437, r.lowerBound().cpuCores(), "lower cpu");
        assertClose(4816676939.63344, r.upperBound().memoryBytes(), "upper memory");
        assertClose(2402690823.655056, r.lowerBound().memoryBytes(), "lower memory");
        assertEquals(1440, r.samples());
        assertClose(1439.0 / 1440 / 14, r.confidence(), "confidence grows to 1 over 14 days of history");
    }

    @Test
    void noRecommendationWithoutAnyUsage() {
        assertNull(vpa(series(new long[0], new double[0], new double[0]), 1));
    }

    @Test
    void cpuOnlyHistoryRecommendsCpuAsWithMemoryAndNoMemory() {
        Recommendation both = vpa(series(times(1440, 60), filled(1440, 1.0), filled(1440, 2e9)), 1);
        Recommendation cpu = vpa(series(times(1440, 60), filled(1440, 1.0), filled(1440, Double.NaN)), 1);
        assertEquals(both.requests().cpuCores(), cpu.requests().cpuCores());
        assertEquals(both.lowerBound().cpuCores(), cpu.lowerBound().cpuCores());
        assertEquals(both.upperBound().cpuCores(), cpu.upperBound().cpuCores());
        assertEquals(both.confidence(), cpu.confidence());
        assertTrue(Double.isNaN(cpu.requests().memoryBytes()) && Double.isNaN(cpu.lowerBound().memoryBytes())
                && Double.isNaN(cpu.upperBound().memoryBytes()), cpu.toString());
    }

    @Test
    void memoryOnlyHistoryRecommendsMemoryAsWithCpuAndNoCpu() {
        Recommendation both = vpa(series(times(1440, 60), filled(1440, 1.0), filled(1440, 2e9)), 1);
        Recommendation memory = vpa(series(times(1440, 60), filled(1440, Double.NaN), filled(1440, 2e9)), 1);
        assertEquals(both.requests().memoryBytes(), memory.requests().memoryBytes());
        // Confidence: VPA counts CPU samples only, so memory alone goes by the lifespan (1439 min),
        // which here is also what the one-a-minute CPU samples gave.
        assertClose(both.lowerBound().memoryBytes(), memory.lowerBound().memoryBytes(), "lower memory");
        assertClose(both.upperBound().memoryBytes(), memory.upperBound().memoryBytes(), "upper memory");
        assertTrue(Double.isNaN(memory.requests().cpuCores()) && Double.isNaN(memory.lowerBound().cpuCores())
                && Double.isNaN(memory.upperBound().cpuCores()), memory.toString());
    }

    @Test
    void memoryOnlyHoursGiveFiniteBounds() {
        // The server's path: hourly memory maxima, no CPU samples. Without CPU the confidence is the
        // memory data's lifespan (a day), not VPA's 0 that would make the upper bound infinite.
        HourlyUsage.Builder u = HourlyUsage.builder(DECISION - 24 * HOUR, 24);
        Arrays.fill(u.memoryMax(), 1e9f);
        Recommendation r = vpa(u.build());
        assertClose(MEM_1E9, r.requests().memoryBytes(), "memory");
        assertClose(MEM_1E9 * (1 + 1 / 1.0), r.upperBound().memoryBytes(), "upper memory, confidence 1 day");
        assertTrue(Double.isNaN(r.requests().cpuCores()), r.toString());
    }

    @Test
    void recommendsPerContainerAndLeavesOutThoseWithoutData() {
        ContainerHistory with = new ContainerHistory(KEY, HourlyUsage.empty(DECISION, 0),
                series(times(100, 60), filled(100, 1.0), filled(100, 2e9)), new Resources(1, 1e9));
        SeriesKey other = new SeriesKey("ns", "web", "sidecar");
        ContainerHistory without = new ContainerHistory(other, HourlyUsage.empty(DECISION, 0),
                new ContainerSeries("ns", "web", "sidecar", new long[0], new double[0], new double[0], 1, 1),
                new Resources(1, 1e9));
        Map<SeriesKey, Recommendation> out = new VpaRecommender().recommend(List.of(with, without), DECISION);
        assertEquals(List.of(KEY), List.copyOf(out.keySet()));
    }

    // --- hourly sketches (a short history in the server) ---

    /** {@code hours} slots ending at the decision, each with these CPU knots, {@code n} samples, memory max. */
    private static HourlyUsage hours(int hours, float[] knots, int n, float memory) {
        return filled(hours, knots, n, memory).build();
    }

    private static HourlyUsage.Builder filled(int hours, float[] knots, int n, float memory) {
        HourlyUsage.Builder u = HourlyUsage.builder(DECISION - hours * HOUR, hours);
        for (int i = 0; i < hours; i++) {
            setHour(u, i, knots, n, memory);
        }
        return u;
    }

    private static void setHour(HourlyUsage.Builder u, int i, float[] knots, int n, float memory) {
        for (int k = 0; k < knots.length; k++) {
            u.cpuQuantiles()[k][i] = knots[k];
        }
        u.cpuMean()[i] = knots[0];
        u.samples()[i] = (short) n;
        u.memoryMax()[i] = memory;
    }

    @Test
    void eachHourlyKnotStandsForItsShareOfTheHour() {
        // The maximum stands for the top 1 % of the hour's samples: not the p90.
        assertClose(CPU_0_1, vpa(hours(1, new float[] {0.1f, 0.1f, 0.1f, 0.1f, 1.0f}, 12, 1e9f)).requests().cpuCores(),
                "max alone high");
        // The p90 knot stands for the samples between p50 and p90, 40 % of them.
        assertClose(CPU_1_0, vpa(hours(1, new float[] {0.1f, 1.0f, 1.0f, 1.0f, 1.0f}, 12, 1e9f)).requests().cpuCores(),
                "p90 and up high");
    }

    @Test
    void steadyHoursGiveTheSameRecommendationHoweverManyThereAre() {
        // Every hour alike (p50 0.1, p90 0.2, p95 0.3, p99 0.4, max 0.5 core): the p90 is the p90 knot
        // (0.2 core → 0.248 with the margin) and the p50 the p50 knot, whether there are 3 hours or 30.
        for (int n = 1; n <= 48; n++) {
            Recommendation r = vpa(hours(n, new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f}, 12, 1e9f));
            assertClose(CPU_0_2, r.requests().cpuCores(), n + " hours");
            double confidence = Math.min(n / 24.0, n * 12 / 1440.0);
            assertClose(CPU_0_1 * Math.pow(1 + 0.001 / confidence, -2), r.lowerBound().cpuCores(), n + " hours, lower");
        }
    }

    @Test
    void hoursWeighByTheirSampleCounts() {
        // An hour at 0.1 core with n samples, then one at 1.0 core with 1 sample: p90 stays low while
        // n × 2^(−1 h / 24 h) ≥ 9 × 1, i.e. from n = 10 (9.72) but not n = 9 (8.74). Were hours counted
        // once each, 1.0 core would be half the weight whatever n.
        assertClose(CPU_0_1, vpa(lowHourThenHighHour(10)).requests().cpuCores(), "10 low samples");
        assertClose(CPU_1_0, vpa(lowHourThenHighHour(9)).requests().cpuCores(), "9 low samples");
    }

    private static HourlyUsage lowHourThenHighHour(int lowSamples) {
        HourlyUsage.Builder u = HourlyUsage.builder(DECISION - 2 * HOUR, 2);
        setHour(u, 0, new float[] {0.1f, 0.1f, 0.1f, 0.1f, 0.1f}, lowSamples, 1e9f);
        setHour(u, 1, new float[] {1f, 1f, 1f, 1f, 1f}, 1, 1e9f);
        return u.build();
    }

    @Test
    void hourlyMemoryPeaksAreTakenPerDay() {
        // 24 hourly maxima at 1 GB but one at 3 GB: one day, one peak.
        HourlyUsage.Builder u = filled(24, new float[] {0.1f, 0.1f, 0.1f, 0.1f, 0.1f}, 12, 1e9f);
        u.memoryMax()[5] = 3e9f;
        assertClose(MEM_3E9, vpa(u.build()).requests().memoryBytes(), "memory");
    }

    @Test
    void hourlyModeIgnoresHoursFromTheDecisionOn() {
        HourlyUsage.Builder u = HourlyUsage.builder(DECISION - 24 * HOUR, 48);
        for (int i = 0; i < 48; i++) {
            boolean future = i >= 24;
            float v = future ? 50f : 1f;
            setHour(u, i, new float[] {v, v, v, v, v}, 12, future ? 50e9f : 2e9f);
        }
        Recommendation r = vpa(u.build());
        assertClose(CPU_1_0, r.requests().cpuCores(), "cpu");
        assertClose(MEM_2E9, r.requests().memoryBytes(), "memory");
        assertEquals(24 * 12, r.samples());
    }

    @Test
    void hourlyModeCountsSamplesAndLifespanForConfidence() {
        // 14 days of 12-sample hours: lifespan 14 days, 4032 samples = 2.8 one-per-minute days.
        Recommendation r = vpa(hours(14 * 24, new float[] {0.2f, 0.2f, 0.2f, 0.2f, 0.2f}, 12, 1e9f));
        assertEquals(14 * 24 * 12, r.samples());
        assertEquals(1.0, r.confidence(), 1e-12);
        assertClose(CPU_0_2, r.requests().cpuCores(), "cpu");
        // upper = target × (1 + 1 / 2.8)
        assertClose(CPU_0_2 * (1 + 1 / 2.8), r.upperBound().cpuCores(), "upper");
    }
}
