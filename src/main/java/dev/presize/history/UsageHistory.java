package dev.presize.history;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
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

    /** Checks {@link #namespace}'s contract on its arguments: {@code end} and {@code window} whole hours. */
    static void requireWholeHours(Instant end, Duration window) {
        long seconds = window.getSeconds();
        if (end.getNano() != 0 || window.getNano() != 0 || end.getEpochSecond() % HourlyUsage.HOUR != 0
                || seconds % HourlyUsage.HOUR != 0 || seconds <= 0) {
            throw new IllegalArgumentException("end and window must be whole hours, got " + end + " and " + window);
        }
    }

    /**
     * A refresh is about to read {@code namespaces} (each once) for {@code end} and {@code window}:
     * lets a caching source plan the whole refresh (progress, namespaces no longer read). Nothing
     * by default.
     */
    default void beginRefresh(Collection<String> namespaces, Instant end, Duration window) {
    }

    /** The refresh's reading is over: {@code complete} when every namespace was read. Nothing by default. */
    default void endRefresh(boolean complete) {
    }
}
