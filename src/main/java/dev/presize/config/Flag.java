package dev.presize.config;

import java.util.List;
import java.util.Locale;

/**
 * One setting. A server flag {@code --x} is also the Micronaut property {@code presize.x} (in
 * application.yml or as {@code -Dpresize.x}) and the environment variable {@code PRESIZE_X}; its
 * default is defined here and nowhere else ({@link TableDefaults} hands it to Micronaut).
 *
 * @param name         without dashes, e.g. {@code secure-port}
 * @param type         what the value must be, checked once by {@link Type#parse} whatever the source
 * @param defaultValue as a person would type it; empty means "not set" where the type allows it
 * @param help         one or two sentences for {@code --help} and README
 */
public record Flag<T>(String name, Type<T> type, String defaultValue, String help) {

    public String property() {
        return "presize." + name;
    }

    public String environmentVariable() {
        return "PRESIZE_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The default as the type reads it; a bad default is a bug, found by the tests. */
    public T parsedDefault() {
        return type.parse(defaultValue.isEmpty() ? List.of() : type.split(defaultValue));
    }
}
