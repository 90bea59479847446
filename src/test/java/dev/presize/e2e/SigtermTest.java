package dev.presize.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.security.FakeKubeApiServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the server process in cluster mode (informers running against a fake
 * kube-apiserver), as the kubelet sends it (issue 13 item 2): it exits within
 * --shutdown-delay-duration and a few seconds, well inside Kubernetes' default 30 s grace period,
 * with the JVM's normal status and no stack trace in its output. The bound is Kubernetes' deadline, not a
 * performance claim: past it the pod is SIGKILLed.
 */
class SigtermTest {

    @TempDir
    Path dir;

    @Test
    void sigtermEndsTheServerPromptlyAndQuietly() throws Exception {
        try (FakeKubeApiServer kube = new FakeKubeApiServer()) {
            Path kubeconfig = kube.emptyCluster(dir);
            Path log = dir.resolve("server.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            int port = freePort();
            Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.presize.Main",
                    "--kubeconfig=" + kubeconfig, "--secure-port=" + port, "--bind-address=127.0.0.1",
                    "--cert-dir=" + dir.resolve("certs"), "--shutdown-delay-duration=2s")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!read(log).contains("Serving presize.dev/v1beta1")) {
                    assertTrue(server.isAlive(), "the server exited: " + read(log));
                    assertTrue(System.nanoTime() < deadline, "no server after 2 minutes: " + read(log));
                    Thread.sleep(200);
                }
                // Let the informers list and open their watches, so shutdown has them to stop.
                Thread.sleep(3000);
                // A client that keeps its HTTP/2 connection open and idle, as the aggregator's proxy
                // does between requests (and as JDK clients do even after the server's GOAWAY).
                HttpClient idle = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                        .sslContext(DemoServer.trusting(dir.resolve("certs").resolve("ca.crt"))).build();
                HttpResponse<String> health = idle.send(HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + port + "/livez")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(HttpClient.Version.HTTP_2, health.version());
                server.destroy();   // SIGTERM
                assertTrue(server.waitFor(20, TimeUnit.SECONDS),
                        "still running 20 s after SIGTERM with a 2 s shutdown delay: " + read(log));
                String out = read(log);
                // 143 = 128 + SIGTERM: the JVM's status after its shutdown hooks ran to the end.
                assertTrue(List.of(0, 143).contains(server.exitValue()), "exit " + server.exitValue() + ": " + out);
                List<String> traces = out.lines().filter(l -> l.startsWith("\tat ") || l.contains("Exception")).toList();
                assertEquals(List.of(), traces, "no stack traces or exceptions on shutdown:\n" + out);
                assertFalse(out.contains("forcing stop"), out);
            } finally {
                server.destroyForcibly();
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
