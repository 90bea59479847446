package dev.presize.security.authentication;

import dev.presize.config.AuthenticationSettings;
import dev.presize.config.ServingSettings;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.file.Path;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The delegated-authentication flags, named as k8s.io/apiserver's
 * {@code DelegatingAuthenticationOptions} (pkg/server/options/authentication.go) and metrics-server.
 * List flags are comma-separated strings here. Checked and defaulted by {@link AuthenticationSettings}
 * (dev.presize.config).
 */
@Singleton
public record AuthenticationProperties(
        @Nullable String clientCaFile,
        @Nullable String requestheaderClientCaFile,
        @Nullable String requestheaderAllowedNames,
        String requestheaderUsernameHeaders,
        String requestheaderGroupHeaders,
        String requestheaderExtraHeadersPrefix,
        boolean authenticationSkipLookup,
        boolean authenticationTolerateLookupFailure,
        Duration authenticationTokenWebhookCacheTtl,
        Duration authenticationTokenWebhookTimeout,
        Duration tlsReloadInterval) {

    @Inject
    public AuthenticationProperties(AuthenticationSettings a, ServingSettings serving) {
        this(a.clientCaFile().map(Path::toString).orElse(null), a.requestheaderClientCaFile().map(Path::toString).orElse(null),
                String.join(",", a.requestheaderAllowedNames()), String.join(",", a.requestheaderUsernameHeaders()),
                String.join(",", a.requestheaderGroupHeaders()), String.join(",", a.requestheaderExtraHeadersPrefix()),
                a.skipLookup(), a.tolerateLookupFailure(), a.tokenWebhookCacheTtl(), a.tokenWebhookTimeout(),
                serving.tlsReloadInterval());
    }

    static List<String> list(@Nullable String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static boolean isSet(@Nullable String s) {
        return s != null && !s.isBlank();
    }
}
