package dev.presize.model;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Chooses the recommender the server runs: the percentile baseline until a learned model replaces it. */
@Factory
public class ModelFactory {

    @Singleton
    Recommender recommender() {
        return new PercentileRecommender(PercentileRecommender.Settings.DEFAULTS);
    }
}
