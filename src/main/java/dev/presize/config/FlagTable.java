package dev.presize.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The flags of one command, the single source for parsing them, for {@code --help} and for README's
 * configuration table. The server and {@code backtest} each have one ({@link ServerFlags},
 * {@link BacktestFlags}) and share this parser, and the flags they have in common.
 *
 * @param usage    the first line of {@code --help}, e.g. {@code Usage: java -jar presize.jar [flags]}
 * @param about    what the command does, and anything else {@code --help} must say before the flags
 * @param flags    in the order {@code --help} lists them
 * @param trailer  printed after the flags
 */
public record FlagTable(String usage, String about, List<Flag<?>> flags, String trailer) {

    public FlagTable {
        flags = List.copyOf(flags);
    }

    public Optional<Flag<?>> find(String name) {
        return flags.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Whether the arguments ask for help ({@code --help} or {@code -h}, anywhere). */
    public static boolean wantsHelp(List<String> args) {
        return args.contains("--help") || args.contains("-h");
    }

    /**
     * Parses {@code --name=value}, {@code --name value} and bare boolean flags, checking each value
     * as its flag's type. Unknown flags and missing values are errors: a typo in a manifest must stop
     * the server at start, not be ignored. A flag given twice is an error too, except a repeatable
     * one, whose values add up in order (as pflag's StringSlice).
     *
     * @return the values as given, per flag, in command-line order
     * @throws ConfigException with a one-line message naming the flag
     */
    public Map<Flag<?>, Given> parse(List<String> args) {
        Map<Flag<?>, List<String>> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("unexpected argument \"" + arg + "\"");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            Flag<?> flag = find(name).orElseThrow(() -> new ConfigException("unknown flag: --" + name));
            String value;
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (flag.type() == Type.BOOL) {
                value = "true";
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw new ConfigException("flag needs a value: --" + name);
            }
            List<String> values = flag.type().splitFlag(value);
            // Checked one occurrence at a time, so the message quotes the occurrence that is wrong.
            new Given(values, "--" + name + "=" + value).parse(flag);
            List<String> previous = given.putIfAbsent(flag, new ArrayList<>(values));
            if (previous != null) {
                if (!flag.type().repeatable()) {
                    throw new ConfigException("flag given twice: --" + name);
                }
                previous.addAll(values);
            }
        }
        Map<Flag<?>, Given> out = new LinkedHashMap<>();
        given.forEach((flag, values) -> out.put(flag, new Given(values, "--" + flag.name() + "=" + String.join(",", values))));
        return out;
    }

    /** Parses the arguments and fills in the defaults: what a command without Micronaut needs. */
    public Values values(List<String> args) {
        Map<Flag<?>, Given> given = parse(args);
        return Values.resolve(this, flag -> Optional.ofNullable(given.get(flag)));
    }

    /** The default of every flag as the Micronaut property it is, e.g. {@code presize.secure-port=8443}. */
    public Map<String, Object> defaultProperties() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Flag<?> f : flags) {
            out.put(f.property(), f.defaultValue());
        }
        return out;
    }

    /**
     * {@code --help}: every flag with its type, then its help and default (as pflag prints them),
     * wrapped in a column that starts after the longest flag.
     */
    public String help() {
        List<String> left = flags.stream().map(f -> "--" + f.name() + (f.type() == Type.BOOL ? "" : " " + f.type().name())).toList();
        int width = left.stream().mapToInt(String::length).max().orElse(0);
        int column = width + 4;
        int textWidth = Math.max(40, HELP_WIDTH - column);
        StringBuilder sb = new StringBuilder(usage).append("\n\n").append(about).append("\n\nFlags:\n");
        for (int i = 0; i < flags.size(); i++) {
            Flag<?> f = flags.get(i);
            String text = f.help() + (f.defaultValue().isEmpty() ? "" : " (default " + f.defaultValue() + ")");
            List<String> lines = wrap(text, textWidth);
            sb.append("  ").append(left.get(i)).append(" ".repeat(width - left.get(i).length() + 2)).append(lines.get(0)).append('\n');
            for (String line : lines.subList(1, lines.size())) {
                sb.append(" ".repeat(column)).append(line).append('\n');
            }
        }
        if (!trailer.isEmpty()) {
            sb.append('\n').append(trailer).append('\n');
        }
        return sb.toString();
    }

    private static final int HELP_WIDTH = 120;

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /**
     * README's configuration table: flag, environment variable, type, default, meaning; one row
     * per flag. {@code ReadmeTableTest} fails when README's copy differs; {@link #main} rewrites it.
     */
    public String markdown() {
        StringBuilder sb = new StringBuilder("| flag | environment variable | type | default | meaning |\n|---|---|---|---|---|\n");
        for (Flag<?> f : flags) {
            sb.append("| `--").append(f.name()).append("` | `").append(f.environmentVariable()).append("` | ")
                    .append(f.type().name().replace("|", "\\|")).append(" | ")
                    .append(f.defaultValue().isEmpty() ? "" : "`" + f.defaultValue() + "`").append(" | ")
                    .append(f.help().replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }
}
