package dev.presize.security.authentication;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upstream's union + AuthenticatedGroupAdder + FailOnError(anonymous), with stub authenticators. */
class DelegatingAuthenticatorTest {

    static final AuthenticationRequest ANY = new AuthenticationRequest(List.of(), Map.of());

    @Test
    void nothingPresentedIsAnonymous() {
        AuthenticationResult r = new DelegatingAuthenticator(List.of(req -> Outcome.none(), req -> Outcome.none())).authenticate(ANY);
        assertEquals(UserInfo.anonymous(), r.user());
        assertEquals(List.of("system:unauthenticated"), r.user().groups());
    }

    @Test
    void aFailureWithNothingElseIsAFailureNeverAnonymous() {
        AuthenticationResult r = new DelegatingAuthenticator(List.of(req -> Outcome.failed("bad cert"), req -> Outcome.none())).authenticate(ANY);
        assertTrue(r.failed());
        assertEquals("bad cert", r.failure());
    }

    @Test
    void aLaterSuccessWinsOverAnEarlierFailureAndGetsSystemAuthenticated() {
        AuthenticationResult r = new DelegatingAuthenticator(List.of(req -> Outcome.failed("bad cert"),
                req -> Outcome.of(new UserInfo("u", List.of("g"))))).authenticate(ANY);
        assertEquals(new UserInfo("u", List.of("g", "system:authenticated")), r.user());
    }

    @Test
    void theFirstUserWins() {
        AuthenticationResult r = new DelegatingAuthenticator(List.of(req -> Outcome.of(new UserInfo("first", List.of())),
                req -> { throw new AssertionError("not asked"); })).authenticate(ANY);
        assertEquals("first", r.user().name());
    }

    @Test
    void systemAuthenticatedIsNotAddedWhenEitherAllGroupIsThere() {
        assertEquals(List.of("system:unauthenticated"), new UserInfo("x", List.of("system:unauthenticated")).withAuthenticatedGroup().groups());
        assertEquals(List.of("system:authenticated"), new UserInfo("x", List.of("system:authenticated")).withAuthenticatedGroup().groups());
        assertEquals(List.of(), new UserInfo("system:anonymous", List.of()).withAuthenticatedGroup().groups());
    }
}
