package dev.presize.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Every flag of a {@link FlagTable} with its checked value: the one given, or the table's default. */
public final class Values {

    private final Map<Flag<?>, Object> values;

    private Values(Map<Flag<?>, Object> values) {
        this.values = values;
    }

    /**
     * Checks each flag's value from {@code source} (empty: not given there, so the default).
     *
     * @throws ConfigException for the first value that is not what its flag's type must be
     */
    public static Values resolve(FlagTable table, Function<Flag<?>, Optional<Given>> source) {
        Map<Flag<?>, Object> values = new LinkedHashMap<>();
        for (Flag<?> flag : table.flags()) {
            Optional<Given> given = source.apply(flag);
            values.put(flag, given.isPresent() ? given.get().parse(flag) : flag.parsedDefault());
        }
        return new Values(values);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Flag<T> flag) {
        if (!values.containsKey(flag)) {
            throw new IllegalArgumentException("--" + flag.name() + " is not in this table");
        }
        return (T) values.get(flag);
    }

    /** The flag's value, or its default when this table does not have it. */
    @SuppressWarnings("unchecked")
    public <T> T getOrDefault(Flag<T> flag) {
        return values.containsKey(flag) ? (T) values.get(flag) : flag.parsedDefault();
    }
}
