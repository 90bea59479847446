package dev.presize.api.health;

/** One named check behind /livez, /readyz and /healthz; beans of this type are collected. */
public interface HealthCheck {

    String name();

    /** Null when healthy, otherwise a short reason that is safe to show to any caller. */
    String check();

    default boolean liveness() {
        return true;
    }

    default boolean readiness() {
        return true;
    }
}
