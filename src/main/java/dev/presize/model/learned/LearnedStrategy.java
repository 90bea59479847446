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
import java.util.function.DoubleUnaryOperator;

/**
 * Presize's model: one global Tribuo regressor per resource, trained on the cluster's own history,
 * predicting the next 24 hours' CPU high quantile and memory peak relative to each container's past,
 * with a margin calibrated by conformal risk control on a later, held-back slice of days to the
 * target risks. The same class serves the server's refresh and the backtest's decisions: given the
 * hourly usage before a decision, it trains (when due), calibrates and predicts.
 *
 * <p>Decision origins for training are whole days back from the decision: the day before it, two
 * days before, and so on while at least {@link Settings#minHistoryHours} of history precede the
 * origin. The {@link Settings#calibrationDays} latest origins are the calibration slice, the older
 * ones train the regressors; nothing after the decision is ever read.
 */
public final class LearnedStrategy implements RequestStrategy {

    static final double MIB = 1024.0 * 1024.0;

    /**
     * @param learner          which Tribuo regressor
     * @param cpuRisk          target share of CPU samples above the request
     * @param memoryRisk       target share of container-days whose peak exceeds the request
     * @param calibrationDays  latest origins held back for calibration
     * @param minHistoryHours  less history than this (span before the decision): VPA fallback
     * @param minTargetHours   a training day needs this many hours with data
     * @param minTrainingRows  fewer rows than this: no model, everyone gets the fallback
     * @param retrainSeconds   reuse a trained model for decisions less than this after its training
     * @param cpuFloorCores    nothing below this
     * @param memoryFloorBytes nothing below this
     * @param seed             for the learners
     * @param allocated        margins allocated per container by {@link MarginAllocation} rather than
     *                         one margin for all; off by default: README's backtest shows it misses
     *                         the target risks out of sample
     */
    public record Settings(Learner learner, double cpuRisk, double memoryRisk, int calibrationDays,
                           int minHistoryHours, int minTargetHours, int minTrainingRows, long retrainSeconds,
                           double cpuFloorCores, double memoryFloorBytes, long seed, boolean allocated) {

        public Settings {
            if (!(cpuRisk > 0 && cpuRisk < 1) || !(memoryRisk > 0 && memoryRisk < 1)) {
                throw new IllegalArgumentException("target risks must be in (0, 1), got cpu " + cpuRisk
                        + " and memory " + memoryRisk);
            }
        }

        public static Settings defaults(Learner learner, double cpuRisk, double memoryRisk, long retrainSeconds) {
            return new Settings(learner, cpuRisk, memoryRisk, 3, 72, 12, 30, retrainSeconds, 0.010, 16 * MIB, 42,
                    false);
        }

        public Settings withRisks(double cpu, double memory) {
            return new Settings(learner, cpu, memory, calibrationDays, minHistoryHours, minTargetHours,
                    minTrainingRows, retrainSeconds, cpuFloorCores, memoryFloorBytes, seed, allocated);
        }

        public Settings withAllocated(boolean value) {
            return new Settings(learner, cpuRisk, memoryRisk, calibrationDays, minHistoryHours, minTargetHours,
                    minTrainingRows, retrainSeconds, cpuFloorCores, memoryFloorBytes, seed, value);
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

    @Override
    public String name() {
        return "tribuo-" + settings.learner().id();
    }

    public Settings settings() {
        return settings;
    }

    /** What one training produced; reused until {@link Settings#retrainSeconds} have passed. */
    record Trained(long at, Fitted cpu, Fitted memory, Margins cpuMargins, Margins memoryMargins,
                   int trainingRows, int calibrationRows) {
    }

    /**
     * What calibration fixed for the request and the two bounds: the log-space margins themselves
     * when every container gets the same one, or the allocation's log multipliers
     * ({@link MarginAllocation}) when the resource's {@link Fitted#curves} exist.
     */
    record Margins(double request, double lower, double upper) {
    }

    @Override
    public synchronized Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long decision) {
        if (trained == null || decision - trained.at() >= settings.retrainSeconds() || decision < trained.at()) {
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

    /** One training case: features at an origin and what the next 24 hours held. */
    private record Case(Features.Row row, HourlyUsage usage, int origin, double cpuTarget, double memoryTarget,
                        int fold) {
    }

    Trained train(List<ContainerHistory> containers, long decision) {
        List<Case> training = new ArrayList<>();
        List<Case> calibration = new ArrayList<>();
        for (ContainerHistory c : containers) {
            HourlyUsage u = c.usage();
            int end = decisionSlot(u, decision);
            for (int k = 1; end - k * Features.DAY >= 0; k++) {
                int origin = end - k * Features.DAY;
                if (spanHours(u, origin) < settings.minHistoryHours()) {
                    break;
                }
                Case cs = trainingCase(c, u, origin);
                if (cs != null) {
                    (k <= settings.calibrationDays() ? calibration : training).add(cs);
                }
            }
        }
        Fitted cpu = fit(training, true);
        Fitted memory = fit(training, false);
        Margins cpuMargins = cpu == null ? null : calibrate(cpu, calibration, true);
        Margins memoryMargins = memory == null ? null : calibrate(memory, calibration, false);
        return new Trained(decision, cpuMargins == null ? null : cpu, memoryMargins == null ? null : memory,
                cpuMargins, memoryMargins, training.size(), calibration.size());
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
        return new Case(row, u, origin, cpuTarget, memoryTarget, Math.floorMod(c.key().hashCode(), 2));
    }

    /**
     * A resource's regressor and, when margins are allocated, its difficulty model: {@code centre}
     * predicts the log-ratio target, {@code spread} how far off that prediction tends to be for
     * such a container (log of the absolute out-of-fold residual), and {@code curves} the expected
     * loss per margin for each band of spread ({@link MarginAllocation}).
     */
    record Fitted(Learner.Fitted centre, Learner.Fitted spread, MarginAllocation.Curves curves) {

        double spreadOf(double[] x) {
            return spread == null ? 0 : spread.predict(x);
        }
    }

    // Added to |residual| before the log, so a perfectly predicted case has a finite difficulty.
    static final double RESIDUAL_FLOOR = 0.01;

    private Fitted fit(List<Case> all, boolean cpu) {
        List<Case> cases = new ArrayList<>();
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Case c : all) {
            double target = cpu ? c.cpuTarget() : c.memoryTarget();
            if (!Double.isNaN(target)) {
                cases.add(c);
                x.add(c.row().values());
                y.add(cpu ? Math.log(Math.max(target, Features.CPU_EPSILON) / c.row().cpuScale())
                        : Math.log(Math.max(target, Features.MEMORY_EPSILON) / c.row().memoryScale()));
            }
        }
        if (x.size() < settings.minTrainingRows()) {
            return null;
        }
        double[] targets = y.stream().mapToDouble(Double::doubleValue).toArray();
        Learner.Fitted centre = settings.learner().fit(x, targets, settings.seed());
        if (!settings.allocated()) {
            return new Fitted(centre, null, null);
        }
        // Out-of-fold predictions (two folds of whole containers) show how wrong the centre model is
        // on containers it has not seen; in-sample residuals would be too small.
        double[] outOfFold = new double[targets.length];
        for (int f = 0; f < 2; f++) {
            List<double[]> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < targets.length; i++) {
                if (cases.get(i).fold() != f) {
                    xs.add(x.get(i));
                    ys.add(targets[i]);
                }
            }
            if (xs.size() < settings.minTrainingRows() / 2) {
                return new Fitted(centre, null, null);
            }
            Learner.Fitted other = settings.learner().fit(xs, ys.stream().mapToDouble(Double::doubleValue).toArray(),
                    settings.seed());
            for (int i = 0; i < targets.length; i++) {
                if (cases.get(i).fold() == f) {
                    outOfFold[i] = other.predict(x.get(i));
                }
            }
        }
        double[] logAbsResidual = new double[targets.length];
        for (int i = 0; i < targets.length; i++) {
            logAbsResidual[i] = Math.log(Math.abs(targets[i] - outOfFold[i]) + RESIDUAL_FLOOR);
        }
        Learner.Fitted spread = settings.learner().fit(x, logAbsResidual, settings.seed());
        List<MarginAllocation.Scored> scored = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            scored.add(scored(cases.get(i), cpu, spread.predict(x.get(i)), outOfFold[i]));
        }
        return new Fitted(centre, spread, MarginAllocation.curves(scored, cpu ? settings.cpuRisk() : settings.memoryRisk()));
    }

