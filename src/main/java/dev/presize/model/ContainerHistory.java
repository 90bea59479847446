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
 * @param current the requests the container declares now (in the backtest: the trace's), which
 *                {@code manual} serves and VPA weighs CPU samples by; NaN where unknown
 * @param applied the requests in force that the learned model may keep when still nearly as cheap as
 *                its best ({@link RequestStrategy#readsApplied}): in the server the same as
 *                {@code current}; in the backtest the strategy's own previous answer, as deployment
 *                tooling applying it would leave it; NaN where unknown
 */
public record ContainerHistory(SeriesKey key, HourlyUsage usage, ContainerSeries samples, Resources current,
                               Resources applied) {

    public ContainerHistory {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(applied, "applied");
    }

    /** The requests declared are the ones in force. */
    public ContainerHistory(SeriesKey key, HourlyUsage usage, ContainerSeries samples, Resources current) {
        this(key, usage, samples, current, current);
    }
}
