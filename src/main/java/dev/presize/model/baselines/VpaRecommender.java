package dev.presize.model.baselines;

import dev.presize.history.ContainerSeries;
import dev.presize.history.HourlyUsage;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.Resources;
import java.util.List;
import java.util.Map;

/**
 * The VPA recommender's target, as its defaults compute it (kubernetes/autoscaler
 * vertical-pod-autoscaler/pkg/recommender: logic/recommender.go, logic/estimator.go,
 * model/aggregations_config.go, model/aggregate_container_state.go):
 * <ul>
 *   <li>CPU: the 90th percentile of a decaying histogram of usage samples (half-life 24 h), each
 *       sample weighted by the container's CPU request (at least 0.1 core);</li>
 *   <li>memory: the 90th percentile of a decaying histogram of per-24-hour peaks;</li>
 *   <li>both × 1.15 (safety margin), at least 25 millicores and 250 MiB per pod.</li>
 * </ul>
 * Bounds are the 50th and 95th percentiles with VPA's confidence multipliers. Given raw samples
 * (the backtest) it reads those, as VPA reads metrics-server; given only hourly sketches (a short
 * history in the server) it adds each hour's quantile knots as samples weighted by the share of the
 * hour they stand for, each at the top of its share, which errs upwards.
 */
public final class VpaRecommender implements RequestStrategy {

    public static final String NAME = "vpa";

