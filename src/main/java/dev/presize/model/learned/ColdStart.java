package dev.presize.model.learned;

import dev.presize.history.HourlyUsage;
import dev.presize.model.ContainerHistory;
import java.util.List;

/**
 * How CPU is sized while the cluster's history is too short for the calibration: no container has
 * {@link LearnedStrategy.Settings#minHistoryHours} of history before the second-oldest calibration
 * origin ({@link LearnedStrategy.Settings#calibrationDays} − 1 back), as after Presize is installed
 * next to a Prometheus younger than the --history window. The calibration then replays only the
 * few newest days that have a past, and prices fitted on them say little about the next: on the
 * dev trace's September the first trainings priced the CPU volume above the requests at μ 1 or
 * less, later ones at 3 to 20, and the first week's requests left 3.5–43 % of each day's CPU
 * above them (README, "Predictions", step 5).
 *
 * <p>Instead each container takes the smallest candidate whose own recency-weighted curves hold
 * {@code scale} × both CPU targets, {@code scale} being the largest factor (at least 1) at which
 * those choices still hold the targets pooled across the cluster on the same curves: one level
 * for the whole cluster, as the prices are, read in sample where there is nothing held back to
 * read it on. Each container counts once in the pooled share of samples, as in a cluster scraped
 * at one interval; the volume is pooled by each container's mean usage.
 *
 * <p>That level puts every container at about the same share of its own curve, which is not the
 * cheapest way to leave a share of the samples above the requests: a steady container is covered
 * whole for little, a bursty one costs most per sample covered (VPA's p90 × 1.15 has that shape by
 * construction). So the level is then re-allocated at one pair of prices ({@link #reallocated}):
 * the (μ, λ) of a grid finer than the calibration's whose choices, on the same in-sample curves, hold the
 * samples target pooled and leave no more of the volume above the requests than the level's own
 * choices do, at the least total request. Held to the volume target itself instead (4 to 9 times
 * the level's in-sample volume on the dev trace's September), in-sample prices spent it, and the
 * days served came out far over it
 * (docs/model-record.md, "The cold start and the young window on 10-day traces", try 1); held to
 * the level's volume they spend none the level did not.
 *
 * @param scale      the factor on the targets each container's own curves are held to
 * @param risk       the pooled in-sample share of samples above the chosen requests
 * @param unmet      the pooled in-sample share of the usage above them
 * @param prices     the re-allocating prices, or null when none is cheaper than the level
 * @param priceScale the scale {@code prices}' λ is taken at ({@link Lagrangian#choose})
 */
record ColdStart(double scale, double risk, double unmet, Lagrangian.Prices prices, double priceScale) {

    /**
     * Calibration days that may lack their history without a cold start. The window cannot tell a
     * young cluster from a hole in its history at the window's start (a day-long Prometheus
     * outage, 11 to 14 days back): both leave the oldest origin without its 72 hours. Counting a
     * day's hole as a cold start flipped a cluster with months of history into it for the one
     * decision when the hole reached the oldest origin and out again the next day: on the dev
     * trace's CPU-only copy (no samples for a day from 30 July and from 30 August) the August
     * hole's two decisions moved 321 CPU requests at KRR's risks, VPA 85, and the changes a week
     * came out over VPA's (README, "Predictions", step 5). A true cold start then ends a day
     * earlier.
     */
    static final int DAYS_MISSING_TOLERATED = 1;
    /**
     * The steps each step of the calibration's (μ, λ) grid is cut into on the grid the re-allocating
     * prices are searched on. The cold start prices each day's in-sample curves, which move a little
     * from day to day, and the cheapest point of the calibration's grid jumped between far-apart
     * points as they did (on the dev trace's CPU-only 10-day August at VPA's risks, (μ, λ) = (35,
     * 50), (35, 0), (35, 0), (35, 5) on four days running, the in-sample share of samples above the
     * requests from 0.0027 to 0.0196), and the requests of the bursty containers jumped with them:
     * the cold start moved requests more often than VPA on five of the six CPU-only 10-day traces.
     * On a finer grid the prices follow the curves (there, with four steps, μ from 30 to 46 and λ at
     * most 0.14), and fewer requests move (docs/model-record.md, "A finer grid for the cold start's prices"). The
     * warm calibration keeps its grid: its cases are replayed days, a fixed set each day, and λ is
     * refined between its points.
     */
    static final int GRID_SUBSTEPS = 8;
    static final double[] MU_GRID = finer(Lagrangian.MU, GRID_SUBSTEPS, true);
    static final double[] LAMBDA_GRID = finer(Lagrangian.LAMBDA, GRID_SUBSTEPS, false);
    /** Bisection steps on the factor: 2^-30 of the log-range, far below a ladder step. */
    private static final int STEPS = 30;

