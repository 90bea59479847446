package dev.presize.history.prometheus;

import java.util.Map;

/**
 * One series of a query result: its labels and its points (one point for an instant query).
 *
 * @param timestampsMillis evaluation times, epoch milliseconds, increasing
 * @param values           the values; {@code NaN} and infinities as Prometheus sent them
 */
public record Series(Map<String, String> labels, long[] timestampsMillis, double[] values) {

    public String label(String name) {
        return labels.getOrDefault(name, "");
    }

    public int size() {
        return values.length;
    }
}
