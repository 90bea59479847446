package dev.presize.security.authorization;

import dev.presize.config.AuthorizationSettings;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The delegated-authorization flags, named as k8s.io/apiserver's
 * {@code DelegatingAuthorizationOptions} (pkg/server/options/authorization.go). Checked and defaulted by
 * {@link AuthorizationSettings} (dev.presize.config).
 */
@Singleton
public record AuthorizationProperties(
        @Nullable String authorizationAlwaysAllowPaths,
        Duration authorizationWebhookCacheAuthorizedTtl,
        Duration authorizationWebhookCacheUnauthorizedTtl,
        Duration authorizationWebhookTimeout) {

    @Inject
    public AuthorizationProperties(AuthorizationSettings a) {
        this(String.join(",", a.alwaysAllowPaths()), a.webhookCacheAuthorizedTtl(), a.webhookCacheUnauthorizedTtl(),
                a.webhookTimeout());
    }

    List<String> alwaysAllowPaths() {
        if (authorizationAlwaysAllowPaths == null || authorizationAlwaysAllowPaths.isBlank()) {
            return List.of();
        }
        return Arrays.stream(authorizationAlwaysAllowPaths.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
