package dev.presize.config;

import java.time.Duration;

/**
 * The model's targets, shared by the server and {@code backtest}.
 *
 * @param cpuTargetRisk          share of CPU samples allowed above the request, in (0, 1)
 * @param cpuTargetUnmet         share of CPU usage (volume) allowed above the request, in (0, 1)
 * @param memoryTargetRisk       share of container-days whose memory peak may exceed the request, in (0, 1)
 * @param retrainInterval        retrain at most this often
 * @param changeCost             keep the request in force while it costs at most this share of the best
 *                               request more than the best, in [0, 1]
 */
public record ModelSettings(double cpuTargetRisk, double cpuTargetUnmet, double memoryTargetRisk,
                            Duration retrainInterval, double changeCost) {

    /** From a table that has the risk flags; the retrain interval is the server's flag, or its default. */
    public static ModelSettings from(Values v) {
        return new ModelSettings(v.get(ServerFlags.CPU_TARGET_RISK), v.get(ServerFlags.CPU_TARGET_UNMET),
                v.get(ServerFlags.MEMORY_TARGET_RISK), v.getOrDefault(ServerFlags.RETRAIN_INTERVAL),
                v.get(ServerFlags.CHANGE_COST));
    }
}
