package dev.presize.config;

import io.micronaut.context.env.CommandLinePropertySource;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.SystemPropertiesPropertySource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A flag's value as Micronaut's environment holds it, with where it came from: the highest-order
 * property source that sets it wins, as in Micronaut's own resolution. Reading the sources instead
 * of {@code Environment.getProperty} is what lets a message say {@code PRESIZE_SECURE_PORT=99999}
 * rather than only the property's name.
 */
final class EnvironmentSource {

    /** The builder's properties: Main's parsed flags (tests put their settings there too). */
    private static final String CONTEXT = "context";

    private final Environment environment;
    private final List<PropertySource> sources;

    EnvironmentSource(Environment environment) {
        this.environment = environment;
        this.sources = new ArrayList<>(environment.getPropertySources());
        this.sources.sort(Comparator.comparingInt(PropertySource::getOrder).reversed());
    }

    Optional<Given> find(Flag<?> flag) {
        for (PropertySource source : sources) {
            if (source.getName().equals(TableDefaults.NAME)) {
                return Optional.empty();
            }
            boolean env = source.getName().equals(EnvironmentPropertySource.NAME);
            Object raw = source.get(env ? flag.environmentVariable() : flag.property());
            if (raw == null) {
                continue;
            }
            List<String> values = values(flag, raw);
            String text = String.join(",", values);
            String origin = switch (source.getName()) {
                case EnvironmentPropertySource.NAME -> flag.environmentVariable() + "=" + text;
                case CONTEXT, CommandLinePropertySource.NAME -> "--" + flag.name() + "=" + text;
                case SystemPropertiesPropertySource.NAME -> "-D" + flag.property() + "=" + text;
                default -> flag.property() + "=" + text + " (" + location(source) + ")";
            };
            return Optional.of(new Given(values, origin));
        }
        return Optional.empty();
    }

    /** A YAML list or a repeated flag arrives as a collection, a YAML number or bool as itself. */
    private List<String> values(Flag<?> flag, Object raw) {
        List<String> values = new ArrayList<>();
        if (raw instanceof Collection<?> items) {
            for (Object item : items) {
                values.addAll(flag.type().splitCommas() ? List.of(resolve(item).split(",", -1)) : List.of(resolve(item)));
            }
            return values;
        }
        return flag.type().split(resolve(raw));
    }

    private String resolve(Object value) {
        String s = String.valueOf(value);
        return s.contains("${") ? environment.getPlaceholderResolver().resolveRequiredPlaceholders(s) : s;
    }

    private static String location(PropertySource source) {
        String location = source.getOrigin() == null ? "" : source.getOrigin().location();
        return location == null || location.isBlank() ? source.getName() : location;
    }
}
