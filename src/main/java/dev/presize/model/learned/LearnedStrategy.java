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
     * @param normalised       margins scaled by a learned per-container spread (normalised conformal)
     *                         rather than one margin for all
     */
    public record Settings(Learner learner, double cpuRisk, double memoryRisk, int calibrationDays,
                           int minHistoryHours, int minTargetHours, int minTrainingRows, long retrainSeconds,
                           double cpuFloorCores, double memoryFloorBytes, long seed, boolean normalised) {

        public Settings {
            if (!(cpuRisk > 0 && cpuRisk < 1) || !(memoryRisk > 0 && memoryRisk < 1)) {
                throw new IllegalArgumentException("target risks must be in (0, 1), got cpu " + cpuRisk
                        + " and memory " + memoryRisk);
            }
        }

        public static Settings defaults(Learner learner, double cpuRisk, double memoryRisk, long retrainSeconds) {
            return new Settings(learner, cpuRisk, memoryRisk, 3, 72, 12, 30, retrainSeconds, 0.010, 16 * MIB, 42,
                    true);
        }

        public Settings withRisks(double cpu, double memory) {
            return new Settings(learner, cpu, memory, calibrationDays, minHistoryHours, minTargetHours,
                    minTrainingRows, retrainSeconds, cpuFloorCores, memoryFloorBytes, seed, normalised);
        }

        public Settings withNormalised(boolean value) {
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

    /** Log-space margins for the request and for the two bounds. */
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
     * A resource's regressor and its spread: {@code centre} predicts the log-ratio target,
     * {@code spread} how far off that prediction tends to be for such a container (in log units),
     * so the calibrated margin is {@code λ × spread}: normalised conformal prediction (Papadopoulos
     * et al. 2008; Lei et al. 2018). One global margin in log units would be set by the most erratic
     * containers and then wasted on the steady majority.
     */
    record Fitted(Learner.Fitted centre, Learner.Fitted spread) {

        double spreadOf(double[] x) {
            // Clipped: a spread model extrapolating wildly must not multiply one container's margin
            // by e^λ·σ with a huge σ.
            return spread == null ? 1.0 : Math.min(MAX_SPREAD, Math.max(MIN_SPREAD, Math.exp(spread.predict(x))));
        }
    }

    static final double MAX_SPREAD = 1.0;

    // Spread floor: 5 % in log units, so a container whose past predicted it perfectly still gets a margin.
    static final double MIN_SPREAD = 0.05;

    private Fitted fit(List<Case> cases, boolean cpu) {
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Integer> fold = new ArrayList<>();
        for (Case c : cases) {
            double target = cpu ? c.cpuTarget() : c.memoryTarget();
            if (!Double.isNaN(target)) {
                x.add(c.row().values());
                y.add(cpu ? Math.log(Math.max(target, Features.CPU_EPSILON) / c.row().cpuScale())
                        : Math.log(Math.max(target, Features.MEMORY_EPSILON) / c.row().memoryScale()));
                fold.add(c.fold());
            }
        }
        if (x.size() < settings.minTrainingRows()) {
            return null;
        }
        double[] targets = y.stream().mapToDouble(Double::doubleValue).toArray();
        if (!settings.normalised()) {
            return new Fitted(settings.learner().fit(x, targets, settings.seed()), null);
        }
        // Out-of-fold residuals (two folds of whole containers) teach the spread model how wrong the
        // centre model is on containers it has not seen; in-sample residuals would be too small.
        double[] logAbsResidual = new double[targets.length];
        for (int f = 0; f < 2; f++) {
            List<double[]> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < targets.length; i++) {
                if (fold.get(i) != f) {
                    xs.add(x.get(i));
                    ys.add(targets[i]);
                }
            }
            if (xs.size() < settings.minTrainingRows() / 2) {
                return null;
            }
            Learner.Fitted other = settings.learner().fit(xs, ys.stream().mapToDouble(Double::doubleValue).toArray(),
                    settings.seed());
            for (int i = 0; i < targets.length; i++) {
                if (fold.get(i) == f) {
                    logAbsResidual[i] = Math.log(Math.abs(targets[i] - other.predict(x.get(i))) + MIN_SPREAD);
                }
            }
        }
        Learner.Fitted centre = settings.learner().fit(x, targets, settings.seed());
        Learner.Fitted spread = settings.learner().fit(x, logAbsResidual, settings.seed());
        return new Fitted(centre, spread);
    }

    private Margins calibrate(Fitted fitted, List<Case> cases, boolean cpu) {
        List<DoubleUnaryOperator> losses = new ArrayList<>();
        for (Case c : cases) {
            double[] x = c.row().values();
            double sigma = fitted.spreadOf(x);
            if (cpu && !Double.isNaN(c.cpuTarget())) {
                double base = c.row().cpuScale() * Math.exp(fitted.centre().predict(x));
                int from = c.origin();
                losses.add(lambda -> {
                    double f = CpuDistribution.exceedFraction(c.usage(), from, from + Features.DAY,
                            base * Math.exp(lambda * sigma));
                    return Double.isNaN(f) ? 0 : f;
                });
            } else if (!cpu && !Double.isNaN(c.memoryTarget())) {
                double score = (Math.log(Math.max(c.memoryTarget(), Features.MEMORY_EPSILON) / c.row().memoryScale())
                        - fitted.centre().predict(x)) / sigma;
                losses.add(lambda -> score > lambda ? 1 : 0);
            }
        }
        if (losses.isEmpty()) {
            return null;
        }
        double risk = cpu ? settings.cpuRisk() : settings.memoryRisk();
        return new Margins(RiskCalibration.margin(losses, risk),
                RiskCalibration.margin(losses, Math.min(0.5, risk * BOUND_RISK_FACTOR)),
                RiskCalibration.margin(losses, risk / BOUND_RISK_FACTOR));
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
        double memoryBase = row.memoryScale() * Math.exp(trained.memory().centre().predict(x));
        double cs = trained.cpu().spreadOf(x);
        double ms = trained.memory().spreadOf(x);
        Margins cm = trained.cpuMargins();
        Margins mm = trained.memoryMargins();
        Resources request = finish(cpuBase * Math.exp(cm.request() * cs), memoryBase * Math.exp(mm.request() * ms), row);
        Resources lower = finish(cpuBase * Math.exp(cm.lower() * cs), memoryBase * Math.exp(mm.lower() * ms), row);
        Resources upper = finish(cpuBase * Math.exp(cm.upper() * cs), memoryBase * Math.exp(mm.upper() * ms), row);
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
