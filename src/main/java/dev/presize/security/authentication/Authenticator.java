package dev.presize.security.authentication;

/** One way of authenticating a request (k8s.io/apiserver's {@code authenticator.Request}). */
public interface Authenticator {

    Outcome authenticate(AuthenticationRequest request);
}
