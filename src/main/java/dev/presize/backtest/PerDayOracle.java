package dev.presize.backtest;

import dev.presize.history.ContainerSeries;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.Resources;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * NOT DEPLOYABLE: the backtest's {@code oracle} reads the day it is scored on. It is the request a
 * per-day perfect forecaster would set at the same targets, the yardstick for how much of the gap
 * between a baseline and perfection a model closes (issue 12).
 * <ul>
 *   <li>CPU: the smallest request with at most {@code --cpu-target-risk} of the day's samples above
 *       it (the ⌊risk·n⌋+1-th largest sample) and at most {@code --cpu-target-unmet} of the day's
 *       CPU usage above it: the larger of the two;</li>
 *   <li>memory: the day's peak, so no day is exceeded. A per-container oracle cannot spend the
 *       memory risk budget better than that: which days to let exceed is a choice across
 *       containers, and a day let exceed could have any request below its peak.</li>
 * </ul>
 * A resource without samples that day is not answered, as no forecaster could size it.
 */
final class PerDayOracle implements RequestStrategy {

    static final String NAME = "oracle";

    private final Map<SeriesKey, ContainerSeries> trace = new HashMap<>();
    private final double cpuRisk;
    private final double cpuUnmet;

    PerDayOracle(List<ContainerSeries> trace, double cpuRisk, double cpuUnmet) {
        trace.forEach(s -> this.trace.put(s.key(), s));
        this.cpuRisk = cpuRisk;
        this.cpuUnmet = cpuUnmet;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long decision) {
        return RequestStrategy.each(containers, c -> {
            ContainerSeries day = trace.get(c.key()).between(decision, decision + Backtest.DAY);
            double cpu = Math.max(cpuAtRisk(day.cpuCores(), cpuRisk), cpuAtUnmet(day.cpuCores(), cpuUnmet));
            double memory = peak(day.memoryBytes());
            if (Double.isNaN(cpu) && Double.isNaN(memory)) {
                return null;
            }
            Resources r = new Resources(cpu, memory);
            return new Recommendation(r, r, r, 1.0, day.size());
        });
    }

    /** The smallest value with at most {@code risk} of the (measured) samples above it; NaN without samples. */
    static double cpuAtRisk(double[] samples, double risk) {
        double[] measured = Arrays.stream(samples).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (measured.length == 0) {
            return Double.NaN;
        }
        int allowedAbove = (int) Math.floor(risk * measured.length);
        return measured[measured.length - 1 - Math.min(allowedAbove, measured.length - 1)];
    }

    /**
     * The smallest value R with Σ(u − R)⁺ ≤ {@code unmet} · Σu over the (measured) samples; NaN
     * without samples. Σ(u − R)⁺ is piecewise linear and falling in R, so R is found on the segment
     * between two neighbouring sorted samples where it crosses the allowance.
     */
    static double cpuAtUnmet(double[] samples, double unmet) {
        double[] s = Arrays.stream(samples).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (s.length == 0) {
            return Double.NaN;
        }
        double total = 0;
        for (double v : s) {
            total += v;
        }
        double allowed = unmet * total;
        // Walking down from the top: above s[i], the excess is Σ_{j>i}(s[j] − R), with (n − 1 − i) samples.
        double tail = 0;
        for (int i = s.length - 1; i >= 0; i--) {
            int above = s.length - 1 - i;
            double excessAtI = tail - above * s[i];
            if (excessAtI > allowed) {
                // The crossing lies in (s[i], s[i + 1]]: excess(R) = tail − above · R.
                return (tail - allowed) / above;
            }
            tail += s[i];
        }
        return Math.max(0, (tail - allowed) / s.length);
    }

    static double peak(double[] samples) {
        return Arrays.stream(samples).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
    }
}
