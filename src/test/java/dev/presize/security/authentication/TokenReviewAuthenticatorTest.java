package dev.presize.security.authentication;

import dev.presize.api.responses.WireJson;
import dev.presize.security.FakeKubeApiServer;
import dev.presize.security.KubernetesApiClient;
import dev.presize.security.KubernetesApiConfig;
import dev.presize.security.MutableClock;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TokenReview answers and their cache, against WireMock, with a clock moved by hand. */
class TokenReviewAuthenticatorTest {

    @TempDir
    Path dir;

    FakeKubeApiServer kube;
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    TokenReviewAuthenticator authenticator;

    @BeforeEach
    void start() {
        kube = new FakeKubeApiServer();
        KubernetesApiClient api = new KubernetesApiClient(KubernetesApiConfig.load(kube.writeKubeconfig(dir).toString(), Map.of()));
        authenticator = new TokenReviewAuthenticator(api, new WireJson(), clock, Duration.ofSeconds(10), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() {
        kube.close();
    }

    static AuthenticationRequest bearer(String token) {
        return new AuthenticationRequest(List.of(), Map.of("Authorization", List.of("Bearer " + token)));
    }

    @Test
    void noBearerTokenIsNoOpinion() {
        assertEquals(Outcome.none(), authenticator.authenticate(new AuthenticationRequest(List.of(), Map.of())));
        assertEquals(Outcome.none(), authenticator.authenticate(new AuthenticationRequest(List.of(), Map.of("Authorization", List.of("Basic eDp5")))));
        assertEquals(Outcome.none(), authenticator.authenticate(new AuthenticationRequest(List.of(), Map.of("Authorization", List.of("Bearer  two-spaces")))));
        assertEquals(0, kube.wireMock().getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().contains("tokenreviews")).count());
    }

    @Test
    void anAuthenticatedTokenIsItsUserAndIsCachedForTheTtl() {
        kube.tokenAuthenticates("t1", "jane", List.of("g"));
        Outcome first = authenticator.authenticate(bearer("t1"));
        assertEquals(new UserInfo("jane", "uid-jane", List.of("g"), Map.of()), first.user());

        clock.advance(Duration.ofSeconds(9));
        assertEquals(first, authenticator.authenticate(bearer("t1")));
        assertEquals(1, kube.tokenReviewsFor("t1"), "the second request within the TTL makes no review");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(first, authenticator.authenticate(bearer("t1")));
        assertEquals(2, kube.tokenReviewsFor("t1"), "after the TTL the cluster is asked again");
    }

    @Test
    void aRejectedTokenFailsAndTheRejectionIsCachedToo() {
        kube.tokenRejected("t2");
        Outcome o = authenticator.authenticate(bearer("t2"));
        assertTrue(o.failed());
        assertEquals("token has expired", o.error());
        authenticator.authenticate(bearer("t2"));
        assertEquals(1, kube.tokenReviewsFor("t2"));
        clock.advance(Duration.ofSeconds(10));
        authenticator.authenticate(bearer("t2"));
        assertEquals(2, kube.tokenReviewsFor("t2"));
    }

    @Test
    void reviewsThatFailAreErrorsAndAreNotCached() {
        kube.tokenReview("t-500", json(500, "{}"));
        kube.tokenReview("t-slow", json(201, "{\"kind\":\"TokenReview\",\"status\":{\"authenticated\":true,\"user\":{\"username\":\"s\"}}}")
                .withFixedDelay(5000));
        kube.tokenReview("t-html", json(201, "<html/>"));
        kube.tokenReview("t-kind", json(201, "{\"kind\":\"Status\",\"status\":{\"authenticated\":true,\"user\":{\"username\":\"s\"}}}"));
        kube.tokenReview("t-nouser", json(201, "{\"kind\":\"TokenReview\",\"status\":{\"authenticated\":true}}"));
        kube.tokenReview("t-groups", json(201, "{\"kind\":\"TokenReview\",\"status\":{\"authenticated\":true,\"user\":{\"username\":\"s\",\"groups\":\"admins\"}}}"));
        for (String t : List.of("t-500", "t-slow", "t-html", "t-kind", "t-nouser", "t-groups")) {
            Outcome o = authenticator.authenticate(bearer(t));
            assertTrue(o.failed(), t);
            assertFalse(o.authenticated(), t);
        }
        authenticator.authenticate(bearer("t-500"));
        assertEquals(2, kube.tokenReviewsFor("t-500"), "an error is not cached");
    }
}
