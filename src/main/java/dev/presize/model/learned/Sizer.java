package dev.presize.model.learned;

import dev.presize.history.HourlyUsage;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.Resources;

/**
 * Serves one container's requests from a training ({@link LearnedStrategy.Trained}): each
 * resource's cheapest candidate at the calibrated prices (or, for CPU in the cold start, at the
 * cluster's level), the request in force kept while nearly as cheap, the bounds, the OOM bump and
 * the floors; the VPA recommender's answer while no container's history was long enough to
 * calibrate the prices on.
 */
final class Sizer {

    // OOM bump as the VPA recommender applies it (model/aggregate_container_state.go: OOMBumpUpRatio
    // 1.2, OOMMinBumpUp 100 MiB): memory >= max(peak + 100 MiB, peak x 1.2).
    static final double OOM_MIN_BUMP = 100 * LearnedStrategy.MIB;
    static final double OOM_BUMP_RATIO = 1.2;

    private final LearnedStrategy.Settings settings;
    private final Fallback fallback = new Fallback();

    Sizer(LearnedStrategy.Settings settings) {
        this.settings = settings;
    }

    /**
     * The model's recommendation, or the {@link Fallback}'s while nothing could be calibrated. A resource
     * without usage history before the decision is not recommended (NaN); memory without CPU history
     * is sized by the model's memory ladder as usual, so a container whose CPU metric is missing
     * still gets its memory.
     */
    Recommendation recommend(ContainerHistory c, long decision, LearnedStrategy.Trained trained) {
        HourlyUsage u = c.usage();
        int origin = LearnedStrategy.decisionSlot(u, decision);
        // Counted once: they decide what is recommended, then the confidence and the sample count.
        int cpuHours = Features.hoursWithCpu(u, 0, origin);
        int memoryHours = Features.hoursWithMemory(u, 0, origin);
        boolean cpuHistory = cpuHours > 0;
        boolean memoryHistory = memoryHours > 0;
        if (!cpuHistory && !memoryHistory) {
            return null;
        }
        boolean calibrated = (trained.cpuPrices() != null || !cpuHistory)
                && (trained.memoryPrices() != null || !memoryHistory);
        if (!calibrated) {
            return fallback.recommend(c, decision, origin);
        }
        // A container younger than a calibration origin's history (a pod started yesterday in a
        // cluster with weeks of history) is sized by the model from its own short past, not by the
        // fallback, whose risks are the baselines', not the targets': on the churn bench
        // (bench/backtest/run churn: half the series live 3 to 20 days) at KRR's risks the
        // memory days exceeded came out 5.6 % over KRR's with the (then VPA-like) fallback (docs/model-record.md,
        // "Young containers"); and its request, once in force, was kept for days after (step 4). CPU
        // at the prices, like the others: its curves are its own samples.
        // Memory at the prices too, on its in-sample curve, with a floor (youngMemory).
        boolean young = LearnedStrategy.spanHours(u, origin) < settings.minHistoryHours();
        int fold = LearnedStrategy.fold(c.key());
        Sized cpuSized = !cpuHistory ? Sized.NONE : trained.cold() != null
                ? coldSized(u, origin, trained.cold(), c.applied().cpuCores())
                : sized(u, origin, null, trained.cpuPrices(), trained.cpuScale(), true, c.applied().cpuCores());
        Sized memorySized = !memoryHistory ? Sized.NONE : young
                ? youngMemory(u, origin, trained.memoryPrices(), trained.memoryScale(), c.applied().memoryBytes())
                : sized(u, origin, trained.memory()[fold], trained.memoryPrices(), trained.memoryScale(), false,
                        c.applied().memoryBytes());
        // One restart for both, upward: when either resource's request moves up
        // (Resources.CHANGE_THRESHOLD), the pods restart anyway, so the other moves to its best too,
        // as the VPA updater applies the whole recommendation when it evicts a pod; kept apart, the
        // two would restart on different days. A move down restarts the pods too, but does not drag
        // the other along: a request comes down after a lull, which the other resource's best reads
        // too, so it would come down at the very moment its own replay would have kept it. The
        // calibration replays each resource's requests alone and never priced those moves: on the
        // dev trace at VPA's risks, with the CPU risks pooled, memory's downsizes dragging CPU
        // along put the CPU volume above the requests a fifth above its level without them
        // (README, "Predictions", step 4). A smaller move does not drag the other along either
        // (doing so on every move gave more changes on the dev trace).
        double[] cpu = cpuSized.values(memorySized.rises());
        double[] memory = memorySized.values(cpuSized.rises());
        boolean oom = oomKilled(u, origin);
        double peak = Features.maxMemory(u, 0, origin);
        Resources request = finish(cpu[0], memory[0], oom, peak);
        Resources lower = finish(cpu[1], memory[1], oom, peak);
        Resources upper = finish(cpu[2], memory[2], oom, peak);
        // Where all three prices pick the same candidate (usage that never varies), the bounds are the
        // ladder's neighbours: the model cannot tell requests closer than a step apart.
        lower = new Resources(lowerBound(lower.cpuCores(), request.cpuCores(), Ladder.CPU_STEP),
                lowerBound(lower.memoryBytes(), request.memoryBytes(), Ladder.MEMORY_STEP));
        upper = new Resources(upperBound(lower.cpuCores(), request.cpuCores(), upper.cpuCores()),
                upperBound(lower.memoryBytes(), request.memoryBytes(), upper.memoryBytes()));
        return new Recommendation(request, lower, upper, confidence(cpuHours, lower, upper),
                cpuHistory ? CpuDistribution.samples(u, 0, origin) : memoryHours);
    }

