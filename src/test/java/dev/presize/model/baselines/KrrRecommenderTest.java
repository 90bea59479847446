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
import static org.junit.jupiter.api.Assertions.assertThrows;

/** KRR "simple" with its defaults (CPU p95, memory max × 1.15, 100 points, 10m / 100 MB floors) on hand-built samples. */
class KrrRecommenderTest {

    private static final long DECISION = 1_699_999_200L;
    private static final SeriesKey KEY = new SeriesKey("ns", "web", "app");

    private static Recommendation krr(double[] cpu, double[] memory) {
        long[] t = new long[cpu.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = DECISION - (long) (t.length - i) * 300;
        }
        return krr(new ContainerSeries("ns", "web", "app", t, cpu, memory, 1, 1e9));
    }

    private static Recommendation krr(ContainerSeries s) {
        ContainerHistory c = new ContainerHistory(KEY, HourlyUsage.empty(DECISION, 0), s, new Resources(1, 1e9));
        return new KrrRecommender().recommend(List.of(c), DECISION).get(KEY);
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    /** 0.01, 0.02, ..., n × 0.01 in a shuffled order (the percentile must not depend on it). */
    private static double[] ramp(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[(i * 37) % n] = (i + 1) * 0.01;
        }
        return a;
    }

    @Test
    void cpuIsThe95thPercentileAsPrometheusQuantileOverTimeComputesIt() {
        // KRR asks Prometheus for quantile_over_time(0.95, ...): rank 0.95 × (n − 1), linear between the
        // neighbouring order statistics. 100 samples: rank 94.05, between 0.1 (the 95th) and 2.1 (the 96th):
        // 0.1 × 0.95 + 2.1 × 0.05 = 0.2 (nearest rank would answer 0.1).
        double[] cpu = filled(100, 0.1);
        Arrays.fill(cpu, 95, 100, 2.1);
        assertEquals(0.2, krr(cpu, filled(100, 1e9)).requests().cpuCores(), 1e-12);
        // 0.01 .. 2.00: rank 189.05 between 1.90 and 1.91.
        assertEquals(1.9005, krr(ramp(200), filled(200, 1e9)).requests().cpuCores(), 1e-12);
    }

    @Test
    void memoryIsTheLargestMeasuredSamplePlus15Percent() {
        double[] memory = filled(120, 1e9);
        memory[7] = 2e9;
        memory[8] = Double.NaN;
        memory[9] = Double.NaN;
        Recommendation r = krr(filled(120, 0.5), memory);
        assertEquals(2.3e9, r.requests().memoryBytes(), 1);
        assertEquals(2e9, r.lowerBound().memoryBytes(), 1, "the lower bound is the peak itself");
        assertEquals(2.3e9, r.upperBound().memoryBytes(), 1);
    }

    @Test
    void needsAHundredPointsOfEachResourceToRecommendIt() {
        assertNull(krr(filled(99, 0.5), filled(99, 1e9)), "99 CPU points");
        assertEquals(0.5, krr(filled(100, 0.5), filled(100, 1e9)).requests().cpuCores(), 1e-12, "100 points");
        double[] memory = filled(150, Double.NaN);
        Arrays.fill(memory, 0, 99, 1e9);
        Recommendation cpuOnly = krr(filled(150, 0.5), memory);
        assertEquals(new Resources(0.5, Double.NaN), cpuOnly.requests(), "150 CPU points but 99 memory points");
        assertEquals(new Resources(0.5, Double.NaN), cpuOnly.lowerBound());
        assertEquals(new Resources(0.5, Double.NaN), cpuOnly.upperBound());
    }

    @Test
    void aCpuOnlyHistoryGetsCpuOnly() {
        Recommendation r = krr(filled(120, 0.5), filled(120, Double.NaN));
        assertEquals(new Resources(0.5, Double.NaN), r.requests());
    }

    @Test
    void aMemoryOnlyHistoryGetsMemoryOnly() {
        double[] memory = filled(120, 1e9);
        memory[7] = 2e9;
        Recommendation r = krr(filled(120, Double.NaN), memory);
        assertEquals(new Resources(Double.NaN, 2.3e9), r.requests());
        assertEquals(new Resources(Double.NaN, 2e9), r.lowerBound());
        assertEquals(new Resources(Double.NaN, 2.3e9), r.upperBound());
    }

    @Test
    void floorsAre10MillicoresAnd100Megabytes() {
        Recommendation r = krr(filled(100, 0.001), filled(100, 1e6));
        assertEquals(new Resources(0.010, 100e6), r.requests());
    }

    @Test
    void readsOnlySamplesBeforeTheDecision() {
        double[] cpu = filled(101, 0.5);
        double[] memory = filled(101, 1e9);
        cpu[100] = 50;
        memory[100] = 50e9;
        long[] t = new long[101];
        for (int i = 0; i < 100; i++) {
            t[i] = DECISION - (100 - i) * 300L;
        }
        t[100] = DECISION;
        Recommendation r = krr(new ContainerSeries("ns", "web", "app", t, cpu, memory, 1, 1e9));
        assertEquals(new Resources(0.5, 1.15e9), r.requests());
        assertEquals(100, r.samples());
    }

    @Test
    void boundsAreTheMedianAndTheMaximum() {
        Recommendation r = krr(ramp(100), filled(100, 1e9));
        assertEquals(0.50, r.lowerBound().cpuCores(), 1e-12, "p50");
        assertEquals(1.00, r.upperBound().cpuCores(), 1e-12, "max");
    }

    @Test
    void needsRawSamples() {
        ContainerHistory hourlyOnly = new ContainerHistory(KEY, HourlyUsage.empty(DECISION, 24), null,
                new Resources(1, 1e9));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KrrRecommender().recommend(List.of(hourlyOnly), DECISION));
        assertEquals("krr needs raw samples (a trace)", e.getMessage());
    }

    @Test
    void recommendsPerContainerAndLeavesOutThoseWithTooFewPoints() {
        long[] t = {DECISION - 600, DECISION - 300};
        ContainerHistory few = new ContainerHistory(new SeriesKey("ns", "web", "sidecar"),
                HourlyUsage.empty(DECISION, 0),
                new ContainerSeries("ns", "web", "sidecar", t, new double[] {1, 1}, new double[] {1, 1}, 1, 1),
                new Resources(1, 1));
        long[] t100 = new long[100];
        for (int i = 0; i < 100; i++) {
            t100[i] = DECISION - (100 - i) * 300L;
        }
        ContainerHistory enough = new ContainerHistory(KEY, HourlyUsage.empty(DECISION, 0),
                new ContainerSeries("ns", "web", "app", t100, filled(100, 0.5), filled(100, 1e9), 1, 1e9),
                new Resources(1, 1e9));
        Map<SeriesKey, Recommendation> out = new KrrRecommender().recommend(List.of(few, enough), DECISION);
        assertEquals(List.of(KEY), List.copyOf(out.keySet()));
    }
}