    /**
     * A case's loss as a function of the margin on top of the log-ratio {@code predicted}: for CPU
     * the share of the next day's samples above the request, for memory whether the day's peak
     * exceeded it. The weight is the base request (cores or bytes) the margin multiplies.
     */
    private static MarginAllocation.Scored scored(Case c, boolean cpu, double spread, double predicted) {
        if (cpu) {
            double base = c.row().cpuScale() * Math.exp(predicted);
            int from = c.origin();
            return new MarginAllocation.Scored(spread, base, lambda -> {
                double f = CpuDistribution.exceedFraction(c.usage(), from, from + Features.DAY, base * Math.exp(lambda));
                return Double.isNaN(f) ? 0 : f;
            });
        }
        double base = memoryBase(c.row(), predicted);
        double score = Math.log(Math.max(c.memoryTarget(), Features.MEMORY_EPSILON) / base);
        return new MarginAllocation.Scored(spread, base, lambda -> score > lambda ? 1 : 0);
    }

    /**
     * What the memory margin multiplies: the regressor's predicted peak, but never less than the
     * peak of the whole history window. Memory is not compressible, and both VPA and KRR start from
     * observed peaks for that reason; a mean regressor predicts a typical next day, which for a
     * container whose peaks come and go lies below the peak, and one margin on top would then have
     * to cover every such container's return to its peak — paid for by the steady ones. With the
     * anchor, the model's work is to raise the request ahead of growth; the calibrated margin can
     * still take it below the peak where the target risk allows.
     */
    private static double memoryBase(Features.Row row, double predicted) {
        double base = row.memoryScale() * Math.exp(predicted);
        return Double.isNaN(row.memoryPeak()) ? base : Math.max(base, row.memoryPeak());
    }

