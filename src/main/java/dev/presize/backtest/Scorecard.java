package dev.presize.backtest;

import dev.presize.model.Resources;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one strategy over a backtest, accumulated decision by decision, exactly as the
 * issue defines them (u = CPU sample, m = memory sample, R = the request in force):
 * <ul>
 *   <li>{@code cpu_slack_ratio} = Σ(R − u)⁺ / Σu, {@code cpu_unmet_ratio} = Σ(u − R)⁺ / Σu and
 *       {@code cpu_underprovisioned_fraction} = share of samples with u &gt; R, over all CPU samples;</li>
 *   <li>{@code mem_slack_ratio} = Σ(R − m)⁺ / Σm over measured memory samples;</li>
 *   <li>{@code mem_exceeded_day_fraction} = share of (series, decision day) whose largest m exceeds R;</li>
 *   <li>{@code changes_per_week} = decisions whose value (CPU or memory) moved more than 10 % from the
 *       series' previous decision, per series-week (7 evaluated decisions of a series = 1 week);
 *       after the fields, {@code cpu_changes_per_week} and {@code mem_changes_per_week} count
 *       the moves of each resource alike (a decision moving both counts once in the total).</li>
 *   <li>{@code mem_unmet_peak_ratio} = Σ(largest m − R)⁺ / Σ largest m over the (series, decision day)
 *       with memory measured: not one of the three risks but memory's counterpart of
 *       {@code cpu_unmet_ratio}, read at each day's peak, where memory risk lies (a request is
 *       exceeded, and a pod evicted or killed, at the moment memory is highest, not on average). A
 *       count of days exceeded cannot tell a request 1 % under the day's peak from one at a third
 *       of it; this can, and memory in use above the requests is what the kubelet evicts by under
 *       node memory pressure (pods whose usage exceeds their requests go first, the furthest above
 *       them first: Kubernetes "Node-pressure Eviction"). It follows {@code changes_per_week} in the
 *       fields, after the issue's own.</li>
 * </ul>
 * A (series, decision) pair is scored for CPU only when every strategy recommended CPU for it, and
 * for memory only when every strategy recommended memory ({@link Backtest}). {@code cpu_decisions}
 * and {@code mem_decisions} count the pairs that added to the CPU and to the memory measures (scored
 * for that resource, and with samples of it in the day): a series with CPU samples only counts in
 * {@code cpu_decisions}, never in {@code mem_decisions}; {@code decisions} counts every pair scored.
 * Not thread-safe: one per strategy per decision, merged afterwards.
 */
final class Scorecard {

    double cpuUsage;
    double cpuSlack;
    double cpuUnmet;
    long cpuSamples;
    long cpuUnder;
    double memUsage;
    double memSlack;
    double memUnmet;
    double memPeaks;
    long memDays;
    long memExceededDays;
    long decisions;
    long cpuDecisions;
    long memDecisions;
    long changes;
    long cpuChanges;
    long memChanges;
    private final ClusteredErrors errors = new ClusteredErrors();

    /** Adds one series' day: samples {@code cpu[]}/{@code mem[]} (NaN = not measured) under {@code request}. */
    void add(double[] cpu, double[] mem, int from, int to, Resources request) {
        add(cpu, mem, from, to, request, true, true);
    }

    /**
     * {@link #add(double[], double[], int, int, Resources, boolean, boolean)}, and the cell's part of
     * each measure recorded under its decision {@code day} and {@code series} for the measures'
     * standard errors ({@link #standardErrors}).
     */
    void add(double[] cpu, double[] mem, int from, int to, Resources request, boolean scoreCpu,
             boolean scoreMemory, long day, Object series) {
        double[] before = parts();
        add(cpu, mem, from, to, request, scoreCpu, scoreMemory);
        double[] cell = parts();
        for (int i = 0; i < cell.length; i++) {
            cell[i] -= before[i];
        }
        errors.add(day, series, cell);
    }

    /** {y, x} of each of {@link ClusteredErrors#MEASURES}, in its order, as accumulated so far. */
    private double[] parts() {
        return new double[] {cpuSlack, cpuUsage, cpuUnder, cpuSamples, cpuUnmet, cpuUsage, memSlack, memUsage,
            memExceededDays, memDays, memUnmet, memPeaks};
    }

