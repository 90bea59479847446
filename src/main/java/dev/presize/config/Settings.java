package dev.presize.config;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import jakarta.inject.Inject;

/**
 * The server's settings, every one checked when the application context starts ({@code @Context}),
 * before any bean uses one and before the HTTPS listener opens: a bad value from a flag, an
 * environment variable or application.yml stops the start with the same one-line
 * {@link ConfigException}. {@link SettingsBeans} hands each stage its record.
 */
@Context
public final class Settings {

    private final Values values;

    @Inject
    public Settings(Environment environment) {
        this(Values.resolve(ServerFlags.TABLE, new EnvironmentSource(environment)::find));
    }

    public Settings(Values values) {
        this.values = values;
    }

    public Values values() {
        return values;
    }
}