    /**
     * One resource's choice: the cheapest request at the request's prices ({@code best}), the request
     * in force when that is kept ({@code kept}, else NaN), and the bounds.
     */
    record Sized(double best, double kept, double applied, double lower, double upper) {

        static final Sized NONE = new Sized(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

        /**
         * Whether the request moves off the one in force by more than
         * {@link Resources#CHANGE_THRESHOLD}, or none is known to be in force (a resource not
         * recommended never moves).
         */
        boolean changes() {
            return !Double.isNaN(best) && Double.isNaN(kept) && (Double.isNaN(applied) || Resources.moved(applied, best));
        }

        /** Whether the request {@link #changes} upward (or is first set). */
        boolean rises() {
            return changes() && (Double.isNaN(applied) || best > applied);
        }

        /** {request, lower, upper}: the best when the pods restart anyway, else the kept request if any. */
        double[] values(boolean restart) {
            return new double[] {restart || Double.isNaN(kept) ? best : kept, lower, upper};
        }
    }

    /**
     * The choice from today's ladder at the three price sets; the request in force ({@code applied},
     * NaN when unknown) is kept when nearly as cheap as the best.
     */
    private Sized sized(HourlyUsage u, int origin, Curves fitted, PriceSet prices, double scale,
                        boolean isCpu, double applied) {
        Ladder l = isCpu ? Ladder.cpu(u, origin, settings.cpuFloorCores()) : Ladder.memory(u, origin);
        double[][] whole = Curves.curve(l, fitted, isCpu);
        // Only the candidates from the memory floor up (Ladder.floor), as the calibration replayed them.
        double[][] v = l.choosable(l.requests(), whole[0], whole[1]);
        double[] r = v[0];
        double[][] curve = {v[1], v[2]};
        return priced(r, curve[0], curve[1], prices.request(), scale, applied,
                r[Lagrangian.choose(r, curve[0], curve[1], prices.lower(), scale)],
                r[Lagrangian.choose(r, curve[0], curve[1], prices.upper(), scale)]);
    }

    /**
     * The cheapest candidate at prices {@code p}; the request in force ({@code applied}) stays while
     * it is nearly as cheap (Lagrangian.keep), as the calibration replayed it. The bounds never
     * stick: they say where the cheapest request lies.
     */
    private Sized priced(double[] r, double[] risk, double[] unmet, Lagrangian.Prices p, double scale,
                         double applied, double lower, double upper) {
        int best = Lagrangian.choose(r, risk, unmet, p, scale);
        boolean keep = Lagrangian.keep(r, risk, unmet, p, scale, best, applied, settings.changeCost()) >= 0;
        return new Sized(r[best], keep ? applied : Double.NaN, applied, lower, upper);
    }

    /**
     * CPU in the cold start: the cheapest candidate at the level's re-allocating prices when it has
     * them ({@link ColdStart#reallocated}), the request in force kept by cost as a warm choice keeps
     * it; else the smallest candidate whose own curves hold the level's targets. The bounds at the
     * looser and stricter targets themselves. Without prices the request in force stays while it
     * holds the level's targets too and costs at most --change-cost of the best more, as the warm
     * choice keeps it with its risks unpriced: without it the requests moved with every day's
     * curves, and on the dev trace the CPU volume above them came out over KRR's at KRR's
     * risks (docs/model-record.md, "On month-long traces").
     */
    private Sized coldSized(HourlyUsage u, int origin, ColdStart cold, double applied) {
        Ladder l = Ladder.cpu(u, origin, settings.cpuFloorCores());
        ColdStart.Own own = new ColdStart.Own(l.requests(), l.risk(), l.unmet(), Ladder.cpuMean(u, origin));
        double[] r = l.requests();
        int lower = own.choose(PriceSet.looser(settings.cpuRisk()), PriceSet.looser(settings.cpuUnmet()));
        int upper = own.choose(PriceSet.stricter(settings.cpuRisk()), PriceSet.stricter(settings.cpuUnmet()));
        if (cold.prices() != null) {
            // At the level's prices the request in force stays as the warm choice keeps it, by cost.
            return priced(r, l.risk(), l.unmet(), cold.prices(), cold.priceScale(), applied, r[lower], r[upper]);
        }
        return keptAbove(r, own.choose(cold.scale() * settings.cpuRisk(), cold.scale() * settings.cpuUnmet()),
                lower, upper, applied);
    }