    // aggregations_config.go / recommender.go defaults.
    static final double CPU_PERCENTILE = 0.90;
    static final double MEMORY_PERCENTILE = 0.90;
    static final double LOWER_PERCENTILE = 0.50;
    static final double UPPER_PERCENTILE = 0.95;
    static final double SAFETY_MARGIN = 0.15;
    static final double MIN_CPU_CORES = 0.025;
    static final double MIN_MEMORY_BYTES = 250.0 * 1024 * 1024;
    static final double HALF_LIFE_SECONDS = 24 * 3600.0;
    static final long MEMORY_AGGREGATION_SECONDS = 24 * 3600;
    static final double MIN_SAMPLE_WEIGHT = 0.1;
    static final double BUCKET_GROWTH = 1.05;
    // logic/recommender.go: upper × (1 + 1/confidence)^1, lower × (1 + 0.001/confidence)^-2.
    static final double UPPER_MULTIPLIER = 1.0;
    static final double UPPER_EXPONENT = 1.0;
    static final double LOWER_MULTIPLIER = 0.001;
    static final double LOWER_EXPONENT = -2.0;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long decision) {
        return RequestStrategy.each(containers, c -> recommend(c, decision));
    }

    /**
     * The recommendation for one container, or null without any usage. A resource without samples is
     * not recommended (NaN), as the VPA recommender keeps a separate aggregation per resource.
     */
    public Recommendation recommend(ContainerHistory c, long decision) {
        ExponentialHistogram cpu = new ExponentialHistogram(1000.0, 0.01, BUCKET_GROWTH, HALF_LIFE_SECONDS, decision);
        ExponentialHistogram memory = new ExponentialHistogram(1e12, 1e7, BUCKET_GROWTH, HALF_LIFE_SECONDS, decision);
        double cpuWeight = Math.max(Double.isNaN(c.current().cpuCores()) ? 0 : c.current().cpuCores(), MIN_SAMPLE_WEIGHT);
        double[] span = c.samples() != null
                ? addSamples(c.samples(), decision, cpu, memory, cpuWeight)
                : addHours(c.usage(), decision, cpu, memory, cpuWeight);
        if (cpu.isEmpty() && memory.isEmpty()) {
            return null;
        }
        double days = span[1] / 86400.0;
        // estimator.go confidence: min(lifespan in days, samples as days of one-per-minute samples).
        // VPA counts CPU samples only (aggregate_container_state.go TotalSamplesCount); without any,
        // its confidence would be 0 and the bounds 0 and infinity, so memory alone uses the lifespan.
        double confidence = cpu.isEmpty() ? days : Math.min(days, span[2]);
        double lowerFactor = Math.pow(1 + LOWER_MULTIPLIER / confidence, LOWER_EXPONENT);
        double upperFactor = Math.pow(1 + UPPER_MULTIPLIER / confidence, UPPER_EXPONENT);
        Resources target = floor(percentile(cpu, CPU_PERCENTILE) * (1 + SAFETY_MARGIN),
                percentile(memory, MEMORY_PERCENTILE) * (1 + SAFETY_MARGIN));
        Resources lower = floor(
                percentile(cpu, LOWER_PERCENTILE) * (1 + SAFETY_MARGIN) * lowerFactor,
                percentile(memory, LOWER_PERCENTILE) * (1 + SAFETY_MARGIN) * lowerFactor);
        Resources upper = floor(
                percentile(cpu, UPPER_PERCENTILE) * (1 + SAFETY_MARGIN) * upperFactor,
                percentile(memory, UPPER_PERCENTILE) * (1 + SAFETY_MARGIN) * upperFactor);
        return new Recommendation(target, min(lower, target), max(upper, target),
                Math.min(1.0, days / 14.0), (long) span[0]);
    }

    /** The percentile, or NaN (not recommended) when the histogram has no samples. */
    private static double percentile(ExponentialHistogram h, double p) {
        return h.isEmpty() ? Double.NaN : h.percentile(p);
    }

    /** The minimums; NaN (not recommended) stays NaN. */
    private static Resources floor(double cpu, double memory) {
        return new Resources(Double.isNaN(cpu) ? cpu : Math.max(cpu, MIN_CPU_CORES),
                Double.isNaN(memory) ? memory : Math.max(memory, MIN_MEMORY_BYTES));
    }

    private static Resources min(Resources a, Resources b) {
        return new Resources(Math.min(a.cpuCores(), b.cpuCores()), Math.min(a.memoryBytes(), b.memoryBytes()));
    }

    private static Resources max(Resources a, Resources b) {
        return new Resources(Math.max(a.cpuCores(), b.cpuCores()), Math.max(a.memoryBytes(), b.memoryBytes()));
    }

    /** Returns {samples, lifespan seconds, samples as one-per-minute days}. */
    private static double[] addSamples(ContainerSeries s, long decision, ExponentialHistogram cpu,
                                       ExponentialHistogram memory, double cpuWeight) {
        long[] t = s.timestamps();
        int n = 0;
        // Memory peaks per 24 h window, windows aligned to the decision.
        long window = Long.MIN_VALUE;
        double peak = Double.NaN;
        long peakTime = 0;
        for (int i = 0; i < t.length && t[i] < decision; i++) {
            cpu.add(s.cpuCores()[i], cpuWeight, t[i]);
            n++;
            long w = Math.floorDiv(t[i] - decision, MEMORY_AGGREGATION_SECONDS);
            if (w != window) {
                memory.add(peak, 1.0, peakTime);
                window = w;
                peak = Double.NaN;
            }
            double m = s.memoryBytes()[i];
            if (!Double.isNaN(m) && !(m <= peak)) {
                peak = m;
                peakTime = t[i];
            }
        }
        memory.add(peak, 1.0, peakTime);
        double lifespan = n == 0 ? 0 : t[Math.min(t.length, n) - 1] - t[0];
        return new double[] {n, lifespan, n / 1440.0};
    }

    private static double[] addHours(HourlyUsage u, long decision, ExponentialHistogram cpu,
                                     ExponentialHistogram memory, double cpuWeight) {
        double[] levels = HourlyUsage.CPU_LEVELS;
        int n = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long memoryFirst = Long.MAX_VALUE;
        long memoryLast = Long.MIN_VALUE;
        long window = Long.MIN_VALUE;
        double peak = Double.NaN;
        long peakTime = 0;
        for (int i = 0; i < u.hours(); i++) {
            long t = u.start() + i * HourlyUsage.HOUR;
            if (t >= decision) {
                break;
            }
            if (u.hasCpu(i)) {
                int samples = u.samples()[i];
                double previous = 0;
                for (int k = 0; k < levels.length; k++) {
                    cpu.add(u.cpuQuantiles()[k][i], cpuWeight * samples * (levels[k] - previous), t);
                    previous = levels[k];
                }
                n += samples;
                first = Math.min(first, t);
                last = Math.max(last, t + HourlyUsage.HOUR);
            }
            long w = Math.floorDiv(t - decision, MEMORY_AGGREGATION_SECONDS);
            if (w != window) {
                memory.add(peak, 1.0, peakTime);
                window = w;
                peak = Double.NaN;
            }
            if (u.hasMemory(i)) {
                memoryFirst = Math.min(memoryFirst, t);
                memoryLast = Math.max(memoryLast, t + HourlyUsage.HOUR);
            }
            if (u.hasMemory(i) && !(u.memoryMax()[i] <= peak)) {
                peak = u.memoryMax()[i];
                peakTime = t;
            }
        }
        memory.add(peak, 1.0, peakTime);
        // Without CPU samples the lifespan is that of the memory data (memory-only history).
        double lifespan = n > 0 ? last - first : memoryLast > memoryFirst ? memoryLast - memoryFirst : 0;
        return new double[] {n, lifespan, n / 1440.0};
    }
}
