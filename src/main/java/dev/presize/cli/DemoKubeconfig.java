package dev.presize.cli;

import dev.presize.recommendations.SnapshotStore;
import dev.presize.security.tls.AtomicFiles;
import dev.presize.security.tls.ServingCertificateProvider;
import io.micronaut.context.annotation.Requires;
import dev.presize.config.DemoSettings;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * In demo mode, writes a kubeconfig that points kubectl at this server (trusting its generated CA,
 * so no {@code --insecure-skip-tls-verify}) and prints the command to try. Written once the
 * server is listening, so the port is the real one, and atomically, so kubectl never reads half.
 */
@Singleton
@Requires(property = "presize.demo", value = "true")
public class DemoKubeconfig {

    private final Path path;
    private final ServingCertificateProvider certificates;
    private final SnapshotStore store;
    private final PrintStream out;

    public DemoKubeconfig(DemoSettings demo, ServingCertificateProvider certificates, SnapshotStore store) {
        this.path = demo.kubeconfig().toAbsolutePath();
        this.certificates = certificates;
        this.store = store;
        this.out = System.out;
    }

    @EventListener
    public void onStartup(ServerStartupEvent event) {
        String server = "https://127.0.0.1:" + event.getSource().getPort();
        String ca = certificates.caPem()
                .map(pem -> Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))
                .orElse(null);
        try {
            AtomicFiles.write(path, render(server, ca).getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo kubeconfig " + path + ": " + e.getMessage(), e);
        }
        String relative = relativeIfBelowWorkingDirectory(path);
        out.println();
        out.println("Presize demo: " + store.current().size() + " recommendations served at " + server
                + " (no authentication; loopback only).");
        out.println("Try:");
        out.println("  kubectl --kubeconfig " + relative + " get requests -A");
        out.println("  kubectl --kubeconfig " + relative + " get requests web -n shop -o yaml");
        out.println("  kubectl --kubeconfig " + relative + " explain requests.containers");
        out.println("Stop with Ctrl-C.");
        out.println();
        out.flush();
    }

    static String render(String server, String caData) {
        String clusterAuth = caData == null
                ? "    insecure-skip-tls-verify: true\n"   // only when the serving chain has no root to trust
                : "    certificate-authority-data: " + caData + "\n";
        return "apiVersion: v1\n"
                + "kind: Config\n"
                + "clusters:\n"
                + "- name: presize-demo\n"
                + "  cluster:\n"
                + "    server: " + server + "\n"
                + clusterAuth
                + "users:\n"
                + "- name: presize-demo\n"
                // The demo does not authenticate; the token only stops kubectl from prompting for
                // a username, which it does for a user entry without any credential.
                + "  user:\n"
                + "    token: presize-demo-no-auth\n"
                + "contexts:\n"
                + "- name: presize-demo\n"
                + "  context:\n"
                + "    cluster: presize-demo\n"
                + "    user: presize-demo\n"
                + "    namespace: shop\n"
                + "current-context: presize-demo\n";
    }

    private static String relativeIfBelowWorkingDirectory(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }
}
