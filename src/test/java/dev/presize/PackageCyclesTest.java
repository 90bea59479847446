package dev.presize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way between the packages of src/main/java (history → workloads → model →
 * recommendations → api, security around it): no two packages may depend on each other, directly
 * or through others. A dependency is any reference to another dev.presize package in the source:
 * an import, a static import or a fully qualified name in code. A subpackage is a package of its
 * own: {@code model} and {@code model.learned} must not depend on each other either.
 */
class PackageCyclesTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    /** dev.presize.a.b.Type: everything up to the first segment that starts with an upper-case letter. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.presize(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

    @Test
    void noImportCyclesBetweenPackages() {
        Map<String, Set<String>> graph = dependencies(MAIN);
        assertTrue(graph.size() > 20, "expected the whole source tree, found packages " + graph.keySet());
        List<List<String>> cycles = stronglyConnected(graph).stream().filter(c -> c.size() > 1).toList();
        assertEquals(List.of(), cycles.stream().map(c -> describe(c, graph)).toList(),
                "packages that depend on each other (each line one cycle, with the edges inside it)");
    }

    @Test
    void theCheckFindsACycle() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of(
                "a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"), "d", Set.of()));
        assertEquals(List.of(List.of("a", "b", "c")),
                stronglyConnected(graph).stream().filter(c -> c.size() > 1).toList());
    }

    static Map<String, Set<String>> dependencies(Path root) {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = COMMENTS.matcher(Files.readString(file)).replaceAll("");
                Matcher p = PACKAGE.matcher(source);
                if (!p.find()) {
                    continue;
                }
                String pkg = p.group(1);
                Set<String> out = graph.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher r = REFERENCE.matcher(source.substring(p.end()));
                while (r.find()) {
                    if (!r.group(1).equals(pkg)) {
                        out.add(r.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return graph;
    }

    /** Tarjan's algorithm; each component sorted, components in order of their first package. */
    static List<List<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> components = new ArrayList<>();
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, components);
            }
        }
        components.forEach(c -> c.sort(null));
        components.sort((x, y) -> x.get(0).compareTo(y.get(0)));
        return components;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<List<String>> components) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, components);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(component);
        }
    }

    private static String describe(List<String> cycle, Map<String, Set<String>> graph) {
        return cycle.stream().flatMap(from -> graph.get(from).stream().filter(cycle::contains)
                .map(to -> from + " -> " + to)).collect(Collectors.joining(", "));
    }
}
