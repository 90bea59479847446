package dev.presize.model.learned;

import dev.presize.history.HourlyUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a container's {@link RiskAllocation.Outlook} from its own past, moved by the learned
 * shift: the regressor's predicted change of level for the next day, in log space. The past says
 * what shape the container's usage has (how often and how far it rises above a level); the
 * regressor, trained across the cluster, says whether tomorrow sits higher or lower than the past
 * it has seen. Both are read from hours strictly before the origin.
 */
final class Outlooks {

    // Candidate requests, in log space relative to the past maximum. CPU reaches far below it: for a
    // bursty container the request that balances cost and risk can be a small share of the burst.
    static final double CPU_FROM = -6;
    static final double CPU_TO = 0.5;
    static final double MEMORY_FROM = -4;
    static final double MEMORY_TO = 0.7;
    static final double STEP = 0.025;
    /**
     * Width, in log space (≈ 5 %), of the logistic kernel around each past daily peak: a day's peak
     * is evidence that peaks near it recur, not only exactly at it.
     */
    static final double MEMORY_BANDWIDTH = 0.05;
    /** The learned shift is bounded: a regressor's extrapolation must not move a whole distribution far. */
    static final double MAX_SHIFT = 0.5;

    private Outlooks() {
    }

    /**
     * CPU: the share of the past's samples above each candidate (the hourly sketches' mixture,
     * {@link CpuDistribution}), the past scaled by e^shift; cost is the request itself, because
     * the risk and the slack are both counted per sample.
     */
    static RiskAllocation.Outlook cpu(HourlyUsage u, int origin, double shift) {
        double top = 0;
        for (int i = 0; i < Math.min(origin, u.hours()); i++) {
            if (u.hasCpu(i)) {
                top = Math.max(top, u.cpuMax(i));
            }
        }
        top = Math.max(top, Features.CPU_EPSILON);
        int n = (int) Math.round((CPU_TO - CPU_FROM) / STEP) + 1;
        double[] requests = new double[n];
        double[] risks = new double[n];
        double factor = Math.exp(-bounded(shift));
        for (int k = 0; k < n; k++) {
            requests[k] = top * Math.exp(CPU_FROM + k * STEP);
            double f = CpuDistribution.exceedFraction(u, 0, origin, requests[k] * factor);
            risks[k] = Double.isNaN(f) ? 0 : f;
        }
        monotone(risks);
        return new RiskAllocation.Outlook(requests, risks, requests.clone());
    }

    /**
     * Memory: the chance that the next day's peak exceeds each candidate, from the past days' peaks
     * (each a logistic kernel in log space, moved by the shift) and one more pseudo-day at the
     * highest of them whose tail decays above it, so that a request at the past maximum is never
     * estimated risk-free. Cost is request × samples a day, because slack is counted per sample
     * while the risk is counted per day.
     */
    static RiskAllocation.Outlook memory(HourlyUsage u, int origin, double shift) {
        List<Double> peaks = dailyPeaks(u, origin);
        if (peaks.isEmpty()) {
            return null;
        }
        double top = Features.MEMORY_EPSILON;
        for (double p : peaks) {
            top = Math.max(top, p);
        }
        double s = bounded(shift);
        double[] logPeaks = peaks.stream().mapToDouble(p -> Math.log(Math.max(p, Features.MEMORY_EPSILON)) + s).toArray();
        double logTop = Math.log(top) + Math.max(s, 0);
        double samplesPerDay = Math.max(1, CpuDistribution.samples(u, origin - Features.DAY, origin));
        int n = (int) Math.round((MEMORY_TO - MEMORY_FROM) / STEP) + 1;
        double[] requests = new double[n];
        double[] risks = new double[n];
        double[] costs = new double[n];
        for (int k = 0; k < n; k++) {
            double logR = Math.log(top) + MEMORY_FROM + k * STEP;
            double exceed = Math.exp(-Math.max(logR - logTop, 0) / MEMORY_BANDWIDTH);
            for (double lp : logPeaks) {
                exceed += 1 / (1 + Math.exp((logR - lp) / MEMORY_BANDWIDTH));
            }
            requests[k] = Math.exp(logR);
            risks[k] = exceed / (logPeaks.length + 1);
            costs[k] = requests[k] * samplesPerDay;
        }
        monotone(risks);
        return new RiskAllocation.Outlook(requests, risks, costs);
    }

    /** The peak of each whole or partial day before the origin that has memory data, latest first. */
    static List<Double> dailyPeaks(HourlyUsage u, int origin) {
        List<Double> peaks = new ArrayList<>();
        for (int to = Math.min(origin, u.hours()); to > 0; to -= Features.DAY) {
            double peak = Features.maxMemory(u, to - Features.DAY, to);
            if (!Double.isNaN(peak)) {
                peaks.add(peak);
            }
        }
        return peaks;
    }

    private static double bounded(double shift) {
        return Double.isNaN(shift) ? 0 : Math.max(-MAX_SHIFT, Math.min(MAX_SHIFT, shift));
    }

    /** Guards the non-increasing order against rounding in the sums. */
    private static void monotone(double[] risks) {
        for (int k = 1; k < risks.length; k++) {
            risks[k] = Math.min(risks[k], risks[k - 1]);
        }
    }
}
