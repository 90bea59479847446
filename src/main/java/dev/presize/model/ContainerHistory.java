package dev.presize.model;

import dev.presize.history.ContainerSeries;
import dev.presize.history.HourlyUsage;
import dev.presize.history.SeriesKey;
import java.util.Objects;

/**
 * What a strategy sees of one container at a decision: its hourly usage up to the decision (the
 * model's input, in the server and in the backtest alike), the raw samples when a trace provides them
 * (only the backtest's baselines read those, as VPA and KRR see samples), and what it requests now.
 *
 * @param usage   hourly usage, the slots before the decision
 * @param samples raw samples before the decision, or null (a live cluster has only hourly data)
 * @param current the requests in force now; NaN where unknown
 */
public record ContainerHistory(SeriesKey key, HourlyUsage usage, ContainerSeries samples, Resources current) {

    public ContainerHistory {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(current, "current");
    }
}
