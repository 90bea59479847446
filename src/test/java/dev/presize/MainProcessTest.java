package dev.presize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Main's whole startup path in its own JVM, with a bad setting in the environment: exit code 2 and
 * the one line naming the variable, as for a bad flag; no stack trace.
 */
class MainProcessTest {

    record Exit(int code, String out, String err) {
    }

    private static Exit run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(dir, env, List.of(), args);
    }

    private static Exit run(Path dir, Map<String, String> env, List<String> jvm, String... args)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("PRESIZE_"));
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("presize did not exit");
        }
        return new Exit(p.exitValue(), java.nio.file.Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
                java.nio.file.Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void aBadEnvironmentVariableIsOneLineAndExitCode2(@TempDir Path dir) throws Exception {
        // --demo needs no cluster; the port is checked before anything listens.
        Exit e = run(dir, Map.of("PRESIZE_SECURE_PORT", "99999", "PRESIZE_DEMO", "true"));
        assertEquals("presize: PRESIZE_SECURE_PORT=99999: must be a port number from 1 to 65535\n", e.err());
        assertEquals(2, e.code());
        assertTrue(!e.out().contains("Exception"), e.out());
    }

    @Test
    void aBadDurationInTheEnvironmentIsNamedToo(@TempDir Path dir) throws Exception {
        Exit e = run(dir, Map.of("PRESIZE_REFRESH_INTERVAL", "banana", "PRESIZE_DEMO", "true"));
        assertEquals("presize: PRESIZE_REFRESH_INTERVAL=banana: must be a duration such as 15m, 336h or 1h30m\n", e.err());
        assertEquals(2, e.code());
    }

    @Test
    void aTraceLargerThanTheHeapSaysHowToGoOnWithoutAStackTrace(@TempDir Path dir) throws Exception {
        // A million samples, about 40 MB of CSV: far more than a 32 MiB heap holds once read.
        Path trace = dir.resolve("large.csv");
        try (java.io.BufferedWriter w = java.nio.file.Files.newBufferedWriter(trace, StandardCharsets.UTF_8)) {
            w.write("timestamp,namespace,workload,container,cpu_cores,memory_bytes,cpu_request_cores,memory_request_bytes\n");
            for (int i = 0; i < 1_000_000; i++) {
                w.write((1_700_000_000L + 60L * (i / 100)) + ",shop,app-" + (i % 100) + ",main," + (0.1 + i % 7 * 0.01)
                        + "," + (100_000_000 + i % 13) + ",1,1073741824\n");
            }
        }
        Exit e = run(dir, Map.of(), List.of("-Xmx32m"), "backtest", "--trace", trace.toString());
        assertEquals(1, e.code(), e.err());
        assertTrue(e.err().startsWith("presize backtest: out of memory reading " + trace + " (the JVM's heap is at most "),
                e.err());
        assertTrue(e.err().contains("java -Xmx<size>"), e.err());
        assertTrue(!e.err().contains("\tat ") && !e.err().contains("Exception in thread"), "no stack trace: " + e.err());
    }

    @Test
    void aBadFlagIsTheSameLine(@TempDir Path dir) throws Exception {
        Exit e = run(dir, Map.of(), "--secure-port=99999");
        assertEquals("presize: --secure-port=99999: must be a port number from 1 to 65535\n", e.err());
        assertEquals(2, e.code());
    }

    @Test
    void aPortInUseNamesTheAddressPortAndFlags(@TempDir Path dir) throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Exit e = run(dir, Map.of(), "--demo", "--secure-port=" + port, "--cert-dir=" + dir.resolve("certs"),
                    "--demo-kubeconfig=" + dir.resolve("demo.kubeconfig"));
            List<String> lines = e.err().lines().toList();
            assertEquals("presize: cannot listen on 127.0.0.1:" + port + " (--bind-address, --secure-port): address already in use",
                    lines.get(lines.size() - 1), e.err());
            assertEquals(1, e.code());
            assertTrue(!e.err().contains("\tat "), "no stack trace: " + e.err());
        }
    }

    @Test
    void helpListsTheExportCommandAndExportHelpSucceeds(@TempDir Path dir) throws Exception {
        Exit server = run(dir, Map.of(), "--help");
        assertEquals(0, server.code(), server.err());
        assertTrue(server.out().contains("\n  export    write a cluster's usage history from Prometheus as a trace for backtest\n"),
                server.out());
        Exit export = run(dir, Map.of(), "export", "--help");
        assertEquals(0, export.code(), export.err());
        assertEquals("", export.err());
        assertTrue(export.out().startsWith("Usage: java -jar presize.jar export "), export.out());
    }

    /** The whole process, logging configured as shipped: the one line and exit code 1, nothing else on stderr. */
    @Test
    void exportWithPrometheusDownIsOneLineAndExitCode1(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Exit e = run(dir, Map.of(), "export", "--prometheus-url", "http://127.0.0.1:" + port, "--output", "my.csv.gz",
                "--history", "24h");
        assertEquals(1, e.code(), e.err());
        assertEquals(1, e.err().lines().count(), e.err());
        assertTrue(e.err().startsWith("presize export: Prometheus query failed: POST http://127.0.0.1:" + port), e.err());
        assertEquals("", e.out());
        try (var files = java.nio.file.Files.list(dir)) {
            assertEquals(List.of("err", "out"), files.map(p -> p.getFileName().toString()).sorted().toList(), "nothing written");
        }
        Exit bad = run(dir, Map.of(), "export", "--prometheus-url", "http://127.0.0.1:" + port, "--output", "my.csv.gz",
                "--step", "1s");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("presize export: --step=1s: must be whole seconds, at least 10s"), bad.err());
    }
}
