package dev.presize.config;

import java.time.Duration;

/**
 * The request filters' and shutdown's limits, as kube-apiserver's ServerRunOptions.
 *
 * @param maxRequestsInflight 0 means no limit
 * @param minRequestTimeout   a watch without {@code timeoutSeconds} ends between this and twice this
 * @param maxWatches          most watches open at once; 0 means no limit
 */
public record ProtectionSettings(int maxRequestsInflight, Duration requestTimeout, Duration minRequestTimeout,
                                 int maxWatches, Duration shutdownDelayDuration) {

    static ProtectionSettings from(Values v) {
        return new ProtectionSettings(v.get(ServerFlags.MAX_REQUESTS_INFLIGHT), v.get(ServerFlags.REQUEST_TIMEOUT),
                Duration.ofSeconds(v.get(ServerFlags.MIN_REQUEST_TIMEOUT)), v.get(ServerFlags.MAX_WATCHES),
                v.get(ServerFlags.SHUTDOWN_DELAY_DURATION));
    }
}
