package dev.presize.model.learned;

import dev.presize.model.RequestStrategy;

import dev.presize.model.learned.LearnedStrategy;
import dev.presize.model.learned.Learner;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;

/** The strategy the server runs: the learned model, with the risks and retrain interval from the flags. */
@Factory
public class ModelFactory {

    /** The learner the server and the backtest's {@code model} use; README's comparison says why. */
    public static final Learner LEARNER = Learner.XGBOOST;

    @Singleton
    RequestStrategy strategy(@Value("${presize.cpu-target-risk:0.05}") String cpuRisk,
                             @Value("${presize.memory-target-risk:0.01}") String memoryRisk,
                             @Value("${presize.retrain-interval:6h}") Duration retrain,
                             @Value("${presize.max-container-risk-factor:10}") String capFactor) {
        if (retrain.isNegative() || retrain.isZero()) {
            throw new IllegalArgumentException("--retrain-interval must be positive, got " + retrain);
        }
        return new LearnedStrategy(LearnedStrategy.Settings.defaults(LEARNER, risk("cpu-target-risk", cpuRisk),
                risk("memory-target-risk", memoryRisk), retrain.toSeconds()).withRiskCapFactor(
                        capFactor("max-container-risk-factor", capFactor)));
    }

    /** A per-container risk cap factor: a finite number of at least 1 (below 1 no container could meet the target). */
    public static double capFactor(String flag, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (d >= 1 && !Double.isInfinite(d)) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--" + flag + " must be a number of at least 1, got \"" + value + "\"");
    }

    static double risk(String flag, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (d > 0 && d < 1) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--" + flag + " must be a number between 0 and 1 (exclusive), got \""
                + value + "\"");
    }
}
