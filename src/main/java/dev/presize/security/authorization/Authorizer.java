package dev.presize.security.authorization;

/** One way of deciding (k8s.io/apiserver's {@code authorizer.Authorizer}). */
public interface Authorizer {

    AuthorizationResult authorize(AuthorizationAttributes attributes);
}
