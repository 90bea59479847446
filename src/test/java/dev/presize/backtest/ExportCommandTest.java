package dev.presize.backtest;

import com.sun.net.httpserver.HttpServer;
import dev.presize.config.ExportFlags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code presize export}'s failures: bad flags (exit 2, the flag named, no request sent), an output
 * that cannot be written (refused before any query), and a Prometheus that is down, refuses or
 * answers garbage (exit 1, one line naming the URL and the cause, nothing written, an older file
 * of the same name untouched). What a real Prometheus cannot be made to answer (garbage, a 500)
 * comes from the JDK's HTTP server; "down" is a port nothing listens on.
 */
class ExportCommandTest {

    @TempDir
    Path dir;
    private HttpServer server;
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A stand-in answering request n (from 0) with {@code answer.apply(n)}: status and body. */
    private String serve(IntFunction<Object[]> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            Object[] a = answer.apply(paths.size() - 1);
            byte[] body = a[1].toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders((int) a[0], body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static ExportRealPrometheusTest.Run run(String... args) {
        return ExportRealPrometheusTest.export(List.of(args));
    }

    static Stream<Arguments> badFlags() {
        return Stream.of(
                Arguments.of(List.of(), "--prometheus-url URL is required"),
                Arguments.of(List.of("--prometheus-url", "http://127.0.0.1:9"), "--output FILE is required"),
                Arguments.of(List.of("--prometheus-url", "ftp://prom", "--output", "x.csv"),
                        "--prometheus-url=ftp://prom: must be an http or https URL"),
                Arguments.of(List.of("--prometheus-url", "http://127.0.0.1:9", "--output", "x.csv", "--step", "7s"),
                        "--step=7s: must be whole seconds, at least 10s, dividing an hour"),
                Arguments.of(List.of("--prometheus-url", "http://127.0.0.1:9", "--output", "x.csv", "--step", "7m"),
                        "--step=7m: must be whole seconds, at least 10s, dividing an hour"),
                Arguments.of(List.of("--prometheus-url", "http://127.0.0.1:9", "--output", "x.csv", "--end", "yesterday"),
                        "--end=yesterday: must be an RFC 3339 time on the hour"),
                Arguments.of(List.of("--prometheus-url", "http://127.0.0.1:9", "--output", "x.csv", "--end", "2024-05-01T00:30:00Z"),
                        "--end=2024-05-01T00:30:00Z: must be on the hour"),
                Arguments.of(List.of("--prometheus-url", "http://127.0.0.1:9", "--output", "x.csv", "--history", "90m"),
                        "--history=90m: must be whole hours"),
                Arguments.of(List.of("--prometheus-url", "http://127.0.0.1:9", "--output", "x.csv", "--prometheus-timeout", "0s"),
                        "--prometheus-timeout=0s: must be a positive duration"),
                Arguments.of(List.of("--prometheus-url", "http://127.0.0.1:9", "--output", "x.csv", "--trace", "t.csv"),
                        "unknown flag: --trace"),
                Arguments.of(List.of("--prometheus-url", "http://127.0.0.1:9", "--output", "x.csv",
                                "--prometheus-header", "Authorization=Bearer x", "--prometheus-bearer-token-file", "/t"),
                        "--prometheus-header Authorization and --prometheus-bearer-token-file both set the Authorization header"));
    }

    @ParameterizedTest
    @MethodSource("badFlags")
    void badFlagsAreUsageErrorsNamingTheFlag(List<String> args, String message) throws IOException {
        String url = serve(n -> new Object[] {500, "must not be asked"});
        List<String> withServer = new ArrayList<>();
        for (String a : args) {
            withServer.add(a.equals("http://127.0.0.1:9") ? url : a);
        }
        ExportRealPrometheusTest.Run r = ExportRealPrometheusTest.export(withServer);
        assertEquals(2, r.exit(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("presize export: " + message), r.err());
        assertEquals(2, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("Run with --help for the flags."), r.err());
        assertEquals(List.of(), paths, "no query before the flags are right");
    }

    @Test
    void helpPrintsTheFlagsAndSucceeds() {
        ExportRealPrometheusTest.Run r = run("--help");
        assertEquals(0, r.exit());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("Usage: java -jar presize.jar export --prometheus-url URL --output FILE.csv[.gz] [flags]"),
                r.out());
        for (dev.presize.config.Flag<?> f : ExportFlags.TABLE.flags()) {
            assertTrue(r.out().contains("--" + f.name() + " "), f.name());
        }
        assertTrue(r.out().contains("kube_pod_owner"), "the attribution rule is in the help");
        assertEquals(r.out(), run("--output", "x", "-h").out(), "-h anywhere");
    }

    @Test
    void anOutputThatCannotBeWrittenIsRefusedBeforeAnyQuery() throws IOException {
        String url = serve(n -> new Object[] {500, "must not be asked"});
        Path inMissingDir = dir.resolve("no-such-dir").resolve("x.csv.gz");
        ExportRealPrometheusTest.Run r = run("--prometheus-url", url, "--output", inMissingDir.toString());
        assertEquals(2, r.exit());
        assertEquals("presize export: --output " + inMissingDir + ": no such directory " + inMissingDir.getParent() + "\n", r.err());
        ExportRealPrometheusTest.Run isDir = run("--prometheus-url", url, "--output", dir.toString());
        assertEquals(2, isDir.exit());
        assertEquals("presize export: --output " + dir + ": is a directory\n", isDir.err());
        Path file = Files.writeString(dir.resolve("file"), "x");
        ExportRealPrometheusTest.Run underFile = run("--prometheus-url", url, "--output", file.resolve("x.csv").toString());
        assertEquals(2, underFile.exit());
        assertTrue(underFile.err().contains("no such directory " + file), underFile.err());
        assertEquals(List.of(), paths, "refused before the first query");
    }

    @Test
    void prometheusDownIsOneLineNamingTheUrlAndNothingIsWritten() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path out = dir.resolve("my.csv.gz");
        ExportRealPrometheusTest.Run r = run("--prometheus-url", "http://127.0.0.1:" + port, "--output", out.toString(),
                "--end", "2024-05-01T00:00:00Z", "--history", "24h");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("presize export: Prometheus query failed: POST http://127.0.0.1:" + port
                + "/api/v1/query_range: cannot connect"), r.err());
        assertNothingWritten(out);
    }

