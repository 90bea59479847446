package dev.presize.api.metrics;

import dev.presize.history.FillProgress;
import dev.presize.history.IncrementalUsageHistory;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The usage history held in memory ({@link IncrementalUsageHistory}), read at scrape time: how far
 * the current fill (or refresh) has fetched its chunks, whether a fill runs, and what the held hours
 * cost, so an operator can watch a restart's first fill and see the memory bound hold.
 */
@Context
@Requires(beans = IncrementalUsageHistory.class)
public class HistoryMetrics {

    public HistoryMetrics(IncrementalUsageHistory history, PrometheusRegistry registry) {
        FillProgress progress = history.progress();
        GaugeWithCallback.builder()
                .name("presize_history_fetch_progress_ratio")
                .help("Share of the current (or last) refresh's history chunks (namespace x day) fetched; 1 when done.")
                .callback(callback -> callback.call(progress.ratio()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("presize_history_fetch_chunks")
                .help("History chunks (namespace x up to a day) the current (or last) refresh has to fetch.")
                .callback(callback -> callback.call(progress.total()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("presize_history_filling")
                .help("1 while the usage history is being filled (first refresh after a start, or after a long outage).")
                .callback(callback -> callback.call(progress.filling() ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("presize_history_held_containers")
                .help("Pod containers whose completed hours are held in memory.")
                .callback(callback -> callback.call(history.containers()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("presize_history_held_bytes")
                .help("Heap bytes of the held hourly usage, about.")
                .callback(callback -> callback.call(history.bytes()))
                .register(registry);
    }
}
