package dev.presize.e2e;

import dev.presize.history.prometheus.MetricsEngine;
import dev.presize.history.prometheus.OpenMetricsWriter;
import dev.presize.history.prometheus.PrometheusProcess;

import java.io.IOException;
import java.nio.file.Path;

/** {@link EngineEndToEndTest} against a real Prometheus (Debian's 2.42), its TSDB built with promtool. */
class PrometheusEndToEndTest extends EngineEndToEndTest {

    @Override
    MetricsEngine startEngine(OpenMetricsWriter data, Path dir) throws IOException, InterruptedException {
        return PrometheusProcess.start(data, dir);
    }
}
