package dev.presize.model;

import dev.presize.history.ContainerSeries;
import dev.presize.workloads.ContainerSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentileRecommenderTest {

    private static final double MI = 1024 * 1024;
    private static final long STEP = 300;
    private static final ContainerSpec NONE = new ContainerSpec("app", null, null);
    private final PercentileRecommender recommender = new PercentileRecommender(PercentileRecommender.Settings.DEFAULTS);

    /** n samples 5 minutes apart: CPU i/100 cores (i = 1..n, shuffled), memory i MiB. */
    private static ContainerSeries series(int n) {
        long[] t = new long[n];
        double[] cpu = new double[n];
        double[] mem = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1_000_000 + i * STEP;
            int v = (i * 37) % n + 1; // 37 is coprime with the sizes used: a permutation of 1..n
            cpu[i] = v / 100.0;
            mem[i] = v * MI;
        }
        return new ContainerSeries("n", "w", "app", t, cpu, mem, 1, 1);
    }

    @Test
    void usesTheConfiguredStatistics() {
        Recommendation r = recommender.recommend(series(100), NONE, Duration.ofSeconds(100 * STEP)).orElseThrow();
        assertEquals(0.95, r.requests().cpuCores(), 1e-12, "CPU p95 of 0.01..1.00");
        assertEquals(0.50, r.lowerBound().cpuCores(), 1e-12);
        assertEquals(0.99, r.upperBound().cpuCores(), 1e-12);
        assertEquals(100 * MI * 1.15, r.requests().memoryBytes(), 1e-3, "peak × 1.15");
        assertEquals(95 * MI, r.lowerBound().memoryBytes(), 1e-3);
        assertEquals(100 * MI * 1.30, r.upperBound().memoryBytes(), 1e-3);
        assertEquals(1.0, r.confidence(), 1e-12, "the window is fully covered");
        assertEquals(100, r.samples());
        assertEquals("950m", Quantities.cpu(r.requests().cpuCores()));
        assertEquals("115Mi", Quantities.memory(r.requests().memoryBytes()));
    }

    @Test
    void confidenceIsTheCoveredFractionOfTheWindowForTheSparserResource() {
        ContainerSeries s = series(100);
        Recommendation full = recommender.recommend(s, NONE, Duration.ofSeconds(400 * STEP)).orElseThrow();
        assertEquals(0.25, full.confidence(), 1e-12);
        double[] mem = s.memoryBytes().clone();
        for (int i = 0; i < 50; i++) {
            mem[i] = Double.NaN;
        }
        ContainerSeries halfMemory = new ContainerSeries("n", "w", "app", s.timestamps(), s.cpuCores(), mem, 1, 1);
        assertEquals(0.5, recommender.recommend(halfMemory, NONE, Duration.ofSeconds(100 * STEP)).orElseThrow()
                .confidence(), 1e-12);
    }

    @Test
    void floorsTinyUsage() {
        int n = 20;
        ContainerSeries idle = new ContainerSeries("n", "w", "app", series(n).timestamps(), new double[n],
                new double[n], 0, 0);
        Recommendation r = recommender.recommend(idle, NONE, Duration.ofHours(1)).orElseThrow();
        assertEquals("10m", Quantities.cpu(r.requests().cpuCores()));
        assertEquals("16Mi", Quantities.memory(r.requests().memoryBytes()));
        assertEquals("10m", Quantities.cpu(r.lowerBound().cpuCores()));
        assertEquals("16Mi", Quantities.memory(r.upperBound().memoryBytes()));
    }

    @Test
    void tooLittleHistoryGivesNothing() {
        assertEquals(Optional.empty(), recommender.recommend(series(11), NONE, Duration.ofHours(1)));
        assertTrue(recommender.recommend(series(12), NONE, Duration.ofHours(1)).isPresent());
        ContainerSeries s = series(50);
        double[] noMemory = new double[50];
        java.util.Arrays.fill(noMemory, Double.NaN);
        assertEquals(Optional.empty(), recommender.recommend(
                new ContainerSeries("n", "w", "app", s.timestamps(), s.cpuCores(), noMemory, 1, 1), NONE,
                Duration.ofHours(1)));
    }

    @Test
    void boundsBracketTheRequestOnRealData() {
        for (ContainerSeries s : new dev.presize.history.TraceHistorySource().trace()) {
            Recommendation r = recommender.recommend(s, NONE, Duration.ofDays(16)).orElseThrow();
            assertTrue(r.lowerBound().cpuCores() <= r.requests().cpuCores()
                    && r.requests().cpuCores() <= r.upperBound().cpuCores(), s.toString());
            assertTrue(r.lowerBound().memoryBytes() <= r.requests().memoryBytes()
                    && r.requests().memoryBytes() <= r.upperBound().memoryBytes(), s.toString());
            assertTrue(r.confidence() > 0 && r.confidence() <= 1, s + " confidence " + r.confidence());
            // Bitbrains leaves memory unmeasured in some rows; confidence follows the sparser resource.
            double coverage = (double) s.memorySamples() * 300 / Duration.ofDays(16).toSeconds();
            assertEquals(Math.min(1, coverage), r.confidence(), 0.05, s.toString());
        }
    }

    @Test
    void percentilesAreNearestRank() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(10, Percentiles.of(sorted, 0.95));
        assertEquals(9, Percentiles.of(sorted, 0.9));
        assertEquals(5, Percentiles.of(sorted, 0.5));
        assertEquals(1, Percentiles.of(sorted, 0.01));
        assertEquals(10, Percentiles.of(sorted, 1));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(sorted, 0));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new double[0], 0.5));
        assertEquals(300, Percentiles.medianInterval(new long[] {0, 300, 600, 5000, 5300}));
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> new PercentileRecommender.Settings(0.5, 0.9, 0.99, 1.15, 0.95, 1.3, 0.01, 1, 12));
        assertThrows(IllegalArgumentException.class,
                () -> new PercentileRecommender.Settings(0.95, 0.5, 0.99, 1.4, 0.95, 1.3, 0.01, 1, 12));
    }
}
