package dev.presize.model.baselines;

import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.Resources;
import java.util.List;
import java.util.Map;

/**
 * What the owners provisioned: the requests in force at the decision (in a trace, the
 * {@code cpu_request_cores}/{@code memory_request_bytes} of the last sample before it). The yardstick
 * for what people do without any recommender. A resource whose request is unknown is not answered.
 */
public final class ManualRecommender implements RequestStrategy {

    public static final String NAME = "manual";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long decision) {
        return RequestStrategy.each(containers, c -> {
            Resources r = c.current();
            // A request nobody set stays NaN: manual answers for the resources it knows.
            return !r.hasCpu() && !r.hasMemory() ? null : new Recommendation(r, r, r, 1.0, 0);
        });
    }
}
