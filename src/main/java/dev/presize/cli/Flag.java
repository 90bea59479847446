package dev.presize.cli;

/**
 * One command-line flag. Each flag {@code --x} is the Micronaut property {@code presize.x}, so it can
 * equally be set in application.yml or as the environment variable {@code PRESIZE_X}.
 *
 * @param name         the flag without dashes, e.g. {@code secure-port}
 * @param defaultValue the documented default (the real default lives in application.yml)
 * @param bool         true when the flag may be given without a value ({@code --demo})
 */
public record Flag(String name, String defaultValue, boolean bool, String help) {

    public String property() {
        return "presize." + name;
    }
}
