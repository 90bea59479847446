package dev.presize.config;

import java.util.Optional;

/**
 * A setting that cannot be used, with a one-line message that names where the value came from
 * ({@code --secure-port=99999}, {@code PRESIZE_SECURE_PORT=99999}, {@code presize.secure-port=99999
 * (application.yml)}) and what it must be. Reported without a stack trace, exit code 2, like every
 * command-line mistake.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message, null, false, false);
    }

    /** The first ConfigException in a cause chain: Micronaut wraps it when a bean's creation fails. */
    public static Optional<ConfigException> find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConfigException c) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
