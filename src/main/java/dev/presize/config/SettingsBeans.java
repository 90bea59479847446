package dev.presize.config;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** One record per stage, from the checked settings: what beans inject instead of single properties. */
@Factory
final class SettingsBeans {

    @Singleton
    ServingSettings serving(Settings s) {
        return ServingSettings.from(s.values());
    }

    @Singleton
    ProtectionSettings protection(Settings s) {
        return ProtectionSettings.from(s.values());
    }

    @Singleton
    RefreshSettings refresh(Settings s) {
        return RefreshSettings.from(s.values());
    }

    @Singleton
    ModelSettings model(Settings s) {
        return ModelSettings.from(s.values());
    }

    @Singleton
    PrometheusFlags prometheus(Settings s) {
        return PrometheusFlags.from(s.values());
    }

    @Singleton
    KubernetesSettings kubernetes(Settings s) {
        return KubernetesSettings.from(s.values());
    }

    @Singleton
    DemoSettings demo(Settings s) {
        return DemoSettings.from(s.values());
    }

    @Singleton
    AuthenticationSettings authentication(Settings s) {
        return AuthenticationSettings.from(s.values());
    }

    @Singleton
    AuthorizationSettings authorization(Settings s) {
        return AuthorizationSettings.from(s.values());
    }
}
