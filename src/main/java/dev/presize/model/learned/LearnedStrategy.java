package dev.presize.model.learned;

import dev.presize.history.HourlyUsage;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.Resources;
import dev.presize.model.baselines.VpaRecommender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Presize's model. For each resource it forecasts every container's next-day level (CPU: the
 * day's quantile at the target risk; memory: the day's peak) relative to the container's own scale,
 * with a spread, by Tribuo regressors trained across the cluster ({@link Forecaster}); the request is
 * {@code scale · e^(point + m · spread)}, with one margin m per resource calibrated on held-back days
 * so that all three risks stay at their targets out of sample ({@link Margins}). The same class
 * serves the server's refresh and the backtest's decisions: given the hourly usage before a
 * decision, it trains (when due), calibrates and predicts.
 *
 * <p>Decision origins are whole days back from the decision: the day before it, two days before,
 * and so on while at least {@link Settings#minHistoryHours} of history precede the origin. Every
 * origin trains the regressors; the {@link Settings#calibrationDays} latest are also the
 * calibration cases. Containers are split in two folds by a hash of their key: each fold's
 * calibration cases and serving are predicted by the regressors trained on the other fold only
 * (cross-fitting), so a calibration case was never a training row of the regressor that predicts
 * it and the calibrated margins are honest. Nothing after the decision is ever read.
 */
public final class LearnedStrategy implements RequestStrategy {

    static final double MIB = 1024.0 * 1024.0;
    static final int FOLDS = 2;
    static final String[] CPU_NAMES = cpuNames();
    /**
     * Not a feature of the regressors: every container of a backtest or a freshly started cluster
     * has the same history length at the same origin, so it would tell the regressor which day a
     * row is from and let it learn that day's cluster-wide events, which the calibration cases share.
     */
    static final int HISTORY_DAYS = Arrays.asList(Features.NAMES).indexOf("history_days");

    /**
     * @param learner          which Tribuo regressor
     * @param learning         whether the regressors forecast; false is the ablation
     *                         {@code model-no-learning}: the container's own past, one margin group
     * @param learnedPoint     whether a regressor also moves the point forecast (backtest's
     *                         {@code model-point}); off by default (README)
     * @param cpuRisk          target share of CPU samples above the request
     * @param cpuUnmet         target share of CPU usage (volume) above the request
     * @param memoryRisk       target share of container-days whose peak exceeds the request
     * @param calibrationDays  latest origins that are calibration cases
     * @param minHistoryHours  less history than this (span before the decision): VPA fallback
     * @param minTargetHours   a training or calibration day needs this many hours with data
     * @param minTrainingRows  fewer rows than this in a fold: that fold's forecaster is naive
     * @param retrainSeconds   reuse a trained model for later decisions in the same window of this
     *                         length, windows aligned to the epoch
     * @param cpuFloorCores    nothing below this
     * @param memoryFloorBytes nothing below this
     * @param seed             for the learners
     */
    public record Settings(Learner learner, boolean learning, boolean learnedPoint, double cpuRisk, double cpuUnmet,
                           double memoryRisk, int calibrationDays, int minHistoryHours, int minTargetHours,
                           int minTrainingRows, long retrainSeconds, double cpuFloorCores, double memoryFloorBytes,
                           long seed) {

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
            return new Settings(learner, true, false, cpuRisk, cpuUnmet, memoryRisk, 7, 72, 12, 30, retrainSeconds,
                    0.010, 16 * MIB, 42);
        }

        public Settings withLearning(boolean value) {
            return new Settings(learner, value, learnedPoint, cpuRisk, cpuUnmet, memoryRisk, calibrationDays,
                    minHistoryHours, minTargetHours, minTrainingRows, retrainSeconds, cpuFloorCores, memoryFloorBytes,
                    seed);
        }

        public Settings withLearnedPoint(boolean value) {
            return new Settings(learner, learning, value, cpuRisk, cpuUnmet, memoryRisk, calibrationDays,
                    minHistoryHours, minTargetHours, minTrainingRows, retrainSeconds, cpuFloorCores, memoryFloorBytes,
                    seed);
        }

        public Settings withLearner(Learner value) {
            return new Settings(value, learning, learnedPoint, cpuRisk, cpuUnmet, memoryRisk, calibrationDays,
                    minHistoryHours, minTargetHours, minTrainingRows, retrainSeconds, cpuFloorCores, memoryFloorBytes,
                    seed);
        }

        /** The CPU level the point forecast is of: the daily quantile at the target share of samples. */
        double cpuLevel() {
            return 1 - cpuRisk;
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

    private final Settings settings;
    private final VpaRecommender fallback = new VpaRecommender();
    private Trained trained;

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

    /** The margins for the request's targets and for the two bounds' targets. */
    record Multipliers(Margins.Grouped request, Margins.Grouped lower, Margins.Grouped upper) {
    }

    /**
     * What one training produced; reused until {@link Settings#retrainSeconds} have passed. The
     * forecasters are per fold; the margins are null when there was nothing to calibrate on
     * (everyone gets the fallback).
     */
    record Trained(long at, Forecaster[] cpu, Forecaster[] memory, Multipliers cpuMargin, Multipliers memoryMargin,
                   int trainingRows, int calibrationCases) {
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
            trained = train(containers, decision);
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

    /**
     * The decision the model in use was trained at: {@code decision}'s own when its call retrained,
     * else an earlier call's in the same epoch-aligned {@link Settings#retrainSeconds} window.
     */
    @Override
    public synchronized long trainedAt(long decision) {
        return trained == null ? decision : trained.at();
    }

    /**
     * One origin of one container: its features, the naive CPU level, and what the next 24 hours
     * held (NaN where a resource had too little data), all in log space relative to the row's scales.
     */
    private record Case(int fold, int daysBack, Features.Row row, double[] cpuX, HourlyUsage usage, int origin,
                        Bases bases, double cpuY, double memoryY) {
    }

    /**
     * What the forecasts are relative to: the container's own past over the whole history window,
     * as KRR sizes it: CPU's quantile at the target level over all samples (the hourly sketches'
     * mixture), memory's peak (NaN without memory data); and the caps, in log space relative to
     * them. A forecast of 0 ("tomorrow is like the past") is the naive forecast.
     */
    record Bases(double cpu, double memory, double cpuCap, double memoryCap) {

        /**
         * Memory is never recommended above this multiple of the container's past peak (the OOM
         * bump aside), CPU never above its past maximum: without a cap, one container going from
         * idle to busy in the calibration days raised the margin of everyone in its group for a
         * week (on the dev trace, CPU margins of e^4, 55 ×, in such weeks; mean slack above 10).
         * The cap bounds what such a week costs; the calibration still holds the targets where it
         * can, and where even the cap cannot, the group is served at the cap.
         */
        static final double MEMORY_CAP_FACTOR = 2;

        static Bases at(HourlyUsage u, int origin, double level) {
            double cpu = CpuDistribution.quantile(u, 0, origin, level);
            double memory = Features.maxMemory(u, 0, origin);
            cpu = Double.isNaN(cpu) ? Double.NaN : Math.max(cpu, Features.CPU_EPSILON);
            memory = Double.isNaN(memory) ? Double.NaN : Math.max(memory, Features.MEMORY_EPSILON);
            double cpuMax = Features.maxOf(u.cpuQuantiles()[HourlyUsage.CPU_LEVELS.length - 1], 0, origin);
            double cpuCap = Double.isNaN(cpu) ? Double.NaN : Math.log(Math.max(cpuMax, cpu) / cpu);
            return new Bases(cpu, memory, cpuCap, Math.log(MEMORY_CAP_FACTOR));
        }
    }

    /** The fold of a container: a hash of its key that every replica computes alike (String's is specified). */
    static int fold(SeriesKey key) {
        return Math.floorMod(key.toString().hashCode(), FOLDS);
    }

    Trained train(List<ContainerHistory> containers, long decision) {
        List<Case> cases = containers.parallelStream().flatMap(c -> cases(c, decision).stream()).toList();
        Forecaster[] cpu = new Forecaster[FOLDS];
        Forecaster[] memory = new Forecaster[FOLDS];
        int rows = 0;
        for (int f = 0; f < FOLDS; f++) {
            int fold = f;
            List<Case> others = cases.stream().filter(c -> c.fold() != fold).toList();
            cpu[f] = fit(others.stream().filter(c -> !Double.isNaN(c.cpuY())).toList(), true);
            memory[f] = fit(others.stream().filter(c -> !Double.isNaN(c.memoryY())).toList(), false);
            rows += settings.learning() ? others.size() : 0;
        }
        List<Margins.Case> cpuCases = new ArrayList<>();
        List<Margins.Case> memoryCases = new ArrayList<>();
        int calibration = 0;
        for (Case c : cases) {
            if (c.daysBack() > settings.calibrationDays()) {
                continue;
            }
            calibration++;
            if (!Double.isNaN(c.cpuY())) {
                Forecaster.Forecast f = cpu[c.fold()].at(c.cpuX());
                cpuCases.add(Margins.Case.cpu(c.bases().cpu(), f, c.bases().cpuCap(), c.usage(), c.origin(), c.origin() + Features.DAY));
            }
            if (!Double.isNaN(c.memoryY())) {
                Forecaster.Forecast f = memory[c.fold()].at(memoryX(c.row()));
                memoryCases.add(Margins.Case.memory(f, c.bases().memoryCap(), c.memoryY()));
            }
        }
        return new Trained(decision, cpu, memory, cpuMargins(cpuCases), memoryMargins(memoryCases), rows, calibration);
    }

    private Forecaster fit(List<Case> rows, boolean isCpu) {
        if (!settings.learning()) {
            return Forecaster.naive();
        }
        List<double[]> x = new ArrayList<>(rows.size());
        double[] y = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Case c = rows.get(i);
            x.add(isCpu ? c.cpuX() : memoryX(c.row()));
            y[i] = isCpu ? c.cpuY() : c.memoryY();
        }
        return Forecaster.fit(settings.learner(), isCpu ? CPU_NAMES : Features.NAMES, x, y,
                settings.minTrainingRows(), settings.seed(), settings.learnedPoint());
    }

    private Multipliers cpuMargins(List<Margins.Case> cases) {
        if (cases.isEmpty()) {
            return null;
        }
        double[] edges = Margins.edges(cases);
        double r = settings.cpuRisk();
        double u = settings.cpuUnmet();
        return new Multipliers(Margins.cpu(cases, edges, r, u), Margins.cpu(cases, edges, looser(r), looser(u)),
                Margins.cpu(cases, edges, r / BOUND_RISK_FACTOR, u / BOUND_RISK_FACTOR));
    }

    private Multipliers memoryMargins(List<Margins.Case> cases) {
        if (cases.isEmpty()) {
            return null;
        }
        double[] edges = Margins.edges(cases);
        double r = settings.memoryRisk();
        return new Multipliers(Margins.memory(cases, edges, r), Margins.memory(cases, edges, looser(r)),
                Margins.memory(cases, edges, r / BOUND_RISK_FACTOR));
    }

    private static double looser(double risk) {
        return Math.min(0.5, risk * BOUND_RISK_FACTOR);
    }

    /** The container's training and calibration cases at the origins before {@code decision}. */
    private List<Case> cases(ContainerHistory c, long decision) {
        HourlyUsage u = c.usage();
        int end = decisionSlot(u, decision);
        int fold = fold(c.key());
        double[] daily = dailyLevels(u, end);
        List<Case> out = new ArrayList<>();
        int maxBack = settings.learning() ? Integer.MAX_VALUE : settings.calibrationDays();
        for (int k = 1; k <= maxBack && end - k * Features.DAY >= 0; k++) {
            int origin = end - k * Features.DAY;
            if (spanHours(u, origin) < settings.minHistoryHours()) {
                break;
            }
            double[] requests = requestsAt(c, u.start() + origin * HourlyUsage.HOUR);
            Features.Row row = Features.compute(u, origin, requests[0], requests[1]);
            if (row == null) {
                continue;
            }
            int to = origin + Features.DAY;
            Bases bases = Bases.at(u, origin, settings.cpuLevel());
            double naive = cpuNaive(daily, k, bases.cpu());
            double cpuY = Features.hoursWithCpu(u, origin, to) >= settings.minTargetHours() && !Double.isNaN(naive)
                    ? Math.log(Math.max(daily[k - 1], Features.CPU_EPSILON) / bases.cpu()) : Double.NaN;
            double memoryY = memoryHours(u, origin, to) >= settings.minTargetHours() && !Double.isNaN(bases.memory())
                    ? Math.log(Math.max(Features.maxMemory(u, origin, to), Features.MEMORY_EPSILON) / bases.memory())
                    : Double.NaN;
            if (!Double.isNaN(cpuY) || !Double.isNaN(memoryY)) {
                out.add(new Case(fold, k, row, cpuX(row, naive), u, origin, bases, cpuY, memoryY));
            }
        }
        return out;
    }

    /**
     * {@code daily[m]}: the CPU quantile at the target level over the 24 hours ending m days before
     * {@code end} (the first, partial day clipped at the start of the data); NaN without samples.
     * Computed once per container and shared by every origin's naive level and next-day target.
     */
    private double[] dailyLevels(HourlyUsage u, int end) {
        int days = (end + Features.DAY - 1) / Features.DAY;
        double[] daily = new double[days];
        for (int m = 0; m < days; m++) {
            int to = end - m * Features.DAY;
            daily[m] = CpuDistribution.quantile(u, to - Features.DAY, to, settings.cpuLevel());
        }
        return daily;
    }

    /**
     * The naive forecast of the next day's CPU level at the origin {@code k} days back: the mean, in
     * log space relative to the scale, of the same quantile on each day before the origin. A
     * stationary container's next day is like that, whatever its burstiness. NaN without any.
     */
    private static double cpuNaive(double[] daily, int k, double scale) {
        double sum = 0;
        int n = 0;
        for (int m = k; m < daily.length; m++) {
            if (!Double.isNaN(daily[m])) {
                sum += Math.log(Math.max(daily[m], Features.CPU_EPSILON) / scale);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The CPU regressor's features: the row's, and the naive level it is to improve on. */
    private static double[] cpuX(Features.Row row, double naive) {
        double[] x = Arrays.copyOf(row.values(), row.values().length + 1);
        x[HISTORY_DAYS] = 0;
        x[x.length - 1] = Double.isNaN(naive) ? 0 : naive;
        return x;
    }

    private static double[] memoryX(Features.Row row) {
        double[] x = row.values().clone();
        x[HISTORY_DAYS] = 0;
        return x;
    }

    private static String[] cpuNames() {
        String[] names = Arrays.copyOf(Features.NAMES, Features.NAMES.length + 1);
        names[names.length - 1] = "cpu_naive_level";
        return names;
    }

    /**
     * The model's recommendation, or the VPA fallback's. A resource without usage history before the
     * decision is not recommended (NaN): with CPU only, the model sizes CPU as usual; with memory
     * only, the fallback sizes memory (the model's features are relative to the CPU scale, so it
     * cannot read a container without CPU data).
     */
    private Recommendation predict(ContainerHistory c, long decision) {
        HourlyUsage u = c.usage();
        int origin = decisionSlot(u, decision);
        boolean memoryHistory = memoryHours(u, 0, origin) > 0;
        if (Features.hoursWithCpu(u, 0, origin) == 0) {
            return memoryHistory ? fallback(c, decision) : null;
        }
        // A container with memory history needs the memory calibration; one without needs only CPU's.
        boolean usable = trained.cpuMargin() != null && (trained.memoryMargin() != null || !memoryHistory)
                && spanHours(u, origin) >= settings.minHistoryHours();
        Features.Row row = usable ? Features.compute(u, origin, c.current().cpuCores(), c.current().memoryBytes()) : null;
        Bases bases = row == null ? null : Bases.at(u, origin, settings.cpuLevel());
        double naive = row == null ? Double.NaN : cpuNaive(dailyLevels(u, origin), 0, bases.cpu());
        if (row == null || Double.isNaN(naive) || (memoryHistory && Double.isNaN(bases.memory()))) {
            return fallback(c, decision);
        }
        int fold = fold(c.key());
        Forecaster.Forecast cf = trained.cpu()[fold].at(cpuX(row, naive));
        Forecaster.Forecast mf = memoryHistory ? trained.memory()[fold].at(memoryX(row)) : null;
        Multipliers cm = trained.cpuMargin();
        Multipliers mm = trained.memoryMargin();
        Resources request = sized(bases, cf, mf, cm.request(), mf == null ? null : mm.request(), row);
        Resources lower = sized(bases, cf, mf, cm.lower(), mf == null ? null : mm.lower(), row);
        Resources upper = sized(bases, cf, mf, cm.upper(), mf == null ? null : mm.upper(), row);
        lower = new Resources(Math.min(lower.cpuCores(), request.cpuCores()),
                Math.min(lower.memoryBytes(), request.memoryBytes()));
        upper = new Resources(upperBound(lower.cpuCores(), request.cpuCores(), upper.cpuCores()),
                upperBound(lower.memoryBytes(), request.memoryBytes(), upper.memoryBytes()));
        return new Recommendation(request, lower, upper, confidence(row, lower, upper),
                CpuDistribution.samples(u, 0, origin));
    }

    /** The requests at one set of margins; memory NaN without a memory forecast. */
    private Resources sized(Bases b, Forecaster.Forecast cpu, Forecaster.Forecast memory, Margins.Grouped cpuMargins,
                            Margins.Grouped memoryMargins, Features.Row row) {
        return finish(Margins.request(b.cpu(), cpu, b.cpuCap(), cpuMargins.at(cpu)), memory == null ? Double.NaN
                : Margins.request(b.memory(), memory, b.memoryCap(), memoryMargins.at(memory)), row);
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

    /** OOM bump, then floors; memory NaN (not recommended) stays NaN. */
    private Resources finish(double cpu, double memory, Features.Row row) {
        if (Double.isNaN(memory)) {
            return new Resources(Math.max(cpu, settings.cpuFloorCores()), Double.NaN);
        }
        if (row.oomKilled() && !Double.isNaN(row.memoryPeak())) {
            memory = Math.max(memory, Math.max(row.memoryPeak() + OOM_MIN_BUMP, row.memoryPeak() * OOM_BUMP_RATIO));
        }
        return new Resources(Math.max(cpu, settings.cpuFloorCores()), Math.max(memory, settings.memoryFloorBytes()));
    }

    /**
     * How far the history supports the numbers: the share of the last two weeks covered by data,
     * times the tightness of the calibrated interval (lower/upper bound, geometric mean of CPU and
     * memory, square-rooted; CPU's alone when memory is not recommended): full history and a narrow
     * interval give 1.
     */
    private static double confidence(Features.Row row, Resources lower, Resources upper) {
        double coverage = Math.min(1.0, row.historyHours() / (14.0 * 24));
        double tightness = upper.hasMemory()
                ? Math.sqrt(Math.sqrt(lower.cpuCores() / upper.cpuCores() * lower.memoryBytes() / upper.memoryBytes()))
                : Math.sqrt(lower.cpuCores() / upper.cpuCores());
        return Math.max(0, Math.min(1, coverage * tightness));
    }

    private Recommendation fallback(ContainerHistory c, long decision) {
        Recommendation r = fallback.recommend(c, decision);
        return r == null ? null : r.withModel(VpaRecommender.NAME, Math.min(FALLBACK_CONFIDENCE, r.confidence()));
    }

    /** The slot the decision falls on: the usage's hours before it are the past. */
    static int decisionSlot(HourlyUsage u, long decision) {
        return Math.max(0, Math.min(u.hours(), u.slotOf(decision)));
    }

    /** Hours from the first hour with CPU data to {@code origin}. */
    private static int spanHours(HourlyUsage u, int origin) {
        for (int i = 0; i < origin && i < u.hours(); i++) {
            if (u.hasCpu(i)) {
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

    private static double[] requestsAt(ContainerHistory c, long t) {
        if (c.samples() != null) {
            return c.samples().requestsAt(t - 1);
        }
        return new double[] {c.current().cpuCores(), c.current().memoryBytes()};
    }
}
