package dev.presize.e2e;

import dev.presize.history.prometheus.PrometheusProcess;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The cluster {@code bench/aggregated/run} measures the read path in: etcd and a real kube-apiserver v1.20.2
 * ({@link RealKubeControlPlane}), Presize's manifests applied as README's "Install on a cluster" says (all but the
 * {@code policy/v1} PodDisruptionBudget, which 1.20 does not serve), the workloads of {@link RealKubeWorkloads}
 * created by kubectl, and a real Prometheus holding their 14 days of usage, the same fixture as
 * {@link RealKubeApiServerTest}. Presize itself is not run here: the script starts the shipped jar as its own process
 * (so its CPU is measured alone and its JVM options are the pod's), on {@code PORT}, where the Service's Endpoints
 * already point.
 *
 * <pre>java -cp TEST_CLASSPATH dev.presize.e2e.ReadBenchCluster DIR KUBE_APISERVER_BINARY PORT</pre>
 *
 * <p>The history ends at midnight UTC today, the grid instant of a {@code --refresh-interval=24h} Presize: its
 * startup refresh computes the objects and no other refresh runs during the measurement. Writes {@code
 * DIR/cluster.env} (shell assignments: URLs, files, PIDs) and prints {@code READY}; then runs until it is
 * terminated, when it stops kube-apiserver, etcd (by the PIDs {@code start.sh} recorded) and Prometheus.
 */
public final class ReadBenchCluster {

    private ReadBenchCluster() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ReadBenchCluster DIR KUBE_APISERVER_BINARY PRESIZE_PORT");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        Path binary = Path.of(args[1]);
        int presizePort = Integer.parseInt(args[2]);
        long day = Duration.ofDays(1).toSeconds();
        Instant historyEnd = Instant.ofEpochSecond(Math.floorDiv(Instant.now().getEpochSecond(), day) * day);
        RealKubeWorkloads workloads = new RealKubeWorkloads(historyEnd);

        CountDownLatch stopped = new CountDownLatch(1);
        Parts parts = new Parts();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            parts.close();
            stopped.countDown();
        }, "read-bench-cluster-stop"));

        // promtool turns the history into blocks while kube-apiserver starts.
        CompletableFuture<PrometheusProcess> prometheusStarted = PrometheusProcess.startAsync(workloads.openMetrics(),
                Files.createDirectories(dir.resolve("prometheus")));
        try {
            parts.kube = RealKubeControlPlane.start(Files.createDirectories(dir.resolve("kube")), binary);
        } finally {
            parts.prometheus = prometheusStarted.join();
        }
        RealKubeControlPlane kube = parts.kube;
        Kubectl admin = new Kubectl(kube.adminKubeconfig());

        // Install step 1 and 3 into a copy of manifests/ (tls/ is git-ignored), as RealKubeApiServerTest does.
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        try (Stream<Path> files = Files.list(Path.of("manifests"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, manifests.resolve(f.getFileName()));
            }
        }
        run(List.of("bash", "certs/make-certs.sh"), "OUT_DIR=" + manifests.resolve("tls"));
        ok(admin.run("apply", "-f", manifests.resolve("namespace.yaml").toString()));
        Kubectl.Result built = admin.run("kustomize", manifests.toString());
        ok(built);
        List<String> docs = Arrays.stream(built.stdout().split("(?m)^---\\s*$"))
                .filter(d -> !d.isBlank() && !d.contains("kind: PodDisruptionBudget")).toList();
        ok(admin.run("apply", "-f", Files.writeString(dir.resolve("all-but-pdb.yaml"), String.join("\n---\n", docs)).toString()));
        workloads.create(admin, dir);

        // Presize runs with its ServiceAccount's token, so the manifests' RBAC is all it has.
        Kubectl.Result token = admin.run("create", "token", "presize", "-n", "presize-system", "--duration=24h");
        ok(token);
        Path presizeKubeconfig = kube.tokenKubeconfig("presize", token.stdout().trim());
        kube.putLoopbackEndpoints("presize-system", "presize", presizePort);

        String env = String.join("\n",
                "APISERVER_URL=" + kube.server(),
                "ADMIN_KUBECONFIG=" + kube.adminKubeconfig(),
                "KUBE_DIR=" + dir.resolve("kube"),
                "APISERVER_PID=" + Files.readString(dir.resolve("kube/run/kube-apiserver.pid")).trim(),
                "ETCD_PID=" + Files.readString(dir.resolve("kube/run/etcd.pid")).trim(),
                "PROMETHEUS_URL=" + parts.prometheus.url(),
                "PROMETHEUS_PID=" + parts.prometheus.pid(),
                "PRESIZE_KUBECONFIG=" + presizeKubeconfig,
                "TLS_CERT=" + manifests.resolve("tls/tls.crt"),
                "TLS_KEY=" + manifests.resolve("tls/tls.key"),
                "HISTORY=" + RealKubeWorkloads.HISTORY.toHours() + "h",
                "NAMESPACE=" + RealKubeWorkloads.NAMESPACE,
                "OBJECT=web",
                "");
        Files.writeString(dir.resolve("cluster.env"), env);
        System.out.println("READY");
        System.out.flush();
        stopped.await();
    }

    /** What {@link #main} started, for the shutdown hook. */
    private static final class Parts {
        volatile RealKubeControlPlane kube;
        volatile PrometheusProcess prometheus;

        void close() {
            if (kube != null) {
                kube.close();
            }
            if (prometheus != null) {
                try {
                    prometheus.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static void ok(Kubectl.Result r) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException(r.all());
        }
    }

    private static void run(List<String> command, String env) throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        String[] kv = env.split("=", 2);
        b.environment().put(kv[0], kv[1]);
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out);
        }
    }
}
