package dev.presize.security.authentication;

import com.google.gson.JsonObject;
import dev.presize.api.responses.WireJson;
import dev.presize.security.Json;
import dev.presize.security.KubernetesApiClient;
import dev.presize.security.KubernetesApiException;
import dev.presize.security.TtlCache;
import io.kubernetes.client.openapi.models.V1TokenReview;
import io.kubernetes.client.openapi.models.V1TokenReviewSpec;
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
import java.util.Locale;
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

    private final KubernetesApiClient api;
    private final WireJson json;
    private final Duration ttl;
    private final Duration timeout;
    private final TtlCache<String, Outcome> cache;

    @Inject
    public TokenReviewAuthenticator(KubernetesApiClient api, WireJson json, Clock clock, AuthenticationProperties properties) {
        this(api, json, clock, properties.authenticationTokenWebhookCacheTtl(), properties.authenticationTokenWebhookTimeout());
    }

    TokenReviewAuthenticator(KubernetesApiClient api, WireJson json, Clock clock, Duration ttl, Duration timeout) {
        this.api = api;
        this.json = json;
        this.ttl = ttl;
        this.timeout = timeout;
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
        } catch (KubernetesApiException | IllegalArgumentException e) {
            LOG.warn("TokenReview failed, the request is not authenticated: {}", e.getMessage());
            return Outcome.failed("token review failed: " + e.getMessage());
        }
        cache.put(key, outcome, ttl);
        return outcome;
    }

    private Outcome review(String token) throws KubernetesApiException {
        V1TokenReview review = new V1TokenReview().apiVersion("authentication.k8s.io/v1").kind("TokenReview")
                .spec(new V1TokenReviewSpec().token(token));
        JsonObject answer = Json.object(api.post(PATH, json.encode(review), timeout).body());
        String kind = Json.string(answer, "kind");
        if (!kind.isEmpty() && !kind.equals("TokenReview")) {
            throw new IllegalArgumentException("the answer is a " + kind + ", not a TokenReview");
        }
        JsonObject status = Json.object(answer, "status");
        if (!Json.bool(status, "authenticated")) {
            String error = Json.string(status, "error");
            return Outcome.failed(error.isEmpty() ? "invalid bearer token" : error);
        }
        JsonObject user = Json.object(status, "user");
        String name = Json.string(user, "username");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("authenticated without a username");
        }
        return Outcome.of(new UserInfo(name, Json.string(user, "uid"), Json.strings(user, "groups"), Json.stringLists(user, "extra")));
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