    /**
     * Whether {@code decision} falls in the cold start: no container has the history the
     * second-oldest calibration origin needs ({@link #DAYS_MISSING_TOLERATED}).
     */
    static boolean applies(List<ContainerHistory> containers, long decision, LearnedStrategy.Settings settings) {
        int days = settings.calibrationDays() - DAYS_MISSING_TOLERATED;
        return containers.stream().noneMatch(c -> {
            HourlyUsage u = c.usage();
            int origin = LearnedStrategy.decisionSlot(u, decision) - days * Features.DAY;
            return origin >= 0 && LearnedStrategy.spanHours(u, origin) >= settings.minHistoryHours();
        });
    }

    /**
     * The cluster's level at {@code decision}, from every container with CPU history before it,
     * re-allocated at prices ({@code priceScale}: the calibration's, {@link CalibrationCase#scale}),
     * on ladders from {@code cpuFloor} up ({@link Ladder#cpu(HourlyUsage, int, double)}).
     */
    static ColdStart level(List<ContainerHistory> containers, long decision, double cpuRisk, double cpuUnmet,
                           double priceScale, double cpuFloor) {
        List<Own> own = containers.parallelStream().map(c -> {
            HourlyUsage u = c.usage();
            int origin = LearnedStrategy.decisionSlot(u, decision);
            Ladder l = Ladder.cpu(u, origin, cpuFloor);
            return l == null ? null : new Own(l.requests(), l.risk(), l.unmet(), Ladder.cpuMean(u, origin));
        }).filter(o -> o != null).toList();
        return reallocated(level(own, cpuRisk, cpuUnmet), own, cpuRisk, cpuUnmet, priceScale);
    }

    /**
     * One container's CPU ladder, its own curves and its weighted mean usage per sample; whether its
     * candidates are {@link Lagrangian#bounded} (the re-allocation chooses at some 14 000 prices).
     */
    record Own(double[] requests, double[] risk, double[] unmet, double mean, boolean bounded) {

        Own(double[] requests, double[] risk, double[] unmet, double mean) {
            this(requests, risk, unmet, mean, Lagrangian.bounded(requests, risk, unmet));
        }

        int choose(double riskTarget, double unmetTarget) {
            return ColdStart.choose(risk, unmet, mean, riskTarget, unmetTarget);
        }
    }

    /**
     * The largest factor whose choices hold both targets pooled. Factor 1 always holds: each
     * container then holds both on its own, and the top candidate (twice the past maximum) has
     * nothing above it. The pooled shares grow with the factor, so it is found by bisection (in
     * log space, up to the factor at which the stricter target reaches 1).
     */
    static ColdStart level(List<Own> containers, double cpuRisk, double cpuUnmet) {
        double lo = 1;
        double hi = 1 / Math.min(cpuRisk, cpuUnmet);
        double[] pooled = pooled(containers, lo, cpuRisk, cpuUnmet);
        for (int k = 0; k < STEPS; k++) {
            double mid = Math.sqrt(lo * hi);
            double[] p = pooled(containers, mid, cpuRisk, cpuUnmet);
            if (p[0] <= cpuRisk && p[1] <= cpuUnmet) {
                lo = mid;
                pooled = p;
            } else {
                hi = mid;
            }
        }
        return new ColdStart(lo, pooled[0], pooled[1], null, Double.NaN);
    }

