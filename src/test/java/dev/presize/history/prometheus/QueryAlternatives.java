package dev.presize.history.prometheus;

import dev.presize.history.UsageHistory;

/**
 * The ways of reading usage history that the query benchmark (bench/refresh/run queries) compares,
 * by name: {@code subquery} ({@link SubqueryUsageHistory}, Prometheus reduces each hour with one
 * subquery per CPU figure) and {@code rate} or {@code rate:<hours>} ({@link PrometheusUsageHistory},
 * the 5-minute rate fetched in chunks of that many hours and reduced in Java).
 */
public final class QueryAlternatives {

    private QueryAlternatives() {
    }

    public static UsageHistory create(String name, PrometheusClient client) {
        if (name.equals("subquery")) {
            return new SubqueryUsageHistory(client);
        }
        if (name.equals("rate")) {
            return new PrometheusUsageHistory(client);
        }
        if (name.startsWith("rate:")) {
            return new PrometheusUsageHistory(client, PrometheusUsageHistory.MAX_POINTS, Integer.parseInt(name.substring(5)));
        }
        throw new IllegalArgumentException("alternative must be subquery, rate or rate:<hours>, got " + name);
    }
}