    private Margins calibrate(Fitted fitted, List<Case> cases, boolean cpu) {
        List<MarginAllocation.Scored> scored = new ArrayList<>();
        for (Case c : cases) {
            if (!Double.isNaN(cpu ? c.cpuTarget() : c.memoryTarget())) {
                double[] x = c.row().values();
                scored.add(scored(c, cpu, fitted.spreadOf(x), fitted.centre().predict(x)));
            }
        }
        if (scored.isEmpty()) {
            return null;
        }
        double risk = cpu ? settings.cpuRisk() : settings.memoryRisk();
        double[] risks = {risk, Math.min(0.5, risk * BOUND_RISK_FACTOR), risk / BOUND_RISK_FACTOR};
        double[] m = new double[risks.length];
        for (int k = 0; k < risks.length; k++) {
            m[k] = fitted.curves() == null
                    ? RiskCalibration.margin(scored.stream().map(MarginAllocation.Scored::loss).toList(), risks[k])
                    : MarginAllocation.calibrate(fitted.curves(), scored, risks[k]);
        }
        return new Margins(m[0], m[1], m[2]);
    }

    /** The log-space margin for a container: calibrated {@code m} itself, or the allocation's at multiplier e^m. */
    private static double margin(Fitted fitted, double m, double risk, double[] x, double base) {
        if (fitted.curves() == null) {
            return m;
        }
        return fitted.curves().margin(fitted.spreadOf(x), base, Math.exp(m), MarginAllocation.cap(risk));
    }

    private Recommendation predict(ContainerHistory c, long decision) {
        HourlyUsage u = c.usage();
        int origin = decisionSlot(u, decision);
        if (Features.hoursWithCpu(u, 0, origin) == 0) {
            return null;
        }
        boolean usable = trained.cpu() != null && trained.memory() != null
                && spanHours(u, origin) >= settings.minHistoryHours();
        Features.Row row = usable ? Features.compute(u, origin, c.current().cpuCores(), c.current().memoryBytes()) : null;
        if (row == null || Double.isNaN(row.memoryScale())) {
            return fallback(c, decision);
        }
        double[] x = row.values();
        double cpuBase = row.cpuScale() * Math.exp(trained.cpu().centre().predict(x));
        double memoryBase = memoryBase(row, trained.memory().centre().predict(x));
        Margins cm = trained.cpuMargins();
        Margins mm = trained.memoryMargins();
        Fitted fc = trained.cpu();
        Fitted fm = trained.memory();
        double cr = settings.cpuRisk();
        double mr = settings.memoryRisk();
        Resources request = finish(cpuBase * Math.exp(margin(fc, cm.request(), cr, x, cpuBase)),
                memoryBase * Math.exp(margin(fm, mm.request(), mr, x, memoryBase)), row);
        Resources lower = finish(cpuBase * Math.exp(margin(fc, cm.lower(), Math.min(0.5, cr * BOUND_RISK_FACTOR), x, cpuBase)),
                memoryBase * Math.exp(margin(fm, mm.lower(), Math.min(0.5, mr * BOUND_RISK_FACTOR), x, memoryBase)), row);
        Resources upper = finish(cpuBase * Math.exp(margin(fc, cm.upper(), cr / BOUND_RISK_FACTOR, x, cpuBase)),
                memoryBase * Math.exp(margin(fm, mm.upper(), mr / BOUND_RISK_FACTOR, x, memoryBase)), row);
        lower = new Resources(Math.min(lower.cpuCores(), request.cpuCores()),
                Math.min(lower.memoryBytes(), request.memoryBytes()));
        upper = new Resources(Math.max(upper.cpuCores(), request.cpuCores()),
                Math.max(upper.memoryBytes(), request.memoryBytes()));
        return new Recommendation(request, lower, upper, confidence(row, lower, upper),
                CpuDistribution.samples(u, 0, origin));
    }

    /** OOM bump, then floors. */
    private Resources finish(double cpu, double memory, Features.Row row) {
        if (row.oomKilled() && !Double.isNaN(row.memoryPeak())) {
            memory = Math.max(memory, Math.max(row.memoryPeak() + OOM_MIN_BUMP, row.memoryPeak() * OOM_BUMP_RATIO));
        }
        return new Resources(Math.max(cpu, settings.cpuFloorCores()), Math.max(memory, settings.memoryFloorBytes()));
    }

    /**
     * How far the history supports the numbers: the share of the last two weeks covered by data,
     * times the tightness of the calibrated interval (lower/upper bound, geometric mean of CPU and
     * memory, square-rooted): full history and a narrow interval give 1.
     */
    private static double confidence(Features.Row row, Resources lower, Resources upper) {
        double coverage = Math.min(1.0, row.historyHours() / (14.0 * 24));
        double tightness = Math.sqrt(Math.sqrt(lower.cpuCores() / upper.cpuCores()
                * lower.memoryBytes() / upper.memoryBytes()));
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