    /**
     * {@code level} with the prices of a finer (μ, λ) grid than the calibration's ({@link #GRID_SUBSTEPS})
     * whose choices on the same
     * curves hold {@code cpuRisk} of the samples pooled and at most the level's own pooled share of
     * the volume, at the least total request below the level's; {@code level} itself when no point
     * is cheaper. The pooled shares reported are then the prices' choices'.
     */
    static ColdStart reallocated(ColdStart level, List<Own> containers, double cpuRisk, double cpuUnmet,
                                 double priceScale) {
        double least = pooled(containers, o -> o.choose(level.scale() * cpuRisk, level.scale() * cpuUnmet))[2];
        // Every point's pooled shares, the μ rows in parallel; then the cheapest in grid order, as one
        // thread would find it, so that the choice does not depend on the threads.
        double[][][] at = java.util.stream.IntStream.range(0, MU_GRID.length).parallel()
                .mapToObj(i -> {
                    double[][] row = new double[LAMBDA_GRID.length][];
                    for (int j = 0; j < LAMBDA_GRID.length; j++) {
                        Lagrangian.Prices p = new Lagrangian.Prices(MU_GRID[i], LAMBDA_GRID[j]);
                        row[j] = pooled(containers,
                                o -> Lagrangian.choose(o.requests(), o.risk(), o.unmet(), p, priceScale, o.bounded()));
                    }
                    return row;
                }).toArray(double[][][]::new);
        ColdStart best = level;
        for (int i = 0; i < MU_GRID.length; i++) {
            for (int j = 0; j < LAMBDA_GRID.length; j++) {
                double[] a = at[i][j];
                if (a[0] <= cpuRisk && a[1] <= level.unmet() && a[2] < least) {
                    least = a[2];
                    best = new ColdStart(level.scale(), a[0], a[1], new Lagrangian.Prices(MU_GRID[i], LAMBDA_GRID[j]),
                            priceScale);
                }
            }
        }
        return best;
    }

    /**
     * {@code grid} with {@code n} − 1 points between each two neighbours: geometric in 1 + x for
     * μ ({@code onePlus}, as a μ of 0 is a price), geometric in x for λ, and linear from a λ of 0.
     */
    static double[] finer(double[] grid, int n, boolean onePlus) {
        double[] out = new double[(grid.length - 1) * n + 1];
        for (int i = 0; i + 1 < grid.length; i++) {
            double a = grid[i];
            double b = grid[i + 1];
            for (int k = 0; k < n; k++) {
                double t = k / (double) n;
                out[i * n + k] = onePlus ? Math.expm1(Math.log1p(a) + t * (Math.log1p(b) - Math.log1p(a)))
                        : a == 0 ? t * b : a * Math.pow(b / a, t);
            }
        }
        out[out.length - 1] = grid[grid.length - 1];
        return out;
    }

    /** {share of samples, share of usage} above the requests chosen at {@code scale} × the targets. */
    private static double[] pooled(List<Own> containers, double scale, double cpuRisk, double cpuUnmet) {
        return pooled(containers, o -> o.choose(scale * cpuRisk, scale * cpuUnmet));
    }

    /**
     * {share of samples, share of usage, total request} of each container's candidate
     * {@code choice}: each container's share of samples counted once, the volume pooled by its mean
     * usage (the class comment), for the level and the re-allocating prices alike.
     */
    private static double[] pooled(List<Own> containers, java.util.function.ToIntFunction<Own> choice) {
        double risk = 0;
        double unmet = 0;
        double usage = 0;
        double total = 0;
        for (Own o : containers) {
            int j = choice.applyAsInt(o);
            risk += o.risk()[j];
            unmet += o.unmet()[j];
            usage += o.mean();
            total += o.requests()[j];
        }
        return new double[] {risk / Math.max(1, containers.size()), usage > 0 ? unmet / usage : 0, total};
    }

    /**
     * The smallest candidate whose curves hold {@code riskTarget} of the samples and
     * {@code unmetTarget} of the usage ({@code mean} per sample) above it; the top one when none does.
     */
    static int choose(double[] risk, double[] unmet, double mean, double riskTarget, double unmetTarget) {
        return Ladder.smallestHolding(risk, unmet, riskTarget, unmetTarget * mean);
    }
}
