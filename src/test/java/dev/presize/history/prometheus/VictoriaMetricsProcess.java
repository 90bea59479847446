package dev.presize.history.prometheus;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real single-node VictoriaMetrics (the Debian package {@code victoria-metrics}, 1.79 on our
 * machines) on a free port of 127.0.0.1, loaded from an {@link OpenMetricsWriter} through its
 * {@code /api/v1/import/prometheus} (the text exposition format, timestamps in milliseconds).
 * A missing binary fails the test: {@code .ci/run} installs the package.
 *
 * <p>Flags, and why:
 * <ul>
 *   <li>{@code -retentionPeriod=100y}: samples older than the retention are dropped at import
 *       (counted in {@code vm_rows_ignored_total{reason="small_timestamp"}}, no error to the client),
 *       and the test data is from 2013; 100y is VictoriaMetrics' own example of "keep everything".</li>
 *   <li>{@code -search.disableCache}: VictoriaMetrics caches query results for time ranges older than
 *       {@code -search.cacheTimestampOffset}, which is all of 2013; its documentation advises turning the
 *       cache off while backfilling, so no answer can come from before the import finished.</li>
 * </ul>
 *
 * <p>After the import, {@code /internal/force_flush} makes the buffered samples searchable, and
 * {@link #start} waits until a count over all series equals the number of points written, so a
 * sample dropped on the way (retention, a parse error) fails here, not as a wrong recommendation.
 */
public final class VictoriaMetricsProcess implements MetricsEngine {

    /** Points are imported one day per request: ~10 MB of text, far under {@code -maxInsertRequestSize}. */
    private static final long CHUNK = 86_400;

    private final List<String> command;
    private final Path log;
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile Process process;

    private VictoriaMetricsProcess(List<String> command, Path log, URI url) {
        this.command = command;
        this.log = log;
        this.url = url;
    }

    /** Starts VictoriaMetrics with its storage under {@code dir} and imports {@code data} into it. */
    public static VictoriaMetricsProcess start(OpenMetricsWriter data, Path dir) throws IOException, InterruptedException {
        String binary = binary();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        VictoriaMetricsProcess vm = new VictoriaMetricsProcess(List.of(binary,
                "-storageDataPath=" + Files.createDirectories(dir.resolve("data")),
                "-retentionPeriod=100y",
                "-search.disableCache",
                "-httpListenAddr=127.0.0.1:" + port), dir.resolve("victoria-metrics.log"), URI.create("http://127.0.0.1:" + port));
        vm.launch();
        try {
            long points = vm.importAll(data);
            vm.awaitSearchable(data, points);
        } catch (IOException | RuntimeException | Error e) {
            vm.stop();
            throw e;
        }
        return vm;
    }

    @Override
    public URI url() {
        return url;
    }

    @Override
    public void stop() throws InterruptedException {
        MetricsEngine.terminate(process);
    }

    @Override
    public void restart() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("victoria-metrics is still running");
        }
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void launch() throws IOException, InterruptedException {
        // Appends: the log of the first run stays readable after a restart.
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("victoria-metrics exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (get("/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        stop();
        fail("victoria-metrics not ready within 60 s:\n" + Files.readString(log));
    }

    /** Imports every point of {@code data}, a day per request; returns how many points were sent. */
    private long importAll(OpenMetricsWriter data) throws IOException, InterruptedException {
        long points = 0;
        for (long from = Math.floorDiv(data.minTimestamp(), CHUNK) * CHUNK; from <= data.maxTimestamp(); from += CHUNK) {
            StringWriter text = new StringWriter(1 << 20);
            if (!data.writeExposition(text, from, from + CHUNK)) {
                continue;
            }
            String body = text.toString();
            points += body.lines().filter(l -> !l.startsWith("#")).count();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/api/v1/import/prometheus"))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IOException("victoria-metrics import of the day from " + from + " answered HTTP " + r.statusCode() + ": " + r.body());
            }
        }
        HttpResponse<String> flush = get("/internal/force_flush");
        if (flush.statusCode() / 100 != 2) {
            throw new IOException("victoria-metrics /internal/force_flush answered HTTP " + flush.statusCode() + ": " + flush.body());
        }
        return points;
    }

    /** Waits until a count of all samples in the data's time span equals {@code points}. */
    private void awaitSearchable(OpenMetricsWriter data, long points) throws IOException, InterruptedException {
        long end = data.maxTimestamp() + 1;
        long span = end - data.minTimestamp() + 1;
        String query = "sum(count_over_time({__name__=~\".+\"}[" + span + "s]))";
        String found = "nothing";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time=" + end);
            if (r.statusCode() == 200) {
                JsonArray result = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("result");
                found = result.isEmpty() ? "no samples"
                        : result.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString();
                if (found.equals(Long.toString(points))) {
                    return;
                }
            } else {
                found = "HTTP " + r.statusCode() + ": " + r.body();
            }
            Thread.sleep(200);
        }
        fail("victoria-metrics holds " + found + " of the " + points + " points imported (query: " + query + "):\n" + Files.readString(log));
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The binary on PATH (the Debian package puts it in /usr/bin). */
    private static String binary() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, "victoria-metrics");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        fail("victoria-metrics is not on PATH: install the single-node server (Debian: apt-get install victoria-metrics),"
                + " as .ci/run does");
        return null;
    }
}
