package dev.presize.config;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Every flag of a {@link FlagTable} with its checked value: the one given, or the table's default. */
public final class Values {

    private final Map<Flag<?>, Object> values;
    private final Set<Flag<?>> given;

    private Values(Map<Flag<?>, Object> values, Set<Flag<?>> given) {
        this.values = values;
        this.given = given;
    }

    /**
     * Checks each flag's value from {@code source} (empty: not given there, so the default).
     *
     * @throws ConfigException for the first value that is not what its flag's type must be
     */
    public static Values resolve(FlagTable table, Function<Flag<?>, Optional<Given>> source) {
        Map<Flag<?>, Object> values = new LinkedHashMap<>();
        Set<Flag<?>> givenFlags = new HashSet<>();
        for (Flag<?> flag : table.flags()) {
            Optional<Given> given = source.apply(flag);
            values.put(flag, given.isPresent() ? given.get().parse(flag) : flag.parsedDefault());
            given.ifPresent(g -> givenFlags.add(flag));
        }
        return new Values(values, Set.copyOf(givenFlags));
    }

    /**
     * Whether the person gave {@code flag} rather than leaving its default: a default can be
     * adjusted to what the input allows, a value asked for cannot.
     */
    public boolean given(Flag<?> flag) {
        return given.contains(flag);
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
