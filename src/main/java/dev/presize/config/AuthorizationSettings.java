package dev.presize.config;

import java.time.Duration;
import java.util.List;

/** Delegated authorization, as k8s.io/apiserver's DelegatingAuthorizationOptions. */
public record AuthorizationSettings(List<String> alwaysAllowPaths, Duration webhookCacheAuthorizedTtl,
                                    Duration webhookCacheUnauthorizedTtl, Duration webhookTimeout) {

    static AuthorizationSettings from(Values v) {
        return new AuthorizationSettings(v.get(ServerFlags.AUTHORIZATION_ALWAYS_ALLOW_PATHS),
                v.get(ServerFlags.AUTHORIZATION_WEBHOOK_CACHE_AUTHORIZED_TTL),
                v.get(ServerFlags.AUTHORIZATION_WEBHOOK_CACHE_UNAUTHORIZED_TTL), v.get(ServerFlags.AUTHORIZATION_WEBHOOK_TIMEOUT));
    }
}
