package dev.presize.bench;

import dev.presize.backtest.Backtest;
import dev.presize.history.ContainerSeries;
import dev.presize.history.TraceReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How low memory slack can go at a pooled share of container-days exceeded, for requests that scale
 * a container's past daily peaks: {@code R = f × (highest memory of the last w days)}. Issue 12 asks
 * the model to close half the gap between the better baseline and the per-day oracle (memory at each
 * day's peak); this measures how far that line lies from what such rules reach, even when each
 * container's factor is chosen knowing the days it is scored on.
 *
 * <p>Scored as the backtest scores memory ({@code mem_slack_ratio} = Σ(R − m)⁺ / Σm over the measured
 * samples, {@code mem_exceeded_day_fraction} = share of container-days whose peak is above R), days
 * aligned as {@link Backtest.Span} aligns them, on every day from {@link #FIRST_DAY} that has memory
 * samples and a peak in the {@link #HISTORY_DAYS} before it. For each target:
 * <ul>
 *   <li>{@code line}: one f for the whole cluster per window (the smallest on the grid that holds the
 *       target): a rule a baseline could be; one f per weekday, chosen in hindsight, for what a
 *       cluster-wide weekly cycle is worth; and one f per day, chosen in hindsight, for what any
 *       cluster-wide signal about the next day is worth;</li>
 *   <li>{@code hindsight}: f per container, chosen by one price on days exceeded (a Lagrangian, as
 *       the model spreads its risk) on the very days scored: a bound no rule keeping one factor of
 *       that window per container passes (a factor that moves from day to day is not bounded by it); {@code hindsight_bank} chooses the window per container in hindsight as well (a
 *       choice among 4 × {@value #FACTORS} rules per container, much of its gain selection noise);</li>
 *   <li>{@code rolling}: Autopilot-style (Rzadca et al., EuroSys 2020), deployable in its choices:
 *       each day each container takes the rule whose last {@link #HISTORY_DAYS} scored days cost it
 *       least, its days exceeded shrunk towards the cluster's rate for that rule ({@link #PRIOR_DAYS}
 *       days' worth), never under the model's memory floor ({@code Ladder.floor}: 0.95 of the last
 *       3 days' highest, 0.7 of the last 7 days'). Its one price is read off the outcome, at the
 *       target, by interpolating between the grid's prices: a frontier point, not a calibration a
 *       server could make; and with each day's price calibrated on the {@link #CALIBRATION_DAYS}
 *       days before it, as the model calibrates its memory price. It also reports memory changes a
 *       week and the depth ({@code mem_unmet_peak_ratio}), and the frontier without the floor.</li>
 * </ul>
 *
 * <p>Given a depth after a target ({@code name=days:depth}), the line and the hindsight choices are
 * also made holding the depth ({@code mem_unmet_peak_ratio}, Σ(peak − R)⁺ / Σ peak) at it, with and
 * without the floor: last lines {@code memory-bound-depth: name=N ... line_best=... hindsight_best=...
 * hindsight_bank=...}.
 *
 * <p>Each hindsight figure comes with a lower bound ({@code _lower}): the Lagrangian dual, under which no
 * per-container choice of those rules holding the same targets goes, even in hindsight; the search's
 * figure and the floor bracket the true best.
 *
 * <p>Then {@link PeerGroups}' line per target ({@code memory-peers: ...}): what other containers'
 * days are worth.
 *
 * <p>Usage: {@code MemoryBound <trace.csv[.gz]> <name>=<target>[:<depth>] ...}. One line per name, last lines
 * {@code memory-bound: name=N target=T oracle=... line_best=... hindsight_best=... hindsight_bank=...
 * rolling_frontier=... rolling_calibrated=... ...}.
 */
public final class MemoryBound {

    /** The backtest's default warm-up (168 h) and two days of replayed past for {@code rolling}. */
    static final int FIRST_DAY = 9;
    /** The backtest's default {@code --history} (336 h). */
    static final int HISTORY_DAYS = 14;
    static final int[] WINDOWS = {1, 3, 7, 14};
    static final int FACTORS = 80;
    static final double FACTOR_LOW = 0.5;
    static final double FACTOR_HIGH = 8;
    static final FactorGrid GRID = new FactorGrid(FACTOR_LOW, FACTOR_HIGH, FACTORS);
    /** The days before each day whose outcomes {@code rolling}'s calibrated price is fitted on (the model's 11). */
    static final int CALIBRATION_DAYS = 11;
    /** How many days of the cluster's rate a container's own replayed rate is shrunk towards. */
    static final double PRIOR_DAYS = 10;

    private MemoryBound() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: MemoryBound <trace.csv[.gz]> <name>=<target>[:<depth>] ...");
            System.exit(2);
        }
        List<ContainerSeries> trace = new TraceReader().read(Path.of(args[0]));
        long start = Backtest.Span.of(trace).start();
        List<DaySamples> series = new ArrayList<>();
        for (ContainerSeries s : trace) {
            if (s.memorySamples() > 0) {
                series.add(DaySamples.of(s.timestamps(), s.memoryBytes(), start));
            }
        }
        if (series.isEmpty()) {
            System.err.println("MemoryBound: " + args[0] + " has no memory samples: nothing to bound");
            System.exit(1);
        }
        Costs noFloor = new Costs(series, false);
        Costs floored = new Costs(series, true);
        List<PricePath> flooredPaths = floored.paths();
        List<PricePath> noFloorPaths = noFloor.paths();
        System.out.printf(Locale.ROOT, "%d series with memory, %d container-days scored (days %d on); oracle (each"
                + " day's peak) slack %.3f%n", series.size(), noFloor.scored(), FIRST_DAY, noFloor.oracleSlack());
        for (int a = 1; a < args.length; a++) {
            String[] nameTarget = args[a].split("=", 2);
            String[] targets = nameTarget[1].split(":", 2);
            double target = Double.parseDouble(targets[0]);
            double depthTarget = targets.length > 1 ? Double.parseDouble(targets[1]) : Double.NaN;
            StringBuilder line = new StringBuilder();
            double bestLine = Double.MAX_VALUE;
            double bestWeekday = Double.MAX_VALUE;
            double bestDay = Double.MAX_VALUE;
            double bestHindsight = Double.MAX_VALUE;
            double bestHindsightDepth = Double.NaN;
            double bestLower = Double.MAX_VALUE;
            for (int w = 0; w < WINDOWS.length; w++) {
                Result l = noFloor.line(w, target);
                Result k = noFloor.weekdayLine(w, target, start);
                Result y = noFloor.dayLine(w, target);
                Result h = noFloor.hindsight(new int[] {w}, target);
                bestLine = Double.isNaN(l.slack()) ? bestLine : Math.min(bestLine, l.slack());
                bestWeekday = Double.isNaN(k.slack()) ? bestWeekday : Math.min(bestWeekday, k.slack());
                bestDay = Double.isNaN(y.slack()) ? bestDay : Math.min(bestDay, y.slack());
                if (h.slack() < bestHindsight) {
                    bestHindsight = h.slack();
                    bestHindsightDepth = h.depth();
                }
                bestLower = Math.min(bestLower, noFloor.lowerBound(new int[] {w}, target, Double.MAX_VALUE));
                line.append(String.format(Locale.ROOT, " w%d: line %s, a factor per weekday in hindsight %s,"
                        + " a factor per day in hindsight %s, hindsight %s;", WINDOWS[w], l, k, y, h));
            }
            Result bank = noFloor.hindsight(new int[] {0, 1, 2, 3}, target);
            double bankLower = noFloor.lowerBound(new int[] {0, 1, 2, 3}, target, Double.MAX_VALUE);
            Result rolling = floored.frontier(flooredPaths, target);
            Result calibrated = floored.calibrated(flooredPaths, target);
            Result rollingNoFloor = noFloor.frontier(noFloorPaths, target);
            System.out.printf(Locale.ROOT, "%s at %.4f of container-days:%s hindsight_bank %s; rolling at the"
                    + " frontier %s; rolling calibrated %s; rolling at the frontier without the floor %s%n",
                    nameTarget[0], target, line, bank, rolling, calibrated, rollingNoFloor);
            System.out.printf(Locale.ROOT, "memory-bound: name=%s target=%.4f oracle=%.3f line_best=%.3f"
                    + " weekday_line_best=%.3f day_line_best=%.3f hindsight_best=%.3f hindsight_best_depth=%.4f hindsight_best_lower=%.3f hindsight_bank=%.3f hindsight_bank_lower=%.3f rolling_frontier=%.3f rolling_calibrated=%.3f"
                    + " rolling_calibrated_exceeded=%.4f rolling_calibrated_depth=%.4f rolling_calibrated_changes=%.2f%n",
                    nameTarget[0], target, noFloor.oracleSlack(), nan(bestLine), nan(bestWeekday), nan(bestDay), nan(bestHindsight),
                    bestHindsightDepth, bestLower, bank.slack(), bankLower,
                    rolling.slack(), calibrated.slack(), calibrated.exceeded(), calibrated.depth(),
                    calibrated.changesPerWeek());
            if (!Double.isNaN(depthTarget)) {
                printHeldAtDepth(nameTarget[0], target, depthTarget, noFloor, floored);
            }
            System.out.println(PeerGroups.report(nameTarget[0], noFloor, target));
        }
    }

    /**
     * The same rules holding the baseline's depth ({@code mem_unmet_peak_ratio}) as well as its days
     * exceeded: the risk the days' count cannot see, which the model's floor exists for. Both
     * families, with and without the floor (the floor is a different rule, not a looser one); the
     * summary takes the lower of the two.
     */
    private static void printHeldAtDepth(String name, double target, double depthTarget, Costs noFloor, Costs floored) {
        StringBuilder line = new StringBuilder();
        double bestLine = Double.MAX_VALUE;
        double bestHindsight = Double.MAX_VALUE;
        double bestLower = Double.MAX_VALUE;
        for (int w = 0; w < WINDOWS.length; w++) {
            line.append(String.format(Locale.ROOT, " w%d:", WINDOWS[w]));
            for (Costs costs : List.of(noFloor, floored)) {
                Result l = costs.line(w, target, depthTarget);
                Result h = costs.hindsight(new int[] {w}, target, depthTarget);
                bestLower = Math.min(bestLower, costs.lowerBound(new int[] {w}, target, depthTarget));
                bestLine = Double.isNaN(l.slack()) ? bestLine : Math.min(bestLine, l.slack());
                bestHindsight = Double.isNaN(h.slack()) ? bestHindsight : Math.min(bestHindsight, h.slack());
                line.append(String.format(Locale.ROOT, " %s: line %s, hindsight %s;",
                        costs == floored ? "floored" : "no floor", l, h));
            }
        }
        int[] all = {0, 1, 2, 3};
        Result bank = noFloor.hindsight(all, target, depthTarget);
        Result flooredBank = floored.hindsight(all, target, depthTarget);
        double bankLower = Math.min(noFloor.lowerBound(all, target, depthTarget), floored.lowerBound(all, target, depthTarget));
        System.out.printf(Locale.ROOT, "%s at %.4f of container-days and depth %.4f:%s hindsight_bank no floor %s,"
                + " floored %s%n", name, target, depthTarget, line, bank, flooredBank);
        System.out.printf(Locale.ROOT, "memory-bound-depth: name=%s target=%.4f depth=%.4f line_best=%.3f hindsight_best=%.3f"
                + " hindsight_best_lower=%.3f hindsight_bank=%.3f hindsight_bank_lower=%.3f%n", name, target, depthTarget,
                nan(bestLine), nan(bestHindsight), bestLower,
                nan(Math.min(nanToMax(bank.slack()), nanToMax(flooredBank.slack()))), bankLower);
    }

    private static double nanToMax(double x) {
        return Double.isNaN(x) ? Double.MAX_VALUE : x;
    }

    private static double nan(double x) {
        return x == Double.MAX_VALUE ? Double.NaN : x;
    }

    /** Slack and days exceeded of one strategy; changes a week and depth where measured (NaN otherwise). */
    record Result(double slack, double exceeded, double changesPerWeek, double depth) {
        Result(double slack, double exceeded) {
            this(slack, exceeded, Double.NaN, Double.NaN);
        }

        @Override
        public String toString() {
            String changes = Double.isNaN(changesPerWeek) ? "" : String.format(Locale.ROOT, " changes/wk %.2f", changesPerWeek);
            String deep = Double.isNaN(depth) ? "" : String.format(Locale.ROOT, " depth %.4f", depth);
            return String.format(Locale.ROOT, "%.3f at %.4f%s%s", slack, exceeded, changes, deep);
        }
    }

    /**
     * Every rule's request, slack and exceeded flag per series and day: rule {@code w * FACTORS + j}
     * is factor j on window w. A window with no peak falls back to the history's highest, so every
     * rule answers on the same days. Rules are replayed from the backtest's first decision
     * ({@link #REPLAY_DAY}) and scored from {@link #FIRST_DAY} on the days with at least two replayed
     * days before them in the history, so that {@code rolling} has a past to choose by.
     */
    static final class Costs {
        static final int REPLAY_DAY = 7;
        private final List<DaySamples> series;
        private final boolean[][] replayed;
        private final boolean[][] scored;
        private final double[][][] request;
        private final double[][][] slack;
        private final boolean[][][] exceeded;
        /** Per series and rule, over its scored days. */
        private final double[][] slackTotal;
        private final double[][] exceededTotal;
        /** Per series and rule, Σ (day's peak − request)⁺ over its scored days: the depth's numerator. */
        private final double[][] depthTotal;
        /** Running sums over the replayed days before each day, per rule and series: a window's sum in O(1). */
        private final double[][][] slackBefore;
        private final double[][][] exceededBefore;
        private final double[][] replayedBefore;
        /** The cluster's days exceeded per rule and its days replayed, before each day: the rolling choice's prior. */
        private final double[][] clusterExceeded;
        private final double[] clusterDays;
        private final double usage;
        private final double peaks;
        private final int scoredDays;

        Costs(List<DaySamples> series, boolean floor) {
            this.series = series;
            int rules = WINDOWS.length * FACTORS;
            int n = series.size();
            replayed = new boolean[n][];
            scored = new boolean[n][];
            request = new double[rules][n][];
            slack = new double[rules][n][];
            exceeded = new boolean[rules][n][];
            slackTotal = new double[n][rules];
            exceededTotal = new double[n][rules];
            depthTotal = new double[n][rules];
            double used = 0;
            double highs = 0;
            int count = 0;
            for (int c = 0; c < n; c++) {
                DaySamples s = series.get(c);
                int days = s.days();
                replayed[c] = new boolean[days];
                scored[c] = new boolean[days];
                for (int r = 0; r < rules; r++) {
                    request[r][c] = new double[days];
                    slack[r][c] = new double[days];
                    exceeded[r][c] = new boolean[days];
                }
                for (int d = REPLAY_DAY; d < days; d++) {
                    double history = s.pastMax(d, HISTORY_DAYS);
                    if (!s.measured(d) || Double.isNaN(history)) {
                        continue;
                    }
                    replayed[c][d] = true;
                    // The model's memory floor (Ladder.RECENT_FLOOR of the last 3 days, Ladder.MEMORY_FLOOR
                    // of the last 7), where asked: without it the cheapest days to let exceed are those
                    // far under a big container's peak (docs/model-record.md, "What a floor does").
                    double least = floor ? Math.max(orZero(0.95 * s.pastMax(d, 3)), orZero(0.7 * s.pastMax(d, 7))) : 0;
                    for (int w = 0; w < WINDOWS.length; w++) {
                        double base = s.pastMax(d, WINDOWS[w]);
                        base = Double.isNaN(base) ? history : base;
                        for (int j = 0; j < FACTORS; j++) {
                            int r = w * FACTORS + j;
                            double req = Math.max(least, GRID.factor(j) * base);
                            request[r][c][d] = req;
                            slack[r][c][d] = s.slack(d, req);
                            exceeded[r][c][d] = s.peak(d) > req;
                        }
                    }
                }
                for (int d = FIRST_DAY; d < days; d++) {
                    int past = 0;
                    for (int b = Math.max(REPLAY_DAY, d - HISTORY_DAYS); b < d; b++) {
                        past += replayed[c][b] ? 1 : 0;
                    }
                    if (!replayed[c][d] || past < 2) {
                        continue;
                    }
                    scored[c][d] = true;
                    used += s.sum(d);
                    highs += s.peak(d);
                    count++;
                    for (int r = 0; r < rules; r++) {
                        slackTotal[c][r] += slack[r][c][d];
                        exceededTotal[c][r] += exceeded[r][c][d] ? 1 : 0;
                        depthTotal[c][r] += Math.max(0, s.peak(d) - request[r][c][d]);
                    }
                }
            }
            usage = used;
            peaks = highs;
            scoredDays = count;
            slackBefore = new double[rules][n][];
            exceededBefore = new double[rules][n][];
            replayedBefore = new double[n][];
            for (int c = 0; c < n; c++) {
                int days = replayed[c].length;
                replayedBefore[c] = new double[days + 1];
                for (int d = 0; d < days; d++) {
                    replayedBefore[c][d + 1] = replayedBefore[c][d] + (replayed[c][d] ? 1 : 0);
                }
                for (int r = 0; r < rules; r++) {
                    double[] sb = new double[days + 1];
                    double[] eb = new double[days + 1];
                    for (int d = 0; d < days; d++) {
                        boolean in = replayed[c][d];
                        sb[d + 1] = sb[d] + (in ? slack[r][c][d] : 0);
                        eb[d + 1] = eb[d] + (in && exceeded[r][c][d] ? 1 : 0);
                    }
                    slackBefore[r][c] = sb;
                    exceededBefore[r][c] = eb;
                }
            }
            int days = 0;
            for (boolean[] r : replayed) {
                days = Math.max(days, r.length);
            }
            clusterExceeded = new double[days + 1][rules];
            clusterDays = new double[days + 1];
            for (int d = 0; d < days; d++) {
                clusterExceeded[d + 1] = clusterExceeded[d].clone();
                clusterDays[d + 1] = clusterDays[d];
                for (int c = 0; c < n; c++) {
                    if (d < replayed[c].length && replayed[c][d]) {
                        clusterDays[d + 1]++;
                        for (int r = 0; r < rules; r++) {
                            clusterExceeded[d + 1][r] += exceeded[r][c][d] ? 1 : 0;
                        }
                    }
                }
            }
        }

        private static double orZero(double x) {
            return Double.isNaN(x) ? 0 : x;
        }

        int scored() {
            return scoredDays;
        }

        double oracleSlack() {
            double total = 0;
            for (int c = 0; c < series.size(); c++) {
                for (int d = 0; d < scored[c].length; d++) {
                    if (scored[c][d]) {
                        total += series.get(c).slack(d, series.get(c).peak(d));
                    }
                }
            }
            return total / usage;
        }

        /** One factor of window w for the whole cluster: the smallest on the grid that holds the target. */
        Result line(int w, double target) {
            return line(w, target, Double.MAX_VALUE);
        }

        /** The same, holding the depth ({@code mem_unmet_peak_ratio}) at {@code depthTarget} too. */
        Result line(int w, double target, double depthTarget) {
            for (int j = 0; j < FACTORS; j++) {
                int r = w * FACTORS + j;
                double sl = 0;
                double ex = 0;
                double dp = 0;
                for (int c = 0; c < series.size(); c++) {
                    sl += slackTotal[c][r];
                    ex += exceededTotal[c][r];
                    dp += depthTotal[c][r];
                }
                if (ex / scoredDays <= target && dp / peaks <= depthTarget) {
                    return new Result(sl / usage, ex / scoredDays, Double.NaN, dp / peaks);
                }
            }
            return new Result(Double.NaN, Double.NaN);
        }

        /**
         * One factor of window w per weekday for the whole cluster (UTC weekday of each day's start,
         * days counted from {@code start}), chosen in hindsight by one price on days exceeded: how
         * much a cluster-wide weekly cycle of memory's difficulty is worth to a rule that knows it.
         */
        Result weekdayLine(int w, double target, long start) {
            // Epoch day 0 (1 January 1970) was a Thursday: Monday is 0.
            return groupLine(w, target, 7, (c, d) -> (int) Math.floorMod(Math.floorDiv(start, DaySamples.DAY) + d + 3, 7L));
        }

        /**
         * One factor of window w per day for the whole cluster, chosen in hindsight: what any
         * cluster-wide signal about tomorrow (a weekly cycle, a trend, a cluster-wide event, known
         * exactly) is worth to a rule of that window; what it cannot buy is which containers a day
         * takes over their past.
         */
        Result dayLine(int w, double target) {
            return groupLine(w, target, days(), (c, d) -> d);
        }

        int days() {
            int days = 0;
            for (boolean[] s : scored) {
                days = Math.max(days, s.length);
            }
            return days;
        }

        /**
         * One factor of window w per group of container-days, chosen in hindsight by one price on
         * days exceeded; {@code groupOf} gives a scored container-day's group, or −1 to leave it out
         * (slack and days exceeded are then read over the container-days left in).
         */
        Result groupLine(int w, double target, int groups, java.util.function.IntBinaryOperator groupOf) {
            double[][] sl = new double[groups][FACTORS];
            double[][] ex = new double[groups][FACTORS];
            double used = 0;
            int count = 0;
            for (int c = 0; c < series.size(); c++) {
                for (int d = 0; d < scored[c].length; d++) {
                    int g = scored[c][d] ? groupOf.applyAsInt(c, d) : -1;
                    if (g < 0) {
                        continue;
                    }
                    used += series.get(c).sum(d);
                    count++;
                    for (int j = 0; j < FACTORS; j++) {
                        sl[g][j] += slack[w * FACTORS + j][c][d];
                        ex[g][j] += exceeded[w * FACTORS + j][c][d] ? 1 : 0;
                    }
                }
            }
            double u = used;
            int n = count;
            return groupsAt(sl, ex, u, n, Prices.least(lambda -> groupsAt(sl, ex, u, n, lambda).exceeded(), target, 1e30, 100));
        }

        private static Result groupsAt(double[][] sl, double[][] ex, double used, int count, double lambda) {
            double slackSum = 0;
            double exceededSum = 0;
            for (int g = 0; g < sl.length; g++) {
                int best = 0;
                for (int j = 1; j < FACTORS; j++) {
                    if (sl[g][j] + lambda * ex[g][j] < sl[g][best] + lambda * ex[g][best]) {
                        best = j;
                    }
                }
                slackSum += sl[g][best];
                exceededSum += ex[g][best];
            }
            return new Result(slackSum / used, exceededSum / count);
        }

        /** Whether container c's day d was scored. */
        boolean scored(int c, int d) {
            return d >= 0 && d < scored[c].length && scored[c][d];
        }

        /** Whether container c's day d was replayed, and rule r's request exceeded on it. */
        boolean exceeded(int r, int c, int d) {
            return d >= 0 && d < replayed[c].length && replayed[c][d] && exceeded[r][c][d];
        }

        /** Whether container c's day d was replayed. */
        boolean replayed(int c, int d) {
            return d >= 0 && d < replayed[c].length && replayed[c][d];
        }

        int containers() {
            return series.size();
        }

        /**
         * Per container the rule among {@code windows} minimising slack + λ·days exceeded over its
         * scored days, with the least λ whose choices hold the target pooled (bisection).
         */
        Result hindsight(int[] windows, double target) {
            return hindsightAt(windows, Prices.least(lambda -> hindsightAt(windows, lambda, 0).exceeded(), target, 1e30, 100), 0);
        }

        /**
         * The same holding the depth at {@code depthTarget} too, with a second price ν on each
         * day's (peak − request)⁺: for each ν of a grid (0, then 1 to 10⁸ in steps of × 1.25) the
         * least λ that holds the days' target; of the points that hold the depth too, the least
         * slack. A grid, so an upper estimate of the best such choice, as CpuBound's two prices.
         */
        Result hindsight(int[] windows, double target, double depthTarget) {
            Result best = new Result(Double.NaN, Double.NaN);
            for (double nu = 0; nu <= 1e8; nu = nu == 0 ? 1 : nu * 1.25) {
                double price = nu;
                Result r = hindsightAt(windows,
                        Prices.least(lambda -> hindsightAt(windows, lambda, price).exceeded(), target, 1e30, 100), price);
                if (r.exceeded() <= target && r.depth() <= depthTarget && !(r.slack() >= best.slack())) {
                    best = r;
                }
            }
            return best;
        }

        /**
         * A lower bound under every per-container choice among {@code windows} that holds the target
         * (and the depth, when finite) pooled, in hindsight: for any prices λ, ν ≥ 0, the cost
         * Σ min(slack + λ·days + ν·depth) less λ and ν times what the targets allow is no more than
         * the slack of any choice that holds them (weak duality of the Lagrangian relaxation); the
         * highest such value over a grid of prices. Where the search above found a choice close to
         * this bound, its figure is close to the true best; the two bracket it.
         */
        double lowerBound(int[] windows, double target, double depthTarget) {
            double best = Double.NEGATIVE_INFINITY;
            boolean depthHeld = depthTarget < Double.MAX_VALUE;
            for (double nu = 0; nu <= 1e8; nu = nu == 0 ? 1 : nu * 1.25) {
                for (double lambda = 0; lambda <= 1e20; lambda = lambda == 0 ? 1e3 : lambda * 1.5) {
                    Result r = hindsightAt(windows, lambda, nu);
                    double dual = r.slack() + lambda * (r.exceeded() - target) * scoredDays / usage
                            + (nu == 0 ? 0 : nu * (r.depth() - depthTarget) * peaks / usage);
                    best = Math.max(best, dual);
                }
                if (!depthHeld) {
                    break;
                }
            }
            return best;
        }

        Result hindsightAt(int[] windows, double lambda, double nu) {
            double sl = 0;
            double ex = 0;
            double dp = 0;
            for (int c = 0; c < series.size(); c++) {
                int best = -1;
                double cost = Double.MAX_VALUE;
                for (int w : windows) {
                    for (int j = 0; j < FACTORS; j++) {
                        int r = w * FACTORS + j;
                        double k = slackTotal[c][r] + lambda * exceededTotal[c][r] + nu * depthTotal[c][r];
                        if (k < cost) {
                            cost = k;
                            best = r;
                        }
                    }
                }
                sl += slackTotal[c][best];
                ex += exceededTotal[c][best];
                dp += depthTotal[c][best];
            }
            return new Result(sl / usage, ex / scoredDays, Double.NaN, dp / peaks);
        }

        /**
         * Each day, each container takes the rule whose replayed days in its history cost least at
         * price λ: its mean slack a day plus λ times its rate of days exceeded, shrunk towards the
         * cluster's rate for that rule over all days before ({@link #PRIOR_DAYS} days' worth), so that
         * a rule never exceeded in a container's few days is not taken for safe. One path per price
         * of a grid; read two ways: at the target between the two prices that bracket it on the
         * whole run ({@link #frontier}, the price read off the outcome) and with each day's price
         * calibrated on the days before it ({@link #calibrated}).
         */
        List<PricePath> paths() {
            List<PricePath> paths = new ArrayList<>();
            for (double lambda = 1e6; lambda < 1e18; lambda *= 1.5) {
                paths.add(pathAt(lambda));
            }
            return paths;
        }

        /** The frontier point at the target: slack and the rest interpolated between the bracketing prices. */
        Result frontier(List<PricePath> paths, double target) {
            List<Result> points = new ArrayList<>();
            for (PricePath p : paths) {
                points.add(p.measure(this));
            }
            points.sort((a, b) -> Double.compare(a.exceeded(), b.exceeded()));
            for (int i = 1; i < points.size(); i++) {
                Result a = points.get(i - 1);
                Result b = points.get(i);
                if (a.exceeded() <= target && b.exceeded() >= target) {
                    double x = b.exceeded() == a.exceeded() ? 0 : (target - a.exceeded()) / (b.exceeded() - a.exceeded());
                    return new Result(a.slack() + x * (b.slack() - a.slack()), target,
                            a.changesPerWeek() + x * (b.changesPerWeek() - a.changesPerWeek()),
                            a.depth() + x * (b.depth() - a.depth()));
                }
            }
            return new Result(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }

        /**
         * Each day's price the least on the grid whose choices held the target pooled over the
         * {@link #CALIBRATION_DAYS} days before it (each of those days' choices made from its own
         * past, so they are out of sample for the rules; only the one price is fitted on them), as the
         * model calibrates its memory price; the highest price while there is no such day.
         */
        Result calibrated(List<PricePath> paths, double target) {
            int days = paths.get(0).exceeded().length;
            int[] chosen = new int[days];
            for (int d = 0; d < days; d++) {
                chosen[d] = paths.size() - 1;
                for (int i = 0; i < paths.size(); i++) {
                    double ex = 0;
                    double n = 0;
                    for (int b = Math.max(FIRST_DAY, d - CALIBRATION_DAYS); b < d; b++) {
                        ex += paths.get(i).exceeded()[b];
                        n += paths.get(i).days()[b];
                    }
                    if (n > 0 && ex / n <= target) {
                        chosen[d] = i;
                        break;
                    }
                }
            }
            return PricePath.combine(paths, chosen, this);
        }

        PricePath pathAt(double lambda) {
            int rules = slack.length;
            int days = clusterDays.length - 1;
            int n = series.size();
            int[][] rule = new int[n][];
            for (int c = 0; c < n; c++) {
                rule[c] = new int[scored[c].length];
                Arrays.fill(rule[c], -1);
                for (int d = FIRST_DAY; d < scored[c].length; d++) {
                    if (!scored[c][d]) {
                        continue;
                    }
                    int from = Math.max(REPLAY_DAY, d - HISTORY_DAYS);
                    double past = replayedBefore[c][d] - replayedBefore[c][from];
                    double cost = Double.MAX_VALUE;
                    for (int r = 0; r < rules; r++) {
                        double own = slackBefore[r][c][d] - slackBefore[r][c][from];
                        double hit = exceededBefore[r][c][d] - exceededBefore[r][c][from];
                        double prior = clusterExceeded[d][r] / clusterDays[d];
                        double k = own / past + lambda * (hit + PRIOR_DAYS * prior) / (past + PRIOR_DAYS);
                        if (k < cost) {
                            cost = k;
                            rule[c][d] = r;
                        }
                    }
                }
            }
            return PricePath.of(rule, days, this);
        }

        double request(int rule, int c, int d) {
            return request[rule][c][d];
        }
    }

    /**
     * One price's choices: the rule per series and day (−1 where not scored), and per day the days
     * exceeded and the days scored, which the calibration reads.
     */
    record PricePath(int[][] rule, double[] exceeded, double[] days) {
        static PricePath of(int[][] rule, int days, Costs costs) {
            double[] ex = new double[days];
            double[] n = new double[days];
            for (int c = 0; c < rule.length; c++) {
                for (int d = 0; d < rule[c].length; d++) {
                    if (rule[c][d] >= 0) {
                        n[d]++;
                        ex[d] += costs.exceeded[rule[c][d]][c][d] ? 1 : 0;
                    }
                }
            }
            return new PricePath(rule, ex, n);
        }

        /** Day d of each series from the path {@code chosen[d]} picks. */
        static Result combine(List<PricePath> paths, int[] chosen, Costs costs) {
            int[][] rule = new int[paths.get(0).rule().length][];
            for (int c = 0; c < rule.length; c++) {
                rule[c] = new int[paths.get(0).rule()[c].length];
                for (int d = 0; d < rule[c].length; d++) {
                    rule[c][d] = paths.get(chosen[d]).rule()[c][d];
                }
            }
            return of(rule, chosen.length, costs).measure(costs);
        }

        Result measure(Costs costs) {
            double sl = 0;
            double ex = 0;
            double depth = 0;
            int changes = 0;
            for (int c = 0; c < rule.length; c++) {
                DaySamples s = costs.series.get(c);
                double previous = Double.NaN;
                for (int d = 0; d < rule[c].length; d++) {
                    int r = rule[c][d];
                    if (r < 0) {
                        previous = Double.NaN;
                        continue;
                    }
                    double req = costs.request(r, c, d);
                    sl += costs.slack[r][c][d];
                    ex += costs.exceeded[r][c][d] ? 1 : 0;
                    depth += Math.max(0, s.peak(d) - req);
                    if (!Double.isNaN(previous) && Math.abs(req / previous - 1) > 0.1) {
                        changes++;
                    }
                    previous = req;
                }
            }
            return new Result(sl / costs.usage, ex / costs.scoredDays, changes / (costs.scoredDays / 7.0),
                    depth / costs.peaks);
        }
    }
}
