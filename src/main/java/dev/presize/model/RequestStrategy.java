package dev.presize.model;

import dev.presize.history.SeriesKey;
import java.util.List;
import java.util.Map;

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
}
