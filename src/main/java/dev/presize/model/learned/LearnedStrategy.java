package dev.presize.model.learned;

import dev.presize.config.ServerFlags;
import dev.presize.history.HourlyUsage;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.Resources;
import dev.presize.model.TargetStatus;
import dev.presize.model.baselines.VpaRecommender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presize's model. For each resource and container it lays out a ladder of candidate requests
 * ({@link Ladder}), reads for each how much risk it would carry tomorrow (the risk curve), and
 * picks the cheapest at one cluster-wide price per risk ({@link Lagrangian}); the prices are
 * calibrated on the latest days, replayed, so that all three risks stay at their targets. CPU's
 * curves are the container's own recency-weighted past. Memory's are learned: a Tribuo logistic
 * regression ({@link Learner}), trained across the cluster on past origins, gives the chance that
 * the next day's peak exceeds each candidate from where the candidate lies relative to the
 * container's past peaks (and the in-sample curve's own log-odds); one model sees how peaks like a
 * container's own overshoot a request that far above them, which a container's few daily peaks
 * cannot show. The ablation {@code model-no-learning} reads the in-sample memory curve instead (a
 * Laplace random walk from the last peaks). The same class serves the server's refresh and the
 * backtest's decisions: given the hourly usage before a decision, it trains (when due), calibrates
 * and chooses.
 *
 * <p>Origins are whole days back from the decision, the {@link Settings#calibrationDays} latest
 * that have {@link Settings#minHistoryHours} of history before them; each is a training row set and
 * a calibration case. The regressors are cross-fitted twice over: containers are split in two folds
 * by a hash of their key, origins in two blocks in time (the {@link Settings#recentDays} newest and
 * the older), and a calibration case reads the regressor trained on the other fold's containers at
 * the other block's days; serving reads the one trained on the other fold at the newest days. So a
 * calibration case was never a training row of its regressor, nor was any container's day on the
 * same date, and the calibrated prices hold on days no regressor saw, as served ones must. Nothing
 * after the decision is ever read.
 */
public final class LearnedStrategy implements RequestStrategy {

    static final double MIB = 1024.0 * 1024.0;
    static final int FOLDS = 2;

    /**
     * @param learner          which Tribuo regressor
     * @param learning         whether the regressors draw the risk curves; false is the ablation
     *                         {@code model-no-learning}: the container's own recency-weighted past
     * @param cpuRisk          target share of CPU samples above the request
     * @param cpuUnmet         target share of CPU usage (volume) above the request
     * @param memoryRisk       target share of container-days whose peak exceeds the request
     * @param calibrationDays  latest origins that are training and calibration cases
     * @param recentDays       the newest origins (of {@code calibrationDays}) that form the newer of
     *                         the two blocks in time the memory regressors are cross-fitted on
     *                         ({@link #block}); served curves read the newer block's
     * @param minHistoryHours  less history than this (span before the decision): VPA fallback
     * @param minTargetHours   a training or calibration day needs this many hours with data
     * @param minTrainingRows  fewer rows than this in a fold: that fold reads the in-sample curves
     * @param retrainSeconds   reuse a trained model for later decisions in the same window of this
     *                         length, windows aligned to the epoch
     * @param cpuFloorCores    nothing below this
     * @param memoryFloorBytes nothing below this
     * @param seed             for the learners
     * @param changeCost       keep the request in force while it costs at most this share of the best
     *                         request more than the best ({@link Lagrangian#keep}); 0: always the best
     */
    public record Settings(Learner learner, boolean learning, double cpuRisk, double cpuUnmet,
                           double memoryRisk, int calibrationDays, int recentDays, int minHistoryHours, int minTargetHours,
                           int minTrainingRows, long retrainSeconds, double cpuFloorCores, double memoryFloorBytes,
                           long seed, double changeCost) {

        public Settings {
            for (double r : new double[] {cpuRisk, cpuUnmet, memoryRisk}) {
                if (!(r > 0 && r < 1)) {
                    throw new IllegalArgumentException("target risks must be in (0, 1), got cpu " + cpuRisk
                            + ", cpu unmet " + cpuUnmet + " and memory " + memoryRisk);
                }
            }
        }

        public static Settings defaults(Learner learner, double cpuRisk, double cpuUnmet, double memoryRisk,
                                        long retrainSeconds) {
            return new Settings(learner, true, cpuRisk, cpuUnmet, memoryRisk, 11, 5, 72, 12, 30, retrainSeconds,
                    0.010, 16 * MIB, 42, Lagrangian.CHANGE_COST);
        }

        public Settings withLearning(boolean value) {
            return new Settings(learner, value, cpuRisk, cpuUnmet, memoryRisk, calibrationDays,
                    recentDays, minHistoryHours, minTargetHours, minTrainingRows, retrainSeconds, cpuFloorCores, memoryFloorBytes,
                    seed, changeCost);
        }

        public Settings withChangeCost(double value) {
            return new Settings(learner, learning, cpuRisk, cpuUnmet, memoryRisk, calibrationDays,
                    recentDays, minHistoryHours, minTargetHours, minTrainingRows, retrainSeconds, cpuFloorCores, memoryFloorBytes,
                    seed, value);
        }

        public Settings withLearner(Learner value) {
            return new Settings(value, learning, cpuRisk, cpuUnmet, memoryRisk, calibrationDays,
                    recentDays, minHistoryHours, minTargetHours, minTrainingRows, retrainSeconds, cpuFloorCores, memoryFloorBytes,
                    seed, changeCost);
        }
    }

    // OOM bump as the VPA recommender applies it (model/aggregate_container_state.go: OOMBumpUpRatio
    // 1.2, OOMMinBumpUp 100 MiB): memory >= max(peak + 100 MiB, peak x 1.2).
    static final double OOM_MIN_BUMP = 100 * MIB;
    static final double OOM_BUMP_RATIO = 1.2;
    // Bounds: the request at 4x looser and 4x stricter targets (docs/api.md).
    static final double BOUND_RISK_FACTOR = 4;
    // A fallback recommendation is served with at most this confidence.
    static final double FALLBACK_CONFIDENCE = 0.3;

    private static final Logger LOG = LoggerFactory.getLogger(LearnedStrategy.class);

    private final Settings settings;
    private final VpaRecommender fallback = new VpaRecommender();
    private Trained trained;
    // The last training's targets, read by /metrics without the lock: a scrape must not wait for a
    // training, which holds it for as long as it runs.
    private volatile List<TargetStatus> targets = List.of();
    // Likewise for /metrics: whether the last training is in the cold start.
    private volatile boolean coldStart;

    public LearnedStrategy(Settings settings) {
        this.settings = settings;
    }

    /** {@code presize-tribuo-<learner>} as served; {@code presize-no-learning} for the ablation. */
    @Override
    public String name() {
        return settings.learning() ? "presize-tribuo-" + settings.learner().id() : "presize-no-learning";
    }

    public Settings settings() {
        return settings;
    }

    /** The request in force is kept while nearly as cheap as the best (Lagrangian.keep). */
    @Override
    public boolean readsApplied() {
        return true;
    }

    /**
     * The prices for the request's targets and for the two bounds' targets, and the risks the
     * request's prices are expected to carry out of sample: the pooled risks of its grid point on the
     * calibration days plus what was taken off its targets for the pick's optimism, so that they
     * are at most the targets exactly when that point held the lowered targets ({@code unmet} NaN
     * for memory).
     */
    record PriceSet(Lagrangian.Prices request, Lagrangian.Prices lower, Lagrangian.Prices upper, double risk,
                    double unmet) {

        /**
         * The request's and the bounds' prices from the grid of {@code cases}, each refined between
         * grid points ({@link Lagrangian#refine}); {@code unmet} is NaN for memory. CPU's targets are
         * first lowered by the winner's curse of its pick among the (μ, λ) grid
         * ({@link Lagrangian.Grid#optimism}); memory's single price is a threshold, the smallest that
         * holds its target, not a pick among many, so its pooled risk is taken as it is.
         */
        static PriceSet refined(List<List<Lagrangian.Case>> cases, double scale, double changeCost, double risk,
                                double unmet, boolean cpu) {
            Lagrangian.Grid grid = cpu ? Lagrangian.cpu(cases, scale, changeCost) : Lagrangian.memory(cases, scale, changeCost);
            double[] risks = {risk, looser(risk), risk / BOUND_RISK_FACTOR};
            double[] unmets = {unmet, looser(unmet), unmet / BOUND_RISK_FACTOR};
            if (cpu) {
                for (int t = 0; t < risks.length; t++) {
                    Lagrangian.Optimism o = grid.optimism(risks[t], unmets[t]);
                    risks[t] = Lagrangian.Optimism.lowered(risks[t], o.risk());
                    unmets[t] = Lagrangian.Optimism.lowered(unmets[t], o.unmet());
                }
            }
            Lagrangian.Prices[] p = Lagrangian.refine(cases, scale, changeCost, grid, risks, unmets, cpu);
            int i = grid.bestIndex(risks[0], unmets[0]);
            // What was taken off, not the whole optimism: where the floor capped it (a few
            // containers per fold, whose measured luck is mostly noise), a point holding the
            // lowered targets is reported as holding the targets, which is what it was chosen for.
            return new PriceSet(p[0], p[1], p[2], grid.risk()[i] + (risk - risks[0]),
                    cpu ? grid.unmet()[i] + (unmet - unmets[0]) : Double.NaN);
        }
    }

    /**
     * What one training produced; reused until {@link Settings#retrainSeconds} have passed. The
     * curve regressors are per fold (null when not learning, or a fold had too few rows: that fold
     * reads the in-sample curves); the prices are null when there was nothing to calibrate on
     * (everyone gets the fallback). The scales give the prices their units: the cluster's mean CPU
     * per sample and mean daily memory peak over the calibration days. {@code cold} is the CPU
     * level while the cluster's history is too short for the calibration (null otherwise): CPU is
     * then sized by it, not by the CPU prices. The targets say what the calibration (or the cold
     * start's level) reached for each ({@link #targets}).
     */
    record Trained(long at, Curves[] memory, PriceSet cpuPrices, PriceSet memoryPrices,
                   double cpuScale, double memoryScale, int trainingRows, int calibrationCases,
                   ColdStart cold, List<TargetStatus> targets) {
    }

    /** A fold's learned memory curve: the chance that tomorrow's peak exceeds a candidate. */
    record Curves(Learner.Fitted exceed) {
    }

    /** One container's ladder at one origin, and what the next day held at each candidate. */
    private record Case(int fold, int back, Ladder ladder, double[] above, double[] unmet, double[] slack, double samples,
                        double usage) {
    }

    @Override
    public synchronized Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long decision) {
        // Retrain on entering a new --retrain-interval window of the wall clock (aligned to the
        // epoch, like the refresh grid), not --retrain-interval after this process's first
        // training: replicas started at different times then retrain at the same refreshes and,
        // from the first window boundary on, serve the same model (docs/api.md, replicas).
        long window = settings.retrainSeconds();
        if (trained == null || Math.floorDiv(decision, window) != Math.floorDiv(trained.at(), window)
                || decision < trained.at()) {
            Trained before = trained;
            trained = train(containers, decision);
            targets = trained.targets();
            coldStart = trained.cold() != null;
            report(before == null ? List.of() : before.targets(), trained.targets());
            reportColdStart(before, trained);
        }
        Map<SeriesKey, Recommendation> out = new HashMap<>();
        List<Recommendation> answers = containers.parallelStream().map(c -> predict(c, decision)).toList();
        for (int i = 0; i < containers.size(); i++) {
            if (answers.get(i) != null) {
                out.put(containers.get(i).key(), answers.get(i));
            }
        }
        return out;
    }

    @Override
    public List<TargetStatus> targets() {
        return targets;
    }

    @Override
    public boolean coldStart() {
        return coldStart;
    }

    /** A target is held when its risk on the calibration days is within it, as the grid reads its points. */
    private static TargetStatus status(String flag, double target, double calibrated) {
        return new TargetStatus(flag, target, calibrated, calibrated <= target);
    }

    /**
     * One log line per change of a target's state, as for the workload kinds: a warning when the
     * calibration can no longer hold it (no price did on the calibration days, so the served
     * risk will be above it), a line when it holds again; nothing while the state stays.
     */
    private static void report(List<TargetStatus> before, List<TargetStatus> now) {
        Map<String, Boolean> was = new HashMap<>();
        before.forEach(t -> was.put(t.flag(), t.held()));
        for (TargetStatus t : now) {
            Boolean held = was.get(t.flag());
            if (!t.held() && !Boolean.FALSE.equals(held)) {
                LOG.warn("No price holds --{} {} on the calibration days (the closest left {} there), so the"
                        + " served risk will be above the target", t.flag(), t.target(),
                        String.format(Locale.ROOT, "%.4f", t.calibrated()));
            } else if (t.held() && Boolean.FALSE.equals(held)) {
                LOG.info("--{} {} is held on the calibration days again", t.flag(), t.target());
            }
        }
    }

    /** One log line when the cold start begins (or the first training is in it) and one when it ends. */
    private void reportColdStart(Trained before, Trained now) {
        boolean was = before != null && before.cold() != null;
        if (now.cold() != null && !was) {
            LOG.info("No container has {}h of history before {} of the {} calibration days, so CPU is"
                    + " sized from each container's own past at a cluster-wide level (a cold start) while none has",
                    settings.minHistoryHours(), settings.calibrationDays() - ColdStart.DAYS_MISSING_TOLERATED,
                    settings.calibrationDays());
        } else if (now.cold() == null && was && now.cpuPrices() != null) {
            LOG.info("The calibration days have history: CPU is sized by the calibrated prices again");
        }
    }

    /**
     * The decision the model in use was trained at: {@code decision}'s own when its call retrained,
     * else an earlier call's in the same epoch-aligned {@link Settings#retrainSeconds} window.
     */
    @Override
    public synchronized long trainedAt(long decision) {
        return trained == null ? decision : trained.at();
    }

    private static double looser(double risk) {
        return Math.min(0.5, risk * BOUND_RISK_FACTOR);
    }

    /** The fold of a container: a hash of its key that every replica computes alike (String's is specified). */
    static int fold(SeriesKey key) {
        return Math.floorMod(key.toString().hashCode(), FOLDS);
    }

    Trained train(List<ContainerHistory> containers, long decision) {
        List<List<Case[]>> perContainer = containers.parallelStream().map(c -> cases(c, decision)).toList();
        List<Case> cpuCases = perContainer.stream().flatMap(List::stream).map(c -> c[0]).filter(Objects::nonNull)
                .toList();
        List<Case> memoryCases = perContainer.stream().flatMap(List::stream).map(c -> c[1])
                .filter(Objects::nonNull).toList();
        // byBlock[f][t]: trained on the other fold's containers at the origins of block t (see block).
        Curves[][] byBlock = new Curves[FOLDS][2];
        Curves[] memory = new Curves[FOLDS];
        int rows = 0;
        if (settings.learning()) {
            for (int f = 0; f < FOLDS; f++) {
                for (int t = 0; t < 2; t++) {
                    int fold = f;
                    int block = t;
                    List<Case> others = memoryCases.stream()
                            .filter(c -> c.fold() != fold && block(c) == block).toList();
                    byBlock[f][t] = fit(others);
                    rows += others.size();
                }
                // Serving reads the regressor of the newest days (the older block's when those had too few rows).
                memory[f] = byBlock[f][0] != null ? byBlock[f][0] : byBlock[f][1];
            }
        }
        double cpuScale = scale(cpuCases, true);
        double memoryScale = scale(memoryCases, false);
        PriceSet cpuPrices = cpuCases.isEmpty() ? null : PriceSet.refined(calibration(perContainer, 0,
                c -> null, true), cpuScale, settings.changeCost(), settings.cpuRisk(), settings.cpuUnmet(), true);
        PriceSet memoryPrices = memoryCases.isEmpty() ? null : PriceSet.refined(calibration(perContainer, 1,
                c -> byBlock[c.fold()][1 - block(c)], false), memoryScale, settings.changeCost(), settings.memoryRisk(), Double.NaN, false);
        ColdStart cold = cpuPrices != null && ColdStart.applies(containers, decision, settings)
                ? ColdStart.level(containers, decision, settings.cpuRisk(), settings.cpuUnmet()) : null;
        List<TargetStatus> targets = new ArrayList<>();
        if (cpuPrices != null) {
            targets.add(status(ServerFlags.CPU_TARGET_RISK.name(), settings.cpuRisk(),
                    cold == null ? cpuPrices.risk() : cold.risk()));
            targets.add(status(ServerFlags.CPU_TARGET_UNMET.name(), settings.cpuUnmet(),
                    cold == null ? cpuPrices.unmet() : cold.unmet()));
        }
        if (memoryPrices != null) {
            targets.add(status(ServerFlags.MEMORY_TARGET_RISK.name(), settings.memoryRisk(), memoryPrices.risk()));
        }
        return new Trained(decision, memory, cpuPrices, memoryPrices, cpuScale, memoryScale, rows,
                cpuCases.size() + memoryCases.size(), cold, List.copyOf(targets));
    }

    /** CPU: mean usage per sample; memory: mean daily peak; over the calibration days. */
    private static double scale(List<Case> cases, boolean isCpu) {
        double usage = 0;
        double n = 0;
        for (Case c : cases) {
            usage += isCpu ? c.usage() : c.usage() / Math.max(1, c.samples());
            n += isCpu ? c.samples() : 1;
        }
        return n == 0 ? 1 : Math.max(usage / n, isCpu ? Features.CPU_EPSILON : Features.MEMORY_EPSILON);
    }

    /**
     * The origin's block in time: 0 for the {@link Settings#recentDays} newest, 1 for the older.
     * A calibration case reads the regressor trained on the other block (and the other fold), so
     * that its curve comes from days its regressor never saw, as a served curve does: read off a
     * regressor trained on the same days (other containers), the learned curves met their
     * calibrated risk on those days and overshot it by a sixth on the days after, on the dev trace.
     */
    private int block(Case c) {
        return c.back() <= settings.recentDays() ? 0 : 1;
    }

    /**
     * The calibration cases of one resource ({@code side} 0 CPU, 1 memory), per container, with the
     * curves the choice will read for them ({@code curves}: the regressor for a case, null for the
     * in-sample curve).
     */
    private List<List<Lagrangian.Case>> calibration(List<List<Case[]>> perContainer, int side,
                                                    Function<Case, Curves> curves, boolean isCpu) {
        return perContainer.parallelStream().map(origins -> {
            List<Lagrangian.Case> sequence = new ArrayList<>();
            for (int k = origins.size() - 1; k >= 0; k--) {
                Case c = origins.get(k)[side];
                if (c != null) {
                    double[][] curve = curve(c.ladder(), curves.apply(c), isCpu);
                    sequence.add(new Lagrangian.Case(c.fold(), c.ladder().requests(), curve[0], curve[1], c.above(), c.unmet(),
                            c.slack(), c.samples(), c.usage()));
                }
            }
            return sequence;
        }).filter(sequence -> !sequence.isEmpty()).toList();
    }

    /**
     * The risk curves a choice reads, {risk, unmet per sample (NaN for memory)}: the ladder's own,
     * except memory's when learning: the regressor's chance that tomorrow's peak exceeds each
     * candidate, made non-increasing up the ladder (a larger request is never more at risk; the
     * linear log-odds can bend the wrong way far from where its rows were).
     */
    private static double[][] curve(Ladder l, Curves fitted, boolean isCpu) {
        if (fitted == null || isCpu) {
            return new double[][] {l.risk(), l.unmet()};
        }
        double[] risk = new double[l.size()];
        double previous = 1;
        for (int j = 0; j < risk.length; j++) {
            risk[j] = Math.min(previous, fitted.exceed().predict(l.memoryFeatures(j)));
            previous = risk[j];
        }
        return new double[][] {risk, l.unmet()};
    }

    /**
     * The exceedance regressor, trained on {@code cases} (container-days): one row per candidate
     * whose in-sample risk lies in [{@link #ROW_RISK_MIN}, {@link #ROW_RISK_MAX}] (outside it the
     * outcome is all but certain and the choice never lands there), target 1 when the next day's
     * peak exceeded it. One model across the cluster learns what a container's own past cannot show:
     * how often peaks like its own overshoot a candidate that far above them. Rows are thinned
     * evenly to at most {@link #MAX_ROWS} (bounded training time at any cluster size). Null with
     * too few cases (the fold reads its in-sample curves).
     */
    private Curves fit(List<Case> cases) {
        if (cases.size() < settings.minTrainingRows()) {
            return null;
        }
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        int rows = 0;
        for (Case c : cases) {
            rows += rowCandidates(c.ladder());
        }
        double keep = Math.min(1, (double) MAX_ROWS / Math.max(1, rows));
        double credit = 0;
        for (Case c : cases) {
            Ladder l = c.ladder();
            for (int j = 0; j < l.size(); j++) {
                if (!trainingRow(l.risk()[j])) {
                    continue;
                }
                credit += keep;
                if (credit >= 1) {
                    credit -= 1;
                    x.add(l.memoryFeatures(j));
                    y.add(c.above()[j]);
                }
            }
        }
        return new Curves(settings.learner().fit(Ladder.MEMORY_CURVE, x, unbox(y), settings.seed()));
    }

    static final double ROW_RISK_MIN = 1e-4;
    static final double ROW_RISK_MAX = 0.6;
    // Per fit (four per training), so that training time and heap stay bounded at any cluster size.
    // bench/refresh/run at 10 000 containers gave the same steady refresh with 200 000 and 100 000
    // (train 22.5 and 21.1 s, peak heap 915 MiB both): the fits are not the larger part. On the dev
    // trace a fit has at most about 175 containers x 6 days x 72 candidates = 75 600 rows.
    static final int MAX_ROWS = 100_000;

    private static int rowCandidates(Ladder l) {
        int n = 0;
        for (double r : l.risk()) {
            if (trainingRow(r)) {
                n++;
            }
        }
        return n;
    }

    /** Whether a candidate of this in-sample risk is a training row (see fit). */
    private static boolean trainingRow(double inSampleRisk) {
        return inSampleRisk >= ROW_RISK_MIN && inSampleRisk <= ROW_RISK_MAX;
    }

    private static double[] unbox(List<Double> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    /**
     * The container's cases at the {@link Settings#calibrationDays} latest origins before
     * {@code decision}: per origin {CPU case, memory case}, each null where the past or the next day
     * has too little of that resource.
     */
    private List<Case[]> cases(ContainerHistory c, long decision) {
        HourlyUsage u = c.usage();
        int end = decisionSlot(u, decision);
        int fold = fold(c.key());
        // Every origin's ladder and case reads the same hours: each is read once.
        CpuDistribution.Hour[] hours = CpuDistribution.hours(u, 0, end);
        List<Case[]> out = new ArrayList<>();
        for (int k = 1; k <= settings.calibrationDays() && end - k * Features.DAY >= 0; k++) {
            int origin = end - k * Features.DAY;
            if (spanHours(u, origin) < settings.minHistoryHours()) {
                break;
            }
            int to = origin + Features.DAY;
            Case cpu = null;
            Case memory = null;
            if (Features.hoursWithCpu(u, origin, to) >= settings.minTargetHours()) {
                Ladder l = Ladder.cpu(u, hours, origin);
                if (l != null) {
                    cpu = cpuCase(fold, k, l, u, hours, origin, to);
                }
            }
            if (memoryHours(u, origin, to) >= settings.minTargetHours()) {
                Ladder l = Ladder.memory(u, origin);
                if (l != null) {
                    memory = memoryCase(fold, k, l, u, origin, to);
                }
            }
            if (cpu != null || memory != null) {
                out.add(new Case[] {cpu, memory});
            }
        }
        return out;
    }

    /**
     * What hours {@code [from, to)} held at each CPU candidate, read off the hourly sketches
     * ({@code all}: the window's hours, read once; see {@link CpuDistribution#hours}).
     */
    private static Case cpuCase(int fold, int back, Ladder l, HourlyUsage u, CpuDistribution.Hour[] all, int from,
                                int to) {
        int n = l.size();
        double[] above = new double[n];
        double[] unmet = new double[n];
        double[] slack = new double[n];
        double samples = CpuDistribution.samples(u, from, to);
        double usage = CpuDistribution.usage(u, from, to);
        CpuDistribution.Hour[] hours = Arrays.copyOfRange(all, from, Math.min(to, all.length));
        for (int j = 0; j < n; j++) {
            double r = l.requests()[j];
            above[j] = CpuDistribution.exceedFraction(hours, r) * samples;
            unmet[j] = CpuDistribution.unmet(hours, r);
            slack[j] = r * samples - usage + unmet[j];
        }
        return new Case(fold, back, l, above, unmet, slack, samples, usage);
    }

    /**
     * What hours {@code [from, to)} held at each memory candidate: exceeded (1/0) by the day's peak,
     * and the slack above each hour's peak (the hourly sketch keeps no memory mean), with the day's
     * peak as its usage.
     */
    private static Case memoryCase(int fold, int back, Ladder l, HourlyUsage u, int from, int to) {
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
        return new Case(fold, back, l, above, new double[n], slack, hours, used);
    }

    /**
     * The model's recommendation, or the VPA fallback's. A resource without usage history before the
     * decision is not recommended (NaN); memory without CPU history is sized by the model's memory
     * ladder as usual, so a container whose CPU metric is missing still gets its memory.
     */
    private Recommendation predict(ContainerHistory c, long decision) {
        HourlyUsage u = c.usage();
        int origin = decisionSlot(u, decision);
        boolean cpuHistory = Features.hoursWithCpu(u, 0, origin) > 0;
        boolean memoryHistory = memoryHours(u, 0, origin) > 0;
        if (!cpuHistory && !memoryHistory) {
            return null;
        }
        boolean usable = (trained.cpuPrices() != null || !cpuHistory)
                && (trained.memoryPrices() != null || !memoryHistory)
                && spanHours(u, origin) >= settings.minHistoryHours();
        if (!usable) {
            return fallback(c, decision);
        }
        int fold = fold(c.key());
        Sized cpuSized = !cpuHistory ? Sized.NONE : trained.cold() != null
                ? coldSized(u, origin, trained.cold(), c.applied().cpuCores())
                : sized(u, origin, null, trained.cpuPrices(), trained.cpuScale(), true, c.applied().cpuCores());
        Sized memorySized = memoryHistory ? sized(u, origin, trained.memory()[fold], trained.memoryPrices(),
                trained.memoryScale(), false, c.applied().memoryBytes()) : Sized.NONE;
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
        return new Recommendation(request, lower, upper, confidence(Features.hoursWithCpu(u, 0, origin), lower, upper),
                cpuHistory ? CpuDistribution.samples(u, 0, origin) : memoryHours(u, 0, origin));
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
        Ladder l = isCpu ? Ladder.cpu(u, origin) : Ladder.memory(u, origin);
        double[][] curve = curve(l, fitted, isCpu);
        double[] r = l.requests();
        int best = Lagrangian.choose(r, curve[0], curve[1], prices.request(), scale);
        // The request in force stays while it is nearly as cheap (Lagrangian.keep), as the
        // calibration replayed it; the bounds never stick: they say where the cheapest request lies.
        boolean keep = Lagrangian.keep(r, curve[0], curve[1], prices.request(), scale, best, applied,
                settings.changeCost()) >= 0;
        return new Sized(r[best], keep ? applied : Double.NaN, applied,
                r[Lagrangian.choose(r, curve[0], curve[1], prices.lower(), scale)],
                r[Lagrangian.choose(r, curve[0], curve[1], prices.upper(), scale)]);
    }

    /**
     * CPU in the cold start: the smallest candidate whose own curves hold the level's targets, the
     * bounds at the looser and stricter targets themselves. The request in force stays while it
     * holds the level's targets too and costs at most --change-cost of the best more, as the warm
     * choice keeps it with its risks unpriced: without it the requests moved with every day's
     * curves, and on the dev trace the CPU volume above them came out over KRR's at KRR's
     * risks (README, "On month-long traces").
     */
    private Sized coldSized(HourlyUsage u, int origin, ColdStart cold, double applied) {
        Ladder l = Ladder.cpu(u, origin);
        ColdStart.Own own = new ColdStart.Own(l.risk(), l.unmet(), Ladder.cpuMean(u, origin));
        double[] r = l.requests();
        int best = own.choose(cold.scale() * settings.cpuRisk(), cold.scale() * settings.cpuUnmet());
        int k = Lagrangian.inForce(r, applied);
        boolean keep = k >= best && r[k] <= r[best] * (1 + settings.changeCost());
        return new Sized(r[best], keep ? applied : Double.NaN, applied,
                r[own.choose(looser(settings.cpuRisk()), looser(settings.cpuUnmet()))],
                r[own.choose(settings.cpuRisk() / BOUND_RISK_FACTOR, settings.cpuUnmet() / BOUND_RISK_FACTOR)]);
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

    private Recommendation fallback(ContainerHistory c, long decision) {
        Recommendation r = fallback.recommend(c, decision);
        return r == null ? null : r.withModel(VpaRecommender.NAME, Math.min(FALLBACK_CONFIDENCE, r.confidence()));
    }

    /** The slot the decision falls on: the usage's hours before it are the past. */
    static int decisionSlot(HourlyUsage u, long decision) {
        return Math.max(0, Math.min(u.hours(), u.slotOf(decision)));
    }

    /** Hours from the first hour with CPU or memory data to {@code origin}. */
    static int spanHours(HourlyUsage u, int origin) {
        for (int i = 0; i < origin && i < u.hours(); i++) {
            if (u.hasCpu(i) || u.hasMemory(i)) {
                return origin - i;
            }
        }
        return 0;
    }

    private static int memoryHours(HourlyUsage u, int from, int to) {
        int n = 0;
        for (int i = Math.max(0, from); i < Math.min(to, u.hours()); i++) {
            if (u.hasMemory(i)) {
                n++;
            }
        }
        return n;
    }
}
