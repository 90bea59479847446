package dev.presize.model.baselines;

import dev.presize.history.HourlyUsage;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.Resources;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The provisioned requests, as they are: no usage read, no margin, no floor. */
class ManualRecommenderTest {

    private static final long DECISION = 1_699_999_200L;

    private static ContainerHistory container(String name, Resources current) {
        // Usage that would move any usage-based recommender far from the request.
        HourlyUsage.Builder u = HourlyUsage.builder(DECISION - 3600, 1);
        u.cpuMean()[0] = 40f;
        u.samples()[0] = 12;
        for (float[] q : u.cpuQuantiles()) {
            q[0] = 40f;
        }
        u.memoryMax()[0] = 1e12f;
        return new ContainerHistory(new SeriesKey("ns", "web", name), u.build(), null, current);
    }

    @Test
    void recommendsTheRequestsInForce() {
        Resources current = new Resources(0.003, 5e6);
        Map<SeriesKey, Recommendation> out = new ManualRecommender()
                .recommend(List.of(container("app", current)), DECISION);
        Recommendation r = out.get(new SeriesKey("ns", "web", "app"));
        assertEquals(new Recommendation(current, current, current, 1.0, 0), r);
    }

    @Test
    void answersTheKnownRequestsAndLeavesOutContainersWithNone() {
        Map<SeriesKey, Recommendation> out = new ManualRecommender().recommend(List.of(
                container("app", new Resources(1, 1e9)),
                container("no-cpu", new Resources(Double.NaN, 1e9)),
                container("no-memory", new Resources(1, Double.NaN)),
                container("none", new Resources(Double.NaN, Double.NaN))), DECISION);
        assertEquals(Set.of("app", "no-cpu", "no-memory"),
                out.keySet().stream().map(SeriesKey::container).collect(Collectors.toSet()));
        assertEquals(new Resources(Double.NaN, 1e9), out.get(new SeriesKey("ns", "web", "no-cpu")).requests());
        assertEquals(new Resources(1, Double.NaN), out.get(new SeriesKey("ns", "web", "no-memory")).requests());
    }
}
