package dev.presize.security.authorization;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The delegated-authorization flags, named as k8s.io/apiserver's
 * {@code DelegatingAuthorizationOptions} (pkg/server/options/authorization.go).
 */
@ConfigurationProperties("presize")
public record AuthorizationProperties(
        @Nullable @Bindable(defaultValue = "/healthz,/readyz,/livez") String authorizationAlwaysAllowPaths,
        @Bindable(defaultValue = "10s") Duration authorizationWebhookCacheAuthorizedTtl,
        @Bindable(defaultValue = "10s") Duration authorizationWebhookCacheUnauthorizedTtl,
        @Bindable(defaultValue = "10s") Duration authorizationWebhookTimeout) {

    List<String> alwaysAllowPaths() {
        if (authorizationAlwaysAllowPaths == null || authorizationAlwaysAllowPaths.isBlank()) {
            return List.of();
        }
        return Arrays.stream(authorizationAlwaysAllowPaths.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
