package dev.presize.history.prometheus;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Prometheus (the Debian package's binaries, 2.42 on our machines) serving a TSDB built from
 * an {@link OpenMetricsWriter} with {@code promtool tsdb create-blocks-from openmetrics}. Missing
 * binaries fail the test: {@code .ci/run} installs them ({@code apt-get install prometheus}).
 *
 * <p>promtool 2.42 writes 2-hour blocks and has no {@code --max-block-duration}; it re-reads the whole
 * input once per block, so days of data in one file take minutes. The data is therefore written as
 * one file per 2-hour block window (one pass each), converted two at a time.
 *
 * <p>Prometheus runs with a retention of 100 years, so the 2013 blocks are not deleted at start, and
 * with the block range pinned to 2h, so it does not spend the test compacting them.
 */
public final class PrometheusProcess implements MetricsEngine {

    private static final long BLOCK = 7200;

    private final List<String> command;
    private final Path log;
    private final URI url;
    private volatile Process process;

    private PrometheusProcess(List<String> command, Path log, URI url) {
        this.command = command;
        this.log = log;
        this.url = url;
    }

    /** Builds the TSDB under {@code dir} from {@code data} and starts Prometheus on it. */
    public static PrometheusProcess start(OpenMetricsWriter data, Path dir) throws IOException, InterruptedException {
        String promtool = binary("promtool");
        String prometheus = binary("prometheus");
        Path input = Files.createDirectories(dir.resolve("openmetrics"));
        Path tsdb = Files.createDirectories(dir.resolve("tsdb"));
        List<Path> files = new ArrayList<>();
        for (long from = Math.floorDiv(data.minTimestamp(), BLOCK) * BLOCK; from <= data.maxTimestamp(); from += BLOCK) {
            Path file = input.resolve(from + ".om");
            boolean any;
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                any = data.write(out, from, from + BLOCK);
            }
            if (any) {
                files.add(file);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (Path file : files) {
                jobs.add(pool.submit(() -> {
                    run(List.of(promtool, "tsdb", "create-blocks-from", "openmetrics", "--quiet", file.toString(), tsdb.toString()),
                            dir.resolve(file.getFileName() + ".log"));
                    Files.delete(file);
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }

        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1m\nscrape_configs: []\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PrometheusProcess prom = new PrometheusProcess(List.of(prometheus,
                "--config.file=" + config,
                "--storage.tsdb.path=" + tsdb,
                "--storage.tsdb.retention.time=100y",
                "--storage.tsdb.min-block-duration=2h",
                "--storage.tsdb.max-block-duration=2h",
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"), dir.resolve("prometheus.log"), URI.create("http://127.0.0.1:" + port));
        prom.launch();
        return prom;
    }

    @Override
    public URI url() {
        return url;
    }

    /** The running Prometheus' PID, so a benchmark script can make sure it is gone even if this JVM was killed. */
    public long pid() {
        return process.pid();
    }

    /**
     * {@link #start} on another thread, for a test that starts something slow (kube-apiserver) at
     * the same time as promtool builds the blocks.
     */
    public static java.util.concurrent.CompletableFuture<PrometheusProcess> startAsync(OpenMetricsWriter data,
                                                                                      Path dir) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return start(data, dir);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    /** Stops Prometheus (also mid-test, to see how clients fail). */
    @Override
    public void stop() throws InterruptedException {
        MetricsEngine.terminate(process);
    }

    /**
     * Starts Prometheus again after {@link #stop()}: same data directory, same address (so clients
     * configured with {@link #url()} reach it again), back when it answers {@code /-/ready}.
     */
    @Override
    public void restart() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("prometheus is still running");
        }
        launch();
    }

    private void launch() throws IOException, InterruptedException {
        // Appends: the log of the first run stays readable after a restart.
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        awaitReady(log);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void awaitReady(Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("prometheus exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection) url.resolve("/-/ready").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        stop();
        fail("prometheus not ready within 60 s:\n" + Files.readString(log));
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + Files.readString(log));
        }
    }

    /** The binary on PATH (the Debian package puts both in /usr/bin). */
    private static String binary(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        fail(name + " is not on PATH: install the Prometheus server (Debian: apt-get install prometheus), as .ci/run does");
        return null;
    }
}
