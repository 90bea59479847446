package dev.presize.model.learned;

import dev.presize.history.HourlyUsage;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.Resources;
import dev.presize.model.baselines.VpaRecommender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Presize's model. For each resource, every container gets an {@link RiskAllocation.Outlook} (the
 * requests it could get, with the estimated risk and the capacity cost of each) built from its own
 * past and moved by a global Tribuo regressor's predicted change of level for the next 24 hours
 * ({@link Outlooks}); one cluster-wide multiplier then picks each container's request by trading
 * cost against risk, calibrated by conformal risk control on a later, held-back slice of days so
 * that the realised risk meets the target ({@link RiskAllocation}). The same class serves the
 * server's refresh and the backtest's decisions: given the hourly usage before a decision, it trains
 * (when due), calibrates and predicts.
 *
 * <p>Decision origins for training are whole days back from the decision: the day before it, two
 * days before, and so on while at least {@link Settings#minHistoryHours} of history precede the
 * origin. The {@link Settings#calibrationDays} latest origins are the calibration slice, the older
 * ones train the regressors; nothing after the decision is ever read.
 */
public final class LearnedStrategy implements RequestStrategy {

    static final double MIB = 1024.0 * 1024.0;

    /** By default no container's estimated risk may exceed 10 × the target ({@link RiskAllocation}). */
    public static final double DEFAULT_RISK_CAP_FACTOR = 10;

    /**
     * @param learner          which Tribuo regressor
     * @param cpuRisk          target share of CPU samples above the request
     * @param memoryRisk       target share of container-days whose peak exceeds the request
     * @param calibrationDays  latest origins held back for calibration
     * @param minHistoryHours  less history than this (span before the decision): VPA fallback
     * @param minTargetHours   a training or calibration day needs this many hours with data
     * @param minTrainingRows  fewer rows than this: no regressor, outlooks are not shifted
     * @param retrainSeconds   reuse a trained model for later decisions in the same window of this
     *                         length, windows aligned to the epoch
     * @param cpuFloorCores    nothing below this
     * @param memoryFloorBytes nothing below this
     * @param seed             for the learners
     * @param riskCapFactor    no container's estimated risk above this multiple of the target
     *                         ({@link RiskAllocation}); lower trades slack for risk spread more evenly
     * @param learnedShift     whether the Tribuo regressor moves the outlooks; off by default, because
     *                         README's backtest shows the shift costing slack and overshooting the
     *                         CPU risk at equal targets; the backtest's {@code model-xgboost},
     *                         {@code model-cart} and {@code model-sgd} turn it on to keep measuring it
     */
    public record Settings(Learner learner, double cpuRisk, double memoryRisk, int calibrationDays,
                           int minHistoryHours, int minTargetHours, int minTrainingRows, long retrainSeconds,
                           double cpuFloorCores, double memoryFloorBytes, long seed, double riskCapFactor,
                           boolean learnedShift) {

        public Settings {
            if (!(cpuRisk > 0 && cpuRisk < 1) || !(memoryRisk > 0 && memoryRisk < 1)) {
                throw new IllegalArgumentException("target risks must be in (0, 1), got cpu " + cpuRisk
                        + " and memory " + memoryRisk);
            }
            if (!(riskCapFactor >= 1) || Double.isInfinite(riskCapFactor)) {
                throw new IllegalArgumentException("the per-container risk cap factor must be a number >= 1, got "
                        + riskCapFactor);
            }
        }

        public static Settings defaults(Learner learner, double cpuRisk, double memoryRisk, long retrainSeconds) {
            return new Settings(learner, cpuRisk, memoryRisk, 7, 72, 12, 30, retrainSeconds, 0.010, 16 * MIB, 42,
                    DEFAULT_RISK_CAP_FACTOR, false);
        }

        public Settings withRisks(double cpu, double memory) {
            return new Settings(learner, cpu, memory, calibrationDays, minHistoryHours, minTargetHours,
                    minTrainingRows, retrainSeconds, cpuFloorCores, memoryFloorBytes, seed, riskCapFactor,
                    learnedShift);
        }

        public Settings withRiskCapFactor(double factor) {
            return new Settings(learner, cpuRisk, memoryRisk, calibrationDays, minHistoryHours, minTargetHours,
                    minTrainingRows, retrainSeconds, cpuFloorCores, memoryFloorBytes, seed, factor, learnedShift);
        }

        public Settings withLearnedShift(boolean value) {
            return new Settings(learner, cpuRisk, memoryRisk, calibrationDays, minHistoryHours, minTargetHours,
                    minTrainingRows, retrainSeconds, cpuFloorCores, memoryFloorBytes, seed, riskCapFactor, value);
        }
    }

    // OOM bump as the VPA recommender applies it (model/aggregate_container_state.go: OOMBumpUpRatio
    // 1.2, OOMMinBumpUp 100 MiB) and the issue asks: memory >= max(peak + 100 MiB, peak x 1.2).
    static final double OOM_MIN_BUMP = 100 * MIB;
    static final double OOM_BUMP_RATIO = 1.2;
    // Bounds: the request at a 4x looser and a 4x stricter risk.
    static final double BOUND_RISK_FACTOR = 4;
    // A fallback recommendation is served with at most this confidence.
    static final double FALLBACK_CONFIDENCE = 0.3;

    private final Settings settings;
    private final VpaRecommender fallback = new VpaRecommender();
    private Trained trained;

    public LearnedStrategy(Settings settings) {
        this.settings = settings;
    }

    /** {@code tribuo-<learner>} when the regressor shifts the outlooks, else {@code presize-allocation}. */
    @Override
    public String name() {
        return settings.learnedShift() ? "tribuo-" + settings.learner().id() : "presize-allocation";
    }

    public Settings settings() {
        return settings;
    }

    /**
     * What one training produced; reused until {@link Settings#retrainSeconds} have passed. A
     * regressor is null when there were too few rows (the outlooks are then not shifted); the
     * multipliers are null when there was nothing to calibrate on (everyone gets the fallback).
     */
    record Trained(long at, Shift cpu, Shift memory, Multipliers cpuMu, Multipliers memoryMu,
                   int trainingRows, int calibrationRows) {
    }

    /**
     * A regressor and how far to trust it: the shift applied is {@code weight × (prediction − naive)},
     * the weight fitted on the calibration slice by least squares ({@link #weight}), so a regressor
     * that does not beat "tomorrow is like the past days" on held-back days moves nothing.
     */
    record Shift(Learner.Fitted regressor, double weight) {
    }

    /** The calibrated multipliers μ for the request's risk and for the two bounds' risks. */
    record Multipliers(double request, double lower, double upper) {
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
        for (ContainerHistory c : containers) {
            Recommendation r = predict(c, decision);
            if (r != null) {
                out.put(c.key(), r);
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

    /** One training case: features at an origin and what the next 24 hours held. */
    private record Case(Features.Row row, HourlyUsage usage, int origin, double cpuTarget, double memoryTarget) {
    }

    Trained train(List<ContainerHistory> containers, long decision) {
        List<Case> training = new ArrayList<>();
        List<Case> calibration = new ArrayList<>();
        for (ContainerHistory c : containers) {
            HourlyUsage u = c.usage();
            int end = decisionSlot(u, decision);
            for (int k = 1; end - k * Features.DAY >= 0; k++) {
                int origin = end - k * Features.DAY;
                if (spanHours(u, origin) < settings.minHistoryHours()
                        || (k > settings.calibrationDays() && !settings.learnedShift())) {
                    break; // older origins only train the regressor: none to train without the shift
                }
                Case cs = trainingCase(c, u, origin);
                if (cs != null) {
                    (k <= settings.calibrationDays() ? calibration : training).add(cs);
                }
            }
        }
        Shift cpu = shift(settings.learnedShift() ? fit(training, true) : null, calibration, true);
        Shift memory = shift(settings.learnedShift() ? fit(training, false) : null, calibration, false);
        List<RiskAllocation.Case> cpuCases = new ArrayList<>();
        List<RiskAllocation.Case> memoryCases = new ArrayList<>();
        for (Case c : calibration) {
            HourlyUsage u = c.usage();
            int from = c.origin();
            int to = from + Features.DAY;
            if (!Double.isNaN(c.cpuTarget())) {
                cpuCases.add(new RiskAllocation.Case(cpuOutlook(cpu, c.row(), u, from), r -> {
                    double f = CpuDistribution.exceedFraction(u, from, to, r);
                    return Double.isNaN(f) ? 0 : f;
                }));
            }
            RiskAllocation.Outlook m = Double.isNaN(c.memoryTarget()) ? null : memoryOutlook(memory, c.row(), u, from);
            if (m != null) {
                double peak = c.memoryTarget();
                memoryCases.add(new RiskAllocation.Case(m, r -> peak > r ? 1 : 0));
            }
        }
        return new Trained(decision, cpu, memory, calibrate(cpuCases, settings.cpuRisk()),
                calibrate(memoryCases, settings.memoryRisk()), training.size(), calibration.size());
    }

    private double cap(double risk) {
        return RiskAllocation.cap(risk, settings.riskCapFactor());
    }

    private Case trainingCase(ContainerHistory c, HourlyUsage u, int origin) {
        double[] requests = requestsAt(c, u.start() + origin * HourlyUsage.HOUR);
        Features.Row row = Features.compute(u, origin, requests[0], requests[1]);
        if (row == null) {
            return null;
        }
        int to = origin + Features.DAY;
        double cpuTarget = Features.hoursWithCpu(u, origin, to) >= settings.minTargetHours()
                ? CpuDistribution.quantile(u, origin, to, 1 - settings.cpuRisk()) : Double.NaN;
        double memoryTarget = memoryHours(u, origin, to) >= settings.minTargetHours() && !Double.isNaN(row.memoryScale())
                ? Features.maxMemory(u, origin, to) : Double.NaN;
        if (Double.isNaN(cpuTarget) && Double.isNaN(memoryTarget)) {
            return null;
        }
        return new Case(row, u, origin, cpuTarget, memoryTarget);
    }

    /** The regressor of a resource's next-day log-ratio target, or null with too few rows. */
    private Learner.Fitted fit(List<Case> all, boolean cpu) {
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Case c : all) {
            double target = cpu ? c.cpuTarget() : c.memoryTarget();
            if (!Double.isNaN(target)) {
                x.add(c.row().values());
                y.add(cpu ? Math.log(Math.max(target, Features.CPU_EPSILON) / c.row().cpuScale())
                        : Math.log(Math.max(target, Features.MEMORY_EPSILON) / c.row().memoryScale()));
            }
        }
        if (x.size() < settings.minTrainingRows()) {
            return null;
        }
        return settings.learner().fit(x, y.stream().mapToDouble(Double::doubleValue).toArray(), settings.seed());
    }

    /**
     * The naive forecast the shift is measured from: the mean, in log space relative to the scale,
     * of the same quantile on each past day. A stationary container's next day is like that,
     * whatever its burstiness; the whole window's quantile instead would sit above a typical day's
     * and bias every shift downwards.
     */
    private double cpuNaive(Features.Row row, HourlyUsage u, int origin) {
        double sum = 0;
        int n = 0;
        for (int to = origin; to > 0; to -= Features.DAY) {
            double q = CpuDistribution.quantile(u, to - Features.DAY, to, 1 - settings.cpuRisk());
            if (!Double.isNaN(q)) {
                sum += Math.log(Math.max(q, Features.CPU_EPSILON) / row.cpuScale());
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The past days' peaks, mean in log space relative to the scale. */
    private static double memoryNaive(Features.Row row, List<Double> peaks) {
        double sum = 0;
        for (double p : peaks) {
            sum += Math.log(Math.max(p, Features.MEMORY_EPSILON) / row.memoryScale());
        }
        return peaks.isEmpty() ? Double.NaN : sum / peaks.size();
    }

    private double naive(boolean cpu, Features.Row row, HourlyUsage u, int origin) {
        return cpu ? cpuNaive(row, u, origin) : memoryNaive(row, Outlooks.dailyPeaks(u, origin));
    }

    /**
     * How far the regressor is trusted: the least-squares weight w in [0, 1] of
     * {@code naive + w × (prediction − naive)} against the actual next-day log target on the
     * calibration cases, which the regressor never saw. Stacking on held-back data, as in any blend
     * of forecasts; 0 when the regressor is missing or its corrections point the wrong way.
     */
    private Shift shift(Learner.Fitted regressor, List<Case> calibration, boolean cpu) {
        if (regressor == null) {
            return new Shift(null, 0);
        }
        double cross = 0;
        double square = 0;
        for (Case c : calibration) {
            double target = cpu ? c.cpuTarget() : c.memoryTarget();
            double naive = Double.isNaN(target) ? Double.NaN : naive(cpu, c.row(), c.usage(), c.origin());
            if (Double.isNaN(naive)) {
                continue;
            }
            double actual = cpu ? Math.log(Math.max(target, Features.CPU_EPSILON) / c.row().cpuScale())
                    : Math.log(Math.max(target, Features.MEMORY_EPSILON) / c.row().memoryScale());
            double move = regressor.predict(c.row().values()) - naive;
            cross += (actual - naive) * move;
            square += move * move;
        }
        return new Shift(regressor, weight(cross, square));
    }

    static double weight(double cross, double square) {
        return square > 0 ? Math.max(0, Math.min(1, cross / square)) : 0;
    }

    private double shiftOf(Shift shift, boolean cpu, Features.Row row, HourlyUsage u, int origin) {
        if (shift.regressor() == null || shift.weight() == 0) {
            return 0;
        }
        double naive = naive(cpu, row, u, origin);
        return Double.isNaN(naive) ? 0 : shift.weight() * (shift.regressor().predict(row.values()) - naive);
    }

    private RiskAllocation.Outlook cpuOutlook(Shift cpu, Features.Row row, HourlyUsage u, int origin) {
        return Outlooks.cpu(u, origin, shiftOf(cpu, true, row, u, origin));
    }

    private RiskAllocation.Outlook memoryOutlook(Shift memory, Features.Row row, HourlyUsage u, int origin) {
        if (Double.isNaN(row.memoryScale())) {
            return null;
        }
        return Outlooks.memory(u, origin, shiftOf(memory, false, row, u, origin));
    }

    /** The multipliers for the target risk and the bounds' risks; null without calibration cases. */
    private Multipliers calibrate(List<RiskAllocation.Case> cases, double risk) {
        if (cases.isEmpty()) {
            return null;
        }
        double stricter = risk / BOUND_RISK_FACTOR;
        return new Multipliers(RiskAllocation.calibrate(cases, risk, cap(risk)),
                RiskAllocation.calibrate(cases, looser(risk), cap(looser(risk))),
                RiskAllocation.calibrate(cases, stricter, cap(stricter)));
    }

    private static double looser(double risk) {
        return Math.min(0.5, risk * BOUND_RISK_FACTOR);
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
        boolean usable = trained.cpuMu() != null && (trained.memoryMu() != null || !memoryHistory)
                && spanHours(u, origin) >= settings.minHistoryHours();
        Features.Row row = usable ? Features.compute(u, origin, c.current().cpuCores(), c.current().memoryBytes()) : null;
        RiskAllocation.Outlook memory = row == null || !memoryHistory ? null
                : memoryOutlook(trained.memory(), row, u, origin);
        if (row == null || (memoryHistory && memory == null)) {
            return fallback(c, decision);
        }
        RiskAllocation.Outlook cpu = cpuOutlook(trained.cpu(), row, u, origin);
        Multipliers cm = trained.cpuMu();
        Multipliers mm = trained.memoryMu();
        double cr = settings.cpuRisk();
        double mr = settings.memoryRisk();
        Resources request = finish(RiskAllocation.request(cpu, cm.request(), cap(cr)),
                memory == null ? Double.NaN : RiskAllocation.request(memory, mm.request(), cap(mr)), row);
        Resources lower = finish(RiskAllocation.request(cpu, cm.lower(), cap(looser(cr))),
                memory == null ? Double.NaN : RiskAllocation.request(memory, mm.lower(), cap(looser(mr))), row);
        Resources upper = finish(RiskAllocation.request(cpu, cm.upper(), cap(cr / BOUND_RISK_FACTOR)),
                memory == null ? Double.NaN : RiskAllocation.request(memory, mm.upper(), cap(mr / BOUND_RISK_FACTOR)),
                row);
        lower = new Resources(Math.min(lower.cpuCores(), request.cpuCores()),
                Math.min(lower.memoryBytes(), request.memoryBytes()));
        upper = new Resources(Math.max(upper.cpuCores(), request.cpuCores()),
                Math.max(upper.memoryBytes(), request.memoryBytes()));
        return new Recommendation(request, lower, upper, confidence(row, lower, upper),
                CpuDistribution.samples(u, 0, origin));
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
