package dev.presize.cli;

/**
 * One command-line flag. Each flag {@code --x} is the Micronaut property {@code presize.x}, so it can
 * equally be set in application.yml or as the environment variable {@code PRESIZE_X}.
 *
 * @param name         the flag without dashes, e.g. {@code secure-port}
 * @param defaultValue the documented default (the real default lives in application.yml)
 * @param type         what the value must be; checked when the flags are parsed, so a typo stops
 *                     the server with the flag's name instead of deep inside bean creation
 */
public record Flag(String name, String defaultValue, Type type, String help) {

    /**
     * {@code KEY_VALUE} flags take {@code key=value} and may be repeated; their property is the list
     * of values in command-line order (in application.yml a YAML list, in the environment a
     * comma-separated string, which Micronaut splits into a list).
     */
    /**
     * LIST: comma-separated values; the flag may also be repeated, and the values add up (as pflag's
     * StringSlice). DURATION is positive; NON_NEGATIVE_DURATION also takes 0. COUNT is a whole
     * number from 0.
     */
    public enum Type { STRING, BOOL, PORT, DURATION, NON_NEGATIVE_DURATION, COUNT, KEY_VALUE, LIST }

    public boolean bool() {
        return type == Type.BOOL;
    }

    public boolean repeatable() {
        return type == Type.KEY_VALUE;
    }

    public String property() {
        return "presize." + name;
    }
}
