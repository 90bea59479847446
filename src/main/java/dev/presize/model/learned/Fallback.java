package dev.presize.model.learned;

import dev.presize.history.HourlyUsage;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.Resources;
import dev.presize.model.baselines.KrrRecommender;
import dev.presize.model.baselines.VpaRecommender;

/**
 * What the model serves while nothing could be calibrated (no container has the history a
 * calibration day needs: a young cluster's first days, a cluster of short-lived workloads for good):
 * per resource the higher of the VPA-like recommendation and KRR's simple rule, so that no risk is
 * higher than either baseline's, since the user's targets cannot be followed without prices. With
 * the VPA-like request alone, a cluster of short lives put more of its CPU use above the requests
 * than KRR at the defaults (bench/backtest/run lives; docs/model-record.md, "The fallback as the
 * higher of VPA's and KRR's requests"). KRR's rule is read off the hourly sketches the server has:
 * the 95th percentile of the CPU samples (CpuDistribution.quantile, the mixture of the hours'
 * Prometheus-interpolated quantiles) and 1.15 × the highest memory, each from at least
 * {@link KrrRecommender#POINTS_REQUIRED} samples, with KRR's minimums.
 */
final class Fallback {

    /** {@code model.name} of a fallback recommendation. */
    static final String NAME = "vpa-krr";
    /** A fallback recommendation is served with at most this confidence. */
    static final double CONFIDENCE = 0.3;

    private final VpaRecommender vpa = new VpaRecommender();

    /**
     * The fallback's recommendation, or null without any usage before {@code decision};
     * {@code origin}: the decision's slot in the container's hours.
     */
    Recommendation recommend(ContainerHistory c, long decision, int origin) {
        Recommendation r = vpa.recommend(c, decision);
        if (r == null) {
            return null;
        }
        Resources krr = krr(c.usage(), origin);
        Resources request = new Resources(higher(r.requests().cpuCores(), krr.cpuCores()),
                higher(r.requests().memoryBytes(), krr.memoryBytes()));
        Resources upper = new Resources(higher(r.upperBound().cpuCores(), request.cpuCores()),
                higher(r.upperBound().memoryBytes(), request.memoryBytes()));
        Resources lower = new Resources(lower(r.lowerBound().cpuCores(), request.cpuCores()),
                lower(r.lowerBound().memoryBytes(), request.memoryBytes()));
        return new Recommendation(request, lower, upper, Math.min(CONFIDENCE, r.confidence()), r.samples(), NAME);
    }

    /**
     * KRR's simple rule over hours {@code [0, to)}; NaN for a resource with fewer than
     * {@link KrrRecommender#POINTS_REQUIRED} samples. The sketches count CPU samples only; memory is
     * counted by the CPU samples of the hours it was measured in (one scrape gives both).
     */
    static Resources krr(HourlyUsage u, int to) {
        int end = Math.min(to, u.hours());
        double cpu = CpuDistribution.samples(u, 0, end) >= KrrRecommender.POINTS_REQUIRED
                ? Math.max(CpuDistribution.quantile(u, 0, end, KrrRecommender.CPU_PERCENTILE),
                        KrrRecommender.MIN_CPU_CORES)
                : Double.NaN;
        int memorySamples = 0;
        for (int h = 0; h < end; h++) {
            if (u.hasMemory(h)) {
                memorySamples += u.samples()[h];
            }
        }
        double peak = Features.maxMemory(u, 0, end);
        double memory = memorySamples >= KrrRecommender.POINTS_REQUIRED && !Double.isNaN(peak)
                ? Math.max(peak * (1 + KrrRecommender.MEMORY_BUFFER), KrrRecommender.MIN_MEMORY_BYTES)
                : Double.NaN;
        return new Resources(cpu, memory);
    }

    /** The higher of two requests; NaN (not recommended) only when both are. */
    private static double higher(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    /** A lower bound no higher than the request; the request's when there is no bound. */
    private static double lower(double bound, double request) {
        return Double.isNaN(bound) ? request : Math.min(bound, request);
    }
}
