package dev.presize.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The benchmarked engine's own figures, from its {@code /metrics}. */
final class EngineMetrics {

    private EngineMetrics() {
    }

    /**
     * {@code process_cpu_seconds_total}: the CPU the engine spent, whoever asked; the benchmarks run
     * it with no scrape targets, so between two readings it is (nearly) all query work.
     */
    static double cpuSeconds(URI url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(url.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith("process_cpu_seconds_total ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        return Double.NaN;
    }
}
