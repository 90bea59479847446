package dev.presize.model.learned;

import dev.presize.history.HourlyUsage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * The margins that turn forecasts into requests, chosen on held-back calibration cases so that the
 * realised risks stay at their targets out of sample: a container's request is
 * {@code scale · e^(point + m)}, with m the margin of the container's spread group.
 *
 * <p>Cases are grouped by their forecast spread (up to {@link #MAX_GROUPS} groups of equal size,
 * Mondrian conformal prediction, Vovk et al., "Algorithmic Learning in a Random World", ch. 4), and
 * each group gets its own margin that meets every target within the group: a container that the
 * forecaster finds hard to predict gets a wider margin than a steady one, and no group of containers
 * carries the risk for the others.
 * <ul>
 *   <li>Memory: split conformal prediction on the residuals {@code y − point}: the
 *       ⌈(n+1)(1−α)⌉-th smallest bounds the share of days whose peak exceeds the request by α.</li>
 *   <li>CPU: conformal risk control (Angelopoulos et al., "Conformal Risk Control", ICLR 2024), on
 *       both CPU risks at once: the smallest m for which the share of samples above the request and
 *       the share of CPU volume above it, over the group's calibration days, each keep
 *       {@code n/(n+1) · L + 1/(n+1) ≤ target}. Each loss is at most 1 per case and falls as m grows,
 *       which is what the bound needs.</li>
 * </ul>
 * An additive margin in log space gives the containers of a group about the same chance of running
 * above their requests: that is what minimises reserved capacity for a given CPU volume above the
 * requests (the derivative of n·R + λ·Σ(u − R)⁺ is n·(1 − λ·P(u > R))), so the share of volume, not
 * only of samples, stays small for the largest and burstiest containers.
 */
final class Margins {

    /** At most this many spread groups, and at least {@link #CASES_PER_GROUP} calibration cases in each. */
    static final int MAX_GROUPS = 5;
    static final int CASES_PER_GROUP = 200;
    // The search range of m in log space: e^±12 is far beyond any day's change.
    static final double RANGE = 12;
    private static final int STEPS = 36;

    private Margins() {
    }

    /** A calibration case: a forecast and, for CPU, the next day ({@code [from, to)} of the usage). */
    record Case(double scale, Forecaster.Forecast forecast, double cap, double actual, HourlyUsage usage, int from,
                int to, int samples, double volume) {

        static Case cpu(double scale, Forecaster.Forecast forecast, double cap, HourlyUsage u, int from, int to) {
            return new Case(scale, forecast, cap, Double.NaN, u, from, to, CpuDistribution.samples(u, from, to),
                    CpuDistribution.usage(u, from, to));
        }

        static Case memory(Forecaster.Forecast forecast, double cap, double actual) {
            return new Case(Double.NaN, forecast, cap, actual, null, 0, 0, 0, 0);
        }

        double request(double m) {
            return Margins.request(scale, forecast, cap, m);
        }
    }

    /** Group boundaries (the largest spread of each group but the last) and each group's margin. */
    record Grouped(double[] edges, double[] margins) {

        double at(Forecaster.Forecast f) {
            int i = Arrays.binarySearch(edges, f.spread());
            return margins[i >= 0 ? i : -i - 1];
        }
    }

    /** {@code scale · e^min(point + m, cap)}: never above the cap, in log space relative to the scale. */
    static double request(double scale, Forecaster.Forecast f, double cap, double m) {
        return scale * Math.exp(Math.min(f.point() + m, cap));
    }

    /** Edges splitting the cases' spreads into groups of equal size; none when the spreads are all alike. */
    static double[] edges(List<Case> cases) {
        int groups = Math.max(1, Math.min(MAX_GROUPS, cases.size() / CASES_PER_GROUP));
        double[] spreads = cases.stream().mapToDouble(c -> c.forecast().spread()).sorted().toArray();
        List<Double> edges = new ArrayList<>();
        // Each edge is the largest spread of its group (inclusive); equal spreads stay together, so
        // an edge is kept only above the previous one and below the largest spread.
        for (int g = 1; g < groups; g++) {
            double e = spreads[g * spreads.length / groups - 1];
            if ((edges.isEmpty() || e > edges.get(edges.size() - 1)) && e < spreads[spreads.length - 1]) {
                edges.add(e);
            }
        }
        return edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static List<List<Case>> split(List<Case> cases, double[] edges) {
        List<List<Case>> groups = new ArrayList<>();
        for (int g = 0; g <= edges.length; g++) {
            groups.add(new ArrayList<>());
        }
        for (Case c : cases) {
            int i = Arrays.binarySearch(edges, c.forecast().spread());
            groups.get(i >= 0 ? i : -i - 1).add(c);
        }
        return groups;
    }

    /** Each group's margin holding both CPU risks; null without cases. */
    static Grouped cpu(List<Case> cases, double[] edges, double risk, double unmet) {
        if (cases.isEmpty()) {
            return null;
        }
        List<List<Case>> groups = split(cases, edges);
        double[] margins = new double[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            margins[g] = cpu(groups.get(g), risk, unmet);
        }
        return new Grouped(edges, margins);
    }

    /** Each group's memory margin; null without cases. */
    static Grouped memory(List<Case> cases, double[] edges, double risk) {
        if (cases.isEmpty()) {
            return null;
        }
        List<List<Case>> groups = split(cases, edges);
        double[] margins = new double[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            // A peak above the cap is exceeded at any margin.
            margins[g] = memory(groups.get(g).stream().mapToDouble(c -> c.actual() > c.cap()
                    ? Double.POSITIVE_INFINITY : c.actual() - c.forecast().point()).toArray(), risk);
        }
        return new Grouped(edges, margins);
    }

    /** The margin holding both CPU risks over {@code cases}; the top of the range without any. */
    static double cpu(List<Case> cases, double risk, double unmet) {
        long samples = cases.stream().mapToLong(Case::samples).sum();
        double volume = cases.stream().mapToDouble(Case::volume).sum();
        if (samples == 0) {
            return RANGE;
        }
        DoubleUnaryOperator above = m -> {
            double sum = 0;
            for (Case c : cases) {
                double f = CpuDistribution.exceedFraction(c.usage(), c.from(), c.to(), c.request(m));
                sum += Double.isNaN(f) ? 0 : f * c.samples();
            }
            return sum / samples;
        };
        DoubleUnaryOperator unmetShare = m -> {
            if (volume <= 0) {
                return 0;
            }
            double sum = 0;
            for (Case c : cases) {
                sum += CpuDistribution.unmet(c.usage(), c.from(), c.to(), c.request(m));
            }
            return sum / volume;
        };
        int n = cases.size();
        return Math.max(smallest(above, bound(risk, n)), smallest(unmetShare, bound(unmet, n)));
    }

    /** Split conformal: the margin over the residuals {@code actual − point}; the top of the range without any. */
    static double memory(double[] residuals, double risk) {
        if (residuals.length == 0) {
            return RANGE;
        }
        double[] sorted = residuals.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        int rank = (int) Math.ceil((n + 1) * (1 - risk));
        // Too few cases for so small a risk (rank > n): cover every calibration case. When the cap
        // leaves more than the target uncovered (peaks above it are exceeded at any margin), no
        // margin meets the target: the smallest that covers every case that can be covered
        // reaches the least risk there is, and anything above it would only add slack.
        double m = sorted[Math.min(n, Math.max(1, rank)) - 1];
        if (m == Double.POSITIVE_INFINITY) {
            int finite = n;
            while (finite > 0 && sorted[finite - 1] == Double.POSITIVE_INFINITY) {
                finite--;
            }
            return finite == 0 ? RANGE : Math.min(RANGE, sorted[finite - 1]);
        }
        return Math.min(RANGE, m);
    }

    /** The largest mean loss over n cases that keeps the conformal bound at {@code alpha}. */
    static double bound(double alpha, int n) {
        return Math.max(0, (alpha * (n + 1) - 1) / n);
    }

    /**
     * Smallest m in the range with {@code loss(m) ≤ target} (loss non-increasing in m). When even the
     * top of the range misses the target (the caps leave too much above the requests), the smallest
     * m that reaches the least loss there is: a larger one would only add slack.
     */
    static double smallest(DoubleUnaryOperator loss, double target) {
        double lo = -RANGE;
        double hi = RANGE;
        double least = loss.applyAsDouble(hi);
        if (least > target) {
            target = least + 1e-12;
        }
        if (loss.applyAsDouble(lo) <= target) {
            return lo;
        }
        for (int i = 0; i < STEPS; i++) {
            double mid = (lo + hi) / 2;
            if (loss.applyAsDouble(mid) <= target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }
}
