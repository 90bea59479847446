package dev.presize.security.authorization;

import dev.presize.api.RequestInfo;
import dev.presize.api.RequestInfoResolver;
import dev.presize.api.responses.WireJson;
import dev.presize.security.FakeKubeApiServer;
import dev.presize.security.KubernetesApiClient;
import dev.presize.security.KubernetesApiConfig;
import dev.presize.security.MutableClock;
import dev.presize.security.authentication.UserInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.presize.security.FakeKubeApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** SubjectAccessReview decisions and their cache, against WireMock, with a clock moved by hand. */
class SubjectAccessReviewAuthorizerTest {

    @TempDir
    Path dir;

    FakeKubeApiServer kube;
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    SubjectAccessReviewAuthorizer authorizer;

    static final RequestInfo GET_WEB = RequestInfoResolver.resolve("GET", "/apis/presize.dev/v1beta1/namespaces/shop/requests/web", Map.of());

    @BeforeEach
    void start() {
        kube = new FakeKubeApiServer();
        KubernetesApiClient api = new KubernetesApiClient(KubernetesApiConfig.load(kube.writeKubeconfig(dir).toString(), Map.of()));
        authorizer = new SubjectAccessReviewAuthorizer(api, new WireJson(), clock, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        kube.close();
    }

    static AuthorizationAttributes as(String user) {
        return new AuthorizationAttributes(new UserInfo(user, List.of("system:authenticated")), GET_WEB);
    }

    @Test
    void allowedIsCachedForTheAuthorizedTtl() {
        kube.access("amy", true);
        assertEquals(Decision.ALLOW, authorizer.authorize(as("amy")).decision());
        clock.advance(Duration.ofSeconds(9));
        assertEquals(Decision.ALLOW, authorizer.authorize(as("amy")).decision());
        assertEquals(1, kube.accessReviewsFor("amy").size(), "no second review within the TTL");
        clock.advance(Duration.ofSeconds(1));
        authorizer.authorize(as("amy"));
        assertEquals(2, kube.accessReviewsFor("amy").size(), "asked again after the TTL");
    }

    @Test
    void deniedIsCachedForTheUnauthorizedTtl() {
        kube.access("ben", false);
        assertEquals(Decision.NO_OPINION, authorizer.authorize(as("ben")).decision());
        clock.advance(Duration.ofSeconds(4));
        authorizer.authorize(as("ben"));
        assertEquals(1, kube.accessReviewsFor("ben").size());
        clock.advance(Duration.ofSeconds(1));
        authorizer.authorize(as("ben"));
        assertEquals(2, kube.accessReviewsFor("ben").size());
    }

    @Test
    void explicitDenyAndBothAreDeny() {
        kube.accessReview("cat", json(201, "{\"kind\":\"SubjectAccessReview\",\"status\":{\"denied\":true,\"reason\":\"no way\"}}"));
        AuthorizationResult r = authorizer.authorize(as("cat"));
        assertEquals(Decision.DENY, r.decision());
        assertEquals("no way", r.reason());
        kube.accessReview("dan", json(201, "{\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":true,\"denied\":true}}"));
        assertEquals(Decision.DENY, authorizer.authorize(as("dan")).decision());
    }

    @Test
    void failuresAreErrorsNeverAllowAndAreNotCached() {
        kube.accessReview("e500", json(500, "{}"));
        kube.accessReview("eslow", json(201, "{\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":true}}").withFixedDelay(5000));
        kube.accessReview("ebad", json(201, "{\"kind\":\"SubjectAccessReview\",\"status\":{\"allowed\":\"true\"}}"));
        kube.accessReview("enotjson", json(201, "allowed"));
        for (String user : List.of("e500", "eslow", "ebad", "enotjson")) {
            AuthorizationResult r = authorizer.authorize(as(user));
            assertEquals(Decision.NO_OPINION, r.decision(), user);
            assertNotNull(r.error(), user);
        }
        authorizer.authorize(as("e500"));
        assertEquals(2, kube.accessReviewsFor("e500").size());
    }

    /** kube's RequestInfo maps both watch forms to the verb watch; that is what the cluster is asked. */
    @Test
    void aWatchIsReviewedAsTheVerbWatch() {
        kube.access("wes", true);
        UserInfo wes = new UserInfo("wes", List.of("system:authenticated"));
        Map<String, List<String>> watchQuery = Map.of("watch", List.of("true"));
        List<RequestInfo> watches = List.of(
                RequestInfoResolver.resolve("GET", "/apis/presize.dev/v1beta1/namespaces/shop/requests", watchQuery),
                RequestInfoResolver.resolve("GET", "/apis/presize.dev/v1beta1/watch/namespaces/shop/requests", Map.of()),
                RequestInfoResolver.resolve("GET", "/apis/presize.dev/v1beta1/watch/namespaces/shop/requests/web", Map.of()),
                RequestInfoResolver.resolve("GET", "/apis/presize.dev/v1beta1/requests", watchQuery));
        for (RequestInfo info : watches) {
            assertEquals("watch", info.verb(), info.path());
            assertEquals(Decision.ALLOW, authorizer.authorize(SelectorRequirements.attributes(wes, info, Map.of())).decision());
        }
        List<com.google.gson.JsonObject> reviews = kube.accessReviewsFor("wes");
        // the two forms of a namespace watch are one decision: the second comes from the cache
        assertEquals(3, reviews.size());
        List<String> seen = reviews.stream().map(r -> {
            com.google.gson.JsonObject a = r.getAsJsonObject("spec").getAsJsonObject("resourceAttributes");
            return a.get("verb").getAsString() + " " + a.get("group").getAsString() + "/" + a.get("resource").getAsString()
                    + " ns=" + (a.has("namespace") ? a.get("namespace").getAsString() : "")
                    + " name=" + (a.has("name") ? a.get("name").getAsString() : "");
        }).toList();
        assertEquals(List.of("watch presize.dev/requests ns=shop name=", "watch presize.dev/requests ns=shop name=web",
                "watch presize.dev/requests ns= name="), seen);
    }
}
