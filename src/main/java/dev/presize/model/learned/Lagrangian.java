package dev.presize.model.learned;

import java.util.List;

/**
 * Chooses each container's request from its ladder by one price per risk, and calibrates the prices
 * on held-back days. The three risks are pooled over the cluster (samples above, volume above,
 * container-days exceeded), so the cheapest way to hold them is not the same quantile for everyone:
 * minimising Σ slack + μ·Σ unmet + λ·(samples above) container by container (a Lagrangian relaxation;
 * the sum separates) gives headroom where it is cheap in cores — small, steady containers — and takes
 * the counted risk where headroom would be expensive, while μ keeps the volume above the requests
 * from piling up on the biggest, burstiest containers. Since slack = R − mean + unmet per sample, the
 * per-container cost of a candidate R is R + (1 + μ)·unmet(R) + λ·scale·risk(R); memory's is
 * R + λ·scale·risk(R). The prices are the grid point whose choices, replayed on the calibration days,
 * hold the targets with the least slack.
 */
final class Lagrangian {

    static final double[] MU = {0, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 12, 20, 35, 60, 100, 200};
    static final double[] LAMBDA = {0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500};
    static final double[] MEMORY_LAMBDA = memoryLambda();
    /**
     * The default of {@code --change-cost}: how much more than the cheapest a request already applied
     * may cost, as a share of the cheapest request, and still be kept ({@link #keep}): what a restart
     * is taken to be worth. At 0.4 the model changes requests less often than the VPA recommender at
     * VPA's and at KRR's risks on the dev trace (at 0.25 it did not at KRR's), for a few per cent
     * more slack than at 0 (README, "Predictions").
     */
    static final double CHANGE_COST = 0.4;

    private Lagrangian() {
    }

    /** Prices: {@code mu} for CPU volume above, {@code lambda} (times the scale) for the counted risk. */
    record Prices(double mu, double lambda) {
    }

    /** The index of the cheapest candidate at these prices. */
    static int choose(double[] requests, double[] risk, double[] unmet, Prices p, double scale) {
        return choose(requests, risk, unmet, p, scale, false);
    }

    /** {@link #choose(double[], double[], double[], Prices, double)} for candidates known to be {@link #bounded} or not. */
    static int choose(double[] requests, double[] risk, double[] unmet, Prices p, double scale, boolean bounded) {
        return choose(requests, risk, unmet, p.lambda() * scale, 1 + p.mu(), bounded);
    }

