package dev.presize.model;

import dev.presize.history.ContainerSeries;
import dev.presize.workloads.ContainerSpec;

import java.time.Duration;
import java.util.Optional;

/** A strategy that turns one container's usage history into a request recommendation. */
public interface Recommender {

    /** The name served as {@code model.name}, e.g. {@code percentile}. */
    String name();

    /**
     * The recommendation from {@code history} (the samples of the last {@code window}), or empty when
     * the history is not enough to say anything. {@code current} is what the container requests now.
     */
    Optional<Recommendation> recommend(ContainerSeries history, ContainerSpec current, Duration window);
}
