package dev.presize.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image Jib built (target/presize-image.tar, profile {@code image}) runs as a container
 * runtime would run it: its layers unpacked in order into a root filesystem, mounted read-only with
 * /proc and a writable /tmp (the manifests' readOnlyRootFilesystem and emptyDir), its own
 * entrypoint, environment and user (65532) under chroot in fresh mount and PID namespaces. The
 * demo started from it answers the real kubectl. Needs root (chroot, mounts), as CI runs.
 */
class ImageIT {

    private static final Path IMAGE = Path.of("target/presize-image.tar");
    /** The image's files and the container's log; JUnit removes it (about 200 MB) after the class's last test. */
    @TempDir
    static Path dir;
    private static Path hostTmp;
    private static Process container;
    private static int port;

    @BeforeAll
    static void runTheImage() throws Exception {
        assertTrue(Files.isRegularFile(IMAGE), IMAGE + " is built by the image profile before this test");
        assumeTrue("root".equals(System.getProperty("user.name")),
                "chroot and mounts need root; run as root (CI does) to run the image");
        Path rootfs = Files.createDirectory(dir.resolve("rootfs"));
        hostTmp = Files.createDirectory(dir.resolve("tmp"));
        run(List.of("tar", "-xf", IMAGE.toAbsolutePath().toString(), "-C", dir.toString()));
        JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonArray()
                .get(0).getAsJsonObject();
        for (JsonElement layer : manifest.getAsJsonArray("Layers")) {
            run(List.of("tar", "-xf", dir.resolve(layer.getAsString()).toString(), "-C", rootfs.toString()));
        }
        JsonObject config = JsonParser.parseString(Files.readString(dir.resolve(manifest.get("Config").getAsString())))
                .getAsJsonObject().getAsJsonObject("config");
        assertEquals("65532:65532", config.get("User").getAsString(), "the manifests' runAsUser/runAsGroup");

        port = freePort();
        List<String> command = new ArrayList<>(List.of("env", "-i"));
        config.getAsJsonArray("Env").forEach(e -> command.add(e.getAsString()));
        // env -i clears PATH, so chroot by its own path; the entrypoint's "java" is then found on the
        // image's PATH, inside the root filesystem.
        String chroot = Files.exists(Path.of("/usr/sbin/chroot")) ? "/usr/sbin/chroot" : "/sbin/chroot";
        command.addAll(List.of(chroot, "--userspec=" + config.get("User").getAsString(), rootfs.toString()));
        strings(config.getAsJsonArray("Entrypoint")).forEach(command::add);
        if (config.has("Cmd") && config.get("Cmd").isJsonArray()) {
            strings(config.getAsJsonArray("Cmd")).forEach(command::add);
        }
        command.addAll(List.of("--demo", "--secure-port=" + port, "--cert-dir=/tmp/certs",
                "--demo-kubeconfig=/tmp/demo.kubeconfig"));
        Files.setPosixFilePermissions(hostTmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        String r = rootfs.toString();
        String script = "set -e; mount --bind " + r + " " + r + "; mount -o remount,bind,ro " + r + "; "
                + "mount -t proc proc " + r + "/proc; mount --bind " + hostTmp + " " + r + "/tmp; exec "
                + String.join(" ", command.stream().map(ImageIT::quote).toList());
        container = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "--kill-child", "sh", "-c", script)
                .redirectErrorStream(true).redirectOutput(dir.resolve("container.log").toFile()).start();
        Path kubeconfig = hostTmp.resolve("demo.kubeconfig");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (!Files.exists(kubeconfig) || !log().contains("Serving presize.dev/v1beta1")) {
            assertTrue(container.isAlive(), "the container exited: " + log());
            assertTrue(Instant.now().isBefore(deadline), "no demo after 2 minutes: " + log());
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (container != null) {
            // unshare --fork does not pass SIGTERM on, so the server (its child) gets it directly,
            // as a container's PID 1 would; --kill-child then ends anything left with unshare.
            container.descendants().forEach(ProcessHandle::destroy);
            if (!container.waitFor(30, TimeUnit.SECONDS)) {
                container.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void kubectlGetsRecommendationsFromTheImage() throws Exception {
        Process kubectl = new ProcessBuilder("kubectl", "--kubeconfig", hostTmp.resolve("demo.kubeconfig").toString(),
                "get", "requests", "-A").redirectErrorStream(true).start();
        String out = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(kubectl.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, kubectl.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).startsWith("NAMESPACE"), out);
        assertTrue(lines.size() > 10, "the demo's workloads, served from the image: " + out);
    }

    @Test
    void itRunsAsTheNonRootUserAndWritesOnlyToTmp() throws Exception {
        Object uid = Files.getAttribute(hostTmp.resolve("demo.kubeconfig"), "unix:uid");
        assertEquals(65532, uid, "files the server writes belong to user 65532");
        assertTrue(Files.exists(hostTmp.resolve("certs")), "certificates generated into the writable /tmp");
        assertTrue(!log().contains("Read-only file system"), log());
    }

    private static String log() {
        try {
            return Files.readString(dir.resolve("container.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, command + ": " + out);
    }
}
