package dev.presize.history;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Hourly usage history, one namespace at a time: the refresh asks namespace by namespace so that
 * the number of queries grows with namespaces (never with pods), and so that only one namespace's
 * hourly data is in memory at once.
 */
public interface UsageHistory {

    /**
     * Every container of every pod in {@code namespace} with usage in {@code [end - window, end)},
     * reduced to hours; {@code end} and {@code end - window} are whole hours. The same arguments give
     * the same answer on every replica.
     */
    List<PodUsage> namespace(String namespace, Instant end, Duration window) throws IOException;
}
