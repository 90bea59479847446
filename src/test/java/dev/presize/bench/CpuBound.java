package dev.presize.bench;

import dev.presize.backtest.Backtest;
import dev.presize.history.ContainerSeries;
import dev.presize.history.TraceReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CPU's counterpart of {@link MemoryBound}: how low CPU slack can go at a pooled share of samples
 * above the requests and a pooled share of the CPU volume above them, for requests that scale a
 * statistic of the container's own past samples: {@code R = f × (highest, p95 or p99 of the samples
 * of the last w days)}, w of 1, 3, 7 or 14 days (KRR's rule is the p95 of 14 days at f = 1).
 *
 * <p>Scored as the backtest scores CPU ({@code cpu_slack_ratio} = Σ(R − u)⁺ / Σu,
 * {@code cpu_underprovisioned_fraction}, {@code cpu_unmet_ratio} = Σ(u − R)⁺ / Σu), days aligned
 * as {@link Backtest.Span} aligns them, on every day from the backtest's first decision that has CPU
 * samples and samples in the {@value #HISTORY_DAYS} days before it (a window with none falls back to
 * those). No floor: a bound is looser without one. For each pair of targets:
 * <ul>
 *   <li>{@code line}: one f for the whole cluster per rule, the smallest on the grid that holds both; and
 *       one f per day for the whole cluster, chosen in hindsight at two prices as below, for what
 *       any cluster-wide signal about the next day is worth;</li>
 *   <li>{@code hindsight}: f per container, chosen by one price on the volume above and one on the
 *       samples above (the model's Lagrangian) on the very days scored, the prices the least-slack
 *       pair on a grid of the volume's price, bisected on the samples' price, that holds both
 *       targets pooled; {@code hindsight_bank} chooses the rule per container in hindsight as well.</li>
 * </ul>
 *
 * <p>Each hindsight figure comes with a lower bound ({@code _lower}, the Lagrangian dual) under which no
 * per-container choice of those rules holding both targets goes, even in hindsight.
 *
 * <p>Usage: {@code CpuBound <trace.csv[.gz]> <name>=<samples target>:<volume target> ...}; last lines
 * {@code cpu-bound: name=N ... line_best=... hindsight_best=... hindsight_bank=...}.
 */
public final class CpuBound {

    static final int FIRST_DAY = 7;
    static final int HISTORY_DAYS = 14;
    static final int[] WINDOWS = {1, 3, 7, 14};
    /** The statistic of the window's samples each rule scales: 1 is the highest. */
    static final double[] QUANTILES = {1, 0.95, 0.99};
    static final int FACTORS = 40;
    static final double FACTOR_LOW = 0.3;
    static final double FACTOR_HIGH = 3;
    static final FactorGrid GRID = new FactorGrid(FACTOR_LOW, FACTOR_HIGH, FACTORS);

    private CpuBound() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CpuBound <trace.csv[.gz]> <name>=<samples target>:<volume target> ...");
            System.exit(2);
        }
        List<ContainerSeries> trace = new TraceReader().read(Path.of(args[0]));
        long start = Backtest.Span.of(trace).start();
        List<DaySamples> series = new ArrayList<>();
        for (ContainerSeries s : trace) {
            series.add(DaySamples.of(s.timestamps(), s.cpuCores(), start));
        }
        Costs costs = new Costs(series);
        System.out.printf(Locale.ROOT, "%d series, %d container-days scored (days %d on)%n", series.size(),
                costs.scoredDays, FIRST_DAY);
        int rulesPerWindow = QUANTILES.length;
        for (int a = 1; a < args.length; a++) {
            String[] nameTargets = args[a].split("=", 2);
            String[] targets = nameTargets[1].split(":", 2);
            double risk = Double.parseDouble(targets[0]);
            double unmet = Double.parseDouble(targets[1]);
            StringBuilder line = new StringBuilder();
            double bestLine = Double.MAX_VALUE;
            double bestHindsight = Double.MAX_VALUE;
            double bestLower = Double.MAX_VALUE;
            double bestDay = Double.MAX_VALUE;
            int[] all = new int[WINDOWS.length * rulesPerWindow];
            for (int w = 0; w < WINDOWS.length; w++) {
                for (int q = 0; q < rulesPerWindow; q++) {
                    int base = w * rulesPerWindow + q;
                    all[base] = base;
                    Result l = costs.line(base, risk, unmet);
                    Result h = costs.hindsight(new int[] {base}, risk, unmet);
                    Result y = costs.dayLine(base, risk, unmet);
                    bestLower = Math.min(bestLower, costs.lowerBound(new int[] {base}, risk, unmet));
                    bestLine = Double.isNaN(l.slack()) ? bestLine : Math.min(bestLine, l.slack());
                    bestHindsight = Double.isNaN(h.slack()) ? bestHindsight : Math.min(bestHindsight, h.slack());
                    bestDay = Double.isNaN(y.slack()) ? bestDay : Math.min(bestDay, y.slack());
                    line.append(String.format(Locale.ROOT, " %s of %dd: line %s, a factor per day in hindsight %s,"
                            + " hindsight %s;", name(q), WINDOWS[w], l, y, h));
                }
            }
            Result bank = costs.hindsight(all, risk, unmet);
            Result crossFitted = costs.crossFitted(all, risk, unmet);
            double bankLower = costs.lowerBound(all, risk, unmet);
            System.out.printf(Locale.ROOT, "%s at %.4f of samples and %.4f of the volume:%s hindsight_bank %s;"
                    + " bank chosen on the other days %s%n", nameTargets[0], risk, unmet, line, bank, crossFitted);
            System.out.printf(Locale.ROOT, "cpu-bound: name=%s risk=%.4f unmet=%.4f line_best=%.3f day_line_best=%.3f hindsight_best=%.3f"
                    + " hindsight_best_lower=%.3f hindsight_bank=%.3f hindsight_bank_lower=%.3f bank_cross_fitted=%.3f%n",
                    nameTargets[0], risk, unmet, nan(bestLine), nan(bestDay), nan(bestHindsight), bestLower, bank.slack(),
                    bankLower, crossFitted.slack());
        }
    }

    private static String name(int q) {
        return QUANTILES[q] == 1 ? "max" : "p" + Math.round(QUANTILES[q] * 100);
    }

    private static double nan(double x) {
        return x == Double.MAX_VALUE ? Double.NaN : x;
    }

    /** Pooled CPU slack, samples above and volume above of one strategy. */
    record Result(double slack, double above, double unmet) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f / %.4f / %.4f", slack, above, unmet);
        }
    }

    /**
     * Per series and rule ({@code base * FACTORS + j}: factor j on base {@code w * QUANTILES.length
     * + q}), the slack, the volume above and the samples above summed over the scored days.
     */
    static final class Costs {
        /** [day parity][series][rule]: each total split by whether its day is even or odd. */
        private final double[][][] slack;
        private final double[][][] unmet;
        private final double[][][] above;
        /** [day][rule]: the cluster's totals per day, for one factor per day. */
        private final double[][] daySlack;
        private final double[][] dayUnmet;
        private final double[][] dayAbove;
        private final double usage;
        private final double samples;
        final int scoredDays;

        Costs(List<DaySamples> series) {
            int bases = WINDOWS.length * QUANTILES.length;
            int rules = bases * FACTORS;
            int n = series.size();
            slack = new double[2][n][rules];
            unmet = new double[2][n][rules];
            above = new double[2][n][rules];
            int span = 0;
            for (DaySamples s : series) {
                span = Math.max(span, s.days());
            }
            daySlack = new double[span][rules];
            dayUnmet = new double[span][rules];
            dayAbove = new double[span][rules];
            double used = 0;
            double counted = 0;
            int days = 0;
            for (int c = 0; c < n; c++) {
                DaySamples s = series.get(c);
                for (int d = FIRST_DAY; d < s.days(); d++) {
                    double history = s.pastMax(d, HISTORY_DAYS);
                    if (!s.measured(d) || Double.isNaN(history)) {
                        continue;
                    }
                    days++;
                    used += s.sum(d);
                    counted += s.count(d);
                    for (int w = 0; w < WINDOWS.length; w++) {
                        for (int q = 0; q < QUANTILES.length; q++) {
                            double base = s.pastQuantile(d, WINDOWS[w], QUANTILES[q]);
                            base = Double.isNaN(base) ? s.pastQuantile(d, HISTORY_DAYS, QUANTILES[q]) : base;
                            int b = w * QUANTILES.length + q;
                            for (int j = 0; j < FACTORS; j++) {
                                double request = GRID.factor(j) * base;
                                int r = b * FACTORS + j;
                                double sl = s.slack(d, request);
                                double un = s.unmet(d, request);
                                double ab = s.count(d) - s.atOrUnder(d, request);
                                slack[d % 2][c][r] += sl;
                                unmet[d % 2][c][r] += un;
                                above[d % 2][c][r] += ab;
                                daySlack[d][r] += sl;
                                dayUnmet[d][r] += un;
                                dayAbove[d][r] += ab;
                            }
                        }
                    }
                }
            }
            usage = used;
            samples = counted;
            scoredDays = days;
        }

        /** One factor of base b for the whole cluster: the smallest on the grid that holds both targets. */
        Result line(int b, double risk, double unmetTarget) {
            for (int j = 0; j < FACTORS; j++) {
                Result r = pooled(b * FACTORS + j);
                if (r.above() <= risk && r.unmet() <= unmetTarget) {
                    return r;
                }
            }
            return new Result(Double.NaN, Double.NaN, Double.NaN);
        }

        /**
         * One factor of base b per day for the whole cluster, chosen in hindsight at the same two
         * prices as {@link #hindsight}: what any cluster-wide signal about the next day (a weekly
         * cycle, a cluster-wide surge, known exactly) is worth to that rule.
         */
        Result dayLine(int b, double risk, double unmetTarget) {
            return search(risk, unmetTarget, (mu, lambda) -> dayAt(b, mu, lambda));
        }

        private Result dayAt(int b, double mu, double lambda) {
            double sl = 0;
            double un = 0;
            double ab = 0;
            for (int d = 0; d < daySlack.length; d++) {
                int chosen = b * FACTORS;
                for (int r = chosen + 1; r < (b + 1) * FACTORS; r++) {
                    if (daySlack[d][r] + mu * dayUnmet[d][r] + lambda * dayAbove[d][r]
                            < daySlack[d][chosen] + mu * dayUnmet[d][chosen] + lambda * dayAbove[d][chosen]) {
                        chosen = r;
                    }
                }
                sl += daySlack[d][chosen];
                un += dayUnmet[d][chosen];
                ab += dayAbove[d][chosen];
            }
            return new Result(sl / usage, ab / samples, un / usage);
        }

        private Result pooled(int r) {
            double sl = 0;
            double un = 0;
            double ab = 0;
            for (int c = 0; c < slack[0].length; c++) {
                for (int p = 0; p < 2; p++) {
                    sl += slack[p][c][r];
                    un += unmet[p][c][r];
                    ab += above[p][c][r];
                }
            }
            return new Result(sl / usage, ab / samples, un / usage);
        }

        /**
         * Per container the rule among the factors of {@code bases} minimising slack + μ·volume
         * above + λ·samples above over its scored days: for each μ of a grid (0, then 10⁻² to 10⁴ in
         * steps of × 1.25), the least λ whose choices hold the samples target pooled (bisection);
         * of those that hold the volume target too, the one with the least slack.
         */
        Result hindsight(int[] bases, double risk, double unmetTarget) {
            return search(risk, unmetTarget, (mu, lambda) -> at(bases, mu, lambda, false));
        }

        /**
         * A lower bound under every per-container choice among the factors of {@code bases} that holds
         * both targets pooled, in hindsight: for any prices μ, λ ≥ 0, Σ min(slack + μ·volume above
         * + λ·samples above) less μ and λ times what the targets allow is no more than the slack of
         * any such choice (weak duality); the highest such value over a grid of prices. With the
         * search's figure above it brackets the true best.
         */
        double lowerBound(int[] bases, double risk, double unmetTarget) {
            double best = Double.NEGATIVE_INFINITY;
            for (double mu = 0; mu <= 1e4; mu = mu == 0 ? 1e-2 : mu * 1.25) {
                for (double lambda = 0; lambda <= 1e12; lambda = lambda == 0 ? 1e-6 : lambda * 1.5) {
                    Result r = at(bases, mu, lambda, false);
                    best = Math.max(best, r.slack() + mu * (r.unmet() - unmetTarget) + lambda * (r.above() - risk) * samples / usage);
                }
            }
            return best;
        }

        /**
         * The same choice made on the other days: each container's rule chosen on its even days
         * and scored on its odd days, and the other way round, so that its days scored took no part
         * in its choice; the prices are still read off the days scored (a frontier point).
         */
        Result crossFitted(int[] bases, double risk, double unmetTarget) {
            return search(risk, unmetTarget, (mu, lambda) -> at(bases, mu, lambda, true));
        }

        private interface Chooser {
            Result at(double mu, double lambda);
        }

        private static Result search(double risk, double unmetTarget, Chooser chooser) {
            Result best = new Result(Double.NaN, Double.NaN, Double.NaN);
            for (double mu = 0; mu <= 1e4; mu = mu == 0 ? 1e-2 : mu * 1.25) {
                double price = mu;
                Result r = chooser.at(mu, Prices.least(lambda -> chooser.at(price, lambda).above(), risk, 1e12, 60));
                if (r.above() <= risk && r.unmet() <= unmetTarget && !(r.slack() >= best.slack())) {
                    best = r;
                }
            }
            return best;
        }

        Result at(int[] bases, double mu, double lambda, boolean crossFitted) {
            double sl = 0;
            double un = 0;
            double ab = 0;
            for (int c = 0; c < slack[0].length; c++) {
                for (int p = 0; p < 2; p++) {
                    // Chosen on parity p's days (both parities' without cross-fitting), scored on the other's.
                    int chosen = -1;
                    double cost = Double.MAX_VALUE;
                    for (int b : bases) {
                        for (int j = 0; j < FACTORS; j++) {
                            int r = b * FACTORS + j;
                            double k = crossFitted
                                    ? slack[p][c][r] + mu * unmet[p][c][r] + lambda * above[p][c][r]
                                    : total(slack, c, r) + mu * total(unmet, c, r) + lambda * total(above, c, r);
                            if (k < cost) {
                                cost = k;
                                chosen = r;
                            }
                        }
                    }
                    sl += slack[1 - p][c][chosen];
                    un += unmet[1 - p][c][chosen];
                    ab += above[1 - p][c][chosen];
                }
            }
            return new Result(sl / usage, ab / samples, un / usage);
        }

        private static double total(double[][][] x, int c, int r) {
            return x[0][c][r] + x[1][c][r];
        }
    }
}
