package dev.presize.security.tls;

import io.micronaut.context.exceptions.ConfigurationException;

/**
 * A serving-certificate setting or file that the server cannot start with. The message names the
 * flag, the file and the problem and is meant to be shown to the operator as is (no stack trace);
 * {@link #find(Throwable)} digs it out of the exceptions Micronaut wraps it in.
 */
public final class TlsConfigurationException extends ConfigurationException {

    public TlsConfigurationException(String message) {
        super(message);
    }

    public TlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first {@code TlsConfigurationException} in {@code t}'s cause chain, if any. */
    public static java.util.Optional<TlsConfigurationException> find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof TlsConfigurationException e) {
                return java.util.Optional.of(e);
            }
        }
        return java.util.Optional.empty();
    }
}
