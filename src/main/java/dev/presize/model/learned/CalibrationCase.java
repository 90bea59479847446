package dev.presize.model.learned;

import dev.presize.history.HourlyUsage;
import dev.presize.model.ContainerHistory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One container's ladder at one origin, and what the next day held at each candidate: a training
 * row set of the learned memory curve and a calibration case of the prices ({@link LearnedStrategy}:
 * origins are whole days back from the decision, the {@link LearnedStrategy.Settings#calibrationDays}
 * latest that have {@link LearnedStrategy.Settings#minHistoryHours} of history before them).
 *
 * @param splits  the container's fold in each split ({@link LearnedStrategy#splits}); bit 0 is its
 *                fold ({@link LearnedStrategy#fold})
 * @param back    days from the origin to the decision, 1 for the newest
 * @param ladder  the candidates and the container's own curves at the origin
 * @param above   per candidate, the next day's samples above it (CPU) or 1/0 exceeded by its peak (memory)
 * @param unmet   per candidate, CPU: the next day's usage above it (0 for memory)
 * @param slack   per candidate, the next day's slack
 * @param samples CPU: the next day's samples; memory: its hours with data
 * @param usage   CPU: the next day's usage; memory: the sum of its hourly peaks
 */
record CalibrationCase(int splits, int back, Ladder ladder, double[] above, double[] unmet, double[] slack, double samples,
                       double usage) {

    /** The container's fold: the regressors are cross-fitted on it ({@link LearnedStrategy#fold}). */
    int fold() {
        return splits & 1;
    }


    /**
     * The container's cases at the {@link LearnedStrategy.Settings#calibrationDays} latest origins before
     * {@code decision}: per origin {CPU case, memory case}, each null where the past or the next day
     * has too little of that resource.
     */
    static List<CalibrationCase[]> of(ContainerHistory c, long decision, LearnedStrategy.Settings settings) {
        HourlyUsage u = c.usage();
        int end = LearnedStrategy.decisionSlot(u, decision);
        int splits = LearnedStrategy.splits(c.key());
        // Every origin's ladder and case reads the same hours: each is read once.
        CpuDistribution.Hour[] hours = CpuDistribution.hours(u, 0, end);
        List<CalibrationCase[]> out = new ArrayList<>();
        for (int k = 1; k <= settings.calibrationDays() && end - k * Features.DAY >= 0; k++) {
            int origin = end - k * Features.DAY;
            if (LearnedStrategy.spanHours(u, origin) < settings.minHistoryHours()) {
                break;
            }
            int to = origin + Features.DAY;
            CalibrationCase cpu = null;
            CalibrationCase memory = null;
            if (Features.hoursWithCpu(u, origin, to) >= settings.minTargetHours()) {
                Ladder l = Ladder.cpu(u, hours, origin, settings.cpuFloorCores());
                if (l != null) {
                    cpu = cpuCase(splits, k, l, u, hours, origin, to);
                }
            }
            if (Features.hoursWithMemory(u, origin, to) >= settings.minTargetHours()) {
                Ladder l = Ladder.memory(u, origin);
                if (l != null) {
                    memory = memoryCase(splits, k, l, u, origin, to);
                }
            }
            if (cpu != null || memory != null) {
                out.add(new CalibrationCase[] {cpu, memory});
            }
        }
        return out;
    }

    /**
     * What hours {@code [from, to)} held at each CPU candidate, read off the hourly sketches
     * ({@code all}: the window's hours, read once; see {@link CpuDistribution#hours}).
     */
    private static CalibrationCase cpuCase(int splits, int back, Ladder l, HourlyUsage u, CpuDistribution.Hour[] all,
                                           int from, int to) {
        int n = l.size();
        double[] above = new double[n];
        double[] unmet = new double[n];
        double[] slack = new double[n];
        double samples = CpuDistribution.samples(u, from, to);
        double usage = CpuDistribution.usage(u, from, to);
        CpuDistribution.Hour[] hours = Arrays.copyOfRange(all, from, Math.min(to, all.length));
        CpuDistribution.read(hours, l.requests(), above, unmet);
        for (int j = 0; j < n; j++) {
            double r = l.requests()[j];
            above[j] *= samples;
            slack[j] = r * samples - usage + unmet[j];
        }
        return new CalibrationCase(splits, back, l, above, unmet, slack, samples, usage);
    }

    /**
     * What hours {@code [from, to)} held at each memory candidate: exceeded (1/0) by the day's peak,
     * and the slack above each hour's peak (the hourly sketch keeps no memory mean), with the day's
     * peak as its usage.
     */
    private static CalibrationCase memoryCase(int splits, int back, Ladder l, HourlyUsage u, int from, int to) {
        int n = l.size();
        double peak = Features.maxMemory(u, from, to);
        double[] above = new double[n];
        double[] slack = new double[n];
        double used = 0;
        int hours = 0;
        for (int h = from; h < Math.min(to, u.hours()); h++) {
            if (u.hasMemory(h)) {
                used += u.memoryMax()[h];
                hours++;
            }
        }
        for (int j = 0; j < n; j++) {
            double r = l.requests()[j];
            above[j] = peak > r ? 1 : 0;
            double s = 0;
            for (int h = from; h < Math.min(to, u.hours()); h++) {
                if (u.hasMemory(h)) {
                    s += Math.max(0, r - u.memoryMax()[h]);
                }
            }
            slack[j] = s;
        }
        return new CalibrationCase(splits, back, l, above, new double[n], slack, hours, used);
    }

    /** CPU: mean usage per sample; memory: mean daily peak; over the calibration days. */
    static double scale(List<CalibrationCase> cases, boolean isCpu) {
        double usage = 0;
        double n = 0;
        for (CalibrationCase c : cases) {
            usage += isCpu ? c.usage() : c.usage() / Math.max(1, c.samples());
            n += isCpu ? c.samples() : 1;
        }
        return n == 0 ? 1 : Math.max(usage / n, isCpu ? Features.CPU_EPSILON : Features.MEMORY_EPSILON);
    }
}
