package dev.presize.config;

import java.time.Duration;

/**
 * The model's targets, shared by the server and {@code backtest}.
 *
 * @param cpuTargetRisk          share of CPU samples allowed above the request, in (0, 1)
 * @param memoryTargetRisk       share of container-days whose memory peak may exceed the request, in (0, 1)
 * @param maxContainerRiskFactor no container's estimated risk above this multiple of the target, at least 1
 * @param retrainInterval        retrain at most this often
 */
public record ModelSettings(double cpuTargetRisk, double memoryTargetRisk, double maxContainerRiskFactor,
                            Duration retrainInterval) {

    /** From a table that has the risk flags; the retrain interval is the server's flag, or its default. */
    public static ModelSettings from(Values v) {
        return new ModelSettings(v.get(ServerFlags.CPU_TARGET_RISK), v.get(ServerFlags.MEMORY_TARGET_RISK),
                v.get(ServerFlags.MAX_CONTAINER_RISK_FACTOR), v.getOrDefault(ServerFlags.RETRAIN_INTERVAL));
    }
}
