package dev.presize.security.authentication;

import dev.presize.kubernetes.KubernetesClientFactory;
import dev.presize.kubernetes.KubernetesErrors;
import dev.presize.security.TtlCache;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AuthenticationV1Api;
import io.kubernetes.client.openapi.models.V1TokenReview;
import io.kubernetes.client.openapi.models.V1TokenReviewSpec;
import io.kubernetes.client.openapi.models.V1TokenReviewStatus;
import io.kubernetes.client.openapi.models.V1UserInfo;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Bearer tokens, reviewed by the cluster with a {@code TokenReview}, as k8s.io/apiserver's
 * {@code bearertoken} authenticator over the webhook token authenticator and its cache
 * (pkg/authentication/request/bearertoken, plugin/pkg/authenticator/token/webhook,
 * pkg/authentication/token/cache): no {@code Authorization: Bearer} header → no opinion; a token
 * the cluster does not accept → error ("invalid bearer token" unless the review says why). Both
 * answers are cached for {@code --authentication-token-webhook-cache-ttl} under the token's
 * SHA-256 (the token itself is not kept); a review that fails (unreachable, past
 * {@code --authentication-token-webhook-timeout}, an error status, an unreadable answer) is an
 * error and is not cached, so the next request asks again.
 */
@Singleton
public class TokenReviewAuthenticator implements Authenticator {

    static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final int MAX_CACHED = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(TokenReviewAuthenticator.class);

    private final AuthenticationV1Api api;
    private final String url;
    private final Duration ttl;
    private final TtlCache<String, Outcome> cache;

    @Inject
    public TokenReviewAuthenticator(KubernetesClientFactory clients, Clock clock, AuthenticationProperties properties) {
        this(new AuthenticationV1Api(clients.requests(properties.authenticationTokenWebhookTimeout())), clock,
                properties.authenticationTokenWebhookCacheTtl());
    }

    /** @param api on a client whose deadline covers the whole answer ({@link KubernetesClientFactory#requests}) */
    TokenReviewAuthenticator(AuthenticationV1Api api, Clock clock, Duration ttl) {
        this.api = api;
        this.url = api.getApiClient().getBasePath() + PATH;
        this.ttl = ttl;
        this.cache = new TtlCache<>(clock, MAX_CACHED);
    }

    @Override
    public Outcome authenticate(AuthenticationRequest request) {
        Optional<String> token = bearerToken(request.first("Authorization"));
        if (token.isEmpty()) {
            return Outcome.none();
        }
        String key = sha256(token.get());
        Optional<Outcome> cached = cache.get(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        Outcome outcome;
        try {
            outcome = review(token.get());
        } catch (ApiException | RuntimeException e) {
            String why = KubernetesErrors.describe("POST", url, e);
            LOG.warn("TokenReview failed, the request is not authenticated: {}", why);
            return Outcome.failed("token review failed: " + why);
        }
        cache.put(key, outcome, ttl);
        return outcome;
    }

    private Outcome review(String token) throws ApiException {
        V1TokenReview answer = api.createTokenReview(new V1TokenReview().apiVersion("authentication.k8s.io/v1").kind("TokenReview")
                .spec(new V1TokenReviewSpec().token(token))).execute();
        String kind = answer.getKind() == null ? "" : answer.getKind();
        if (!kind.isEmpty() && !kind.equals("TokenReview")) {
            throw new IllegalArgumentException("the answer is a " + kind + ", not a TokenReview");
        }
        V1TokenReviewStatus status = answer.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
            String error = status == null || status.getError() == null ? "" : status.getError();
            return Outcome.failed(error.isEmpty() ? "invalid bearer token" : error);
        }
        V1UserInfo user = status.getUser();
        String name = user == null || user.getUsername() == null ? "" : user.getUsername();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("authenticated without a username");
        }
        return Outcome.of(new UserInfo(name, user.getUid(), user.getGroups() == null ? List.of() : user.getGroups(), extra(user.getExtra())));
    }

    /** A {@code map[string][]string}; a null value is an empty list, as Go decodes it. */
    private static Map<String, List<String>> extra(Map<String, List<String>> extra) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (extra != null) {
            extra.forEach((k, v) -> out.put(k, v == null ? List.of() : v));
        }
        return out;
    }

    /** The token of an {@code Authorization: Bearer <token>} header, parsed as k8s's bearertoken authenticator does. */
    static Optional<String> bearerToken(String header) {
        String auth = header.trim();
        if (auth.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = auth.split(" ", 3);
        if (parts.length < 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer") || parts[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parts[1]);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
