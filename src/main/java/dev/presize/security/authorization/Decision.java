package dev.presize.security.authorization;

/** k8s.io/apiserver's {@code authorizer.Decision}. */
public enum Decision { ALLOW, DENY, NO_OPINION }