    /**
     * Each ratio measure's standard error, clustered by day and by series ({@link ClusteredErrors}),
     * for the measures that were scored and can be measured (cells added with their day and series,
     * at least two of each); in {@link #fields} order.
     */
    Map<String, Double> standardErrors() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < ClusteredErrors.MEASURES.length; k++) {
            double se = errors.standardError(k);
            if (Double.isFinite(se)) {
                m.put(ClusteredErrors.MEASURES[k], se);
            }
        }
        return m;
    }

    /**
     * The standard error of each ratio measure of this strategy minus the same measure of
     * {@code other}, scored on the same cells ({@link ClusteredErrors#differenceError}); the
     * measures both scored and that can be measured, in {@link #fields} order.
     */
    Map<String, Double> differenceErrors(Scorecard other) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < ClusteredErrors.MEASURES.length; k++) {
            double se = ClusteredErrors.differenceError(errors, other.errors, k);
            if (Double.isFinite(se)) {
                m.put(ClusteredErrors.MEASURES[k], se);
            }
        }
        return m;
    }

    /**
     * Adds one series' day, scoring only the resources asked for ({@code scoreCpu}, {@code scoreMemory}):
     * those every strategy recommended for this series and decision.
     */
    void add(double[] cpu, double[] mem, int from, int to, Resources request, boolean scoreCpu,
             boolean scoreMemory) {
        double r = request.cpuCores();
        double rm = request.memoryBytes();
        double dayPeak = Double.NaN;
        long cpuBefore = cpuSamples;
        for (int i = from; i < to; i++) {
            double u = scoreCpu ? cpu[i] : Double.NaN;
            if (!Double.isNaN(u)) {
                cpuUsage += u;
                cpuSlack += Math.max(0, r - u);
                cpuUnmet += Math.max(0, u - r);
                cpuSamples++;
                if (u > r) {
                    cpuUnder++;
                }
            }
            double m = scoreMemory ? mem[i] : Double.NaN;
            if (!Double.isNaN(m)) {
                memUsage += m;
                memSlack += Math.max(0, rm - m);
                if (!(m <= dayPeak)) {
                    dayPeak = m;
                }
            }
        }
        if (!Double.isNaN(dayPeak)) {
            memDays++;
            if (dayPeak > rm) {
                memExceededDays++;
            }
            memUnmet += Math.max(0, dayPeak - rm);
            memPeaks += dayPeak;
        }
        decisions++;
        if (cpuSamples > cpuBefore) {
            cpuDecisions++;
        }
        if (!Double.isNaN(dayPeak)) {
            memDecisions++; // a memory day, as mem_exceeded_day_fraction counts them
        }
    }

    void change(Resources previous, Resources current) {
        if (previous != null && (Resources.moved(previous.cpuCores(), current.cpuCores())
                || Resources.moved(previous.memoryBytes(), current.memoryBytes()))) {
            changes++;
        }
        if (previous != null && Resources.moved(previous.cpuCores(), current.cpuCores())) {
            cpuChanges++;
        }
        if (previous != null && Resources.moved(previous.memoryBytes(), current.memoryBytes())) {
            memChanges++;
        }
    }

    void merge(Scorecard o) {
        cpuUsage += o.cpuUsage;
        cpuSlack += o.cpuSlack;
        cpuUnmet += o.cpuUnmet;
        cpuSamples += o.cpuSamples;
        cpuUnder += o.cpuUnder;
        memUsage += o.memUsage;
        memSlack += o.memSlack;
        memUnmet += o.memUnmet;
        memPeaks += o.memPeaks;
        memDays += o.memDays;
        memExceededDays += o.memExceededDays;
        decisions += o.decisions;
        cpuDecisions += o.cpuDecisions;
        memDecisions += o.memDecisions;
        changes += o.changes;
        cpuChanges += o.cpuChanges;
        memChanges += o.memChanges;
        errors.merge(o.errors);
    }

    double cpuSlackRatio() {
        return ratio(cpuSlack, cpuUsage);
    }

    double cpuUnderprovisionedFraction() {
        return ratio(cpuUnder, cpuSamples);
    }

    double cpuUnmetRatio() {
        return ratio(cpuUnmet, cpuUsage);
    }

    double memSlackRatio() {
        return ratio(memSlack, memUsage);
    }

    double memExceededDayFraction() {
        return ratio(memExceededDays, memDays);
    }

    double memUnmetPeakRatio() {
        return ratio(memUnmet, memPeaks);
    }

    double changesPerWeek() {
        return ratio(changes, decisions / 7.0);
    }

    /**
     * The fields, in its order, then {@code mem_unmet_peak_ratio}, then how many of the
     * decisions were scored on each resource (equal to {@code decisions} when every series has both).
     */
    Map<String, Object> fields(String strategy, int series) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("strategy", strategy);
        m.put("series", series);
        m.put("decisions", decisions);
        m.put("cpu_slack_ratio", cpuSlackRatio());
        m.put("cpu_underprovisioned_fraction", cpuUnderprovisionedFraction());
        m.put("cpu_unmet_ratio", cpuUnmetRatio());
        m.put("mem_slack_ratio", memSlackRatio());
        m.put("mem_exceeded_day_fraction", memExceededDayFraction());
        m.put("changes_per_week", changesPerWeek());
        m.put("mem_unmet_peak_ratio", memUnmetPeakRatio());
        m.put("cpu_decisions", cpuDecisions);
        m.put("mem_decisions", memDecisions);
        m.put("cpu_changes_per_week", ratio(cpuChanges, decisions / 7.0));
        m.put("mem_changes_per_week", ratio(memChanges, decisions / 7.0));
        return m;
    }

    private static double ratio(double a, double b) {
        return b == 0 ? 0 : a / b;
    }
}
