package dev.presize.api.health;

import jakarta.inject.Singleton;

/** The always-passing {@code ping} check every Kubernetes apiserver has: proves the HTTP path works. */
@Singleton
public class PingCheck implements HealthCheck {

    @Override
    public String name() {
        return "ping";
    }

    @Override
    public String check() {
        return null;
    }
}
