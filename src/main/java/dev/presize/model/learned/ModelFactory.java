package dev.presize.model.learned;

import dev.presize.model.RequestStrategy;

import dev.presize.config.ModelSettings;
import dev.presize.model.learned.LearnedStrategy;
import dev.presize.model.learned.Learner;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The strategy the server runs: the learned model, with the risks and retrain interval from the flags. */
@Factory
public class ModelFactory {

    /** The learner the server and the backtest's {@code model} use; README's comparison says why. */
    public static final Learner LEARNER = Learner.XGBOOST;

    @Singleton
    RequestStrategy strategy(ModelSettings settings) {
        return new LearnedStrategy(LearnedStrategy.Settings.defaults(LEARNER, settings.cpuTargetRisk(),
                settings.memoryTargetRisk(), settings.retrainInterval().toSeconds())
                .withRiskCapFactor(settings.maxContainerRiskFactor()));
    }
}
