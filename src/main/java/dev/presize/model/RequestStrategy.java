package dev.presize.model;

import dev.presize.history.SeriesKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A way to choose requests: the learned model or one of the baselines. Strategies see all
 * containers at once because the model is one global model trained across them.
 */
public interface RequestStrategy {

    /** The name served as {@code model.name} and used by {@code backtest --strategies}. */
    String name();

    /**
     * Recommendations from data strictly before {@code decision} (epoch seconds), for the containers
     * the strategy can say something about; the others are absent from the map.
     */
    Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long decision);

    /**
     * When the model behind the last {@link #recommend} answers (for {@code decision}) was trained:
     * the decision, epoch seconds, of the call that trained it; served as {@code model.trainedAt}.
     * A strategy that keeps nothing between calls fits each answer to the history at its decision,
     * so by default its model is as old as the decision; the learned model retrains only every
     * {@code --retrain-interval} and says when it last did.
     */
    default long trainedAt(long decision) {
        return decision;
    }

    /**
     * Whether the answers depend on {@link ContainerHistory#applied}, the requests in force: the
     * learned model keeps a request in force that is still nearly as cheap as its best. The backtest
     * then decides such a strategy's days in order, each seeing the previous answers as applied.
     */
    default boolean readsApplied() {
        return false;
    }

    /**
     * For each target risk the strategy calibrates to, what its last training reached on the
     * calibration days ({@code presize_model_target_held} in /metrics); empty for a strategy that
     * calibrates nothing, or before its first training.
     */
    default List<TargetStatus> targets() {
        return List.of();
    }

    /**
     * Whether the last training sized CPU at the cold start's level rather than by calibrated
     * prices (the cluster's history is younger than the calibration needs; {@code
     * presize_model_cold_start} in /metrics); false for a strategy that calibrates nothing, or
     * before its first training.
     */
    default boolean coldStart() {
        return false;
    }

    /**
     * Whether the last training had nothing to calibrate a resource on that some container has
     * history of, so those containers get a fallback whatever the targets ({@code
     * presize_model_fallback} in /metrics): while no container has the history a calibration day
     * needs, in a young cluster for its first days and in a cluster whose workloads all live
     * shorter than that for good; false for a strategy that calibrates nothing, or before its
     * first training.
     */
    default boolean fallback() {
        return false;
    }

    /** For strategies that decide each container on its own: {@code decide} may return null (no answer). */
    static Map<SeriesKey, Recommendation> each(List<ContainerHistory> containers,
                                               Function<ContainerHistory, Recommendation> decide) {
        Map<SeriesKey, Recommendation> out = new HashMap<>();
        for (ContainerHistory c : containers) {
            Recommendation r = decide.apply(c);
            if (r != null) {
                out.put(c.key(), r);
            }
        }
        return out;
    }
}
