package dev.presize.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The flags of {@code presize backtest}: its own, plus the server's model flags, the very same
 * {@link Flag}s, so a risk means the same and is checked the same way in both. {@code --history}
 * has the server's name and type, but the backtest scores whole days, so it needs at least 24h.
 */
public final class BacktestFlags {

    public static final Flag<Optional<Path>> TRACE = new Flag<>("trace", Type.PATH, "",
            "The usage trace to replay, CSV (gzipped or not); required.");
    public static final Flag<List<String>> STRATEGIES = new Flag<>("strategies", Type.LIST, "model,vpa,krr,manual",
            "Strategies to score, comma-separated; known: model, model-no-learning (the model without its Tribuo "
                    + "regressors), vpa, krr, manual, and oracle (NOT deployable: it reads the day "
                    + "it is scored on; the per-day perfect forecaster). The default leaves manual out on a trace "
                    + "without provisioned requests.");
    public static final Flag<String> FORMAT = new Flag<>("format", Type.oneOf("table", "json"), "table",
            "A table, or one JSON object per line and strategy.");
    public static final Flag<Optional<Path>> CHART = new Flag<>("chart", Type.PATH, "",
            "Also write an HTML chart of usage and each strategy's requests to this file.");
    public static final Flag<List<String>> CHART_SERIES = new Flag<>("chart-series", Type.LIST, "",
            "Series to chart as namespace/workload/container, comma-separated; default: four of them.");
    public static final Flag<Duration> HISTORY = new Flag<>("history", Type.wholeHours(Duration.ofHours(24)), "336h",
            "Usage history behind each decision, whole hours, at least 24h (the server's --history).");
    public static final Flag<Duration> WARMUP = new Flag<>("warmup", Type.wholeHours(Duration.ofHours(24)), "168h",
            "Trace time before the first decision, whole hours, at least 24h.");

    public static final Flag<Optional<Instant>> SCORE_SINCE = new Flag<>("score-since", Type.TIME, "",
            "Score only the decisions at or after this RFC 3339 time, e.g. 2013-08-17T00:00:00Z; every decision "
                    + "before the window is still taken, so the model enters it with the requests its earlier days "
                    + "left, as in the whole run. Default: from the first decision.");
    public static final Flag<Optional<Instant>> SCORE_UNTIL = new Flag<>("score-until", Type.TIME, "",
            "Score only the decisions before this RFC 3339 time; none after it is taken. Default: to the last "
                    + "decision.");

    public static final FlagTable TABLE = new FlagTable("Usage: java -jar presize.jar backtest --trace FILE [flags]",
            "Replays a usage trace: after the warm-up, a decision every 24 h from the data before it, scored on the\n"
                    + "next 24 h, for each strategy on the same samples.",
            List.of(TRACE, STRATEGIES, FORMAT, CHART, CHART_SERIES, ServerFlags.CPU_TARGET_RISK, ServerFlags.CPU_TARGET_UNMET,
                    ServerFlags.MEMORY_TARGET_RISK, ServerFlags.CHANGE_COST, HISTORY, WARMUP, SCORE_SINCE, SCORE_UNTIL),
            "");

    private BacktestFlags() {
    }
}
