package dev.presize.model.baselines;

import dev.presize.history.ContainerSeries;
import dev.presize.history.HourlyAggregator;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Percentiles;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.Resources;
import java.util.List;
import java.util.Map;

/**
 * Robusta KRR's "simple" strategy with its defaults (robusta-dev/krr,
 * robusta_krr/strategies/simple.py and core/models/config.py): CPU = the 95th percentile of usage
 * over the history (14 days) as KRR gets it from Prometheus ({@code quantile_over_time}, which
 * interpolates between samples: integrations/prometheus/metrics/cpu.py {@code PercentileCPULoader}),
 * memory = the maximum × 1.15, nothing below 10 millicores and 100 MB,
 * and no recommendation for a resource from fewer than 100 of its data points. It reads raw
 * samples, as KRR reads Prometheus; it has no bounds of its own, so the bounds are the 50th
 * percentile and the maximum.
 */
public final class KrrRecommender implements RequestStrategy {

    public static final String NAME = "krr";

    // Public: the model's fallback reads the same rule off hourly sketches (learned.Fallback).
    public static final double CPU_PERCENTILE = 0.95;
    public static final double MEMORY_BUFFER = 0.15;
    public static final int POINTS_REQUIRED = 100;
    public static final double MIN_CPU_CORES = 0.010;
    public static final double MIN_MEMORY_BYTES = 100e6;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long decision) {
        return RequestStrategy.each(containers, c -> recommend(c, decision));
    }

    private static Recommendation recommend(ContainerHistory c, long decision) {
        ContainerSeries s = c.samples();
        if (s == null) {
            throw new IllegalArgumentException("krr needs raw samples (a trace)");
        }
        ContainerSeries before = s.between(Long.MIN_VALUE, decision);
        double[] cpu = Percentiles.sortedKnown(before.cpuCores());
        double[] memory = Percentiles.sortedKnown(before.memoryBytes());
        // KRR's simple strategy checks the data points of each resource on its own
        // (simple.py: __calculate_cpu_proposal / __calculate_memory_proposal each answer "?" below
        // points_required), so a resource without enough points is not recommended (NaN).
        boolean hasCpu = cpu.length >= POINTS_REQUIRED;
        boolean hasMemory = memory.length >= POINTS_REQUIRED;
        if (!hasCpu && !hasMemory) {
            return null;
        }
        double cpuRequest = hasCpu
                ? Math.max(HourlyAggregator.quantile(cpu, cpu.length, CPU_PERCENTILE), MIN_CPU_CORES) : Double.NaN;
        double memPeak = hasMemory ? memory[memory.length - 1] : Double.NaN;
        double memRequest = hasMemory ? Math.max(memPeak * (1 + MEMORY_BUFFER), MIN_MEMORY_BYTES) : Double.NaN;
        Resources target = new Resources(cpuRequest, memRequest);
        return new Recommendation(target,
                new Resources(hasCpu ? Math.min(cpuRequest, Percentiles.of(cpu, 0.5)) : Double.NaN,
                        Math.min(memRequest, memPeak)),
                new Resources(hasCpu ? Math.max(cpuRequest, cpu[cpu.length - 1]) : Double.NaN, memRequest),
                1.0, before.size());
    }
}
