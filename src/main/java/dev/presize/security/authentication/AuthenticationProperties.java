package dev.presize.security.authentication;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The delegated-authentication flags, named as k8s.io/apiserver's
 * {@code DelegatingAuthenticationOptions} (pkg/server/options/authentication.go) and metrics-server.
 * List flags are comma-separated strings here.
 */
@ConfigurationProperties("presize")
public record AuthenticationProperties(
        @Nullable String clientCaFile,
        @Nullable String requestheaderClientCaFile,
        @Nullable String requestheaderAllowedNames,
        @Bindable(defaultValue = "x-remote-user") String requestheaderUsernameHeaders,
        @Bindable(defaultValue = "x-remote-group") String requestheaderGroupHeaders,
        @Bindable(defaultValue = "x-remote-extra-") String requestheaderExtraHeadersPrefix,
        @Bindable(defaultValue = "false") boolean authenticationSkipLookup,
        @Bindable(defaultValue = "false") boolean authenticationTolerateLookupFailure,
        @Bindable(defaultValue = "10s") Duration authenticationTokenWebhookCacheTtl,
        @Bindable(defaultValue = "10s") Duration authenticationTokenWebhookTimeout,
        @Bindable(defaultValue = "10s") Duration tlsReloadInterval) {

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
