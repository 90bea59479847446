package dev.presize.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes README's configuration table from {@link ServerFlags}, between two marker comments, so the
 * table cannot drift from the flags. {@code ReadmeTableTest} fails when it has; to regenerate:
 * {@code ./mvnw -q compile && java -cp target/classes dev.presize.config.ReadmeTable README.md}.
 */
public final class ReadmeTable {

    static final String BEGIN = "<!-- Generated from dev.presize.config.ServerFlags by dev.presize.config.ReadmeTable; edit the flags, not this table. -->";
    static final String END = "<!-- End of the generated table. -->";
    public static final String REGENERATE = "./mvnw -q compile && java -cp target/classes dev.presize.config.ReadmeTable README.md";

    private ReadmeTable() {
    }

    /** The README with the text between the markers replaced by the table. */
    public static String replaceIn(String readme) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("README has no generated-table markers: " + BEGIN + " ... " + END);
        }
        return readme.substring(0, begin + BEGIN.length()) + "\n\n" + ServerFlags.TABLE.markdown() + "\n" + shared() + "\n\n"
                + readme.substring(end);
    }

    /** The flags {@code backtest} and {@code export} share with the server: the very same {@link Flag}s, or the same name and type. */
    static String shared() {
        List<String> names = BacktestFlags.TABLE.flags().stream().filter(f -> ServerFlags.TABLE.find(f.name()).isPresent())
                .map(f -> "`--" + f.name() + "`").toList();
        List<String> export = ExportFlags.TABLE.flags().stream().filter(f -> ServerFlags.TABLE.find(f.name()).isPresent())
                .map(f -> "`--" + f.name() + "`").toList();
        return "`backtest` takes " + String.join(", ", names) + " too, with the same types and defaults "
                + "(`java -jar presize.jar backtest --help`). `export` takes " + String.join(", ", export)
                + " (`java -jar presize.jar export --help`; `--history` there is how far back to export).";
    }

    public static void main(String[] args) throws IOException {
        Path readme = Path.of(args.length > 0 ? args[0] : "README.md");
        Files.writeString(readme, replaceIn(Files.readString(readme, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
