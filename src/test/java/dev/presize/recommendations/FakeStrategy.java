package dev.presize.recommendations;

import dev.presize.history.HourlyUsage;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.Resources;
import dev.presize.model.TargetStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link RequestStrategy} whose answers are known, for tests about refreshing and building
 * objects rather than about the model: every container with at least one hour of CPU or memory
 * history gets {@link #REQUESTS} (bounds {@link #LOWER} and {@link #UPPER}, confidence
 * {@link #CONFIDENCE}) for the resources it has history of, NaN for the other (as every strategy
 * does), with {@code samples} the CPU samples of the history it was given, so a test can see how much
 * history reached the strategy. It was "trained" at {@link #trainedAt} (null: at each decision, as
 * a strategy without state) and remembers the decisions it was asked for.
 */
final class FakeStrategy implements RequestStrategy {

    static final String NAME = "fake-model";
    static final Resources REQUESTS = new Resources(0.25, 256 * 1024 * 1024.0);
    static final Resources LOWER = new Resources(0.1, 128 * 1024 * 1024.0);
    static final Resources UPPER = new Resources(0.5, 512 * 1024 * 1024.0);
    static final double CONFIDENCE = 0.8;

    private final Long trainedAt;
    final List<Long> decisions = new ArrayList<>();
    /** What {@link #targets()} reports, as the model's last calibration would. */
    volatile List<TargetStatus> targets = List.of();

    /** @param trainedAt epoch seconds the answers are said to be trained at, or null for "at the decision" */
    FakeStrategy(Long trainedAt) {
        this.trainedAt = trainedAt;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TargetStatus> targets() {
        return targets;
    }

    @Override
    public synchronized Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long decision) {
        decisions.add(decision);
        Map<SeriesKey, Recommendation> out = new HashMap<>();
        for (ContainerHistory c : containers) {
            long samples = samples(c.usage());
            boolean cpu = samples > 0;
            boolean memory = hasMemory(c.usage());
            if (cpu || memory) {
                out.put(c.key(), new Recommendation(only(REQUESTS, cpu, memory), only(LOWER, cpu, memory),
                        only(UPPER, cpu, memory), CONFIDENCE, samples));
            }
        }
        return out;
    }

    @Override
    public long trainedAt(long decision) {
        return trainedAt == null ? decision : trainedAt;
    }

    private static Resources only(Resources r, boolean cpu, boolean memory) {
        return new Resources(cpu ? r.cpuCores() : Double.NaN, memory ? r.memoryBytes() : Double.NaN);
    }

    private static boolean hasMemory(HourlyUsage u) {
        for (int i = 0; i < u.hours(); i++) {
            if (u.hasMemory(i)) {
                return true;
            }
        }
        return false;
    }

    private static long samples(HourlyUsage u) {
        long n = 0;
        for (int i = 0; i < u.hours(); i++) {
            if (u.hasCpu(i)) {
                n += u.samples()[i];
            }
        }
        return n;
    }
}