    /**
     * The index of the cheapest candidate, the prices given as {@code riskPrice} = λ·scale and
     * {@code unmetPrice} = 1 + μ: the calibration's replay calls this for every candidate of every
     * container-day at hundreds of prices, so the products are taken once per price. When the
     * candidates are {@link #bounded} and the prices are not negative, the walk stops at the first
     * candidate whose request alone costs more than the best so far: every cost is then at least
     * its request (each product added is 0 or more, and rounding keeps a sum of a value and a
     * non-negative term at or above the value), so neither that candidate nor any above it can be
     * strictly cheaper. The same index as the whole walk, for one that ends a little above the
     * cheapest instead of at the top of the ladder.
     */
    static int choose(double[] requests, double[] risk, double[] unmet, double riskPrice, double unmetPrice,
                      boolean bounded) {
        boolean stop = bounded && riskPrice >= 0 && unmetPrice >= 0;
        int best = requests.length - 1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int j = 0; j < requests.length; j++) {
            if (stop && requests[j] > bestCost) {
                break;
            }
            double cost = cost(requests, risk, unmet, riskPrice, unmetPrice, j);
            if (cost < bestCost) {
                bestCost = cost;
                best = j;
            }
        }
        return best;
    }

    /** Candidate {@code j}'s cost at these prices: R + (1 + μ)·unmet(R) + λ·scale·risk(R). */
    static double cost(double[] requests, double[] risk, double[] unmet, Prices p, double scale, int j) {
        return cost(requests, risk, unmet, p.lambda() * scale, 1 + p.mu(), j);
    }

    private static double cost(double[] requests, double[] risk, double[] unmet, double riskPrice, double unmetPrice,
                               int j) {
        return requests[j] + riskPrice * risk[j] + (Double.isNaN(unmet[j]) ? 0 : unmetPrice * unmet[j]);
    }

    /**
     * The candidate standing for the request the container already runs with ({@code applied}: the
     * nearest on the ladder, in log), when keeping it costs at most {@code changeCost} of the best
     * request more than the best; else -1 (change to the best). A changed request restarts the pods
     * (Kubernetes applies requests on pod creation), and near its minimum the cost is flat: small
     * moves of the curves from one day to the next would move the cheapest candidate back and forth
     * for almost nothing. An applied request off the ladder (NaN, or outside its range) is not kept.
     */
    static int keep(double[] requests, double[] risk, double[] unmet, Prices p, double scale, int best,
                    double applied, double changeCost) {
        return keep(requests, risk, unmet, p.lambda() * scale, 1 + p.mu(), best, applied, changeCost);
    }

    private static int keep(double[] requests, double[] risk, double[] unmet, double riskPrice, double unmetPrice,
                            int best, double applied, double changeCost) {
        int k = inForce(requests, applied);
        if (k < 0) {
            return -1;
        }
        return cost(requests, risk, unmet, riskPrice, unmetPrice, k)
                <= cost(requests, risk, unmet, riskPrice, unmetPrice, best) + changeCost * requests[best] ? k : -1;
    }

    /**
     * The candidate standing for the request in force: the nearest to {@code applied} in log space,
     * or -1 when {@code applied} is off the ladder (NaN, or outside its range), which is never kept.
     */
    static int inForce(double[] requests, double applied) {
        return applied >= requests[0] && applied <= requests[requests.length - 1] ? nearest(requests, applied) : -1;
    }

    /** The index of the candidate nearest to {@code value} in log space; the ladder is ascending. */
    static int nearest(double[] requests, double value) {
        int i = java.util.Arrays.binarySearch(requests, value);
        if (i >= 0) {
            return i;
        }
        int above = -i - 1;
        if (above == 0) {
            return 0;
        }
        if (above == requests.length) {
            return requests.length - 1;
        }
        return Math.log(requests[above] / value) < Math.log(value / requests[above - 1]) ? above : above - 1;
    }

    /**
     * A calibration case: the curves the choice reads (in-sample or predicted) and what the day after
     * the origin held at each candidate: samples above (CPU) or 1/0 exceeded (memory), volume above,
     * slack; and the day's sample count and usage.
     */
    record Case(int splits, double[] requests, double[] risk, double[] unmet, double[] above, double[] realizedUnmet,
                double[] slack, double samples, double usage, boolean bounded) {

        /** A case, with whether its candidates are {@link Lagrangian#bounded}. */
        static Case of(int splits, double[] requests, double[] risk, double[] unmet, double[] above,
                       double[] realizedUnmet, double[] slack, double samples, double usage) {
            return new Case(splits, requests, risk, unmet, above, realizedUnmet, slack, samples, usage,
                    Lagrangian.bounded(requests, risk, unmet));
        }

        /** The container's fold in split {@code s} ({@link LearnedStrategy#splits}). */
        int fold(int s) {
            return splits >>> s & 1;
        }
    }

    /**
     * Whether the requests never fall (and none is NaN) and no risk or volume is negative (NaN
     * counts as none, as in the cost): at prices of 0 or more, each candidate's cost is then at
     * least its request, and a walk up the ladder may stop once the request alone costs more
     * than the best so far ({@link #choose(double[], double[], double[], double, double, boolean)}).
     */
    static boolean bounded(double[] requests, double[] risk, double[] unmet) {
        for (int j = 0; j < requests.length; j++) {
            if (Double.isNaN(requests[j]) || (j > 0 && !(requests[j] >= requests[j - 1])) || risk[j] < 0
                    || unmet[j] < 0) {
                return false;
            }
        }
        return true;
    }

    /** How much luckier a pick on half the containers is than one on all of them: √2 (Grid.optimism). */
    static final double HALF_TO_ALL = Math.sqrt(2);

    /**
     * Fewer containers than this in a fold, and the CPU calibration does not measure the pick's luck
     * across the folds: their disagreement is then mostly which containers fell in which fold
     * (in the end-to-end tests' clusters of two or three containers a fold it came out above the
     * CPU volume target itself, so no price held what was left and every object said
     * {@code TargetMissed}). It requires the targets on each fold instead, as before the luck was
     * measured. On the dev trace, its halves and its CPU alone the results are the same with and
     * without this rule (README, step 3).
     */
    static final int MIN_FOLD_CONTAINERS = 25;

    /**
     * Realised pooled risks and slack of the choices at every grid point, and the same per container
     * fold of each split ({@code [point][split][fold]}, {@link LearnedStrategy#splits}); the best is
     * read per target. {@code measured}: per split, whether its folds are large enough to measure
     * the luck ({@link #MIN_FOLD_CONTAINERS}).
     */
    record Grid(Prices[] prices, double[] risk, double[] unmet, double[] slack, double[][][] foldRisk,
                double[][][] foldUnmet, double[][][] foldSlack, boolean[] measured) {

        /** Split 0's folds (the regressors') measure the luck; otherwise the risks are the worse fold's. */
        boolean luckMeasured() {
            return measured[0];
        }

        /**
         * The winner's curse of picking the point with the least slack that holds the targets,
         * measured across the folds: picked on one fold's containers, how much more risk that point
         * carries on the other fold's; the mean of the two picks, never below 0. The pick among many
         * points is the one whose days were luckiest, so its risk on the days it was picked on
         * understates what the same prices will carry on the next day; the other fold's days
         * did not take part in the pick, so they show how much (cross-fitting, as for the
         * regressors). A pick on half the containers is luckier than the served pick on all of them:
         * the noise of a pooled risk, and with it the luck of the least-slack point, shrinks as
         * 1/√n, so the excess measured on halves is divided by √2 ({@link #HALF_TO_ALL}). Zero
         * when a fold has no point holding the targets (nothing was picked), and when the folds are
         * too small to measure it ({@link #MIN_FOLD_CONTAINERS}: the risks are the worse fold's).
         * Measured on each split of the containers ({@link LearnedStrategy#LUCK_SPLITS}) that is
         * large enough and picks a point on both folds, and averaged over them: one split's measure
         * depends on which containers fell in which fold.
         */
        Optimism optimism(double riskTarget, double unmetTarget) {
            if (!luckMeasured()) {
                return Optimism.NONE;
            }
            double risk = 0;
            double unmet = 0;
            int counted = 0;
            for (int s = 0; s < measured.length; s++) {
                Optimism o = measured[s] ? optimism(s, riskTarget, unmetTarget) : null;
                if (o != null) {
                    risk += o.risk();
                    unmet += o.unmet();
                    counted++;
                }
            }
            return counted == 0 ? Optimism.NONE : new Optimism(risk / counted, unmet / counted);
        }

        /** The optimism measured on split {@code s}; null when a fold picks no point. */
        private Optimism optimism(int s, double riskTarget, double unmetTarget) {
            double risk = 0;
            double unmet = 0;
            for (int f = 0; f < LearnedStrategy.FOLDS; f++) {
                int pick = -1;
                for (int i = 0; i < prices.length; i++) {
                    boolean holds = foldRisk[i][s][f] <= riskTarget
                            && (Double.isNaN(foldUnmet[i][s][f]) || foldUnmet[i][s][f] <= unmetTarget);
                    if (holds && (pick < 0 || foldSlack[i][s][f] < foldSlack[pick][s][f])) {
                        pick = i;
                    }
                }
                if (pick < 0) {
                    return null;
                }
                int other = 1 - f;
                risk += (foldRisk[pick][s][other] - foldRisk[pick][s][f]) / 2;
                unmet += Double.isNaN(foldUnmet[pick][s][f]) ? 0 : (foldUnmet[pick][s][other] - foldUnmet[pick][s][f]) / 2;
            }
            return new Optimism(Math.max(0, risk) / HALF_TO_ALL, Math.max(0, unmet) / HALF_TO_ALL);
        }

        /**
         * The prices holding both targets with the least slack; when none does, the ones closest to
         * them (the least worst ratio to its target).
         */
        Prices best(double riskTarget, double unmetTarget) {
            return prices[bestIndex(riskTarget, unmetTarget)];
        }

        /** The index of {@link #best}'s point. */
        int bestIndex(double riskTarget, double unmetTarget) {
            int best = -1;
            int closest = 0;
            double closestRatio = Double.POSITIVE_INFINITY;
            for (int i = 0; i < prices.length; i++) {
                double ratio = Math.max(risk[i] / riskTarget, Double.isNaN(unmet[i]) ? 0 : unmet[i] / unmetTarget);
                if (ratio <= 1 && (best < 0 || slack[i] < slack[best])) {
                    best = i;
                }
                if (ratio < closestRatio || (ratio == closestRatio && slack[i] < slack[closest])) {
                    closestRatio = ratio;
                    closest = i;
                }
            }
            return best >= 0 ? best : closest;
        }
    }

    /**
     * How much lower the risks the calibration read are than what its pick carries out of sample
     * ({@link Grid#optimism}), in the targets' units.
     */
    record Optimism(double risk, double unmet) {

        static final Optimism NONE = new Optimism(0, 0);

        /**
         * A target lowered by the optimism, so that the pooled risks holding it hold the target
         * itself on the next day; never below half of it, so that a measure that is still mostly
         * noise (folds just above {@link #MIN_FOLD_CONTAINERS}) cannot ask for more than the
         * calibration days can give. On the dev trace the luck averaged 2 to 6 % of the targets at
         * VPA's and KRR's risks (scratch instrumentation, before the √2).
         */
        static double lowered(double target, double optimism) {
            return Math.max(target / 2, target - optimism);
        }
    }

    /** Replays the CPU cases (per container) at every (μ, λ). */
    static Grid cpu(List<List<Case>> cases, double scale, double changeCost) {
        Prices[] prices = new Prices[MU.length * LAMBDA.length];
        int n = 0;
        for (double mu : MU) {
            for (double lambda : LAMBDA) {
                prices[n++] = new Prices(mu, lambda);
            }
        }
        return replay(cases, prices, scale, true, changeCost);
    }

    /** Bisection steps of {@link #refine}: the grid's λ steps (×1.28 for memory) narrowed 64-fold. */
    static final int REFINE_STEPS = 6;

    /**
     * The grid's best prices for the targets, with λ refined between that point and the next
     * cheaper λ at the same μ (which misses the targets) by bisection in log λ. A grid step moves the
     * pooled risks by up to a quarter: on the dev trace at VPA's memory risk the grid's best held
     * 0.058 of container-days in-sample at a 0.067 target (the next point 0.074), and the served
     * risk came out as far under its target, for more slack; CPU's binding volume target likewise.
     * μ is left on its grid, although its steps are wider: refined the same way it took 0.5 to 0.7 %
     * off the whole dev trace's CPU slack but spent the margin the grid left under the volume
     * target, and lost one more of the shorter traces' comparisons (docs/model-record.md, "μ
     * between the grid's points").
     */
    static Prices refine(List<List<Case>> cases, double scale, double changeCost, Grid grid, double riskTarget,
                         double unmetTarget, boolean cpu) {
        return refine(cases, scale, changeCost, grid, new double[] {riskTarget}, new double[] {unmetTarget}, cpu)[0];
    }

    /**
     * {@link #refine} for several pairs of targets at once (the request's and the two bounds'): their
     * bisections step together, each step replaying one price per pair still open, so that the
     * steps of the three find both cores, as the grid's points do.
     */
    static Prices[] refine(List<List<Case>> cases, double scale, double changeCost, Grid grid, double[] riskTargets,
                           double[] unmetTargets, boolean cpu) {
        int m = riskTargets.length;
        Prices[] out = new Prices[m];
        double[] lo = new double[m];
        double[] hi = new double[m];
        List<Integer> open = new java.util.ArrayList<>();
        for (int t = 0; t < m; t++) {
            out[t] = grid.best(riskTargets[t], unmetTargets[t]);
            int i = java.util.Arrays.asList(grid.prices()).indexOf(out[t]);
            int step = cpu ? i % LAMBDA.length : i; // the λ's index in its μ's row
            // Not when λ = 0 (or the first step) holds them, nothing does, or the grid is not a bracket here.
            if (step > 1 && ratio(grid, i, riskTargets[t], unmetTargets[t]) <= 1
                    && ratio(grid, i - 1, riskTargets[t], unmetTargets[t]) > 1) {
                lo[t] = Math.log(grid.prices()[i - 1].lambda());
                hi[t] = Math.log(out[t].lambda());
                open.add(t);
            }
        }
        for (int k = 0; k < REFINE_STEPS && !open.isEmpty(); k++) {
            Prices[] mid = new Prices[open.size()];
            for (int o = 0; o < mid.length; o++) {
                int t = open.get(o);
                mid[o] = new Prices(out[t].mu(), Math.exp((lo[t] + hi[t]) / 2));
            }
            Grid step = replay(cases, mid, scale, cpu, changeCost);
            for (int o = 0; o < mid.length; o++) {
                int t = open.get(o);
                if (ratio(step, o, riskTargets[t], unmetTargets[t]) <= 1) {
                    hi[t] = (lo[t] + hi[t]) / 2;
                } else {
                    lo[t] = (lo[t] + hi[t]) / 2;
                }
            }
        }
        for (int t : open) {
            out[t] = new Prices(out[t].mu(), Math.exp(hi[t]));
        }
        return out;
    }

    /** The worse of a grid point's risks relative to their targets (memory has no volume target). */
    private static double ratio(Grid grid, int i, double riskTarget, double unmetTarget) {
        return Math.max(grid.risk()[i] / riskTarget, Double.isNaN(grid.unmet()[i]) ? 0 : grid.unmet()[i] / unmetTarget);
    }

    /** Tasks of a replay per core: a few, so that a core finishing early takes another run of points. */
    static final int TASKS_PER_CORE = 4;

    /** Replays the memory cases at every λ. */
    static Grid memory(List<List<Case>> cases, double scale, double changeCost) {
        Prices[] prices = new Prices[MEMORY_LAMBDA.length];
        for (int i = 0; i < prices.length; i++) {
            prices[i] = new Prices(0, MEMORY_LAMBDA[i]);
        }
        return replay(cases, prices, scale, false, changeCost);
    }

    /**
     * The risks of each grid point, pooled over the containers, and per fold for
     * {@link Grid#optimism}. Pooled rather than the worse fold's: requiring the targets on each
     * half of the containers separately kept the pick's luck out, but at about a standard error
     * more caution than the luck costs (on a CPU-only trace at KRR's risks the served volume
     * above the requests came out 13 % under its target, and the slack above KRR's); the luck is
     * measured across the folds instead, and taken off the targets (PriceSet),
     * unless a fold has fewer than {@link #MIN_FOLD_CONTAINERS} containers: then the worse fold's.
     */
    private static Grid replay(List<List<Case>> containers, Prices[] prices, double scale, boolean cpu,
                               double changeCost) {
        int folds = LearnedStrategy.FOLDS;
        // Memory measures no luck (PriceSet): split 0, its regressors' folds, alone.
        int splits = cpu ? LearnedStrategy.LUCK_SPLITS : 1;
        double[] risk = new double[prices.length];
        double[] unmet = new double[prices.length];
        double[] slack = new double[prices.length];
        double[][] samples = new double[splits][folds];
        double[][] usage = new double[splits][folds];
        int[][] foldContainers = new int[splits][folds];
        // Each container's fold in every split, read once here rather than at every grid point.
        int[][] containerFolds = new int[containers.size()][splits];
        for (int ci = 0; ci < containerFolds.length; ci++) {
            List<Case> sequence = containers.get(ci);
            int[] fold = containerFolds[ci];
            for (int s = 0; s < splits; s++) {
                fold[s] = sequence.get(0).fold(s);
            }
            double containerSamples = 0;
            double containerUsage = 0;
            for (Case c : sequence.subList(firstScored(sequence), sequence.size())) {
                double n = cpu ? c.samples() : 1;
                samples[0][fold[0]] += n;
                usage[0][fold[0]] += c.usage();
                containerSamples += n;
                containerUsage += c.usage();
            }
            foldContainers[0][fold[0]]++;
            for (int s = 1; s < splits; s++) {
                foldContainers[s][fold[s]]++;
                samples[s][fold[s]] += containerSamples;
                usage[s][fold[s]] += containerUsage;
            }
        }
        double totalUsage = usage[0][0] + usage[0][1];
        boolean[] measured = new boolean[splits];
        for (int s = 0; s < splits; s++) {
            measured[s] = cpu && Math.min(foldContainers[s][0], foldContainers[s][1]) >= MIN_FOLD_CONTAINERS;
        }
        boolean luckMeasured = measured[0];
        double[][][] above = new double[prices.length][splits][folds];
        double[][][] volume = new double[prices.length][splits][folds];
        double[] idle = new double[prices.length];
        double[][][] foldIdle = new double[prices.length][splits][folds];
        // Grid points are independent: replayed in parallel (the backtest decides the model's days
        // in order, so this is where its decisions find a second core), a run of consecutive
        // points per task. Each task walks the containers in order and replays all its
        // points on one container before the next, so a container's days are read from cache for
        // every point after the first (point by point over the whole cluster, they were read from
        // memory every time); each point's sums still add the same days in the same order.
        int tasks = Math.min(prices.length, TASKS_PER_CORE * Runtime.getRuntime().availableProcessors());
        java.util.stream.IntStream.range(0, tasks).parallel().forEach(t -> {
            int from = (int) ((long) t * prices.length / tasks);
            int to = (int) ((long) (t + 1) * prices.length / tasks);
            for (int ci = 0; ci < containers.size(); ci++) {
                List<Case> sequence = containers.get(ci);
                int first = firstScored(sequence);
                int[] fold = containerFolds[ci];
                int f = fold[0];
                for (int i = from; i < to; i++) {
                    double riskPrice = prices[i].lambda() * scale;
                    double unmetPrice = 1 + prices[i].mu();
                    // The days in order, each starting from the request the day before left applied, as
                    // deployment tooling applying the served requests would (see keep).
                    double applied = Double.NaN;
                    double containerAbove = 0;
                    double containerVolume = 0;
                    double containerIdle = 0;
                    for (int n = 0; n < sequence.size(); n++) {
                        Case c = sequence.get(n);
                        int j = choose(c.requests(), c.risk(), c.unmet(), riskPrice, unmetPrice, c.bounded());
                        int k = keep(c.requests(), c.risk(), c.unmet(), riskPrice, unmetPrice, j, applied, changeCost);
                        if (k >= 0) {
                            j = k;
                        } else {
                            applied = c.requests()[j];
                        }
                        if (n < first) {
                            continue;
                        }
                        double v = cpu ? c.realizedUnmet()[j] : 0;
                        above[i][0][f] += c.above()[j];
                        volume[i][0][f] += v;
                        idle[i] += c.slack()[j];
                        foldIdle[i][0][f] += c.slack()[j];
                        containerAbove += c.above()[j];
                        containerVolume += v;
                        containerIdle += c.slack()[j];
                    }
                    // The other splits only measure the luck: a container's days go in at once.
                    for (int s = 1; s < splits; s++) {
                        int g = fold[s];
                        above[i][s][g] += containerAbove;
                        volume[i][s][g] += containerVolume;
                        foldIdle[i][s][g] += containerIdle;
                    }
                }
            }
        });
        double[][][] foldRisk = new double[prices.length][splits][folds];
        double[][][] foldUnmet = new double[prices.length][splits][folds];
        double[][][] foldSlack = new double[prices.length][splits][folds];
        double totalSamples = samples[0][0] + samples[0][1];
        for (int i = 0; i < prices.length; i++) {
            for (int s = 0; s < splits; s++) {
                for (int g = 0; g < folds; g++) {
                    foldRisk[i][s][g] = share(above[i][s][g], samples[s][g]);
                    foldUnmet[i][s][g] = cpu ? share(volume[i][s][g], usage[s][g]) : Double.NaN;
                    foldSlack[i][s][g] = share(foldIdle[i][s][g], usage[s][g]);
                }
            }
            if (cpu && !luckMeasured) {
                risk[i] = Math.max(foldRisk[i][0][0], foldRisk[i][0][1]);
                unmet[i] = Math.max(foldUnmet[i][0][0], foldUnmet[i][0][1]);
            } else {
                risk[i] = share(above[i][0][0] + above[i][0][1], totalSamples);
                unmet[i] = cpu ? share(volume[i][0][0] + volume[i][0][1], totalUsage) : Double.NaN;
            }
            slack[i] = share(idle[i], totalUsage);
        }
        return new Grid(prices, risk, unmet, slack, foldRisk, foldUnmet, foldSlack, measured);
    }

    /** {@code part / whole}, 0 when there is nothing to divide (a fold without containers). */
    private static double share(double part, double whole) {
        return whole == 0 ? 0 : part / whole;
    }

    /**
     * The first day of a container's sequence that is scored: the second when there are several.
     * The first is chosen with no request in force and from the shortest past of all (the oldest
     * origin), as no served decision after a container's first is: it seeds the chain of kept
     * requests but is not counted. Counted, its riskier choices made the prices too cautious for
     * the served decisions: on the dev trace at KRR's risks the served memory risk came out at
     * 0.0200 of container-days against a 0.0233 target (README, "Predictions", step 3). A container
     * with a single day is scored on it.
     */
    static int firstScored(List<Case> sequence) {
        return sequence.size() > 1 ? 1 : 0;
    }

    private static double[] memoryLambda() {
        double[] l = new double[80];
        for (int i = 1; i < l.length; i++) {
            l[i] = Math.exp(-8 + 0.25 * (i - 1));
        }
        return l;
    }
}
