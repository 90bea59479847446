package dev.presize.server.filters;

import dev.presize.format.GoDuration;

import dev.presize.api.health.HealthCheck;
import dev.presize.config.ProtectionSettings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The {@code shutdown} readiness check, as kube-apiserver's: it fails from the moment the process
 * is told to stop ("process is shutting down"), so the endpoints controller and load balancers
 * take this replica out while it keeps serving for {@code --shutdown-delay-duration}. Then
 * Micronaut's graceful shutdown stops accepting connections, the watch hub ends every watch, and
 * requests in flight finish (at most {@code --request-timeout}). Liveness is unaffected.
 */
@Singleton
public class ShutdownCheck implements HealthCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownCheck.class);

    private final Duration delay;
    private volatile boolean shuttingDown;

    @Inject
    public ShutdownCheck(ProtectionSettings settings) {
        this(settings.shutdownDelayDuration());
    }

    /** @param delay not negative, as {@code --shutdown-delay-duration} is checked to be */
    public ShutdownCheck(Duration delay) {
        this.delay = delay;
    }

    @Override
    public String name() {
        return "shutdown";
    }

    @Override
    public String check() {
        return shuttingDown ? "process is shutting down" : null;
    }

    @Override
    public boolean liveness() {
        return false;
    }

    /** From now on /readyz fails; the server keeps serving. */
    public void begin() {
        if (!shuttingDown) {
            shuttingDown = true;
            LOG.info("Shutting down: /readyz fails from now on; serving {} more before closing the listener",
                    GoDuration.format(delay));
        }
    }

    public boolean shuttingDown() {
        return shuttingDown;
    }

    /** How long to keep serving after {@link #begin()}. */
    public Duration delay() {
        return delay;
    }
}
