package dev.presize.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Delegated authentication, as k8s.io/apiserver's DelegatingAuthenticationOptions. */
public record AuthenticationSettings(Optional<Path> clientCaFile, Optional<Path> requestheaderClientCaFile,
                                     List<String> requestheaderAllowedNames, List<String> requestheaderUsernameHeaders,
                                     List<String> requestheaderGroupHeaders, List<String> requestheaderExtraHeadersPrefix,
                                     boolean skipLookup, boolean tolerateLookupFailure, Duration tokenWebhookCacheTtl,
                                     Duration tokenWebhookTimeout) {

    static AuthenticationSettings from(Values v) {
        return new AuthenticationSettings(v.get(ServerFlags.CLIENT_CA_FILE), v.get(ServerFlags.REQUESTHEADER_CLIENT_CA_FILE),
                v.get(ServerFlags.REQUESTHEADER_ALLOWED_NAMES), v.get(ServerFlags.REQUESTHEADER_USERNAME_HEADERS),
                v.get(ServerFlags.REQUESTHEADER_GROUP_HEADERS), v.get(ServerFlags.REQUESTHEADER_EXTRA_HEADERS_PREFIX),
                v.get(ServerFlags.AUTHENTICATION_SKIP_LOOKUP), v.get(ServerFlags.AUTHENTICATION_TOLERATE_LOOKUP_FAILURE),
                v.get(ServerFlags.AUTHENTICATION_TOKEN_WEBHOOK_CACHE_TTL), v.get(ServerFlags.AUTHENTICATION_TOKEN_WEBHOOK_TIMEOUT));
    }
}
