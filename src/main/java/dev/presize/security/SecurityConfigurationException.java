package dev.presize.security;

import io.micronaut.context.exceptions.ConfigurationException;

/**
 * A delegated-authentication or -authorization setting the server cannot start with (no CA to
 * verify client certificates with, an unreadable CA file, an authentication ConfigMap that cannot
 * be read at start). The message names the flag and the problem and is shown to the operator as
 * is, without a trace. A Kubernetes API configuration that cannot work is
 * {@code dev.presize.kubernetes.KubernetesConfigurationException}.
 */
public final class SecurityConfigurationException extends ConfigurationException {

    public SecurityConfigurationException(String message) {
        super(message);
    }

    /** The first {@code SecurityConfigurationException} in {@code t}'s cause chain, if any. */
    public static java.util.Optional<SecurityConfigurationException> find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SecurityConfigurationException e) {
                return java.util.Optional.of(e);
            }
        }
        return java.util.Optional.empty();
    }
}