    @Test
    void aServerErrorIsNamedWithTheUrlAndStatus() throws IOException {
        String url = serve(n -> new Object[] {500, "{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"storage on fire\"}"});
        Path out = dir.resolve("my.csv.gz");
        ExportRealPrometheusTest.Run r = run("--prometheus-url", url, "--output", out.toString(), "--namespace", "shop",
                "--end", "2024-05-01T00:00:00Z", "--history", "24h");
        assertEquals(1, r.exit());
        List<String> lines = r.err().lines().filter(l -> !l.contains("namespace(s)")).toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("presize export: Prometheus query failed: POST " + url + "/api/v1/query_range: "
                + "HTTP 500 internal: storage on fire"), r.err());
        assertNothingWritten(out);
    }

    @Test
    void garbageIsNamedWithTheUrl() throws IOException {
        String url = serve(n -> new Object[] {200, "<html>not Prometheus</html>"});
        Path out = dir.resolve("my.csv");
        ExportRealPrometheusTest.Run r = run("--prometheus-url", url, "--output", out.toString(),
                "--end", "2024-05-01T00:00:00Z", "--history", "24h");
        assertEquals(1, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("presize export: Prometheus query failed: POST " + url + "/api/v1/query_range: "
                + "unreadable response"), r.err());
        assertNothingWritten(out);
    }

    /** A failure after a day of answers leaves an older file of the same name as it was, and no temporary file. */
    @Test
    void aFailurePartWayLeavesTheOldFileAlone() throws IOException {
        String empty = "{\"status\":\"success\",\"data\":{\"resultType\":\"%s\",\"result\":[]}}";
        String url = serve(n -> n < 7
                ? new Object[] {200, String.format(empty, "matrix")}
                : new Object[] {400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no\"}"});
        Path out = Files.writeString(dir.resolve("my.csv"), "the previous export\n");
        ExportRealPrometheusTest.Run r = run("--prometheus-url", url, "--output", out.toString(), "--namespace", "shop",
                "--end", "2024-05-01T00:00:00Z", "--history", "48h");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("presize export:  50% (1 of 2 namespace-days), 0 rows"), r.err());
        assertTrue(r.err().contains("HTTP 400 bad_data: no"), r.err());
        assertEquals("the previous export\n", Files.readString(out));
        assertEquals(8, paths.size(), paths.toString());
        assertTrue(paths.stream().allMatch("/api/v1/query_range"::equals), "only the endpoint the server uses: " + paths);
        assertNothingWritten(null);
    }

    private void assertNothingWritten(Path out) throws IOException {
        if (out != null) {
            assertFalse(Files.exists(out), out + " exists");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList(),
                    "temporary files left behind");
        }
    }
}
