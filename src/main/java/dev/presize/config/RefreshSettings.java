package dev.presize.config;

import java.time.Duration;

/**
 * When recommendations are recomputed and from how much history.
 *
 * @param interval the wall-clock grid of refreshes
 * @param history  usage history behind each recommendation, whole hours
 */
public record RefreshSettings(Duration interval, Duration history) {

    static RefreshSettings from(Values v) {
        return new RefreshSettings(v.get(ServerFlags.REFRESH_INTERVAL), v.get(ServerFlags.HISTORY));
    }
}
