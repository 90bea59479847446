package dev.presize.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** README's configuration table and the flag table are one source; and that source sits at the bottom. */
class ReadmeTableTest {

    @Test
    void readmesConfigurationTableIsTheFlagTable() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        assertEquals(ReadmeTable.replaceIn(readme), readme,
                "README's configuration table differs from dev.presize.config.ServerFlags; regenerate it with: "
                        + ReadmeTable.REGENERATE);
    }

    @Test
    void theTableHasARowPerFlag() {
        String table = ServerFlags.TABLE.markdown();
        for (Flag<?> f : ServerFlags.TABLE.flags()) {
            assertTrue(table.contains("| `--" + f.name() + "` | `" + f.environmentVariable() + "` | "), f.name());
        }
        assertEquals(ServerFlags.TABLE.flags().size() + 2, table.lines().count());
    }

    /** config is what every stage reads its settings from, so it may read nothing of theirs. */
    @Test
    void configDependsOnNoOtherPresizePackage() throws IOException {
        Pattern reference = Pattern.compile("dev\\.presize\\.(?!config\\b)[a-z]+");
        try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/presize/config"))) {
            List<Path> sources = files.filter(p -> p.toString().endsWith(".java")).toList();
            assertTrue(sources.size() > 5, sources.toString());
            for (Path p : sources) {
                Matcher m = reference.matcher(Files.readString(p));
                if (m.find()) {
                    fail(p + " refers to " + m.group());
                }
            }
        }
    }
}
