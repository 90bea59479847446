package dev.presize.history.prometheus;

import java.io.IOException;
import java.nio.file.Path;

/** {@link IncrementalHistoryEngineTest} against a real Prometheus. */
class IncrementalHistoryPrometheusTest extends IncrementalHistoryEngineTest {

    @Override
    MetricsEngine startEngine(OpenMetricsWriter data, Path dir) throws IOException, InterruptedException {
        return PrometheusProcess.start(data, dir);
    }
}