    /**
     * A choice made without the cost the prices give (the cold start, a young container's memory):
     * candidates {@code best}, {@code lower} and {@code upper} of ladder {@code r}, the request in
     * force kept while it is at or above the best and at most --change-cost above it.
     */
    private Sized keptAbove(double[] r, int best, int lower, int upper, double applied) {
        int k = Lagrangian.inForce(r, applied);
        boolean keep = k >= best && r[k] <= r[best] * (1 + settings.changeCost());
        return new Sized(r[best], keep ? applied : Double.NaN, applied, r[lower], r[upper]);
    }

    /**
     * Memory of a container younger than a calibration origin's history: its in-sample curve (its
     * few daily peaks, a wide spread below three of them) at the calibrated price, but never below
     * the smallest candidate that holds the target on that curve alone; the bounds likewise at the
     * looser and stricter prices and targets; the request in force kept while at most
     * --change-cost above the best, as in the cold start. Not the learned curve: its rows all had
     * at least {@link LearnedStrategy.Settings#minHistoryHours} of past, and a shorter one lies
     * outside every row it saw. Not the price alone: it was calibrated on curves of containers
     * with days of history, and on a wide curve no calibration case had it can make certain
     * exceedance the cheapest choice (in LearnedStrategyTest's cluster of one flat container it put
     * a two-day-old flat container's request at a quarter of its peak). Not the target alone
     * either: a young container's few peaks understate its next day's, and held on its own curve
     * alone the memory days on a churn trace came out 3.6 % over KRR's at KRR's risks, at the
     * price with this floor under it within 2 % (docs/model-record.md, "Young containers").
     */
    private Sized youngMemory(HourlyUsage u, int origin, PriceSet prices, double scale, double applied) {
        Ladder l = Ladder.memory(u, origin);
        double target = settings.memoryRisk();
        return keptAbove(l.requests(), floored(l, prices.request(), scale, target),
                floored(l, prices.lower(), scale, PriceSet.looser(target)),
                floored(l, prices.upper(), scale, PriceSet.stricter(target)), applied);
    }

    /**
     * The candidate chosen at price {@code p} on {@code l}'s in-sample curve, or the smallest whose
     * risk is at most {@code target} when that is higher (the top one when none is); either from
     * the memory floor up ({@link Ladder#firstChoice}).
     */
    private static int floored(Ladder l, Lagrangian.Prices p, double scale, double target) {
        double[][] v = l.choosable(l.requests(), l.risk(), l.unmet());
        return l.firstChoice() + Math.max(Ladder.smallestHolding(v[1], v[2], target, Double.POSITIVE_INFINITY),
                Lagrangian.choose(v[0], v[1], v[2], p, scale));
    }

    private static boolean oomKilled(HourlyUsage u, int origin) {
        for (int h = 0; h < Math.min(origin, u.hours()); h++) {
            if (u.oomKilled()[h]) {
                return true;
            }
        }
        return false;
    }

    /** The lower bound: the request at the looser targets if below the request, else a ladder step below it. */
    static double lowerBound(double lower, double request, double step) {
        return lower < request ? lower : request / step;
    }

    /**
     * The upper bound: the request at the stricter targets when that is above the request. When it
     * is not (too few calibration days to tell a quarter of the target from the target, or the
     * request already at its cap) but the lower bound is below the request, the request's distance
     * to the lower bound mirrored above it in log space (request² / lower), so that a container whose
     * usage varies never gets a bound that says nothing (docs/api.md).
     */
    static double upperBound(double lower, double request, double upper) {
        if (upper > request || !(lower < request) || lower <= 0) {
            return Math.max(upper, request);
        }
        return request * request / lower;
    }

    /** OOM bump, then floors; a resource not recommended (NaN) stays NaN. */
    private Resources finish(double cpu, double memory, boolean oomKilled, double memoryPeak) {
        if (!Double.isNaN(memory) && oomKilled && !Double.isNaN(memoryPeak)) {
            memory = Math.max(memory, Math.max(memoryPeak + OOM_MIN_BUMP, memoryPeak * OOM_BUMP_RATIO));
        }
        return new Resources(Double.isNaN(cpu) ? cpu : Math.max(cpu, settings.cpuFloorCores()),
                Double.isNaN(memory) ? memory : Math.max(memory, settings.memoryFloorBytes()));
    }

    /**
     * How far the history supports the numbers: the share of the last two weeks covered by data,
     * times the tightness of the calibrated interval (lower/upper bound, geometric mean of CPU and
     * memory, square-rooted; CPU's alone when memory is not recommended): full history and a narrow
     * interval give 1.
     */
    private static double confidence(int cpuHours, Resources lower, Resources upper) {
        double coverage = Math.min(1.0, cpuHours / (14.0 * 24));
        double cpu = upper.hasCpu() ? lower.cpuCores() / upper.cpuCores() : 1;
        double memory = upper.hasMemory() ? lower.memoryBytes() / upper.memoryBytes() : 1;
        double tightness = upper.hasCpu() && upper.hasMemory() ? Math.sqrt(Math.sqrt(cpu * memory)) : Math.sqrt(cpu * memory);
        return Math.max(0, Math.min(1, (upper.hasCpu() ? coverage : 1) * tightness));
    }
}
