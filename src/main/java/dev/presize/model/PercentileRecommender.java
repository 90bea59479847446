package dev.presize.model;

import dev.presize.history.ContainerSeries;
import dev.presize.workloads.ContainerSpec;

import java.time.Duration;
import java.util.Optional;

/**
 * The simple baseline strategy, served as {@code model.name: percentile}: request a high percentile
 * of observed CPU (CPU is compressible; brief peaks are throttled, not fatal) and the observed
 * memory peak plus headroom (memory is not compressible; going over the limit kills the container).
 * Bounds bracket the request with a lower and a higher statistic of the same samples. Confidence is
 * the fraction of the window covered by samples, for the worse-covered of CPU and memory.
 */
public final class PercentileRecommender implements Recommender {

    public static final String NAME = "percentile";

    /**
     * The strategy's knobs, all in one place.
     *
     * @param cpuQuantile         CPU request: this quantile of CPU samples
     * @param cpuLowerQuantile    CPU lower bound quantile
     * @param cpuUpperQuantile    CPU upper bound quantile
     * @param memoryHeadroom      memory request: peak × this
     * @param memoryLowerQuantile memory lower bound: this quantile of memory samples
     * @param memoryUpperHeadroom memory upper bound: peak × this
     * @param cpuFloorCores       nothing below this (a request of 0 lets a container starve)
     * @param memoryFloorBytes    nothing below this
     * @param minSamples          fewer CPU or memory samples than this: no recommendation
     */
    public record Settings(
            double cpuQuantile,
            double cpuLowerQuantile,
            double cpuUpperQuantile,
            double memoryHeadroom,
            double memoryLowerQuantile,
            double memoryUpperHeadroom,
            double cpuFloorCores,
            double memoryFloorBytes,
            int minSamples) {

        private static final double MIB = 1024 * 1024;

        /**
         * p95 CPU within p50..p99; memory peak × 1.15 within p95..peak × 1.3; floors 10m and 16Mi;
         * at least 12 samples (an hour at the usual 5-minute interval): with fewer, a "p95" is just the
         * maximum of a handful of values.
         */
        public static final Settings DEFAULTS = new Settings(0.95, 0.50, 0.99, 1.15, 0.95, 1.30, 0.010, 16 * MIB, 12);

        public Settings {
            if (!(0 < cpuLowerQuantile && cpuLowerQuantile <= cpuQuantile && cpuQuantile <= cpuUpperQuantile
                    && cpuUpperQuantile <= 1)) {
                throw new IllegalArgumentException("need 0 < cpuLowerQuantile <= cpuQuantile <= cpuUpperQuantile <= 1");
            }
            if (!(0 < memoryLowerQuantile && memoryLowerQuantile <= 1)) {
                throw new IllegalArgumentException("need 0 < memoryLowerQuantile <= 1");
            }
            if (!(1 <= memoryHeadroom && memoryHeadroom <= memoryUpperHeadroom)) {
                throw new IllegalArgumentException("need 1 <= memoryHeadroom <= memoryUpperHeadroom");
            }
            if (cpuFloorCores < 0 || memoryFloorBytes < 0 || minSamples < 1) {
                throw new IllegalArgumentException("floors must be >= 0 and minSamples >= 1");
            }
        }
    }

    private final Settings settings;

    public PercentileRecommender(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Recommendation> recommend(ContainerSeries history, ContainerSpec current, Duration window) {
        double[] cpu = Percentiles.sortedKnown(history.cpuCores());
        double[] memory = Percentiles.sortedKnown(history.memoryBytes());
        if (cpu.length < settings.minSamples() || memory.length < settings.minSamples()) {
            return Optional.empty();
        }
        double memoryPeak = memory[memory.length - 1];
        Resources requests = floored(Percentiles.of(cpu, settings.cpuQuantile()),
                memoryPeak * settings.memoryHeadroom());
        Resources lower = floored(Percentiles.of(cpu, settings.cpuLowerQuantile()),
                Percentiles.of(memory, settings.memoryLowerQuantile()));
        Resources upper = floored(Percentiles.of(cpu, settings.cpuUpperQuantile()),
                memoryPeak * settings.memoryUpperHeadroom());
        return Optional.of(new Recommendation(requests, lower, upper,
                confidence(history, cpu.length, memory.length, window), history.size()));
    }

    private Resources floored(double cpuCores, double memoryBytes) {
        return new Resources(Math.max(cpuCores, settings.cpuFloorCores()),
                Math.max(memoryBytes, settings.memoryFloorBytes()));
    }

    /** Fraction of the window that samples cover, at the series' usual interval, for the sparser resource. */
    private static double confidence(ContainerSeries history, int cpuSamples, int memorySamples, Duration window) {
        long interval = Percentiles.medianInterval(history.timestamps());
        double windowSeconds = window.toMillis() / 1000.0;
        if (interval <= 0 || windowSeconds <= 0) {
            return 0;
        }
        double covered = (double) Math.min(cpuSamples, memorySamples) * interval;
        return Math.min(1.0, covered / windowSeconds);
    }
}
