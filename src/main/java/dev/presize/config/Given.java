package dev.presize.config;

import java.util.List;

/**
 * A value as one source gave it, before it is checked.
 *
 * @param values the strings (one for a scalar; a list flag's or YAML list's items)
 * @param origin how the person wrote it, e.g. {@code --secure-port=99999} or {@code PRESIZE_SECURE_PORT=99999};
 *               starts every message about the value
 */
public record Given(List<String> values, String origin) {

    public Given {
        values = List.copyOf(values);
    }

    <T> T parse(Flag<T> flag) {
        try {
            return flag.type().parse(values);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(origin + ": " + e.getMessage());
        }
    }
}
