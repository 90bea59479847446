package dev.presize.api.metrics;

import dev.presize.model.RequestStrategy;
import dev.presize.model.TargetStatus;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * What the model's last calibration reached for each target risk, read at scrape time: whether it
 * held the target on the calibration days and the risk it carried there. A target that is not held
 * is served at the closest price, with a risk above the target; the model logs the change once and
 * this keeps it visible for alerts ({@code presize_model_target_held == 0}). While the cluster's
 * history is younger than the calibration needs, CPU is sized at the cold start's level instead
 * ({@code presize_model_cold_start} 1), and the CPU targets' figures are that level's. While
 * nothing can be calibrated for a resource, its containers get the fallback ({@code
 * presize_model_fallback} 1).
 */
@Context
@Requires(beans = RequestStrategy.class)
public class ModelMetrics {

    public ModelMetrics(RequestStrategy strategy, PrometheusRegistry registry) {
        GaugeWithCallback.builder()
                .name("presize_model_target_held")
                .help("1 when the last calibration held this target risk on its calibration days, 0 when no price"
                        + " did (the served risk is then above the target).")
                .labelNames("target")
                .callback(callback -> {
                    for (TargetStatus t : strategy.targets()) {
                        callback.call(t.held() ? 1 : 0, t.flag());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("presize_model_calibrated_risk")
                .help("The risk the last calibration's served price carried on its calibration days, per target"
                        + " (CPU: plus what was taken off the target for the luck of its pick).")
                .labelNames("target")
                .callback(callback -> {
                    for (TargetStatus t : strategy.targets()) {
                        callback.call(t.calibrated(), t.flag());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("presize_model_cold_start")
                .help("1 while the history is too short for the calibration and CPU is sized at one cluster-wide"
                        + " level of each container's own past (README, Predictions, step 5), else 0.")
                .callback(callback -> {
                    if (!strategy.targets().isEmpty()) {
                        callback.call(strategy.coldStart() ? 1 : 0);
                    }
                })
                .register(registry);
        // Emitted after the first training (targets), and also when that training calibrated
        // nothing at all: then there are no targets to report, and this is the one series that says
        // the model is not sizing anything.
        GaugeWithCallback.builder()
                .name("presize_model_fallback")
                .help("1 when the last training had nothing to calibrate a resource on that some container has"
                        + " history of (no container has the history a calibration day needs), so those containers"
                        + " get the fallback (the higher of the VPA-like and KRR's requests) whatever the targets;"
                        + " else 0.")
                .callback(callback -> {
                    if (strategy.fallback() || !strategy.targets().isEmpty()) {
                        callback.call(strategy.fallback() ? 1 : 0);
                    }
                })
                .register(registry);
    }
}
