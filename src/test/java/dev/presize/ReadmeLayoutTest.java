package dev.presize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README's layout table names every package of src/main/java, once, and nothing else. */
class ReadmeLayoutTest {

    private static final Path ROOT = Path.of("src/main/java/dev/presize");
    private static final Pattern ROW = Pattern.compile("^\\| `([\\w.]+)` \\|", Pattern.MULTILINE);

    @Test
    void layoutTableListsEveryPackage() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Layout");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Set<String> listed = new TreeSet<>();
        Matcher m = ROW.matcher(section);
        while (m.find()) {
            listed.add(m.group(1).equals("dev.presize") ? "" : m.group(1));
        }
        assertEquals(packages(), listed, "README ## Layout rows (`dev.presize` for the root, others relative to it)");
    }

    static Set<String> packages() throws IOException {
        try (Stream<Path> dirs = Files.walk(ROOT)) {
            return dirs.filter(Files::isDirectory).filter(ReadmeLayoutTest::holdsJava)
                    .map(d -> ROOT.relativize(d).toString().replace('/', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static boolean holdsJava(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
