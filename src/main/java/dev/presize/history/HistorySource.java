package dev.presize.history;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where usage history comes from (the embedded demo trace now; Prometheus later). The boundary the
 * refresh reads through, so the later stages can be tested with any history.
 */
public interface HistorySource {

    /**
     * One series per container that has samples with {@code end - window <= t < end}, holding only
     * those samples. Asking with the same {@code end} and {@code window} gives the same answer on
     * every replica, which is what lets replicas serve identical objects.
     */
    List<ContainerSeries> history(Instant end, Duration window) throws IOException;
}
