package dev.presize.model.learned;

import dev.presize.config.ModelSettings;
import dev.presize.model.RequestStrategy;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The strategy the server runs: the learned model, with the targets and retrain interval from the flags. */
@Factory
public class ModelFactory {

    /** The learner the server and the backtest's {@code model} use; README's comparison says why. */
    public static final Learner LEARNER = Learner.SGD;

    @Singleton
    RequestStrategy strategy(ModelSettings settings) {
        return new LearnedStrategy(settings(settings));
    }

    /** The served model's settings from the flags; the backtest's {@code model} uses the same. */
    public static LearnedStrategy.Settings settings(ModelSettings flags) {
        return LearnedStrategy.Settings.defaults(LEARNER, flags.cpuTargetRisk(), flags.cpuTargetUnmet(),
                flags.memoryTargetRisk(), flags.retrainInterval().toSeconds()).withChangeCost(flags.changeCost());
    }
}
