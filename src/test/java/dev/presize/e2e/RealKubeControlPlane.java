package dev.presize.e2e;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * etcd and a real kube-apiserver v1.20.2 on loopback, in a temp directory on free ports, run by the scripts in
 * {@code src/test/kube/} (their README says where the binary comes from). Stopped by {@link #close()}, which
 * stops only the two processes {@code start.sh} recorded, by PID.
 */
final class RealKubeControlPlane implements AutoCloseable {

    /** Set by {@code .ci/run}: the cache holding {@code bin/kube-apiserver}. */
    static final String CACHE_ENV = "PRESIZE_KUBE_CACHE";
    private static final Path SCRIPTS = Path.of("src/test/kube");

    private final Path dir;
    private final Path binary;
    private final int apiserverPort;
    private final int etcdPort;
    private final int etcdPeerPort;

    private RealKubeControlPlane(Path dir, Path binary) throws IOException {
        this.dir = dir;
        this.binary = binary;
        this.apiserverPort = freePort();
        this.etcdPort = freePort();
        this.etcdPeerPort = freePort();
    }

    /** Starts etcd and kube-apiserver in {@code dir} and waits until {@code /readyz} answers. */
    static RealKubeControlPlane start(Path dir, Path binary) throws IOException {
        RealKubeControlPlane plane = new RealKubeControlPlane(dir, binary);
        try {
            plane.script(180, "start.sh");
        } catch (AssertionError e) {
            plane.close();
            throw e;
        }
        return plane;
    }

    Path adminKubeconfig() {
        return dir.resolve("admin.kubeconfig");
    }

    String server() {
        return "https://127.0.0.1:" + apiserverPort;
    }

    /** A kubeconfig for a bearer token only: kube-apiserver would authenticate a client certificate first. */
    Path tokenKubeconfig(String name, String token) throws IOException {
        String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("pki/ca.crt")));
        Path file = Files.createDirectories(dir.resolve("kubeconfigs")).resolve(name + ".kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: local
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: %s
                  user:
                    token: %s
                contexts:
                - name: local
                  context:
                    cluster: local
                    user: %s
                current-context: local
                """.formatted(server(), ca, name, token, name));
        return file;
    }

    /** Endpoints of Service {@code namespace/service} at 127.0.0.1:{@code port}, written straight into etcd. */
    void putLoopbackEndpoints(String namespace, String service, int port) {
        script(30, "put-loopback-endpoints.sh", namespace, service, Integer.toString(port));
    }

    /** The last lines of kube-apiserver's log, for failure messages. */
    String apiserverLogTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("logs/kube-apiserver.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no kube-apiserver log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        script(60, "stop.sh");
    }

    private String script(int timeoutSeconds, String name, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPTS.resolve(name).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(Map.of("KUBE_DIR", dir.toString(), "KUBE_APISERVER", binary.toString(),
                "APISERVER_PORT", Integer.toString(apiserverPort), "ETCD_PORT", Integer.toString(etcdPort),
                "ETCD_PEER_PORT", Integer.toString(etcdPeerPort)));
        try {
            Path out = Files.createTempFile(dir, name, ".out");
            Process p = builder.redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(name + " did not finish in " + timeoutSeconds + " s: " + Files.readString(out));
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError(name + " " + String.join(" ", args) + " exited " + p.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(name + " interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
