package dev.presize.config;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.AbstractPropertySourceLoader;
import io.micronaut.context.env.PropertySource;

/**
 * Gives every application context (the server's and the tests') the flag table's defaults as its
 * lowest-precedence property source, so application.yml's {@code ${presize.secure-port}} and friends
 * resolve without the defaults being written down a second time. Micronaut's order, highest first:
 * the builder's properties (the flags, 0), {@code -D} system properties (-100), environment variables
 * (-200), application.yml (-300), these defaults (-400).
 */
@ContextConfigurer
public final class TableDefaults implements ApplicationContextConfigurer {

    static final String NAME = "presize-flag-defaults";
    static final int ORDER = AbstractPropertySourceLoader.DEFAULT_POSITION - 100;

    @Override
    public void configure(ApplicationContextBuilder builder) {
        builder.propertySources(PropertySource.of(NAME, ServerFlags.TABLE.defaultProperties(), ORDER));
    }
}
